"""Recompute the compliance rollup (`orglife.rollups.rebuild`) from the meetings and rules."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from hongniudai.orglife import rollups


class Command(BaseCommand):
    help = "重新计算组织生活落实情况汇总表(按党组织、会议类型、期间)"

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        n = rollups.rebuild(self.stdout.write)
        self.stdout.write(f"{n} obligations in {time.monotonic() - began:.1f} s")
