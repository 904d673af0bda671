"""Importing party members: one row a member, a resident already registered, found by ID number."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.common.identity import id_number_digest
from hongniudai.party import services as party_services
from hongniudai.party.models import MemberStatus, PartyOrg, Post
from hongniudai.places.models import Resident
from hongniudai.spreadsheets import selectors
from hongniudai.spreadsheets.models import ImportKind

from .rows import NOTE, NOTE_SPEC, Importer, RowErrors, Spec, labels_of, years_after


class MemberImporter(Importer):
    kind = ImportKind.MEMBERS
    sheet_title = "党员"
    specs = (
        Spec(
            "name", "姓名", width=12, example="黄文华", help="可不填;如填写,须与身份证号对应居民的姓名一致(用于核对)。"
        ),
        Spec(
            "id_number",
            "身份证号",
            required=True,
            text=True,
            width=22,
            example="11010519491231002X",
            help="该居民须已登记(先导入居民),且在您的管辖范围内。",
        ),
        Spec(
            "org",
            "所在党支部",
            required=True,
            width=20,
            example="徐桥村党支部",
            help="党支部全称,须在您的管辖范围内。可选党支部见“可选党支部”工作表。",
        ),
        Spec(
            "party_group",
            "党小组",
            width=20,
            example="徐桥村5组党小组",
            help="可不填;如填写,须是所填党支部下的党小组。",
        ),
        Spec("status", "党员类别", required=True, values=("正式党员", "预备党员"), width=12, example="正式党员"),
        Spec(
            "joined_on",
            "入党日期",
            required=True,
            width=12,
            example="2000-07-01",
            help="接收为预备党员的日期,格式 2001-07-01;入党时应年满 18 周岁。",
        ),
        Spec(
            "full_on",
            "转正日期",
            width=12,
            example="2001-07-01",
            help="格式 2001-07-01;预备党员不填;不能早于入党日期。",
        ),
        Spec("post", "党内职务", width=12, example="无", help="不填视为“无”。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "resident": "身份证号",
        "org": "所在党支部",
        "party_group": "党小组",
        "status": "党员类别",
        "joined_on": "入党日期",
        "full_on": "转正日期",
        "post": "党内职务",
        "note": NOTE,
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._branches: dict[str, list[PartyOrg]] | None = None
        self._groups: dict[tuple[int, str], PartyOrg] = {}
        self._ids: dict[str, int] = {}

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一名党员。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "党员须先作为居民登记(先导入居民),按身份证号找到该居民;身份证号列是文本格式,请勿改成数字。",
            "所在党支部、党小组填写全称;您可以填写的党支部和党小组见“可选党支部”工作表。",
            "日期格式为 2001-07-01(也可用 Excel 日期)。",
            "党员类别可填:"
            + "、".join(labels_of(MemberStatus.choices))
            + ";党内职务可填:"
            + "、".join(labels_of(Post.choices))
            + "。",
        ]

    def _load_orgs(self) -> dict[str, list[PartyOrg]]:
        if self._branches is None:
            self._branches = {}
            for branch in selectors.import_branches(self.user):
                self._branches.setdefault(branch.name, []).append(branch)
            for group in selectors.import_party_groups(self.user):
                if group.parent_id is not None:
                    self._groups[(group.parent_id, group.name)] = group
        return self._branches

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        branches = self._load_orgs()
        rows: list[list[str]] = []
        for name, found in branches.items():
            for branch in found:
                groups = sorted(g for (pid, g) in self._groups if pid == branch.pk)
                rows.append([name, "、".join(groups)])
        return "可选党支部", ["党支部", "党小组"], rows

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "post":
            return tuple(labels_of(Post.choices))
        return spec.values

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        name = self.optional_text(raw, "姓名", e)
        _number, cid = self.citizen_id(raw, "身份证号", e)
        resident = self._resident(cid.number, name, e) if cid is not None else None
        org = self._branch(self.required_text(raw, "所在党支部", e), e)
        group_name = self.optional_text(raw, "党小组", e)
        party_group = self._party_group(org, group_name, e) if group_name and org is not None else None
        status = self.choice(raw, "党员类别", e, labels_of(MemberStatus.choices), default=None)
        joined_on = self.date(raw, "入党日期", e, required=True)
        full_on = self.date(raw, "转正日期", e, required=False)
        if joined_on and resident is not None and joined_on < years_after(resident.birth_date, 18):
            e.add("入党日期", _("入党时应年满 18 周岁。"))
        if full_on and status == MemberStatus.PROBATIONARY:
            e.add("转正日期", _("预备党员尚未转正,不应填写转正日期。"))
        elif full_on and joined_on and full_on < joined_on:
            e.add("转正日期", _("转正日期不能早于入党日期。"))
        post = self.choice(raw, "党内职务", e, labels_of(Post.choices), default="")
        return {
            "resident": resident,
            "org": org,
            "party_group": party_group,
            "status": status,
            "joined_on": joined_on,
            "full_on": full_on,
            "post": post,
            "note": self.optional_text(raw, NOTE, e),
        }

    def _resident(self, number: str, name: str, e: RowErrors) -> Resident | None:
        """The resident registered with this ID number in the user's scope, not yet a member."""
        digest = id_number_digest(number)
        if digest in self._ids:
            e.add("身份证号", _("与第 %(row)s 行的身份证号重复。") % {"row": self._ids[digest]})
            return None
        self._ids[digest] = e.row
        resident = selectors.import_resident_by_digest(self.user, digest)
        if resident is None:
            e.add("身份证号", _("未找到该身份证号对应的居民,或该居民不在您的管辖范围内;请先导入居民。"))
        elif selectors.resident_is_member(resident):
            e.add("身份证号", _("该居民已有党员档案。"))
            return None
        elif name and name != resident.name:
            e.add("姓名", _("姓名与该身份证号登记的居民姓名不一致。"))
        return resident

    def _branch(self, org_name: str, e: RowErrors) -> PartyOrg | None:
        if not org_name:
            return None
        found = self._load_orgs().get(org_name, [])
        if not found:
            e.add("所在党支部", _("未找到党支部“%(name)s”,或该党支部不在您的管辖范围内。") % {"name": org_name})
        elif len(found) > 1:
            e.add("所在党支部", _("“%(name)s”对应多个党支部,请联系管理员区分名称。") % {"name": org_name})
        else:
            return found[0]
        return None

    def _party_group(self, org: PartyOrg, group_name: str, e: RowErrors) -> PartyOrg | None:
        party_group = self._groups.get((org.pk, group_name))
        if party_group is None:
            e.add("党小组", _("“%(branch)s”下没有名为“%(name)s”的党小组。") % {"branch": org.name, "name": group_name})
        return party_group

    def write(self, cleaned: dict[str, Any]) -> Any:
        return party_services.create_member(actor=self.user, **cleaned)
