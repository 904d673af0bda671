"""Importing the collective's books from Excel: the opening balances of a books (期初余额), and a year
of vouchers (记账凭证), one line (分录) a row.

A voucher spans rows: the rows of one books with the same 凭证编号 are its lines, and share its date
and summary. So each row is checked on its own while it is cleaned (books in the importer's
BOOKS_WRITE scope, a postable account of those books, one amount on one side, positive, at most two
decimals, a date in an open month), and the rows are gathered; what concerns the whole voucher (do
its debits equal its credits?) is checked once the file is read (`file_errors`), and every voucher
is posted through `ledger.services.post_entry` when the import finishes (`finish`), in date order,
each under an idempotency key drawn from its content: importing the same file twice posts nothing
twice. Both kinds import all or nothing: one row in error and no voucher is posted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.ledger import services as ledger
from hongniudai.ledger.models import Account, Books, Period, PeriodStatus
from hongniudai.ledger.money import to_fen, yuan
from hongniudai.ledger.specs import LineSpec
from hongniudai.spreadsheets.models import ImportKind

from .rows import NOTE, NOTE_SPEC, Importer, RowError, RowErrors, Spec, cell_text

# The opening voucher's idempotency key, whoever posts it (this import, the demo): one per books.
OPENING_KEY = "opening"

BOOKS = Spec(
    "books", "账套", required=True, width=26, example="徐桥村股份经济合作社", help="账套名称,见“可选账套”工作表。"
)
CODE = Spec("code", "科目编码", required=True, text=True, width=12, example="102", help="末级科目的编码。")
NAME = Spec("name", "科目名称", width=16, example="银行存款", help="可不填;填写时须与编码对应的科目名称一致。")


@dataclass
class Group:
    """The rows that make one voucher."""

    books: Books
    date: dt.date
    summary: str
    rows: list[int] = field(default_factory=list)
    lines: list[tuple[Account, int, int, str]] = field(default_factory=list)

    def balanced(self) -> bool:
        return sum(x[1] for x in self.lines) == sum(x[2] for x in self.lines)

    def key(self, label: str) -> str:
        content = f"{self.date}|{self.summary}|" + "|".join(f"{a.code}:{d}:{c}" for a, d, c, _s in self.lines)
        return f"import:{label}:{hashlib.sha256(content.encode()).hexdigest()[:24]}"[:100]


class BooksImporter(Importer):
    """What both ledger kinds share: books and accounts by name and code, amounts, the groups."""

    all_or_nothing = True
    amount_headers: ClassVar[tuple[str, str]] = ("借方金额", "贷方金额")

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self.scope = scope_for(user, Capability.BOOKS_WRITE)
        self._books: dict[str, Books | None] = {}
        self._accounts: dict[int, dict[str, Account]] = {}
        self._closed: dict[int, set[tuple[int, int]]] = {}
        self.groups: dict[tuple[int, str], Group] = {}

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        rows = [[b.name, b.village.name, str(b.opened_on)] for b in self._writable().select_related("village")]
        return "可选账套", ["账套", "村", "建账日期"], rows

    def _writable(self) -> Any:
        return self.scope.filter(Books.objects.order_by("area_path", "name"))

    def books(self, raw: dict[str, Any], e: RowErrors) -> Books | None:
        name = self.required_text(raw, "账套", e)
        if not name:
            return None
        if name not in self._books:
            self._books[name] = self._writable().filter(name=name).first()
        books = self._books[name]
        if books is None:
            e.add("账套", _("未找到账套“%(name)s”,或您没有记这本账的权限。") % {"name": name})
        return books

    def account(self, books: Books | None, raw: dict[str, Any], e: RowErrors) -> Account | None:
        code = self.required_text(raw, "科目编码", e)
        if books is None or not code:
            return None
        if books.pk not in self._accounts:
            self._accounts[books.pk] = {a.code: a for a in Account.objects.filter(books=books)}
        account = self._accounts[books.pk].get(code)
        name = cell_text(raw.get("科目名称"))
        if account is None:
            e.add("科目编码", _("账套中没有编码为 %(code)s 的科目。") % {"code": code})
        elif not account.is_postable:
            e.add("科目编码", _("科目“%(account)s”设有明细科目,请记入明细科目。") % {"account": account})
        elif not account.is_active:
            e.add("科目编码", _("科目“%(account)s”已停用。") % {"account": account})
        elif name and name != account.name:
            e.add("科目名称", _("编码 %(code)s 的科目名称是“%(name)s”。") % {"code": code, "name": account.name})
        else:
            return account
        return None

    def amounts(self, raw: dict[str, Any], e: RowErrors) -> tuple[int, int]:
        """The row's debit and credit in fen: one of them, positive, at most two decimals."""
        values = []
        for header in self.amount_headers:
            value = raw.get(header)
            text = repr(value) if isinstance(value, float) else cell_text(value).replace(",", "")
            try:
                values.append(to_fen(text or "0"))
            except ValidationError as exc:
                e.add(header, exc.messages[0])
                values.append(0)
        debit, credit = values
        if debit < 0 or credit < 0:
            e.add(self.amount_headers[0 if debit < 0 else 1], _("金额不能为负数。"))
        elif (debit == 0) == (credit == 0):
            e.add(self.amount_headers[0], _("借方和贷方须填写且只填写一方,金额不能为零。"))
        return debit, credit

    def open_month(self, books: Books, day: dt.date, header: str, e: RowErrors) -> None:
        if books.pk not in self._closed:
            closed = Period.objects.filter(books=books, status=PeriodStatus.CLOSED).values_list("year", "month")
            self._closed[books.pk] = set(closed)
        if day < books.opened_on:
            e.add(header, _("日期不能早于建账日期 %(date)s。") % {"date": books.opened_on})
        elif (day.year, day.month) in self._closed[books.pk]:
            e.add(header, _("%(year)d年%(month)d月已结账,不能记入该期间。") % {"year": day.year, "month": day.month})

    # -- the whole file ----------------------------------------------------------------------

    def write(self, cleaned: dict[str, Any]) -> Any:
        return None  # the vouchers are posted whole in `finish`

    def file_errors(self) -> list[RowError]:
        errors: list[RowError] = []
        for group in self.groups.values():
            if not group.balanced():
                debit = yuan(sum(x[1] for x in group.lines))
                credit = yuan(sum(x[2] for x in group.lines))
                message = self.unbalanced_message(group, debit, credit)
                errors += [{"row": row, "column": self.amount_headers[0], "message": message} for row in group.rows]
        return errors

    def unbalanced_message(self, group: Group, debit: Decimal, credit: Decimal) -> str:
        return _("借贷不平衡:借方合计 %(debit)s 元,贷方合计 %(credit)s 元。") % {"debit": debit, "credit": credit}

    def finish(self) -> list[RowError]:
        """Post every voucher, in date order; errors name the rows of the voucher refused."""
        errors = self.file_errors()
        if errors:
            return errors
        for label, group in sorted(self.groups.items(), key=lambda item: (item[1].date, item[1].rows[0])):
            try:
                ledger.post_entry(
                    actor=self.user,
                    books=group.books,
                    date=group.date,
                    summary=group.summary,
                    lines=[LineSpec(a, debit=yuan(d), credit=yuan(c), summary=s) for a, d, c, s in group.lines],
                    idempotency_key=self.key_of(label, group),
                )
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                errors += [{"row": group.rows[0], "column": "", "message": m} for m in messages]
        return errors

    def key_of(self, label: tuple[int, str], group: Group) -> str:
        return group.key(label[1])

    def forget(self) -> None:
        self.groups = {}


class OpeningImporter(BooksImporter):
    """期初余额: one row an account, all rows of one books posted as its opening voucher."""

    kind = ImportKind.LEDGER_OPENING
    sheet_title = "期初余额"
    amount_headers = ("借方余额", "贷方余额")
    specs = (
        BOOKS,
        CODE,
        NAME,
        Spec("debit", "借方余额", width=16, example="356800.00", help="资产类、成本类科目的期初余额填在借方。"),
        Spec("credit", "贷方余额", width=16, example="", help="负债类、所有者权益类科目的期初余额填在贷方。"),
        NOTE_SPEC,
    )

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一个末级科目的期初余额;同一账套的所有行合为一张“期初余额”凭证,记在建账日期。",
            "借方余额合计须等于贷方余额合计;金额以元为单位,最多两位小数。",
            "一个账套只能导入一次期初余额;有任何一行有误时,不会导入任何数据。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
        ]

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        books = self.books(raw, e)
        account = self.account(books, raw, e)
        debit, credit = self.amounts(raw, e)
        self.optional_text(raw, NOTE, e)
        if books is not None and ledger_has_opening(books):
            e.add("账套", _("该账套已导入过期初余额。"))
        if books is not None:
            self.open_month(books, books.opened_on, "账套", e)
        if e or books is None or account is None:
            return {}
        group = self.groups.setdefault((books.pk, OPENING_KEY), Group(books, books.opened_on, _("期初余额")))
        group.rows.append(e.row)
        group.lines.append((account, debit, credit, ""))
        return {"row": e.row}

    def unbalanced_message(self, group: Group, debit: Decimal, credit: Decimal) -> str:
        return _("账套“%(books)s”的期初余额借贷不平衡:借方合计 %(debit)s 元,贷方合计 %(credit)s 元。") % {
            "books": group.books.name,
            "debit": debit,
            "credit": credit,
        }

    def key_of(self, label: tuple[int, str], group: Group) -> str:
        return OPENING_KEY


def ledger_has_opening(books: Books) -> bool:
    return books.vouchers.filter(idempotency_key=OPENING_KEY).exists()


class VoucherImporter(BooksImporter):
    """记账凭证: one line a row; the rows of one books with one 凭证编号 make a voucher."""

    kind = ImportKind.LEDGER_VOUCHERS
    sheet_title = "记账凭证"
    specs = (
        BOOKS,
        Spec("number", "凭证编号", required=True, text=True, width=10, example="1", help="同一凭证的各行填同一编号。"),
        Spec("date", "日期", required=True, width=12, example="2026-03-05", help="同一凭证各行的日期须相同。"),
        Spec("summary", "摘要", required=True, width=26, example="收取集体厂房租金", help="同一凭证各行的摘要须相同。"),
        CODE,
        NAME,
        Spec("debit", "借方金额", width=14, example="12000.00"),
        Spec("credit", "贷方金额", width=14, example=""),
        Spec("line_summary", "分录摘要", width=20, example="", help="可不填。"),
        NOTE_SPEC,
    )

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一条分录;同一账套中“凭证编号”相同的各行合为一张凭证,其日期和摘要须相同。",
            "每张凭证的借方合计须等于贷方合计;金额以元为单位,最多两位小数,不能为负数或零。",
            "凭证按日期顺序记账,由系统重新连续编号;日期须在建账日期之后、未结账的月份。",
            "同一文件重复导入时,已记账的凭证不会重复记账;有任何一行有误时,不会导入任何凭证。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
        ]

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        books = self.books(raw, e)
        number = self.required_text(raw, "凭证编号", e, max_length=20)
        day = self.date(raw, "日期", e, required=True)
        summary = self.required_text(raw, "摘要", e, max_length=200)
        account = self.account(books, raw, e)
        debit, credit = self.amounts(raw, e)
        line_summary = self.optional_text(raw, "分录摘要", e, max_length=200)
        self.optional_text(raw, NOTE, e)
        if books is not None and day is not None:
            self.open_month(books, day, "日期", e)
        if e or books is None or account is None or day is None:
            return {}
        group = self.groups.setdefault((books.pk, number), Group(books, day, summary))
        if (group.date, group.summary) != (day, summary):
            e.add("凭证编号", _("与第 %(row)s 行同一凭证,日期和摘要须相同。") % {"row": group.rows[0]})
            return {}
        group.rows.append(e.row)
        group.lines.append((account, debit, credit, line_summary))
        return {"row": e.row}
