"""Importing 爱心汤 soup recipients (送汤对象): one row a resident put on their village's soup list,
through `care.soup.services` (`add_recipient_by_rule` for a row naming one of the rules in force in
the village, `add_recipient` for one chosen by hand with its reason). A recipient lands proposed:
the village reviews and approves its list as for any other.

A row names its village (only the villages in which the importer may both import and manage resident
services, IMPORT and SERVICES, are found: a row of another village is refused on its own) and its
resident, by ID number (never repeated in a message), or by name and household number (户编号). A
resident already on the list, or once removed from it by the village, is skipped and listed on the
job's page: importing the same file twice puts nobody on the list twice, and undoes no removal.
The kind imports all or nothing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.care.soup import services as soup
from hongniudai.care.soup.models import RecipientStatus, RuleKind
from hongniudai.common.identity import id_number_digest
from hongniudai.places.models import AreaNode, Resident
from hongniudai.spreadsheets import selectors
from hongniudai.spreadsheets.models import ImportKind

from .economy import VILLAGE, EconomyImporter
from .rows import NOTE, NOTE_SPEC, SKIPPED, RowErrors, Spec, cell_text, labels_of

HAMLET = "湾组"
NAME = "姓名"
ID_NUMBER = "身份证号"
HOUSEHOLD = "户编号"
REASON_KIND = "送汤原因"
REASON = "原因说明"
BY_HAND = "人工选定"
REASON_KINDS: dict[str, str] = {**labels_of(RuleKind.choices), BY_HAND: ""}


class SoupRecipientImporter(EconomyImporter):
    kind = ImportKind.SOUP_RECIPIENTS
    sheet_title = "爱心汤对象"
    specs = (
        VILLAGE,
        Spec(HAMLET, HAMLET, width=12, example="黄家湾", help="可不填;填写时须与该居民所在湾组一致(用于核对)。"),
        Spec("name", NAME, required=True, width=12, example="黄文华", help="须与登记的居民姓名一致。"),
        Spec(
            "id_number",
            ID_NUMBER,
            text=True,
            width=22,
            example="11010519491231002X",
            help="18 位,最后一位可为 X;该居民须已登记。不填时按“户编号 + 姓名”查找。",
        ),
        Spec(
            "household",
            HOUSEHOLD,
            text=True,
            width=16,
            example="XQ-05-001",
            help="不填身份证号时必填:该村已登记住户的户编号。",
        ),
        Spec(
            "kind",
            REASON_KIND,
            required=True,
            width=14,
            example=str(RuleKind.AGE.label),
            help="本村启用的送汤条件之一(须符合该条件),或“人工选定”并填写原因说明。",
        ),
        Spec(REASON, REASON, width=30, example="", help="“人工选定”时必填,最多 200 字。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {"resident": NAME, "reason": REASON_KIND, "note": NOTE}

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._listed: dict[int, dict[int, str]] = {}
        self._ids: dict[str, int] = {}

    @property
    def villages(self) -> dict[str, list[AreaNode]]:
        if self._villages is None:
            self._villages = {}
            for village in selectors.import_service_areas(self.user):
                self._villages.setdefault(village.name, []).append(village)
        return self._villages

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一位送汤对象。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "居民须已登记:按身份证号查找(身份证号列是文本格式,请勿改成数字);不填身份证号时,按该村的“户编号”和“姓名”查找。",
            "送汤原因可填:" + "、".join(REASON_KINDS) + ";填条件时该居民须符合本村启用的该条件(见“可选村和条件”工作表),"
            "填“人工选定”时须填写原因说明。",
            "导入的送汤对象为“待审核”,由村里审核确认后才进入送汤批次。",
            "已在送汤名单上(或曾被村里移除)的居民不会重复导入,在导入结果中列为“跳过”。",
            "有任何一行有误时,不会导入任何数据。",
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "kind":
            return tuple(REASON_KINDS)
        return spec.values

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        rows = [
            [v.name, "、".join(str(rule) for rule in soup.rules_for(v).values())]
            for found in self.villages.values()
            for v in found
        ]
        return "可选村和条件", ["村", "本村启用的送汤条件"], rows

    # -- one row ----------------------------------------------------------------------------------

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        village = self.village(raw, e)
        name = self.required_text(raw, NAME, e, max_length=50)
        resident = self._resident(village, name, raw, e)
        kind = self.choice(raw, REASON_KIND, e, REASON_KINDS, default=None)
        reason = self.optional_text(raw, REASON, e, max_length=200)
        self.optional_text(raw, NOTE, e, max_length=500)
        if cell_text(raw.get(REASON_KIND)) == BY_HAND and not reason:
            e.add(REASON, _("“人工选定”时请填写原因说明。"))
        if resident is None or village is None or e:
            return {}
        if kind:
            try:
                soup.rule_reason(resident, kind)
            except ValidationError as exc:
                e.add(REASON_KIND, exc.messages[0])
                return {}
        status = self._listed_in(village).get(resident.pk)
        if status == RecipientStatus.REMOVED:
            return self.skip(e.row, _("%(name)s 已被村里移除出送汤名单,跳过;如需恢复请人工添加。") % {"name": name})
        if status is not None:
            return self.skip(e.row, _("%(name)s 已在送汤名单上,跳过。") % {"name": name})
        return {"resident": resident, "kind": kind, "reason": reason, "village": village}

    def _resident(self, village: AreaNode | None, name: str, raw: dict[str, Any], e: RowErrors) -> Resident | None:
        """The row's resident, registered in its village: by ID number, else by household number and name."""
        if cell_text(raw.get(ID_NUMBER)):
            resident = self._by_id(raw, e)
        elif cell_text(raw.get(HOUSEHOLD)):
            resident = self._by_household(village, cell_text(raw.get(HOUSEHOLD)), name, e) if name else None
        else:
            e.add(ID_NUMBER, _("请填写身份证号,或填写户编号和姓名。"))
            return None
        if resident is None or village is None:
            return None
        hamlet = resident.household.hamlet
        if not hamlet.path.startswith(village.path):
            e.add(ID_NUMBER, _("未找到该身份证号对应的%(village)s居民。") % {"village": village.name})
            return None
        if name and resident.name != name:
            e.add(NAME, _("姓名与该身份证号登记的居民姓名不一致。"))
        given = cell_text(raw.get(HAMLET))
        if given and given != hamlet.name:
            e.add(HAMLET, _("该居民登记在%(hamlet)s,与所填湾组不一致。") % {"hamlet": hamlet.name})
        self.once_in_file((resident.pk,), e, NAME)
        return resident

    def _by_id(self, raw: dict[str, Any], e: RowErrors) -> Resident | None:
        _number, cid = self.citizen_id(raw, ID_NUMBER, e)
        if cid is None:
            return None
        digest = id_number_digest(cid.number)
        if digest in self._ids:
            e.add(ID_NUMBER, _("与第 %(row)s 行的身份证号重复。") % {"row": self._ids[digest]})
            return None
        self._ids[digest] = e.row
        resident = selectors.import_resident_by_digest(self.user, digest)
        if resident is None:
            e.add(ID_NUMBER, _("未找到该身份证号对应的居民,或该居民不在您的管辖范围内;请先导入居民。"))
        return resident

    def _by_household(self, village: AreaNode | None, number: str, name: str, e: RowErrors) -> Resident | None:
        if village is None:
            return None
        households = self._village_households(village)[0].get(number, [])
        if len(households) != 1:
            missing = _("%(village)s没有户编号为“%(number)s”的住户。") % {"village": village.name, "number": number}
            e.add(HOUSEHOLD, missing if not households else _("该村有多户使用这一户编号,请填写身份证号。"))
            return None
        found = selectors.household_residents_named(households[0], name)
        if len(found) != 1:
            e.add(
                NAME,
                _("户编号“%(number)s”的住户中没有名为“%(name)s”的居民。") % {"number": number, "name": name}
                if not found
                else _("该户有两位同名居民,请填写身份证号。"),
            )
            return None
        return found[0]

    def _listed_in(self, village: AreaNode) -> dict[int, str]:
        if village.pk not in self._listed:
            self._listed[village.pk] = selectors.soup_listed(village)
        return self._listed[village.pk]

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        resident, village = cleaned["resident"], cleaned["village"]
        if cleaned["kind"]:
            row = soup.add_recipient_by_rule(actor=self.user, resident=resident, kind=cleaned["kind"])
        else:
            row = soup.add_recipient(actor=self.user, resident=resident, reason=cleaned["reason"])
        self._listed_in(village)[resident.pk] = row.status
        return row
