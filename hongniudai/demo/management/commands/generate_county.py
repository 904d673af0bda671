"""`manage.py generate_county [--scale 1.0] [--seed 2026] [--quiet]`: the demo county at
realistic proportions around the demo town (see `hongniudai.demo.county`). Refuses in production.

A county that holds generated towns already is left unchanged (missing benchmark accounts, the
Open311 key, the books of villages that have none and the later domains' rows of towns that have
none are added): generate into a fresh database to start again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hongniudai.demo.county import BENCH_ACCOUNTS, BENCH_OPEN311_KEY, BENCH_PASSWORD, DEFAULT_SEED, generate
from hongniudai.demo.loader import refuse_in_production


class Command(BaseCommand):
    help = (
        "生成县级规模的演示数据:演示镇之外再生成约 19 个镇(约 30 万户、100 万居民、3 万党员、三年约 100 万件事项,"
        "各村的集体账套和集体经济),"
        "--scale 按比例缩放。已生成过的县不再重复生成。生产环境拒绝运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="规模系数(1.0 为整县,0.01 供测试)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子(相同种子生成相同的数据)")
        parser.add_argument("--quiet", action="store_true", help="不显示进度,只显示汇总")

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production()
        scale = options["scale"]
        if not 0 < scale <= 10:
            raise CommandError(_("--scale 应大于 0、不超过 10。"))
        quiet = options["quiet"]

        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        def progress(line: str) -> None:
            if not quiet:
                say(line)

        say(_("生成县级规模数据(规模 %(scale)s,种子 %(seed)s)……") % {"scale": scale, "seed": options["seed"]})
        summary = generate(scale=scale, seed=options["seed"], say=say, progress=progress)
        if summary.skipped:
            say(
                self.style.WARNING(
                    _(
                        "本县已有生成的镇,未重复生成(补建压测账号或密钥 %(n)s 个,补建集体账套 %(books)s 个)。"
                        "如需重新生成,请使用新的数据库。"
                    )
                    % {"n": summary.counts.get("bench_created", 0), "books": summary.counts.get("books_created", 0)}
                )
            )
            added = {k: v for k, v in summary.counts.items() if k not in ("bench_created", "books_created")}
            if added:
                say(
                    _("补建了尚无数据的后续模块:%(rows)s。")
                    % {"rows": "、".join(f"{k} {v:,}" for k, v in added.items())}
                )
            return
        say(_("各阶段:"))
        for stage in summary.stages:
            say(
                _("  %(label)s:%(rows)s 行,%(t).1f 秒,%(rate)s 行/秒")
                % {"label": stage.label, "rows": f"{stage.rows:,}", "t": stage.seconds, "rate": f"{stage.rate:,.0f}"}
            )
        counts = "、".join(f"{k} {v:,}" for k, v in summary.counts.items())
        say(self.style.SUCCESS(_("生成完成,用时 %(t).1f 秒:%(counts)s。") % {"t": summary.seconds, "counts": counts}))
        say(
            _("压测账号 %(users)s,密码 %(pw)s;Open311 密钥 %(key)s。")
            % {"users": "、".join(BENCH_ACCOUNTS), "pw": BENCH_PASSWORD, "key": BENCH_OPEN311_KEY}
        )
