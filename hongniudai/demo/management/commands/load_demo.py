"""`manage.py load_demo`: the demo town 宋河镇, written through the services. Idempotent; refuses in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hongniudai.demo import data
from hongniudai.demo.loader import COUNT_LABELS, load, refuse_in_production, town_counts


class Command(BaseCommand):
    help = "载入演示镇“宋河镇”(虚构的村组、住户、居民、党组织和演示账号)。重复运行不改动已有数据;生产环境拒绝运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="基准日期(默认今天):一年的事项、会议、走访等按此日期往前排布,不晚于此日期。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date | None = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(_("--today 应为 YYYY-MM-DD 格式的日期。")) from None

        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        refuse_in_production()
        say(_("载入演示镇“%(town)s”……") % {"town": data.TOWN_NAME})
        result = load(say, today=today)
        if result is None:
            counts = town_counts()
            self.stdout.write(
                self.style.SUCCESS(
                    _("演示镇“%(town)s”已载入(%(hh)s 户,%(people)s 人),本次未作改动。")
                    % {"town": data.TOWN_NAME, "hh": counts.get("households", 0), "people": counts.get("residents", 0)}
                )
            )
            return
        summary = ",".join(f"{COUNT_LABELS[key]} {value}" for key, value in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                _("演示镇“%(town)s”载入完成,用时 %(t).1f 秒:%(summary)s。")
                % {"town": data.TOWN_NAME, "t": result.seconds, "summary": summary}
            )
        )
        self.stdout.write(_("演示账号见 manage.py demo_accounts。"))
