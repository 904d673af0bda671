"""`manage.py create_admin --username wang --county 鄂州县 [--town 宋河镇] [--create-area] [--by admin]`:
an administrator with a role on an area node; the first one of a new deployment, or another later.

The role (town administrator by default) is assigned on the town, or on the county when no town
is given: the user sees and maintains that subtree. `--create-area` creates the nodes that do not
exist yet. A new deployment starts with an empty area tree: its top node (the county, or the town
of a one-town deployment) is created by the system; a town under an existing county is created
by that county's administrator, named with `--by` (the same rule as in the pages). The password is
asked twice, or read from the environment variable named by `--password-env` (for scripts); it
must pass the password rules. Run again for an existing user, it only adds the role. Everything
is written through the account and place services, with their audit records.

    manage.py create_admin --username county_admin --county 鄂州县 --create-area
    manage.py create_admin --username songhe_admin --county 鄂州县 --town 宋河镇 --create-area --by county_admin
    manage.py create_admin --username admin --town 宋河镇 --create-area      # a one-town deployment
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts import services
from hongniudai.accounts.models import Role, User
from hongniudai.places import services as place_services
from hongniudai.places.models import AreaKind, AreaNode


class Command(BaseCommand):
    help = "创建管理员账号并在县或镇上分配角色(默认镇管理员);--create-area 可先建立县、镇。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="用户名")
        parser.add_argument("--display-name", default="", help="姓名")
        parser.add_argument("--county", default="", help="县名称(最上级地区)")
        parser.add_argument("--town", default="", help="镇名称(省略时角色分配在县上)")
        parser.add_argument("--area-id", type=int, default=0, help="直接给出地区编号(代替 --county/--town)")
        parser.add_argument(
            "--role", default=Role.TOWN_ADMIN, choices=[r.value for r in Role], help="角色(默认 town_admin)"
        )
        parser.add_argument("--create-area", action="store_true", help="县、镇不存在时先建立")
        parser.add_argument("--password-env", default="", help="从该环境变量读取密码(不交互)")
        parser.add_argument("--by", default="", help="操作人用户名(在已有的县下建镇时须为县管理员);省略时记为系统")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                actor = None
                if options["by"]:
                    actor = User.objects.filter(username=options["by"], is_active=True).first()
                    if actor is None:
                        raise CommandError(_("没有用户名为“%(u)s”的有效用户。") % {"u": options["by"]})
                area = self._area(options, actor)
                user = User.objects.filter(username=options["username"].strip()).first()
                created = user is None
                if user is None:
                    user = services.create_user(
                        actor=actor,
                        username=options["username"].strip(),
                        password=self._password(options),
                        display_name=options["display_name"].strip(),
                    )
                services.assign_role(actor=actor, user=user, role=options["role"], area=area)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(";".join(messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                (_("已创建用户“%(u)s”") if created else _("用户“%(u)s”已存在,未改密码")) % {"u": user.username}
                + _(",角色:%(role)s,地区:%(area)s。") % {"role": Role(options["role"]).label, "area": area.name}
            )
        )

    def _area(self, options: dict[str, Any], actor: User | None) -> AreaNode:
        if options["area_id"]:
            area = AreaNode.objects.filter(pk=options["area_id"]).first()
            if area is None:
                raise CommandError(_("没有编号为 %(id)s 的地区。") % {"id": options["area_id"]})
            return area
        county_name, town_name = options["county"].strip(), options["town"].strip()
        if not county_name and not town_name:
            raise CommandError(_("请给出 --county、--town 或 --area-id。"))
        parent: AreaNode | None = None
        for name, kind in ((county_name, AreaKind.COUNTY), (town_name, AreaKind.TOWN)):
            if not name:
                continue
            node = AreaNode.objects.filter(parent=parent, name=name, kind=kind).first()
            if node is None:
                if not options["create_area"]:
                    raise CommandError(
                        _("没有名为“%(name)s”的%(kind)s;加上 --create-area 可以先建立。")
                        % {"name": name, "kind": AreaKind(kind).label}
                    )
                if parent is not None and actor is None:
                    raise CommandError(
                        _("在已有的“%(p)s”下建立“%(name)s”须由其管理员操作:请加上 --by 用户名。")
                        % {"p": parent.name, "name": name}
                    )
                # The top node is created by the system; a node below it by the administrator above.
                node = place_services.create_area(
                    actor=actor if parent is not None else None, parent=parent, name=name, kind=kind
                )
                self.stdout.write(_("已建立%(kind)s“%(name)s”。") % {"kind": AreaKind(kind).label, "name": name})
            parent = node
        assert parent is not None
        return parent

    def _password(self, options: dict[str, Any]) -> str:
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
            if not password:
                raise CommandError(_("环境变量 %(v)s 为空。") % {"v": options["password_env"]})
            return password
        password = getpass.getpass(_("密码:"))
        if password != getpass.getpass(_("再输一次:")):
            raise CommandError(_("两次输入的密码不一致。"))
        return password
