"""`manage.py verify_ledger`: walk every organisation's books and name what is wrong (a voucher that
does not balance, a kept balance that differs from its lines, a closed month changed since it was
closed, a gap or a repeat in the voucher numbers); exit 1 when anything is."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hongniudai.ledger.integrity import faults
from hongniudai.ledger.models import Books


class Command(BaseCommand):
    help = "Check every organisation's books; exit non-zero naming each fault."

    def handle(self, *args: Any, **options: Any) -> None:
        found: list[str] = []
        count = 0
        for books in Books.objects.order_by("id").iterator():
            count += 1
            found += faults(books)
        for fault in found:
            self.stderr.write(fault)
        if found:
            raise CommandError(f"账套校验未通过:{len(found)} 处问题。", returncode=1)
        self.stdout.write(f"账套校验通过:{count} 个账套。")
