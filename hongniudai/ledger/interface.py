"""The one door into the books for the domains above (the collective economy of issue 16: rents,
wages, sales, dividends, subsidies): post a voucher for a business event under an idempotency key
(a retry posts once), correct it by a red reversal, and name the books and vouchers. Keep the
returned voucher's id beside the event and pass the event as `source`, so each links to the
other. A household's own sub-account (内部往来 by household) is opened with `add_sub_account`;
an event model keeps its voucher in a `voucher_link()` field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Account, Books, Voucher
from .services import add_sub_account, post_entry, reverse_voucher
from .specs import LineSpec

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def voucher_link(verbose_name: StrOrPromise = _("记账凭证"), *, editable: bool = True) -> models.ForeignKey:
    """The field by which a business event keeps the voucher it posted: empty until posted, and
    the voucher can never be deleted from under it."""
    return models.ForeignKey(
        Voucher,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        editable=editable,
        on_delete=models.PROTECT,
        related_name="+",
    )


__all__ = [
    "Account",
    "Books",
    "LineSpec",
    "Voucher",
    "add_sub_account",
    "post_entry",
    "reverse_voucher",
    "voucher_link",
]
