"""Forms of the books' pages: they translate what was typed (a month "2026-03", an account "102 银行存款",
an amount "1,200.50") into what the services take; every rule stays in the services."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniudai.accounts.models import User
from hongniudai.common import parsing, pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.text import NOTE

from . import selectors
from .folding import fold
from .models import Account, Books, VoucherStatus
from .specs import LineSpec

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
MAX_LINES = 100


def parse_month(value: str) -> tuple[int, int] | None:
    """ "2026-03" as (2026, 3); None when it is not a month."""
    match = MONTH.match((value or "").strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month


def month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month input), cleaned to (year, month)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value: Any) -> tuple[int, int] | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        parsed = parse_month(text)
        if parsed is None:
            raise ValidationError(_("月份格式应为“年-月”,如 2026-03。"))
        return parsed


class PlainSelect(forms.Select):
    """A select written out in Python rather than through a template for each option: a chart has a
    hundred accounts or more, which Django's templates would take longer to render than the list."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(v), mark_safe(" selected") if str(v) == chosen else "", label) for v, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


# Up to this many books are offered as a select; beyond (a town's or a county's), the books are
# picked by typing the village's or organisation's name (`common.pick`), not listed.
BOOKS_SELECT_MAX = 30


def books_label(books: Books) -> str:
    return f"{books.village.name} · {books.name}"


class BooksPickWidget(pick.LabelledPickWidget):
    """The books picker: the chosen books labelled with its village; its hx attributes (the whole page
    fetched again when another books is chosen) on a wrapper that the hidden input's change reaches."""

    def __init__(self, *, url_name: str, placeholder: str = "") -> None:
        super().__init__(url_name=url_name, label=books_label, placeholder=placeholder, aria_label=_("账套"))

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        inner = super().render(name, value, attrs, renderer)
        wrapper = {k: v for k, v in self.attrs.items() if k.startswith("hx-")}
        return format_html("<div{}>{}</div>", flatatt(wrapper), inner)


def _chosen_books(user: User, data: Any) -> Books | None:
    """The books a list's filters name: chosen, or the books of the account chosen."""
    if data is None:
        return None
    books_id = parsing.parse_id(data.get("books"))
    if books_id is not None:
        return selectors.books_list(user=user).filter(pk=books_id).first()
    account_id = parsing.parse_id(data.get("account"))
    if account_id is None:
        return None
    account = selectors.accounts_in_scope(user=user).select_related("books").filter(pk=account_id).first()
    return account.books if account is not None else None


class KnownChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that takes the row the form has already read (`known`) without reading it
    again to validate it."""

    known: Any = None

    def to_python(self, value: Any) -> Any:
        if self.known is not None and str(value) == str(self.known.pk):
            return self.known
        return super().to_python(value)


class VoucherFilterForm(BootstrapMixin, forms.Form):
    """The voucher list's filters; `account` and `from`/`to` are what the reports link with."""

    books = KnownChoiceField(
        queryset=Books.objects.none(), required=False, empty_label=gettext_lazy("全部账套"), widget=PlainSelect
    )
    start = MonthField(label=gettext_lazy("起始月份"), required=False)
    end = MonthField(label=gettext_lazy("截止月份"), required=False)
    account = forms.ModelChoiceField(queryset=Account.objects.none(), required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *VoucherStatus.choices],
        widget=PlainSelect,
    )
    q = forms.CharField(label=gettext_lazy("摘要或凭证号"), required=False, max_length=100)

    def __init__(self, data: Any = None, *, user: User) -> None:
        if data is not None:
            data = data.copy()
            # The reports link with from= and to= (names a form field cannot take in Python).
            for outer, inner in (("from", "start"), ("to", "end")):
                if outer in data and inner not in data:
                    data[inner] = data[outer]
        books = _chosen_books(user, data)
        if books is not None and data is not None:
            account_id = parsing.parse_id(data.get("account"))
            if account_id is not None and not Account.objects.filter(books=books, pk=account_id).exists():
                data.pop("account")  # another books was chosen: its account no longer applies
        super().__init__(data)
        books_field: Any = self.fields["books"]
        books_field.queryset = selectors.books_list(user=user)
        books_field.label = _("账套")
        # One read of at most one books more than a select offers: the select's options (each the
        # books' name, as `str(books)`), or the sign that the books are picked, not listed.
        offered = list(books_field.queryset.values_list("pk", "name")[: BOOKS_SELECT_MAX + 1])
        if len(offered) > BOOKS_SELECT_MAX:
            books_field.widget = BooksPickWidget(url_name="ledger:books_pick", placeholder=_("全部账套:输入村名或拼音"))
            books_field.widget.choices = books_field.choices
            books_field.widget.known = books
        else:
            books_field.widget.choices = [("", books_field.empty_label), *offered]
        books_field.known = books
        account_field: Any = self.fields["account"]
        account_field.label = _("会计科目")
        if books is None:
            account_field.queryset = selectors.accounts_in_scope(user=user)
        else:  # the chosen books' chart to choose from
            account_field.widget = PlainSelect(attrs={"class": "form-select"})
            account_field.empty_label = _("全部科目")
            account_field.label_from_instance = account_label
            account_field.queryset = selectors.account_list(user=user, books=books)
            # Labelled from columns, not an Account built per option; folded (a village's households).
            chosen = data.get("account") if data is not None else None
            choices = chart_choices(account_field.queryset, chosen)
            account_field.widget.choices = [("", account_field.empty_label), *choices]
        self.fields["q"].widget.attrs["placeholder"] = _("摘要或凭证号")

    def selector_filters(self) -> dict[str, Any]:
        """The selector's keyword arguments for the valid filters (none when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        return {
            "books": data.get("books"),
            "account": data.get("account"),
            "status": data.get("status") or None,
            "date_from": dt.date(start[0], start[1], 1) if start else None,
            "date_to": month_end(*end) if end else None,
            "text": data.get("q") or "",
        }


@dataclass
class LineRow:
    """One line of the entry form as typed, with its error."""

    account: str = ""
    summary: str = ""
    debit: str = ""
    credit: str = ""
    error: str = ""


@dataclass
class ParsedLines:
    rows: list[LineRow] = field(default_factory=list)
    specs: list[LineSpec] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(row.error for row in self.rows)


def _amount(text: str) -> Decimal | None:
    """An amount typed in yuan ("1,200.50"; empty is 0); None when it is not a number."""
    text = (text or "").replace(",", "").replace(",", "").strip()
    if not text:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def account_label(account: Account) -> str:
    """How an account is typed and shown in the entry form: its code, a space and its name."""
    return f"{account.code} {account.name}"


def chart_choices(accounts: Any, chosen: Any) -> list[tuple[Any, str]]:
    """The chart as a select's options, folded (`folding`: one option for a village's hundreds of
    household sub-accounts, which it stands for), the chosen account kept when it lies folded."""
    rows = list(accounts.values_list("pk", "code", "name", "parent_id"))
    shown, folded = fold(rows, pk=lambda r: r[0], parent=lambda r: r[3])
    chosen_id = parsing.parse_id(chosen)
    if chosen_id is not None and chosen_id not in {r[0] for r in shown}:
        shown += [r for r in rows if r[0] == chosen_id]
    return [
        (
            pk,
            _("%(account)s(含 %(n)s 个明细科目)") % {"account": f"{code} {name}", "n": folded[pk]}
            if pk in folded
            else f"{code} {name}",
        )
        for pk, code, name, _parent in shown
    ]


def parse_lines(data: Any, accounts: dict[str, Account]) -> ParsedLines:
    """The lines posted by the entry form (lists named account, line_summary, debit, credit), those
    without account or amount dropped; each row's account is found by the code it starts with among `accounts` (the
    books' own, by code). Amount rules (one side, non-zero, two decimals) are the service's."""
    columns = [data.getlist(name)[:MAX_LINES] for name in ("account", "line_summary", "debit", "credit")]
    parsed = ParsedLines()
    for account_text, summary, debit_text, credit_text in zip(*columns, strict=False):
        row = LineRow(account_text.strip(), summary.strip(), debit_text.strip(), credit_text.strip())
        if not (row.account or row.debit or row.credit):
            continue  # a blank line (its summary may have been filled in from the voucher's)
        parsed.rows.append(row)
        code = row.account.split(" ", 1)[0]
        account = accounts.get(code)
        debit, credit = _amount(row.debit), _amount(row.credit)
        if not row.account:
            row.error = _("请选择会计科目。")
        elif account is None:
            row.error = _("本账套没有科目“%(text)s”。") % {"text": row.account}
        elif debit is None or credit is None:
            row.error = _("金额须为数字,如 1200.50。")
        if account is not None and debit is not None and credit is not None:
            parsed.specs.append(LineSpec(account, debit=debit, credit=credit, summary=row.summary))
    return parsed


class VoucherForm(BootstrapMixin, forms.Form):
    """The head of a voucher (date, summary); its lines are read by `parse_lines`. The idempotency key
    is made when the form is first shown, so a form sent twice posts once."""

    date = forms.DateField(label=gettext_lazy("凭证日期"), widget=DateInput())
    summary = forms.CharField(label=gettext_lazy("摘要"), max_length=200)
    key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, accounts: dict[str, Account], initial: Any = None) -> None:
        initial = {"key": uuid.uuid4().hex, **(initial or {})}
        super().__init__(data, initial=initial)
        self.accounts = accounts
        self.parsed = parse_lines(data, accounts) if data is not None else ParsedLines()
        self.fields["date"].error_messages = {"required": _("请填写凭证日期。"), "invalid": _("日期格式不正确。")}
        self.fields["summary"].error_messages = {
            "required": _("请填写摘要。"),
            "max_length": _("摘要不能超过 200 字。"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.parsed.has_errors:
            raise ValidationError(_("请更正标红的分录。"))
        if not self.parsed.rows:
            raise ValidationError(_("凭证至少要有一行分录。"))
        return data


class SubAccountForm(BootstrapMixin, forms.Form):
    parent = forms.ModelChoiceField(queryset=Account.objects.none(), label=gettext_lazy("上级科目"))
    code = forms.CharField(label=gettext_lazy("科目编码"), max_length=20)
    name = forms.CharField(label=gettext_lazy("科目名称"), max_length=100)

    def __init__(self, data: Any = None, *, accounts: Any, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        parent: Any = self.fields["parent"]
        parent.queryset = accounts
        parent.widget = PlainSelect(attrs={"class": "form-select"})
        chosen = data.get("parent") if data is not None else (initial or {}).get("parent")
        parent.widget.choices = [("", "---------"), *chart_choices(accounts, chosen)]


class ReverseForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=gettext_lazy("冲销日期"), widget=DateInput())
    summary = forms.CharField(label=gettext_lazy("摘要"), max_length=200, required=False)
    key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)


class ReopenForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("反结账原因"), max_length=255, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("原始凭证文件"))
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=NOTE)
