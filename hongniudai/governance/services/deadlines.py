"""The deadline job: matters left unaccepted (or unsettled) past their limit climb or are flagged."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events, notify, selectors
from ..models import OPEN_STATUSES, EventKind, Matter, MatterStatus
from .ladder import NEXT_KIND, add_event, climb


def _enforce_one(pk: int, now: dt.datetime) -> str:
    """Hand up or warn about one overdue matter under its row lock: "escalated", "warned" or ""."""
    matter = Matter.objects.select_for_update().select_related("area", "category").filter(pk=pk).first()
    if matter is None or matter.status not in OPEN_STATUSES:
        return ""
    unaccepted = matter.status == MatterStatus.NEW and matter.accept_due_at and matter.accept_due_at < now
    unsettled = matter.settle_due_at is not None and matter.settle_due_at < now
    if not (unaccepted or unsettled):
        return ""  # another worker already moved it
    _a, _s, up_unaccepted, up_unsettled = selectors.rule_for(matter.category, matter.level)
    can_climb = matter.area.kind in NEXT_KIND
    if can_climb and ((unaccepted and up_unaccepted) or (unsettled and up_unsettled)):
        reason = _("超过受理时限未受理,自动上交。") if unaccepted else _("超过办结时限未办结,自动上交。")
        climb(matter, None, reason, kind=EventKind.AUTO_ESCALATE, action=events.MATTER_AUTO_ESCALATED, now=now)
        return "escalated"
    if matter.events.filter(kind=EventKind.OVERDUE, at__gte=matter.level_since).exists():
        return ""
    add_event(matter, EventKind.OVERDUE, None, note=_("已超过时限。"), at=now)
    people = selectors.handlers_of(matter.area) + ([matter.handler] if matter.handler else [])
    notify.users(people, matter, _("事项已超时:%(t)s") % {"t": matter.title})
    return "warned"


def enforce_deadlines(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run by huey every few minutes: hand up matters left unaccepted (or unsettled, where the rule
    says so) past their limit, and warn once about the rest. Each matter is handled in its own
    transaction under a row lock, so two workers never escalate the same matter twice."""
    now = now or timezone.now()
    counts = {"escalated": 0, "warned": 0}
    overdue = (
        Matter.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(status=MatterStatus.NEW, accept_due_at__lt=now) | Q(settle_due_at__lt=now))
        .values_list("pk", flat=True)
    )
    for pk in list(overdue):
        with transaction.atomic():
            done = _enforce_one(pk, now)
        if done:
            counts[done] += 1
    return counts
