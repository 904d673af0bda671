"""The evening flag of the soup rounds: a recipient not reached by the end of the round's day (no
outcome yet, or not at home) is told to the village's secretaries, once per round (the round's
`flagged_at`, set under a row lock)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.notifications import services as notifications

from .models import Outcome, SoupRound, SoupVisit

UNREACHED = (Outcome.PENDING, Outcome.NOT_HOME)
NAMES_SHOWN = 10


def secretaries(village_id: int) -> list[User]:
    ids = RoleAssignment.objects.filter(role=Role.VILLAGE_SECRETARY, area_id=village_id).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def flag_unreached(*, today: dt.date | None = None) -> int:
    """Run each evening by huey: for every round of `today` not flagged yet, tell the village's
    secretaries who was not reached (once, however often it runs). Returns how many rounds were
    flagged with someone unreached."""
    today = today or timezone.localdate()
    flagged = 0
    for round_id in SoupRound.objects.filter(date=today, flagged_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            round_ = (
                SoupRound.objects.select_for_update(of=("self",))
                .select_related("village")
                .filter(pk=round_id, flagged_at__isnull=True)
                .first()
            )
            if round_ is None:  # flagged meanwhile by another run
                continue
            round_.flagged_at = timezone.now()
            round_.save(update_fields=["flagged_at"])
            names = list(
                SoupVisit.objects.filter(round=round_, outcome__in=UNREACHED)
                .order_by("area_path", "id")
                .values_list("recipient__resident__name", flat=True)
            )
            if not names:
                continue
            shown = "、".join(names[:NAMES_SHOWN]) + ("等" if len(names) > NAMES_SHOWN else "")
            message = _("%(round)s:%(n)d 位老人今天未送达(%(names)s),请安排补送。") % {
                "round": round_,
                "n": len(names),
                "names": shown,
            }
            notifications.notify(
                people=secretaries(round_.village_id), message=message, url=round_.get_absolute_url(), target=round_
            )
            flagged += 1
    return flagged
