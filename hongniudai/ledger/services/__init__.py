"""Every write to the collective's books, by topic: `books` (opening, sub-accounts), `vouchers`
(drafts, posting, reversal, and `post_entry`, the door for other domains), `periods` (closing,
reopening, the year-end close). `posting` holds the rules all postings share."""

from .attachments import attach_to_voucher, remove_attachment
from .books import add_sub_account, open_books
from .periods import close_period, reopen_period, year_end_close
from .vouchers import create_draft, delete_draft, post_entry, post_voucher, reverse_voucher, update_draft

__all__ = [
    "add_sub_account",
    "attach_to_voucher",
    "close_period",
    "create_draft",
    "delete_draft",
    "open_books",
    "post_entry",
    "post_voucher",
    "remove_attachment",
    "reopen_period",
    "reverse_voucher",
    "update_draft",
    "year_end_close",
]
