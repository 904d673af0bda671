"""Importing households: one row a household, found in the user's scope by its hamlet's path."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.places import services as place_services
from hongniudai.places.models import AreaNode, Household
from hongniudai.spreadsheets import selectors
from hongniudai.spreadsheets.models import ImportKind

from .rows import NOTE, NOTE_SPEC, Importer, RowErrors, Spec

_PATH_SPLIT = re.compile(r"\s*[/\uff0f\\>]\s*")


class HamletIndex:
    """Find a hamlet in the user's scope by its path (村/组/湾, or any longer tail of the tree
    path) or by its name alone when that name is unique in the scope."""

    def __init__(self, entries: list[selectors.HamletChoice]) -> None:
        self.entries = entries
        self.by_name: dict[str, list[selectors.HamletChoice]] = {}
        for entry in entries:
            self.by_name.setdefault(entry.names[-1], []).append(entry)

    def find(self, text: str) -> tuple[AreaNode | None, str]:
        parts = [p for p in _PATH_SPLIT.split(text.strip()) if p]
        if not parts:
            return None, _("必填项,不能为空。")
        matches = [c for c in self.by_name.get(parts[-1], []) if c.names[-len(parts) :] == tuple(parts)]
        if len(matches) == 1:
            return matches[0].hamlet, ""
        if not matches:
            return None, _("未找到湾组“%(name)s”,或该湾组不在您的管辖范围内。") % {"name": text}
        return None, _("“%(name)s”对应多个湾组,请填写完整路径“村/组/湾”。") % {"name": text}


class HouseholdImporter(Importer):
    kind = ImportKind.HOUSEHOLDS
    sheet_title = "住户"
    specs = (
        Spec(
            "hamlet",
            "湾组",
            required=True,
            width=28,
            example="徐桥村/5组/黄家湾",
            help="填写完整路径“村/组/湾”;若湾组名称在您的管辖范围内唯一,也可只填湾组名称。",
        ),
        Spec(
            "number",
            "户编号",
            required=True,
            text=True,
            width=16,
            example="XQ-05-001",
            help="在您的管辖范围内不能重复;导入居民时用它找到所在户。",
        ),
        Spec("address", "住址", required=True, width=30, example="黄家湾 12 号", help="最多 200 字。"),
        Spec("is_formerly_poor", "脱贫户", values=("是", "否"), width=10, example="否", help="不填视为“否”。"),
        Spec(
            "is_monitored",
            "监测户",
            values=("是", "否"),
            width=10,
            example="否",
            help="防返贫动态监测对象;不填视为“否”。",
        ),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {"hamlet": "湾组", "number": "户编号", "address": "住址", "note": NOTE}

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._hamlets: HamletIndex | None = None
        self._numbers: dict[str, int] = {}
        self._taken: set[str] | None = None

    @property
    def hamlets(self) -> HamletIndex:
        if self._hamlets is None:
            self._hamlets = HamletIndex(selectors.import_hamlets(self.user))
        return self._hamlets

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一户。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "湾组:填写完整路径“村/组/湾”(如 徐桥村/5组/黄家湾);若湾组名称在您的管辖范围内唯一,也可只填湾组名称。"
            "您可以导入的湾组见“可选湾组”工作表。",
            "户编号:必填,在您的管辖范围内不能重复,建议用“村简称-组号-序号”,如 XQ-05-001。导入居民时按户编号找到所在户。",
            "先导入住户,再导入居民,最后导入党员。",
        ]

    def example_row(self) -> list[str]:
        row = super().example_row()
        choices = self.hamlets.entries
        if choices:
            row[0] = choices[0].label
        return row

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        return "可选湾组", ["湾组(村/组/湾)"], [[c.label] for c in self.hamlets.entries]

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        hamlet_text = self.required_text(raw, "湾组", e)
        hamlet = None
        if hamlet_text:
            hamlet, message = self.hamlets.find(hamlet_text)
            if hamlet is None:
                e.add("湾组", message)
        number = self.required_text(raw, "户编号", e, max_length=30)
        if number and len(number) <= 30:
            if number in self._numbers:
                e.add("户编号", _("与第 %(row)s 行的户编号重复。") % {"row": self._numbers[number]})
            else:
                self._numbers[number] = e.row
                if self._number_taken(number):
                    e.add("户编号", _("户编号“%(number)s”已登记。") % {"number": number})
        address = self.required_text(raw, "住址", e, max_length=200)
        return {
            "hamlet": hamlet,
            "number": number,
            "address": address,
            "is_formerly_poor": self.flag(raw, "脱贫户", e),
            "is_monitored": self.flag(raw, "监测户", e),
            "note": self.optional_text(raw, NOTE, e),
        }

    def _number_taken(self, number: str) -> bool:
        if self._taken is None:
            self._taken = selectors.import_household_numbers(self.user)
        return number in self._taken

    def write(self, cleaned: dict[str, Any]) -> Household:
        return place_services.create_household(actor=self.user, **cleaned)
