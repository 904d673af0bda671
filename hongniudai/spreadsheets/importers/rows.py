"""What every import kind shares: the columns of a file, reading cell values, cleaning one row.

A workbook's header row names the columns. The headers and the allowed values are the file
format: they stay in Chinese whatever the interface language (the tasks run in the site
language), so a template downloaded by anyone is read the same way by the worker.

`clean(row_no, raw)` turns the raw cell values of one row into the keyword arguments of a
service call, or into errors {row, column, message}. `write(cleaned)` makes that call. Rows are
cleaned against the database and against the rows before them in the same file (duplicates).
Each kind lives in its own module (`households`, `residents`, `members`).
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

from hongniudai.accounts.models import User
from hongniudai.common.identity import CitizenId, parse_citizen_id

RowError = dict[str, Any]  # {"row": int, "column": str, "message": str}

EXAMPLE_MARK = "【示例】"
NOTE = "备注"
YES_VALUES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有"})
NO_VALUES = frozenset({"否", "n", "no", "false", "0", "×", "无", ""})
# What `write` returns for a row already in the platform (imported before): counted as not written.
SKIPPED = object()


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


# The note column every import file ends with; a row whose note starts with EXAMPLE_MARK is skipped.
NOTE_SPEC = Spec(
    "note",
    NOTE,
    width=30,
    example=EXAMPLE_MARK + "本行是示例,导入时自动跳过",
    help="备注以“【示例】”开头的行会被跳过。",
)


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
    """One import kind: its columns, the cleaning of a row, the service call that writes it."""

    kind: ClassVar[str]
    sheet_title: ClassVar[str]
    specs: ClassVar[tuple[Spec, ...]]
    # Service field name → column header, for errors the service raises itself.
    field_columns: ClassVar[dict[str, str]] = {}
    # True: one row in error and nothing is written (the job imports every row or none).
    all_or_nothing: ClassVar[bool] = False

    def __init__(self, user: User) -> None:
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

    def example_rows(self) -> list[list[str]]:
        """The example rows of the template (each skipped on import by its note)."""
        return [self.example_row()]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        """The values a column accepts, offered as a drop-down list in the template."""
        return spec.values

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        """An extra sheet listing what the user may refer to: (title, headers, rows)."""
        return None

    # -- cleaning ----------------------------------------------------------------------------

    def clean(self, row: int, raw: dict[str, Any]) -> tuple[dict[str, Any] | None, list[RowError]]:
        errors = RowErrors(row)
        cleaned = self.clean_fields(raw, errors)
        if errors:
            return None, errors.items
        return cleaned, []

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        """The keyword arguments of the service call for one row; problems go to `e`."""
        raise NotImplementedError

    def write(self, cleaned: dict[str, Any]) -> Any:
        """Write one cleaned row through its service; SKIPPED for a row already in the platform."""
        raise NotImplementedError

    def file_errors(self) -> list[RowError]:
        """Errors that concern several rows (a voucher's lines that do not balance), once every row
        is cleaned; checked while validating."""
        return []

    def finish(self) -> list[RowError]:
        """For a kind whose records span rows (a voucher): write them once every row is written,
        inside the import's transaction; returns the errors (the import is then rolled back)."""
        return []

    def outcome(self) -> list[dict[str, str]]:
        """What the job keeps of the rows written, besides counts (no secrets, no personal data)."""
        return []

    def forget(self) -> None:
        """The rows written were rolled back: forget their outcome."""

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

    # -- reading one cell (for `clean_fields`) ---------------------------------------------

    @staticmethod
    def required_text(raw: dict[str, Any], header: str, e: RowErrors, *, max_length: int = 0) -> str:
        value = cell_text(raw.get(header))
        if not value:
            e.add(header, _("必填项,不能为空。"))
        elif max_length and len(value) > max_length:
            e.add(header, _("不能超过 %(n)s 个字。") % {"n": max_length})
        return value

    @staticmethod
    def optional_text(raw: dict[str, Any], header: str, e: RowErrors, *, max_length: int = 0) -> str:
        value = cell_text(raw.get(header))
        if max_length and len(value) > max_length:
            e.add(header, _("不能超过 %(n)s 个字。") % {"n": max_length})
        return value

    @staticmethod
    def flag(raw: dict[str, Any], header: str, e: RowErrors) -> bool:
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
    def choice(raw: dict[str, Any], header: str, e: RowErrors, mapping: dict[str, str], default: str | None) -> str:
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
    def date(raw: dict[str, Any], header: str, e: RowErrors, *, required: bool) -> dt.date | None:
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
    def citizen_id(raw: dict[str, Any], header: str, e: RowErrors) -> tuple[str, CitizenId | None]:
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


def labels_of(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """{label: value} of a model's choices: a file names a choice by its Chinese label."""
    return {str(label): value for value, label in choices}
