"""`manage.py issue_open311_key --name 客户端 --area-id 12 [--by admin]`: issue an Open311 api_key."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.governance import services
from hongniudai.places.models import AreaNode


class Command(BaseCommand):
    help = "签发 Open311 api_key:密钥只显示这一次,平台只保存其摘要。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="客户端名称")
        parser.add_argument("--area-id", required=True, type=int, help="受理辖区(镇、片区或村)的编号")
        parser.add_argument("--by", default="", help="签发人用户名(须为该辖区的镇管理员);省略时记为系统签发")

    def handle(self, *args: Any, **options: Any) -> None:
        area = AreaNode.objects.filter(pk=options["area_id"]).first()
        if area is None:
            raise CommandError(_("没有编号为 %(id)s 的地区。") % {"id": options["area_id"]})
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"], is_active=True).first()
            if actor is None:
                raise CommandError(_("没有用户名为“%(u)s”的有效用户。") % {"u": options["by"]})
        try:
            key, record = services.issue_open311_key(actor=actor, name=options["name"], area=area)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(";".join(exc.messages)) from None
        self.stdout.write(
            _("已为“%(name)s”签发 Open311 api_key(辖区:%(area)s):") % {"name": record.name, "area": area.name}
        )
        self.stdout.write(key)
        self.stdout.write(_("请妥善保存:该密钥只显示这一次。"))
