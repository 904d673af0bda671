"""`manage.py demo_accounts`: the table of demo accounts, their password, role and node."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from hongniudai.demo import data
from hongniudai.demo.accounts import people_account_rows
from hongniudai.demo.loader import account_rows, demo_town, refuse_in_production


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


class Command(BaseCommand):
    help = (
        "列出演示账号(用户名、密码、角色、所在节点):默认列出主要演示账号;加 --all 另列出演示镇每个"
        "网格员和党员中心户的账号。仅用于演示,生产环境拒绝运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="另列出演示镇每个网格员(wg-村-组)和党员中心户(zxh-村-湾组)的账号,密码相同。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production()
        rows = []
        for row in account_rows():
            if row.exists:
                rows.append([row.username, data.DEMO_PASSWORD, row.display_name, row.role, row.node])
            else:
                rows.append([row.username, "—", row.display_name, row.role, _("(未创建,请先运行 manage.py load_demo)")])
        self.stdout.write(
            self.style.WARNING(
                _("以下是演示账号,仅供本机演示;演示密码切勿在生产环境中使用。账号若已改过密码,以新密码为准。")
            )
        )
        header = [_("用户名"), _("演示密码"), _("姓名"), _("角色"), _("所在节点")]
        town = demo_town()
        people = people_account_rows(town) if town is not None else []
        if options.get("all"):
            headline = {r[0] for r in rows}
            rows += [[u, data.DEMO_PASSWORD, n, role, node] for u, n, role, node in people if u not in headline]
        for text in format_table(header, rows):
            self.stdout.write(text)
        if people and not options.get("all"):
            self.stdout.write(
                _(
                    "另有 %(n)s 个网格员和党员中心户账号(用户名如 wg-xuqiao-5、zxh-hemeifan-zhangjiachong),用 --all 列出。"
                )
                % {"n": len({u for u, *_rest in people})}
            )
