"""A voucher's receipts: checked by content, kept under a random name, never removed once posted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hongniudai.ledger import services
from tests.ledger.chart import pair

PDF = b"%PDF-1.4 receipt"


def test_a_receipt_is_kept_and_stays_with_the_posted_voucher(books, ledger_users):
    accountant = ledger_users["accountant"]
    voucher = services.post_entry(
        actor=accountant,
        books=books,
        date=dt.date(2026, 1, 5),
        summary="租金",
        lines=pair(books, "102", "501", "1"),
        idempotency_key="",
    )
    attachment = services.attach_to_voucher(
        actor=accountant, voucher=voucher, upload=SimpleUploadedFile("收据.pdf", PDF), note="银行回单"
    )
    assert attachment.original_name == "收据.pdf" and "收据" not in attachment.file.name
    assert attachment.file.name.startswith("ledger/")
    with pytest.raises(ValidationError, match="不能删除"):
        services.remove_attachment(actor=accountant, attachment=attachment)
    with pytest.raises(ValidationError, match="不符"):
        services.attach_to_voucher(actor=accountant, voucher=voucher, upload=SimpleUploadedFile("假.pdf", b"MZ..."))


def test_a_drafts_attachment_may_be_removed(books, ledger_users):
    accountant = ledger_users["accountant"]
    draft = services.create_draft(
        actor=accountant, books=books, date=dt.date(2026, 1, 5), summary="租金", lines=pair(books, "102", "501", "1")
    )
    attachment = services.attach_to_voucher(actor=accountant, voucher=draft, upload=SimpleUploadedFile("a.pdf", PDF))
    services.remove_attachment(actor=accountant, attachment=attachment)
    assert not draft.attachments.exists()


def test_deleting_a_draft_deletes_its_attachments(books, ledger_users, django_capture_on_commit_callbacks):
    accountant = ledger_users["accountant"]
    draft = services.create_draft(
        actor=accountant, books=books, date=dt.date(2026, 1, 5), summary="租金", lines=pair(books, "102", "501", "1")
    )
    attachment = services.attach_to_voucher(actor=accountant, voucher=draft, upload=SimpleUploadedFile("a.pdf", PDF))
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(actor=accountant, voucher=draft)
    assert not storage.exists(name)
