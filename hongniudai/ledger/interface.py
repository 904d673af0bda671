"""The one door into the books for the domains above (the collective economy of issue 16: rents,
wages, sales, dividends, subsidies): post a voucher for a business event under an idempotency key
(a retry posts once), correct it by a red reversal, and name the books and vouchers. Keep the
returned voucher's id beside the event and pass the event as `source`, so each links to the
other. A household's own sub-account (内部往来 by household) is opened with `add_sub_account`."""

from .models import Account, Books, Voucher
from .services import add_sub_account, post_entry, reverse_voucher
from .specs import LineSpec

__all__ = ["Account", "Books", "LineSpec", "Voucher", "add_sub_account", "post_entry", "reverse_voucher"]
