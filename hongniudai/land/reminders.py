"""The daily reminders of land transfer: rent due and unpaid, contracts ending within 90 days. Each
is told to the village's secretary once a day (a `LandReminder` row per contract, kind and day)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.notifications import services as notifications

from . import selectors
from .models import LandReminder, ReminderKind, TransferContract

ENDING_DAYS = 90


def _secretaries(village_ids: set[int]) -> dict[int, list[User]]:
    """{village id: its secretaries}."""
    people: dict[int, list[User]] = {}
    for a in RoleAssignment.objects.filter(
        role=Role.VILLAGE_SECRETARY, area_id__in=village_ids, user__is_active=True
    ).select_related("user"):
        if a.area_id is not None:
            people.setdefault(a.area_id, []).append(a.user)
    return people


def _tell(contract: TransferContract, kind: str, today: dt.date, message: str, people: list[User]) -> bool:
    with transaction.atomic():
        _row, created = LandReminder.objects.get_or_create(contract=contract, kind=kind, day=today)
        if not created:
            return False
        notifications.notify(people=people, message=message, url=contract.get_absolute_url(), target=contract)
    return True


def send_land_reminders(*, today: dt.date | None = None) -> int:
    """Run daily by huey: tell each village's secretary, once a day per contract, of rent due and
    unpaid and of contracts ending within 90 days. Returns how many reminders went out."""
    today = today or timezone.localdate()
    overdue = Counter(selectors.due_and_unpaid(today).values_list("contract_id", flat=True))
    ending = list(selectors.ending_within(today, ENDING_DAYS))
    contracts = TransferContract.objects.in_bulk(set(overdue) | {c.pk for c in ending})
    people = _secretaries({c.village_id for c in contracts.values()})
    sent = 0
    for contract_id, count in sorted(overdue.items()):
        contract = contracts[contract_id]
        message = _("土地流转合同“%(c)s”有 %(n)d 笔租金已到期未付。") % {"c": contract, "n": count}
        sent += _tell(contract, ReminderKind.OVERDUE, today, message, people.get(contract.village_id, []))
    for contract in ending:
        message = _("土地流转合同“%(c)s”将于 %(d)s 到期。") % {"c": contract, "d": contract.ends_on.isoformat()}
        sent += _tell(contracts[contract.pk], ReminderKind.ENDING, today, message, people.get(contract.village_id, []))
    return sent
