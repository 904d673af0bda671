"""The three import kinds: their columns, the cleaning of one row, and the write of a clean row.

A workbook's header row names the columns. The headers and the allowed values are the file
format: they stay in Chinese whatever the interface language (the tasks run in the site
language), so a template downloaded by anyone is read the same way by the worker.

`clean(row_no, raw)` turns the raw cell values of one row into the keyword arguments of a
service call, or into errors {row, column, message}. `write(cleaned)` makes that call. Rows are
cleaned against the database and against the rows before them in the same file (duplicates).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.common.identity import id_number_digest, normalize_phone, parse_citizen_id
from hongniudai.party import services as party_services
from hongniudai.party.models import MemberStatus, PartyOrg, Post
from hongniudai.places import selectors as place_selectors
from hongniudai.places import services as place_services
from hongniudai.places.models import AreaNode, Household, Relation, Resident, Sex

from . import selectors
from .models import ImportKind

RowError = dict[str, Any]  # {"row": int, "column": str, "message": str}

EXAMPLE_MARK = "【示例】"
NOTE = "备注"
YES_VALUES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有"})
NO_VALUES = frozenset({"否", "n", "no", "false", "0", "×", "无", ""})


@dataclass(frozen=True)
class Spec:
    """One column of an import file."""

    key: str  # keyword of the service call (or of the cleaning step)
    header: str  # the header in the file (Chinese, part of the file format)
    required: bool = False
    text: bool = False  # format the column as text (ID numbers, phones, codes)
    width: int = 14
    help: str = ""
    values: tuple[str, ...] = ()  # the allowed values, offered as a drop-down list
    example: str = ""


# ---- reading cell values ------------------------------------------------------------------


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_DATE_SEPARATORS = re.compile(r"[./年月]")


def parse_date(value: Any) -> dt.date:
    """A date from a date cell or text such as 2001-07-01, 2001/7/1, 2001.7.1, 2001年7月1日, 20010701."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value).replace("日", "")
    text = _DATE_SEPARATORS.sub("-", text).replace(" ", "")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{8}", text):
        raise ValidationError(_("日期“%(value)s”不存在。") % {"value": cell_text(value)})
    raise ValidationError(_("日期格式不正确,应为 2001-07-01 这样的格式。"))


def years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class RowErrors:
    def __init__(self, row: int) -> None:
        self.row = row
        self.items: list[RowError] = []

    def add(self, column: str, message: str) -> None:
        self.items.append({"row": self.row, "column": column, "message": str(message)})

    def __bool__(self) -> bool:
        return bool(self.items)


# ---- the importers ------------------------------------------------------------------------


class Importer:
    kind: ClassVar[str]
    sheet_title: ClassVar[str]
    specs: ClassVar[tuple[Spec, ...]]
    # Service field name → column header, for errors the service raises itself.
    field_columns: ClassVar[dict[str, str]] = {}

    def __init__(self, user: Any) -> None:
        self.user = user
        # True while importing, False while checking the file: a row that needs the town's review
        # records the review request only when it is really imported.
        self.requests_reviews = False

    # -- description -------------------------------------------------------------------------

    @classmethod
    def headers(cls) -> list[str]:
        return [s.header for s in cls.specs]

    @classmethod
    def required_headers(cls) -> list[str]:
        return [s.header for s in cls.specs if s.required]

    @classmethod
    def notes(cls) -> list[str]:
        return []

    def example_row(self) -> list[str]:
        return [s.example for s in self.specs]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        """The values a column accepts, offered as a drop-down list in the template."""
        return spec.values

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        """An extra sheet listing what the user may refer to: (title, headers, rows)."""
        return None

    # -- cleaning ----------------------------------------------------------------------------

    def clean(self, row: int, raw: dict[str, Any]) -> tuple[dict[str, Any] | None, list[RowError]]:
        errors = RowErrors(row)
        cleaned = self._clean(raw, errors)
        if errors:
            return None, errors.items
        return cleaned, []

    def _clean(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        raise NotImplementedError

    def write(self, cleaned: dict[str, Any]) -> Any:
        raise NotImplementedError

    def service_errors(self, row: int, exc: ValidationError) -> list[RowError]:
        e = RowErrors(row)
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                for message in messages:
                    e.add(self.field_columns.get(field, ""), message)
        else:
            for message in exc.messages:
                e.add("", message)
        return e.items

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _required(raw: dict[str, Any], header: str, e: RowErrors, *, max_length: int = 0) -> str:
        value = cell_text(raw.get(header))
        if not value:
            e.add(header, _("必填项,不能为空。"))
        elif max_length and len(value) > max_length:
            e.add(header, _("不能超过 %(n)s 个字。") % {"n": max_length})
        return value

    @staticmethod
    def _optional(raw: dict[str, Any], header: str, e: RowErrors, *, max_length: int = 0) -> str:
        value = cell_text(raw.get(header))
        if max_length and len(value) > max_length:
            e.add(header, _("不能超过 %(n)s 个字。") % {"n": max_length})
        return value

    @staticmethod
    def _flag(raw: dict[str, Any], header: str, e: RowErrors) -> bool:
        value = raw.get(header)
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in YES_VALUES:
            return True
        if text in NO_VALUES:
            return False
        e.add(header, _("应填“是”或“否”。"))
        return False

    @staticmethod
    def _choice(raw: dict[str, Any], header: str, e: RowErrors, mapping: dict[str, str], default: str | None) -> str:
        text = cell_text(raw.get(header))
        if not text:
            if default is None:
                e.add(header, _("必填项,不能为空。"))
                return ""
            return default
        if text in mapping:
            return mapping[text]
        e.add(header, _("应为以下之一:%(values)s。") % {"values": "、".join(mapping)})
        return default or ""

    @staticmethod
    def _date(raw: dict[str, Any], header: str, e: RowErrors, *, required: bool) -> dt.date | None:
        value = raw.get(header)
        if value is None or cell_text(value) == "":
            if required:
                e.add(header, _("必填项,不能为空。"))
            return None
        try:
            day = parse_date(value)
        except ValidationError as exc:
            e.add(header, exc.messages[0])
            return None
        if day > timezone.localdate():
            e.add(header, _("日期不能晚于今天。"))
            return None
        return day

    @staticmethod
    def _id_number(raw: dict[str, Any], header: str, e: RowErrors) -> tuple[str, Any]:
        """(number, parsed CitizenId or None)."""
        value = raw.get(header)
        text = cell_text(value)
        if not text:
            e.add(header, _("必填项,不能为空。"))
            return "", None
        if isinstance(value, float) or (isinstance(value, int) and value >= 2**53):
            # A spreadsheet number keeps only ~15 significant digits: an 18-digit ID number stored
            # as a number has lost its last digits even when what is left happens to check out.
            e.add(header, _("身份证号被存成了数字,末几位可能已丢失;请把该列设为“文本”格式后重新填写。"))
            return text, None
        try:
            return text, parse_citizen_id(text)
        except ValidationError as exc:
            e.add(header, exc.messages[0])
            return text, None


def _labels(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    return {str(label): value for value, label in choices}


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
        Spec(
            "note",
            NOTE,
            width=30,
            example=EXAMPLE_MARK + "本行是示例,导入时自动跳过",
            help="备注以“【示例】”开头的行会被跳过。",
        ),
    )
    field_columns: ClassVar[dict[str, str]] = {"hamlet": "湾组", "number": "户编号", "address": "住址", "note": NOTE}

    def __init__(self, user: Any) -> None:
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

    def _clean(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        hamlet_text = self._required(raw, "湾组", e)
        hamlet = None
        if hamlet_text:
            hamlet, message = self.hamlets.find(hamlet_text)
            if hamlet is None:
                e.add("湾组", message)
        number = self._required(raw, "户编号", e, max_length=30)
        if number and len(number) <= 30:
            if number in self._numbers:
                e.add("户编号", _("与第 %(row)s 行的户编号重复。") % {"row": self._numbers[number]})
            else:
                self._numbers[number] = e.row
                if self._number_taken(number):
                    e.add("户编号", _("户编号“%(number)s”已登记。") % {"number": number})
        address = self._required(raw, "住址", e, max_length=200)
        return {
            "hamlet": hamlet,
            "number": number,
            "address": address,
            "is_formerly_poor": self._flag(raw, "脱贫户", e),
            "is_monitored": self._flag(raw, "监测户", e),
            "note": self._optional(raw, NOTE, e),
        }

    def _number_taken(self, number: str) -> bool:
        if self._taken is None:
            self._taken = selectors.import_household_numbers(self.user)
        return number in self._taken

    def write(self, cleaned: dict[str, Any]) -> Household:
        return place_services.create_household(actor=self.user, **cleaned)


class ResidentImporter(Importer):
    kind = ImportKind.RESIDENTS
    sheet_title = "居民"
    specs = (
        Spec(
            "household",
            "户编号",
            required=True,
            text=True,
            width=16,
            example="XQ-05-001",
            help="住户的户编号:该户须已登记(先导入住户),且在您的管辖范围内。",
        ),
        Spec("name", "姓名", required=True, width=12, example="黄文华", help="最多 50 字。"),
        Spec(
            "id_number",
            "身份证号",
            required=True,
            text=True,
            width=22,
            example="11010519491231002X",
            help="18 位,最后一位可为 X;校验位、出生日期都会核对。全平台不能重复。",
        ),
        Spec(
            "sex",
            "性别",
            values=("男", "女"),
            width=8,
            example="女",
            help="可不填,由身份证号第 17 位确定;如填写,须与身份证号一致。",
        ),
        Spec("phone", "手机号", text=True, width=15, example="13912345678", help="以 1 开头的 11 位数字;可不填。"),
        Spec("relation", "与户主关系", width=12, example="户主", help="不填视为“其他”。一户只能有一位户主。"),
        Spec("is_veteran", "退役军人", values=("是", "否"), width=10, example="否", help="不填视为“否”。"),
        Spec("is_returnee", "返乡能人", values=("是", "否"), width=10, example="否", help="不填视为“否”。"),
        Spec("is_disabled", "残疾人", values=("是", "否"), width=10, example="否", help="不填视为“否”。"),
        Spec(
            "note",
            NOTE,
            width=30,
            example=EXAMPLE_MARK + "本行是示例,导入时自动跳过",
            help="备注以“【示例】”开头的行会被跳过。",
        ),
    )
    field_columns: ClassVar[dict[str, str]] = {
        "household": "户编号",
        "name": "姓名",
        "id_number": "身份证号",
        "sex": "性别",
        "phone": "手机号",
        "relation": "与户主关系",
        "note": NOTE,
    }

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self._households: dict[str, list[Household]] = {}
        self._ids: dict[str, int] = {}
        self._heads: dict[int, int] = {}

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一人。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "所在户:按“户编号”查找。请先导入住户(或在住户管理中填写户编号),户编号须在您的管辖范围内唯一。",
            "身份证号、手机号两列是文本格式,请勿改成数字格式,否则 18 位身份证号的末几位会丢失。",
            "与户主关系可填:" + "、".join(_labels(Relation.choices)) + "。",
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "relation":
            return tuple(_labels(Relation.choices))
        return spec.values

    def _clean(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        number = self._required(raw, "户编号", e)
        household = self._household(number, e) if number else None
        name = self._required(raw, "姓名", e, max_length=50)
        sex = self._choice(raw, "性别", e, {"男": Sex.MALE, "女": Sex.FEMALE}, default="")
        id_number, cid = self._id_number(raw, "身份证号", e)
        elsewhere: Resident | None = None
        if cid is not None:
            digest = id_number_digest(cid.number)
            if digest in self._ids:
                e.add("身份证号", _("与第 %(row)s 行的身份证号重复。") % {"row": self._ids[digest]})
            else:
                self._ids[digest] = e.row
                if selectors.id_digest_registered(digest):
                    # Registered outside the importer's scope: say no more than that the town reviews it.
                    elsewhere = place_selectors.registered_elsewhere(self.user, cid.number)
                    if elsewhere is None:
                        e.add("身份证号", _("该身份证号已登记。"))
            if sex and sex != cid.sex:
                try:
                    parse_citizen_id(cid.number, sex=sex)
                except ValidationError as exc:
                    e.add("性别", exc.messages[0])
        phone_text = cell_text(raw.get("手机号"))
        phone = ""
        try:
            phone = normalize_phone(phone_text)
        except ValidationError as exc:
            e.add("手机号", exc.messages[0])
        relation = self._choice(raw, "与户主关系", e, _labels(Relation.choices), default=Relation.OTHER)
        if relation == Relation.HEAD and household is not None:
            if household.pk in self._heads:
                e.add(
                    "与户主关系",
                    _("第 %(row)s 行已是该户户主,一户只能有一位户主。") % {"row": self._heads[household.pk]},
                )
            elif household.head_id is not None:
                e.add("与户主关系", _("该户已登记户主,一户只能有一位户主。"))
            else:
                self._heads[household.pk] = e.row
        if elsewhere is not None:
            self._review(e, elsewhere, household, name, relation)
        return {
            "household": household,
            "name": name,
            "id_number": id_number,
            "sex": sex,
            "phone": phone,
            "relation": relation,
            "is_veteran": self._flag(raw, "退役军人", e),
            "is_returnee": self._flag(raw, "返乡能人", e),
            "is_disabled": self._flag(raw, "残疾人", e),
            "note": self._optional(raw, NOTE, e),
        }

    def _review(self, e: RowErrors, elsewhere: Resident, household: Household | None, name: str, relation: str) -> None:
        """A person registered outside the importer's scope: the row is refused; when the rest of the row
        is right and the file is being imported, the town is asked to review the registration."""
        if e or household is None or not name:
            e.add("身份证号", _("该居民的登记需经镇里审核,请改正本行其他错误后再导入。"))
        elif not self.requests_reviews:
            e.add("身份证号", _("该居民的登记需经镇里审核,导入时将提交审核申请。"))
        else:
            place_services.request_registration_review(
                actor=self.user, household=household, resident=elsewhere, name=name, relation=relation
            )
            e.add("身份证号", place_services.review_requested_message())

    def _household(self, number: str, e: RowErrors) -> Household | None:
        if number not in self._households:
            self._households[number] = selectors.import_households_numbered(self.user, number)
        found = self._households[number]
        if not found:
            e.add(
                "户编号",
                _("未找到户编号为“%(number)s”的住户,或该户不在您的管辖范围内;请先导入住户。") % {"number": number},
            )
            return None
        if len(found) > 1:
            e.add(
                "户编号",
                _("户编号“%(number)s”对应多个住户,请先在住户管理中改正重复的户编号。") % {"number": number},
            )
            return None
        return found[0]

    def write(self, cleaned: dict[str, Any]) -> Resident:
        return place_services.create_resident(actor=self.user, **cleaned)


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
        Spec(
            "note",
            NOTE,
            width=30,
            example=EXAMPLE_MARK + "本行是示例,导入时自动跳过",
            help="备注以“【示例】”开头的行会被跳过。",
        ),
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

    def __init__(self, user: Any) -> None:
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
            + "、".join(_labels(MemberStatus.choices))
            + ";党内职务可填:"
            + "、".join(_labels(Post.choices))
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
            return tuple(_labels(Post.choices))
        return spec.values

    def _clean(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        branches = self._load_orgs()
        name = self._optional(raw, "姓名", e)
        _number, cid = self._id_number(raw, "身份证号", e)
        resident: Resident | None = None
        if cid is not None:
            digest = id_number_digest(cid.number)
            if digest in self._ids:
                e.add("身份证号", _("与第 %(row)s 行的身份证号重复。") % {"row": self._ids[digest]})
            else:
                self._ids[digest] = e.row
                resident = selectors.import_resident_by_digest(self.user, digest)
                if resident is None:
                    e.add("身份证号", _("未找到该身份证号对应的居民,或该居民不在您的管辖范围内;请先导入居民。"))
                elif selectors.resident_is_member(resident):
                    e.add("身份证号", _("该居民已有党员档案。"))
                    resident = None
                elif name and name != resident.name:
                    e.add("姓名", _("姓名与该身份证号登记的居民姓名不一致。"))
        org_name = self._required(raw, "所在党支部", e)
        org: PartyOrg | None = None
        if org_name:
            found = branches.get(org_name, [])
            if not found:
                e.add("所在党支部", _("未找到党支部“%(name)s”,或该党支部不在您的管辖范围内。") % {"name": org_name})
            elif len(found) > 1:
                e.add("所在党支部", _("“%(name)s”对应多个党支部,请联系管理员区分名称。") % {"name": org_name})
            else:
                org = found[0]
        group_name = self._optional(raw, "党小组", e)
        party_group: PartyOrg | None = None
        if group_name and org is not None:
            party_group = self._groups.get((org.pk, group_name))
            if party_group is None:
                e.add(
                    "党小组",
                    _("“%(branch)s”下没有名为“%(name)s”的党小组。") % {"branch": org.name, "name": group_name},
                )
        status = self._choice(raw, "党员类别", e, _labels(MemberStatus.choices), default=None)
        joined_on = self._date(raw, "入党日期", e, required=True)
        full_on = self._date(raw, "转正日期", e, required=False)
        if joined_on and resident is not None and joined_on < years_after(resident.birth_date, 18):
            e.add("入党日期", _("入党时应年满 18 周岁。"))
        if full_on and status == MemberStatus.PROBATIONARY:
            e.add("转正日期", _("预备党员尚未转正,不应填写转正日期。"))
        elif full_on and joined_on and full_on < joined_on:
            e.add("转正日期", _("转正日期不能早于入党日期。"))
        post = self._choice(raw, "党内职务", e, _labels(Post.choices), default="")
        return {
            "resident": resident,
            "org": org,
            "party_group": party_group,
            "status": status,
            "joined_on": joined_on,
            "full_on": full_on,
            "post": post,
            "note": self._optional(raw, NOTE, e),
        }

    def write(self, cleaned: dict[str, Any]) -> Any:
        return party_services.create_member(actor=self.user, **cleaned)


# ---- hamlet lookup ------------------------------------------------------------------------

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


IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.HOUSEHOLDS: HouseholdImporter,
    ImportKind.RESIDENTS: ResidentImporter,
    ImportKind.MEMBERS: MemberImporter,
}


def importer_for(kind: str, user: Any) -> Importer:
    return IMPORTERS[kind](user)
