"""Recompute the rollup of 利益联结 (`benefits.rollups.rebuild`) from the payments: after the
migration that adds it, on a database whose payments were written before it."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from hongniudai.benefits import rollups


class Command(BaseCommand):
    help = "重新计算利益联结汇总表(按村、农户、年度)"

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        n = rollups.rebuild(self.stdout.write)
        self.stdout.write(f"{n} household years in {time.monotonic() - began:.1f} s")
