"""The ladder of a matter: accept, escalate, hand down, resolve, follow up, reopen.

Each function is keyword-only and atomic, checks the actor may act on the matter where it is
now (`policy`), appends a `MatterEvent` to the matter's timeline, writes its named audit record
(`events`) and notifies the people concerned. The steps every change of a matter shares (lock,
timeline entry, arrival at a level, the climb one level up) are here too, for the other topics."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.audit.actions import Action
from hongniudai.common.text import check_lengths, length_errors, limit
from hongniudai.places.models import AreaKind, AreaNode

from .. import events, notify, policy, rollups, selectors
from ..calendar import add_working_days
from ..models import (
    LEVEL_OF_KIND,
    OPEN_STATUSES,
    Agreement,
    EventKind,
    FollowUp,
    Matter,
    MatterEvent,
    MatterStatus,
    Outcome,
)

# What the audit snapshot of a matter holds.
MATTER_FIELDS = (
    "category",
    "title",
    "level",
    "area",
    "handler",
    "status",
    "urgency",
    "accept_due_at",
    "settle_due_at",
    "resolved_level",
    "outcome",
    "resolution",
    "public_notes",
    "satisfaction",
)
# The kind of node a matter climbs to from a node of each kind.
NEXT_KIND: dict[str, str] = {
    AreaKind.HAMLET: AreaKind.GRID,
    AreaKind.GRID: AreaKind.VILLAGE,
    AreaKind.VILLAGE: AreaKind.TOWN,
}


# ---- the steps every change of a matter shares ---------------------------------------------


def arrive(matter: Matter, area: AreaNode, now: dt.datetime) -> None:
    """The matter arrives at `area`: new deadlines (by the rule of its category and level), no handler yet."""
    matter.area = area
    matter.area_path = area.path
    matter.level = LEVEL_OF_KIND[area.kind]
    matter.status = MatterStatus.NEW
    matter.handler = None
    matter.accepted_at = None
    matter.level_since = now
    rule = selectors.rule_for(matter.category, matter.level)
    matter.accept_due_at = add_working_days(now, rule[0])
    matter.settle_due_at = add_working_days(now, rule[1])


def add_event(
    matter: Matter,
    kind: str,
    actor: User | None,
    *,
    note: str = "",
    from_level: str = "",
    to_level: str = "",
    at: dt.datetime | None = None,
) -> MatterEvent:
    """Append one entry to the matter's timeline (`actor` None: the system)."""
    return MatterEvent.objects.create(
        matter=matter,
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        note=note,
        from_level=from_level,
        to_level=to_level,
        at=at or timezone.now(),
    )


def check_note(note: str, field: str = "note") -> None:
    """Refuse a ladder step's note or reason longer than the timeline keeps."""
    if len(note or "") > limit(MatterEvent, "note"):
        raise ValidationError({field: _("说明不能超过 %(limit)d 字。") % {"limit": limit(MatterEvent, "note")}})


def audit_matter(actor: User | None, matter: Matter, before: audit.Snapshot, *, action: Action, note: str = "") -> None:
    """The audit record of a change of the matter itself: what changed since `before`."""
    audit.record(
        actor=actor,
        action=action,
        target=matter,
        changes=audit.diff(before, audit.snapshot(matter, MATTER_FIELDS)),
        note=note,
        **audit.at(area=matter.area),
    )


def require_open(matter: Matter) -> None:
    """Refuse a step that only an open matter takes."""
    if matter.status not in OPEN_STATUSES:
        raise ValidationError(_("该事项已办结,不能再进行此操作。"))


def lock(matter: Matter) -> Matter:
    """The matter read again under a row lock, with what the steps read of it."""
    return Matter.objects.select_for_update().select_related("area", "category", "place").get(pk=matter.pk)


def climb(
    matter: Matter, actor: User | None, reason: str, *, kind: str, action: Action, now: dt.datetime | None = None
) -> None:
    """Hand the (locked) matter up one level: hamlet → grid → village → town."""
    target_kind = NEXT_KIND.get(matter.area.kind)
    target = selectors.ancestor_of_kind(matter.area, target_kind) if target_kind else None
    if target is None:
        raise ValidationError(_("事项已在镇级办理,不能再上交。"))
    before = audit.snapshot(matter, MATTER_FIELDS)
    from_level = matter.level
    now = now or timezone.now()
    arrive(matter, target, now)
    matter.escalations += 1
    matter.save()
    add_event(matter, kind, actor, note=reason, from_level=from_level, to_level=matter.level, at=now)
    audit_matter(actor, matter, before, action=action, note=reason)
    notify.users(selectors.handlers_of(target), matter, _("事项上交至本级:%(t)s") % {"t": matter.title})


# ---- the ladder ----------------------------------------------------------------------------


@transaction.atomic
def accept(*, actor: User, matter: Matter, note: str = "") -> Matter:
    """The handler takes the matter on at its current level."""
    matter = lock(matter)
    policy.require_handler(actor, matter)
    if matter.status != MatterStatus.NEW:
        raise ValidationError(_("该事项已受理。"))
    check_note(note)
    before = audit.snapshot(matter, MATTER_FIELDS)
    matter.status = MatterStatus.ACCEPTED
    matter.accepted_at = timezone.now()
    matter.handler = actor
    matter.save()
    add_event(matter, EventKind.ACCEPT, actor, note=note, to_level=matter.level)
    audit_matter(actor, matter, before, action=events.MATTER_ACCEPTED)
    return matter


@transaction.atomic
def escalate(*, actor: User, matter: Matter, reason: str) -> Matter:
    """Hand the matter up one level (hamlet → grid → village → town), with a reason."""
    matter = lock(matter)
    policy.require_handler(actor, matter)
    require_open(matter)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明上交理由。")})
    check_note(reason.strip(), "reason")
    climb(matter, actor, reason.strip(), kind=EventKind.ESCALATE, action=events.MATTER_ESCALATED)
    return matter


@transaction.atomic
def hand_down(*, actor: User, matter: Matter, to: AreaNode, reason: str) -> Matter:
    """A level above hands the matter back down to a node on its branch."""
    matter = lock(matter)
    policy.require_handler(actor, matter)
    require_open(matter)
    if to.kind not in (AreaKind.HAMLET, AreaKind.GRID, AreaKind.VILLAGE):
        raise ValidationError({"to": _("只能交办给村、村组或湾组。")})
    if (
        not matter.origin_path.startswith(to.path)
        or to.pk == matter.area_id
        or not to.path.startswith(matter.area.path)
    ):
        raise ValidationError({"to": _("只能交办给本事项发生地所在的下级单位。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请说明交办要求。")})
    check_note(reason.strip(), "reason")
    before = audit.snapshot(matter, MATTER_FIELDS)
    from_level = matter.level
    arrive(matter, to, timezone.now())
    matter.save()
    add_event(matter, EventKind.HAND_DOWN, actor, note=reason.strip(), from_level=from_level, to_level=matter.level)
    audit_matter(actor, matter, before, action=events.MATTER_HANDED_DOWN, note=reason)
    notify.users(selectors.handlers_of(to), matter, _("上级交办事项:%(t)s") % {"t": matter.title})
    return matter


@transaction.atomic
def resolve(*, actor: User, matter: Matter, outcome: str, resolution: str, public_notes: str = "") -> Matter:
    """Settle the matter at its current level with an outcome; the reporter is told."""
    matter = lock(matter)
    policy.require_handler(actor, matter)
    require_open(matter)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("请填写办理情况。")})
    check_lengths(Matter, {"resolution": resolution.strip()})
    if outcome == Outcome.AGREEMENT and not Agreement.objects.filter(matter=matter).exists():
        raise ValidationError({"outcome": _("请先登记调解协议。")})
    before = audit.snapshot(matter, MATTER_FIELDS)
    now = timezone.now()
    if matter.accepted_at is None:
        matter.accepted_at = now
    matter.status = MatterStatus.RESOLVED
    matter.handler = matter.handler or actor
    matter.resolved_at = now
    matter.resolved_level = matter.level
    matter.outcome = outcome
    matter.resolution = resolution.strip()
    matter.public_notes = (public_notes or Outcome(outcome).label)[:255]
    matter.save()
    rollups.touch(matter)
    add_event(
        matter,
        EventKind.RESOLVE,
        actor,
        note=f"{Outcome(outcome).label}:{resolution.strip()}"[:2000],
        to_level=matter.level,
    )
    audit_matter(actor, matter, before, action=events.MATTER_RESOLVED)
    if matter.reporter_id and matter.reporter_id != actor.pk:
        notify.users([matter.reporter], matter, _("您上报的事项已办结:%(t)s") % {"t": matter.title})
    return matter


@transaction.atomic
def follow_up(
    *,
    actor: User,
    matter: Matter,
    visited_on: dt.date,
    held: bool,
    satisfaction: int,
    note: str = "",
) -> FollowUp:
    """The visit after closing: did the outcome hold, how satisfied is the reporter (1–5)."""
    matter = lock(matter)
    policy.require_handler(actor, matter)
    if matter.status not in (MatterStatus.RESOLVED, MatterStatus.CLOSED):
        raise ValidationError(_("事项办结后才能回访。"))
    errors = {}
    if not 1 <= int(satisfaction) <= 5:
        errors["satisfaction"] = _("满意度应为 1 到 5。")
    if matter.resolved_at and visited_on < timezone.localtime(matter.resolved_at).date():
        errors["visited_on"] = _("回访日期不能早于办结日期。")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("回访日期不能晚于今天。")
    errors.update(length_errors(FollowUp, {"note": note.strip()}))
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(matter, MATTER_FIELDS)
    visit = FollowUp.objects.create(
        matter=matter,
        visited_on=visited_on,
        held=held,
        satisfaction=int(satisfaction),
        note=note.strip(),
        visited_by=actor,
    )
    matter.satisfaction = int(satisfaction)
    if held:
        matter.status = MatterStatus.CLOSED
    matter.save()
    rollups.touch(matter)
    verdict = _("结果稳定") if held else _("结果未保持")
    add_event(
        matter,
        EventKind.FOLLOW_UP,
        actor,
        note=f"{verdict},{_('满意度')} {satisfaction}。{note}".strip()[: limit(MatterEvent, "note")],
    )
    audit_matter(actor, matter, before, action=events.MATTER_FOLLOWED_UP)
    return visit


@transaction.atomic
def reopen(*, actor: User, matter: Matter, reason: str) -> Matter:
    """A settled matter whose outcome did not hold goes back to the level that settled it."""
    matter = lock(matter)
    policy.require_handler(actor, matter)
    if matter.status not in (MatterStatus.RESOLVED, MatterStatus.CLOSED):
        raise ValidationError(_("只有已办结的事项可以重新办理。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明重新办理的理由。")})
    check_note(reason.strip(), "reason")
    before = audit.snapshot(matter, MATTER_FIELDS)
    was_resolved_at = matter.resolved_at
    arrive(matter, matter.area, timezone.now())
    matter.reopened += 1
    matter.resolved_at = None
    matter.resolved_level = ""
    matter.outcome = ""
    matter.public_notes = _("重新办理")
    matter.save()
    rollups.touch(matter, was_resolved_at)
    add_event(matter, EventKind.REOPEN, actor, note=reason.strip(), to_level=matter.level)
    audit_matter(actor, matter, before, action=events.MATTER_REOPENED, note=reason)
    notify.users(selectors.handlers_of(matter.area), matter, _("事项重新办理:%(t)s") % {"t": matter.title})
    return matter
