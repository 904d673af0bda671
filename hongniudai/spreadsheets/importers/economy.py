"""What the collective economy's import kinds share (members, parcels, transfer contracts).

Each row names its village (by name, or an organisation of it by name): only the villages in which
the importer may both import and record the economy (IMPORT and ECONOMY_WRITE) are found, so a row
of another village is refused on its own, with the message a village that does not exist gets.
A household is found in the row's village by its number (户编号, as the households import writes
it), or by its head's name when no number is given and the name is unique in the village.

The kinds import all or nothing. A row whose record is already in the platform (a member already
confirmed, a parcel of the same name, a contract of the same number in the village) is not written
again: it is skipped and listed on the job's page (`outcome`), so the same file imported twice
duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.collective.interface import Decision, EconomicOrg
from hongniudai.places.models import AreaNode, Household
from hongniudai.spreadsheets import selectors

from .rows import Importer, RowErrors, Spec, cell_text, parse_date

CENT = Decimal("0.01")
MAX_NUMBER = Decimal("1e10")

VILLAGE = Spec("village", "村", required=True, width=14, example="徐桥村", help="村名,须在您的管辖范围内。")
HOUSEHOLD_NUMBER = Spec(
    "household_number",
    "户编号",
    text=True,
    width=16,
    example="XQ-05-001",
    help="该村已登记住户的户编号;不填时按“户主姓名”查找。",
)
HEAD_NAME = Spec(
    "head_name",
    "户主姓名",
    width=12,
    example="黄文华",
    help="不填户编号时必填,须在该村唯一;同时填写时须与户编号对应的户主一致。",
)
HOUSEHOLD_NOTE = "农户按“户编号”在该村的住户中查找;不填户编号时按“户主姓名”查找(须在该村唯一,重名时请填户编号)。"


class EconomyImporter(Importer):
    """Villages, organisations, households and decisions of the rows, found in the importer's scope;
    the rows already imported, skipped."""

    all_or_nothing = True
    identity_column: ClassVar[str] = ""

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._villages: dict[str, list[AreaNode]] | None = None
        self._orgs: list[EconomicOrg] | None = None
        self._households: dict[int, tuple[dict[str, list[Household]], dict[str, list[Household]]]] = {}
        self._seen: dict[tuple[Any, ...], int] = {}
        self.skipped: list[dict[str, str]] = []

    # -- what the importer may refer to -------------------------------------------------------

    @property
    def villages(self) -> dict[str, list[AreaNode]]:
        if self._villages is None:
            self._villages = {}
            for village in selectors.import_economy_villages(self.user):
                self._villages.setdefault(village.name, []).append(village)
        return self._villages

    @property
    def orgs(self) -> list[EconomicOrg]:
        if self._orgs is None:
            self._orgs = selectors.import_economic_orgs(self.user)
        return self._orgs

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        rows = [[o.village.name, o.name, o.get_kind_display()] for o in self.orgs]
        known = {o.village_id for o in self.orgs}
        rows += [[v.name, "", ""] for found in self.villages.values() for v in found if v.pk not in known]
        return "可选村和组织", ["村", "集体经济组织或合作社", "组织类型"], rows

    def example_row(self) -> list[str]:
        row = super().example_row()
        first = next(iter(self.villages), None)
        if first is not None and VILLAGE in self.specs:
            row[self.specs.index(VILLAGE)] = first
        return row

    # -- finding what a row names ---------------------------------------------------------------

    def village(self, raw: dict[str, Any], e: RowErrors, header: str = VILLAGE.header) -> AreaNode | None:
        name = self.required_text(raw, header, e)
        if not name:
            return None
        found = self.villages.get(name, [])
        if len(found) == 1:
            return found[0]
        if not found:
            e.add(header, _("未找到村“%(name)s”,或该村不在您的管辖范围内。") % {"name": name})
        else:
            e.add(header, _("“%(name)s”对应多个村,请联系管理员区分名称。") % {"name": name})
        return None

    def household(self, village: AreaNode | None, raw: dict[str, Any], e: RowErrors) -> Household | None:
        """The household of the row, in `village`, by number or by its head's name."""
        number = cell_text(raw.get(HOUSEHOLD_NUMBER.header))
        name = cell_text(raw.get(HEAD_NAME.header))
        if not number and not name:
            e.add(HOUSEHOLD_NUMBER.header, _("请填写户编号或户主姓名。"))
            return None
        if village is None:
            return None
        by_number, by_name = self._village_households(village)
        if number:
            found, header = by_number.get(number, []), HOUSEHOLD_NUMBER.header
            missing = _("%(village)s没有户编号为“%(number)s”的住户。") % {"village": village.name, "number": number}
        else:
            found, header = by_name.get(name, []), HEAD_NAME.header
            missing = _("%(village)s没有户主为“%(name)s”的住户。") % {"village": village.name, "name": name}
        if not found:
            e.add(header, missing)
        elif len(found) > 1:
            e.add(header, _("该村有多户与之对应,请填写户编号。"))
        elif number and name and _head_name(found[0]) != name:
            e.add(HEAD_NAME.header, _("户主姓名与户编号“%(number)s”登记的户主不一致。") % {"number": number})
        else:
            return found[0]
        return None

    def _village_households(self, village: AreaNode) -> tuple[dict[str, list[Household]], dict[str, list[Household]]]:
        if village.pk not in self._households:
            by_number: dict[str, list[Household]] = {}
            by_name: dict[str, list[Household]] = {}
            for household in selectors.village_households(village):
                if household.number:
                    by_number.setdefault(household.number, []).append(household)
                if _head_name(household):
                    by_name.setdefault(_head_name(household), []).append(household)
            self._households[village.pk] = (by_number, by_name)
        return self._households[village.pk]

    def decision(self, village: AreaNode | None, raw: dict[str, Any], header: str, e: RowErrors) -> Decision | None:
        title = self.optional_text(raw, header, e)
        if not title or village is None:
            return None
        found = selectors.village_decisions(village, title)
        if len(found) == 1:
            return found[0]
        if not found:
            e.add(
                header,
                _("%(village)s没有名为“%(title)s”的四议两公开事项。") % {"village": village.name, "title": title},
            )
        else:
            e.add(header, _("%(village)s有多个名为“%(title)s”的事项。") % {"village": village.name, "title": title})
        return None

    # -- values ---------------------------------------------------------------------------------

    @staticmethod
    def number(raw: dict[str, Any], header: str, e: RowErrors, *, required: bool, what: str) -> Decimal | None:
        """A positive number with at most two decimals (an area, shares, an amount), or None when empty."""
        value = raw.get(header)
        text = repr(value) if isinstance(value, float) else cell_text(value)
        if not text:
            if required:
                e.add(header, _("必填项,不能为空。"))
            return None
        number, problem = positive(text, what)
        if problem:
            e.add(header, problem)
        return number

    @staticmethod
    def any_date(raw: dict[str, Any], header: str, e: RowErrors, *, required: bool) -> dt.date | None:
        """A date, which may lie in the future (a contract's end)."""
        value = raw.get(header)
        if value is None or cell_text(value) == "":
            if required:
                e.add(header, _("必填项,不能为空。"))
            return None
        try:
            return parse_date(value)
        except ValidationError as exc:
            e.add(header, exc.messages[0])
            return None

    @staticmethod
    def whole_number(raw: dict[str, Any], header: str, e: RowErrors, *, default: int, low: int, high: int) -> int:
        text = cell_text(raw.get(header))
        if not text:
            return default
        if not text.isdigit() or not low <= int(text) <= high:
            e.add(header, _("须是 %(low)s 至 %(high)s 之间的整数。") % {"low": low, "high": high})
            return default
        return int(text)

    # -- the same record twice ------------------------------------------------------------------

    def once_in_file(self, key: tuple[Any, ...], e: RowErrors, header: str) -> None:
        """A record named by two rows of the file is an error of the second."""
        if key in self._seen:
            e.add(header, _("与第 %(row)s 行重复。") % {"row": self._seen[key]})
        else:
            self._seen[key] = e.row

    def skip(self, row: int, what: str) -> dict[str, Any]:
        """The cleaned row of a record already in the platform: written as SKIPPED."""
        self.skipped.append({"row": str(row), "message": what})
        return {"skip": True}

    def outcome(self) -> list[dict[str, str]]:
        return self.skipped

    def forget(self) -> None:
        self.skipped = []


def positive(text: str, what: str) -> tuple[Decimal | None, str]:
    """(the number, "") of text holding a positive number with at most two decimals, or (None, why not)."""
    try:
        number = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        return None, _("%(what)s须是数字。") % {"what": what}
    if number <= 0:
        return None, _("%(what)s必须大于零。") % {"what": what}
    if number != number.quantize(CENT):
        return None, _("%(what)s最多保留两位小数。") % {"what": what}
    if number >= MAX_NUMBER:
        return None, _("%(what)s过大。") % {"what": what}
    return number, ""


def _head_name(household: Household) -> str:
    return household.head.name if household.head_id and household.head else ""
