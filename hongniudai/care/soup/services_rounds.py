"""The soup rounds' writes: rounds created once per village and date (by the daily job or by
hand), visits given to volunteers, and the check-off, whose welfare observation may raise a matter
on the ladder."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.updates import model_update
from hongniudai.governance.interface import Category, Channel, Matter, Urgency, report_matter
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.volunteers.interface import Volunteer

from . import events
from .calendar import is_round_day
from .models import Observation, Outcome, RecipientStatus, SoupHamletVolunteer, SoupRecipient, SoupRound, SoupVisit
from .policy import can_manage, require, require_check_off
from .services_lists import ancestor_of_kind, check_volunteer, clean_text, february_rule_of, user_or_none, village_of

# The matter category a welfare observation is raised under (the town's "群众诉求"), else "其他事项".
MATTER_CATEGORIES = ("request", "other")


# ---- rounds -----------------------------------------------------------------------------------


def _add_visits(round_: SoupRound) -> int:
    """A visit for every approved recipient of the round's village who has none yet; the hamlet's
    volunteer carries it. Returns how many were added."""
    have = set(SoupVisit.objects.filter(round=round_).values_list("recipient_id", flat=True))
    recipients = [
        r
        for r in SoupRecipient.objects.filter(village_id=round_.village_id, status=RecipientStatus.APPROVED).order_by(
            "area_path", "id"
        )
        if r.pk not in have
    ]
    carriers = dict(
        SoupHamletVolunteer.objects.filter(hamlet_id__in={r.hamlet_id for r in recipients}).values_list(
            "hamlet_id", "volunteer_id"
        )
    )
    SoupVisit.objects.bulk_create(
        [
            SoupVisit(
                round=round_,
                recipient=r,
                hamlet_id=r.hamlet_id,
                area_path=r.area_path,
                volunteer_id=carriers.get(r.hamlet_id),
            )
            for r in recipients
        ],
        ignore_conflicts=True,  # a visit added meanwhile by another run stays the only one
    )
    return len(recipients)


def _round_once(actor: User | None, village: AreaNode, day: dt.date) -> tuple[SoupRound, bool]:
    """Get or create `village`'s round of `day` under the unique constraint: a second run (or a
    concurrent one) finds the first's row."""
    try:
        with transaction.atomic():
            round_, created = SoupRound.objects.get_or_create(
                village=village, date=day, defaults={"area_path": village.path}
            )
    except IntegrityError:  # created concurrently between the get and the create
        round_, created = SoupRound.objects.get(village=village, date=day), False
    if created:
        audit.record_create(
            actor=actor,
            action=events.ROUND_CREATED,
            target=round_,
            after=audit.snapshot(round_, ("village", "date")),
            area_path=village.path,
        )
    _add_visits(round_)
    return round_, created


@transaction.atomic
def create_round(*, actor: User, village: AreaNode, day: dt.date) -> SoupRound:
    """Create `village`'s round of `day` by hand (or find it, and add visits for recipients approved
    since). `day` must be a soup day under the town's setting."""
    if village.kind != AreaKind.VILLAGE:
        raise ValidationError({"village": _("请选择村。")})
    require(actor, Capability.SERVICES, village)
    if day is None or not is_round_day(day, february_rule_of(ancestor_of_kind(village, AreaKind.TOWN))):
        raise ValidationError({"day": _("送汤日期应为逢九之日(9 日、19 日、29 日)或本镇设定的二月替代日。")})
    return _round_once(actor, village, day)[0]


def create_due_rounds(*, today: dt.date | None = None) -> int:
    """Run daily by huey: create today's round in every village with approved recipients, when
    today is a soup day under its town's setting. However often it runs, one round per village and
    date (the constraint). Returns how many rounds were created by this run."""
    today = today or timezone.localdate()
    village_ids = set(
        SoupRecipient.objects.filter(status=RecipientStatus.APPROVED).values_list("village_id", flat=True)
    )
    created = 0
    rules: dict[int | None, str] = {}
    for village in AreaNode.objects.filter(pk__in=village_ids).order_by("path"):
        town = ancestor_of_kind(village, AreaKind.TOWN)
        key = town.pk if town else None
        if key not in rules:
            rules[key] = february_rule_of(town)
        if not is_round_day(today, rules[key]):
            continue
        with transaction.atomic():
            created += _round_once(None, village, today)[1]
    return created


# ---- visits -----------------------------------------------------------------------------------

VISIT_FIELDS = ("volunteer", "outcome", "checked_at", "observation", "observation_note", "matter")


@transaction.atomic
def assign_visit(*, actor: User, visit: SoupVisit, volunteer: Volunteer | None) -> SoupVisit:
    """Give `visit` to another volunteer of the village (or to nobody)."""
    require(actor, Capability.SERVICES, visit)
    check_volunteer(volunteer, AreaNode.objects.get(pk=visit.round.village_id))
    row = SoupVisit.objects.select_for_update().get(pk=visit.pk)
    before = audit.snapshot(row, VISIT_FIELDS)
    model_update(row, fields=("volunteer",), data={"volunteer": volunteer})
    audit.record_update(
        actor=actor,
        action=events.VISIT_ASSIGNED,
        target=row,
        before=before,
        after=audit.snapshot(row, VISIT_FIELDS),
        area_path=row.area_path,
    )
    return row


def _category() -> Category:
    found = {c.code: c for c in Category.objects.filter(code__in=MATTER_CATEGORIES, is_active=True)}
    for code in MATTER_CATEGORIES:
        if code in found:
            return found[code]
    raise ValidationError({"observation": _("事项类别“群众诉求”未启用,无法转办。请联系镇管理员。")})


@transaction.atomic
def check_off(
    *,
    actor: User,
    visit: SoupVisit,
    outcome: str,
    observation: str = "",
    observation_note: str = "",
    needs_action: bool = False,
    at: dt.datetime | None = None,
) -> SoupVisit:
    """Record what came of a visit (delivered / not at home / declined) and when, with what the
    volunteer saw. An observation that needs action raises a matter in the recipient's hamlet (the
    ladder tells its centre household), once per visit. A volunteer may correct the outcome on the
    round's day; the village's staff at any time."""
    require_check_off(actor, visit)
    row = SoupVisit.objects.select_for_update().select_related("round", "recipient__resident").get(pk=visit.pk)
    now = at or timezone.now()
    errors: dict[str, str] = {}
    if outcome not in (Outcome.DELIVERED, Outcome.NOT_HOME, Outcome.DECLINED):
        errors["outcome"] = _("请选择送汤结果:已送达、不在家或谢绝。")
    observation = observation or ""
    if observation not in Observation.values:
        errors["observation"] = _("请选择关爱发现的类别。")
    note = clean_text(observation_note)
    if len(note) > 200:
        errors["observation_note"] = _("情况说明不能超过 200 字。")
    if observation == Observation.OTHER and not note:
        errors["observation_note"] = _("选择“其他”时请写明情况。")
    if needs_action and not observation:
        errors["observation"] = _("需要转办时请选择关爱发现的类别。")
    if timezone.localdate(now) < row.round.date:
        errors["outcome"] = _("送汤日期(%(d)s)还未到。") % {"d": row.round.date.isoformat()}
    if errors:
        raise ValidationError(errors)
    if not can_manage(actor, row) and timezone.localdate(now) != row.round.date and row.outcome != Outcome.PENDING:
        raise ValidationError({"outcome": _("已登记的送汤结果只能在当天更正,请联系村里。")})
    before = audit.snapshot(row, VISIT_FIELDS)
    data = {
        "outcome": outcome,
        "checked_at": now,
        "checked_by": user_or_none(actor),
        "observation": observation,
        "observation_note": note,
    }
    model_update(row, fields=tuple(data), data=data)
    if needs_action and row.matter_id is None:
        row.matter = _raise_matter(actor, row)
        row.save(update_fields=["matter"])
    audit.record_update(
        actor=actor,
        action=events.VISIT_CHECKED,
        target=row,
        before=before,
        after=audit.snapshot(row, VISIT_FIELDS),
        area_path=row.area_path,
    )
    return row


def _raise_matter(actor: User, visit: SoupVisit) -> Matter:
    hamlet = AreaNode.objects.get(pk=visit.hamlet_id)
    resident = visit.recipient.resident
    kind = Observation(visit.observation).label
    title = _("爱心汤关爱发现:%(name)s %(kind)s") % {"name": resident.name, "kind": kind}
    description = _("%(date)s 送汤时发现 %(name)s(%(hamlet)s)%(kind)s。%(note)s") % {
        "date": visit.round.date.isoformat(),
        "name": resident.name,
        "hamlet": hamlet.name,
        "kind": kind,
        "note": visit.observation_note,
    }
    return report_matter(
        actor=user_or_none(actor),
        category=_category(),
        title=title[:100],
        description=description,
        channel=Channel.SOUP_ROUND,
        place=hamlet,
        urgency=Urgency.NORMAL,
        parties=[resident],
        within=village_of(hamlet),  # the volunteer acts for the visit, not over the hamlet
    )
