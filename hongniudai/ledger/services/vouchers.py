"""Vouchers: drafts that may change, postings that never do, and the red reversal (红字冲销) that
corrects a posted one. `post_entry` is the one way in for every later business event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.audit.actions import Action
from hongniudai.common import rollups

from .. import events
from ..models import Books, Voucher, VoucherStatus
from ..policy import require
from ..specs import LineSpec
from . import posting
from .attachments import discard

VOUCHER_FIELDS = ("date", "summary", "status", "number", "reverses", "idempotency_key")
KEY_LENGTH = 100


def _snapshot(voucher: Voucher) -> audit.Snapshot:
    lines = [[str(x.account.code), x.debit_fen, x.credit_fen] for x in posting.as_lines(voucher)]
    return {**audit.snapshot(voucher, VOUCHER_FIELDS), "lines": lines}


def _clean_head(date: dt.date | None, summary: str, key: str = "") -> str:
    summary = (summary or "").strip()
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("请填写凭证日期。")
    if not summary:
        errors["summary"] = _("请填写摘要。")
    elif len(summary) > 200:
        errors["summary"] = _("摘要不能超过 200 字。")
    if len(key or "") > KEY_LENGTH:
        errors["idempotency_key"] = _("幂等键不能超过 100 个字符。")
    if errors:
        raise ValidationError(errors)
    return summary


def _locked_draft(voucher: Voucher, refusal: str) -> Voucher:
    locked = Voucher.objects.select_for_update().select_related("books").get(pk=voucher.pk)
    if locked.status != VoucherStatus.DRAFT:
        raise ValidationError({"status": refusal})
    return locked


@transaction.atomic
def create_draft(
    *,
    actor: User,
    books: Books,
    date: dt.date,
    summary: str,
    lines: Sequence[LineSpec],
    reviewed_by: User | None = None,
) -> Voucher:
    """Save a voucher as a draft (it may not balance yet; each line must be valid)."""
    require(actor, Capability.BOOKS_WRITE, books)
    summary = _clean_head(date, summary)
    checked = posting.checked_lines(books, lines)
    posting.check_date(books, date)
    voucher = Voucher.objects.create(
        books=books,
        date=date,
        year=date.year,
        summary=summary,
        prepared_by=posting.stored(actor),
        reviewed_by=reviewed_by,
    )
    posting.write_lines(voucher, checked)
    audit.record_create(
        actor=actor, action=events.VOUCHER_DRAFTED, target=voucher, after=_snapshot(voucher), area_path=books.area_path
    )
    return voucher


@transaction.atomic
def update_draft(
    *,
    actor: User,
    voucher: Voucher,
    date: dt.date,
    summary: str,
    lines: Sequence[LineSpec],
    reviewed_by: User | None = None,
) -> Voucher:
    """Change a draft's date, summary and lines; a posted voucher is refused (correct it by reversal)."""
    require(actor, Capability.BOOKS_WRITE, voucher.books)
    voucher = _locked_draft(voucher, _("已记账的凭证不能修改,请用红字冲销更正。"))
    summary = _clean_head(date, summary)
    checked = posting.checked_lines(voucher.books, lines)
    posting.check_date(voucher.books, date)
    before = _snapshot(voucher)
    voucher.date, voucher.year, voucher.summary, voucher.reviewed_by = date, date.year, summary, reviewed_by
    voucher.save(update_fields=["date", "year", "summary", "reviewed_by"])
    voucher.lines.all().delete()
    posting.write_lines(voucher, checked)
    audit.record_update(
        actor=actor,
        action=events.VOUCHER_DRAFT_UPDATED,
        target=voucher,
        before=before,
        after=_snapshot(voucher),
        area_path=voucher.books.area_path,
    )
    return voucher


@transaction.atomic
def delete_draft(*, actor: User, voucher: Voucher) -> None:
    """Delete a draft; a posted voucher is never deleted (correct it by reversal)."""
    require(actor, Capability.BOOKS_WRITE, voucher.books)
    voucher = _locked_draft(voucher, _("已记账的凭证不能删除,请用红字冲销更正。"))
    audit.record_delete(
        actor=actor,
        action=events.VOUCHER_DRAFT_DELETED,
        target=voucher,
        before=_snapshot(voucher),
        area_path=voucher.books.area_path,
    )
    for attachment in voucher.attachments.all():
        discard(attachment)
    voucher.lines.all().delete()
    voucher.delete()


def _audit_posted(actor: User | None, voucher: Voucher, action: Action = events.VOUCHER_POSTED) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=voucher,
        changes=audit.diff({}, _snapshot(voucher)),
        area_path=voucher.books.area_path,
    )


@transaction.atomic
def post_voucher(*, actor: User, voucher: Voucher, idempotency_key: str = "") -> Voucher:
    """Post a draft: it must balance, on postable accounts of its books, dated in an open month; it
    takes the next number of its year. Posting again under the same key returns the voucher posted."""
    require(actor, Capability.BOOKS_WRITE, voucher.books)
    key = (idempotency_key or "").strip()
    _clean_head(voucher.date, voucher.summary, key)
    locked = Voucher.objects.select_for_update().select_related("books").get(pk=voucher.pk)
    if locked.status == VoucherStatus.POSTED:
        if key and locked.idempotency_key == key:
            return locked
        raise ValidationError({"status": _("该凭证已记账(%(voucher)s),不能重复记账。") % {"voucher": locked}})
    posted = posting.post_locked(actor=actor, voucher=locked, idempotency_key=key)
    if posted.pk == locked.pk:
        _audit_posted(actor, posted)
    return posted


@transaction.atomic
def post_entry(
    *,
    actor: User | None,
    books: Books,
    date: dt.date,
    summary: str,
    lines: Sequence[LineSpec],
    idempotency_key: str,
    check: bool = True,
    source: models.Model | None = None,
) -> Voucher:
    """Record and post one voucher at once: the door every business event (rent, wages, sales,
    dividends, subsidies) comes through. A repeat under the same key returns the voucher posted
    the first time and changes nothing. `check=False` is for the platform's own postings (the
    demo, the year-end close, whose caller checked the actor). `source`, the business event the
    voucher records, is named on the voucher (`Voucher.source`) so its page links back to it."""
    if check:
        require(actor, Capability.BOOKS_WRITE, books)
    key = (idempotency_key or "").strip()
    summary = _clean_head(date, summary, key)
    already = posting.posted_with_key(books, key)
    if already is not None:
        return already
    checked = posting.checked_lines(books, lines)
    posting.check_balanced(checked)
    return _post_new(actor, books, date, summary, checked, key, reverses=None, source=source_label(source))


def source_label(event: models.Model | None) -> str:
    """How a voucher names the business event it records: "app_label.model:pk"."""
    return f"{event._meta.label_lower}:{event.pk}" if event is not None else ""


def _post_new(
    actor: User | None,
    books: Books,
    date: dt.date,
    summary: str,
    lines: Sequence[posting.Line],
    key: str,
    *,
    reverses: Voucher | None,
    source: str = "",
) -> Voucher:
    """Write a draft and post it; when a concurrent request posted the same key first, drop the
    draft and return that one."""
    draft = Voucher.objects.create(
        books=books,
        date=date,
        year=date.year,
        summary=summary,
        prepared_by=posting.stored(actor),
        reverses=reverses,
        source=source,
    )
    posting.write_lines(draft, lines)
    posted = posting.post_locked(actor=actor, voucher=draft, idempotency_key=key)
    if posted.pk != draft.pk:
        draft.lines.all().delete()
        draft.delete()
        return posted
    _audit_posted(actor, posted, events.VOUCHER_REVERSED if reverses is not None else events.VOUCHER_POSTED)
    return posted


@transaction.atomic
def reverse_voucher(
    *, actor: User, voucher: Voucher, date: dt.date | None = None, summary: str = "", idempotency_key: str = ""
) -> Voucher:
    """Correct a posted voucher by a red reversal (红字冲销): a new posted voucher naming it, with each
    line on the same side in a negative amount, dated in an open month (today by default). A voucher
    is reversed once; a reversal is not reversed again."""
    require(actor, Capability.BOOKS_WRITE, voucher.books)
    key = (idempotency_key or "").strip()
    original = Voucher.objects.select_for_update().select_related("books").get(pk=voucher.pk)
    already = posting.posted_with_key(original.books, key)
    if already is not None and already.reverses_id == original.pk:
        return already
    if original.status != VoucherStatus.POSTED:
        raise ValidationError({"reverses": _("草稿凭证不需要冲销,可直接修改或删除。")})
    if original.reverses_id is not None:
        raise ValidationError({"reverses": _("红字冲销凭证不能再冲销。")})
    reversal = Voucher.objects.filter(reverses=original).first()
    if reversal is not None:
        raise ValidationError(
            {
                "reverses": _("%(voucher)s 已由 %(reversal)s 冲销,不能重复冲销。")
                % {"voucher": original, "reversal": reversal}
            }
        )
    date = date or timezone.localdate()
    default = _("冲销 %(voucher)s:%(summary)s") % {"voucher": original, "summary": original.summary}
    summary = _clean_head(date, summary or default[:200], key)
    red = [
        posting.Line(line.account, -line.debit_fen, -line.credit_fen, line.summary)
        for line in posting.as_lines(original)
    ]
    reversal = _post_new(actor, original.books, date, summary, red, key, reverses=original)
    rollups.changed(rollups.VOUCHER_REVERSED, voucher_id=original.pk)
    return reversal
