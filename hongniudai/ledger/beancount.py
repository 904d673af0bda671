"""An organisation's books as a Beancount file (`bean-check` accepts it): an `open` directive for
every account used, named `<Root>:C<code>` by its category (资产类 Assets, 负债类 Liabilities,
所有者权益类 Equity, 成本类 Assets, 损益类 Income or Expenses by its normal balance), and one
transaction per posted voucher in CNY, debits positive, credits negative (a red reversal's negative
amounts stay on their side, so they change sign)."""

from __future__ import annotations

from .models import Account, Books, Category, Side, VoucherLine, VoucherStatus
from .money import yuan

ROOTS = {
    Category.ASSET: "Assets",
    Category.LIABILITY: "Liabilities",
    Category.EQUITY: "Equity",
    Category.COST: "Assets",
}


def account_name(account: Account) -> str:
    """A Beancount-legal name: the root by category, then `C` and the (digit) code."""
    if account.category == Category.INCOME:
        root = "Income" if account.normal_balance == Side.CREDIT else "Expenses"
    else:
        root = ROOTS[Category(account.category)]
    code = "".join(ch for ch in account.code if ch.isalnum())
    return f"{root}:C{code}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def export_beancount(books: Books) -> str:
    lines = [
        f"option {_quoted('title')} {_quoted(books.name)}",
        f"option {_quoted('operating_currency')} {_quoted('CNY')}",
        "",
    ]
    posted = (
        VoucherLine.objects.filter(voucher__books=books, voucher__status=VoucherStatus.POSTED)
        .select_related("voucher", "account")
        .order_by("voucher__date", "voucher__year", "voucher__number", "id")
    )
    used: dict[int, Account] = {}
    vouchers: dict[int, list[VoucherLine]] = {}
    for line in posted:
        used.setdefault(line.account_id, line.account)
        vouchers.setdefault(line.voucher_id, []).append(line)
    first = min((ls[0].voucher.date for ls in vouchers.values()), default=books.opened_on)
    opened = min(first, books.opened_on)
    for account in sorted(used.values(), key=lambda a: a.code):
        lines.append(f"{opened.isoformat()} open {account_name(account)} CNY")
        lines.append(f"  name: {_quoted(account.name)}")
    for voucher_lines in vouchers.values():
        voucher = voucher_lines[0].voucher
        lines.append("")
        lines.append(f"{voucher.date.isoformat()} * {_quoted(str(voucher))} {_quoted(voucher.summary)}")
        for line in voucher_lines:
            amount = yuan(line.debit_fen - line.credit_fen)
            lines.append(f"  {account_name(line.account)}  {amount} CNY")
    return "\n".join(lines) + "\n"
