"""`manage.py rebuild_rollups [name …] [--list]`: recompute the kept rollups and counters from
their source tables (`common.rollups`), after a bulk write that went around the services."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hongniudai.common import rollups


class Command(BaseCommand):
    help = "从原始记录重新计算汇总表和计数(全部,或按名称);--list 列出名称"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="要重算的汇总名称(默认全部,见 --list)")
        parser.add_argument("--list", action="store_true", help="只列出已登记的汇总名称")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for name in rollups.names():
                self.stdout.write(name)
            return
        began = time.monotonic()
        try:
            done = rollups.rebuild_all(self.stdout.write, only=set(options["names"]) or None)
        except KeyError as exc:
            raise CommandError(f"没有这些汇总:{exc.args[0]}(用 --list 查看名称)") from None
        self.stdout.write(f"已重算 {len(done)} 项汇总,用时 {time.monotonic() - began:.1f} 秒:{'、'.join(done)}")
