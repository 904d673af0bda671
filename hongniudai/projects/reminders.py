"""The daily job of blockers: flag each overdue blocker (once: its `overdue_since` and a step on
its timeline) and tell its owner and its team's leader, once a day (a `BlockerReminder` row per
blocker and day)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.audit import services as audit
from hongniudai.notifications import services as notifications

from . import events
from .models import Blocker, BlockerReminder, BlockerStep, StepKind
from .selectors_blockers import overdue_q


def _people(blocker: Blocker) -> list:
    people = [blocker.owner, blocker.project.team.leader if blocker.project.team else None]
    return list({p.pk: p for p in people if p is not None and p.is_active}.values())


def flag_overdue_blockers(*, now: dt.datetime | None = None) -> int:
    """Run daily by huey: flag the blockers past their due time and tell their owners, once a day
    each. Returns how many were told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    told = 0
    overdue = Blocker.objects.filter(overdue_q(now)).select_related("project__team__leader", "owner", "category")
    for blocker in overdue:
        with transaction.atomic():
            if blocker.overdue_since is None:
                blocker.overdue_since = today
                blocker.save(update_fields=["overdue_since"])
                BlockerStep.objects.create(blocker=blocker, kind=StepKind.OVERDUE, at=now, text=_("已超过办结时限"))
                audit.record(
                    actor=None,
                    action=events.BLOCKER_OVERDUE,
                    target=blocker,
                    changes={"due_at": blocker.due_at},
                    area_path=blocker.area_path,
                )
            _row, created = BlockerReminder.objects.get_or_create(blocker=blocker, day=today)
            if not created:
                continue
            message = _("项目“%(p)s”的堵点问题(%(c)s)已超过办结时限 %(d)s,请尽快办理。") % {
                "p": blocker.project.name,
                "c": blocker.category.name,
                "d": timezone.localtime(blocker.due_at).strftime("%Y-%m-%d"),
            }
            notifications.notify(
                people=_people(blocker), message=message, url=blocker.get_absolute_url(), target=blocker
            )
            told += 1
    return told
