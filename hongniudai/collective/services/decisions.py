"""Decisions (四议两公开) and their steps, recorded in `StepKind` order: a step needs every earlier
one recorded, on a day not before them; the committee's proposal and the members' meeting's review may
point to the orglife meeting of the village's branch that took them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.orglife.interface import Meeting, MeetingKind
from hongniudai.places.models import AreaNode

from .. import events
from ..models import (
    STEP_ORDER,
    Decision,
    DecisionStep,
    DecisionSubject,
)
from ..policy import require
from .common import (
    DECISION_FIELDS,
    MEETING_KIND_OF_STEP,
    STEP_FIELDS,
    step_label,
    village_errors,
    where,
)

# ---- decisions ------------------------------------------------------------------------------


@transaction.atomic
def create_decision(*, actor: User, village: AreaNode, subject: str, title: str, content: str = "") -> Decision:
    """Record a village's major economic decision, to be taken through 四议两公开."""
    require(actor, Capability.ECONOMY_WRITE, village)
    title, content = (title or "").strip(), (content or "").strip()
    check_lengths(Decision, {"title": title, "content": content})
    errors: dict[str, str] = {}
    village_errors(village, errors)
    if subject not in DecisionSubject.values:
        errors["subject"] = _("请选择事项类别。")
    if not title:
        errors["title"] = _("请填写事项名称。")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        village=village, area_path=village.path, subject=subject, title=title, content=content, created_by=actor
    )
    audit.record_create(
        actor=actor,
        action=events.DECISION_CREATED,
        target=decision,
        after=audit.snapshot(decision, DECISION_FIELDS),
        **where(decision),
    )
    return decision


def _check_meeting(decision: Decision, kind: str, meeting: Meeting, held_on: dt.date, errors: dict[str, str]) -> None:
    wanted = MEETING_KIND_OF_STEP.get(kind)
    if wanted is None:
        errors["meeting"] = _("“%(step)s”不由党组织会议进行,不能关联会议记录。") % {"step": step_label(kind)}
        return
    org_path = meeting.org.area.path if meeting.org.area_id else ""
    if not org_path.startswith(decision.area_path):
        errors["meeting"] = _("所选会议不是本村党组织的会议。")
        return
    if not meeting.marks.filter(kind=wanted).exists():
        errors["meeting"] = _("“%(step)s”应关联%(kind)s的会议记录。") % {
            "step": step_label(kind),
            "kind": MeetingKind(wanted).label,
        }
    elif meeting.held_on != held_on:
        errors["held_on"] = _("环节日期应与会议日期(%(day)s)一致。") % {"day": meeting.held_on.isoformat()}


def _step_order_errors(steps: list[DecisionStep], kind: str, held_on: dt.date | None) -> dict[str, str]:
    """A step is recorded once, after every step before it, on a day not before theirs."""
    errors: dict[str, str] = {}
    recorded = {s.kind for s in steps}
    if kind in recorded:
        errors["kind"] = _("“%(step)s”已经记录过了。") % {"step": step_label(kind)}
    else:
        missing = [k for k in STEP_ORDER[: STEP_ORDER.index(kind)] if k not in recorded]
        if missing:
            errors["kind"] = _("请先记录“%(missing)s”,再记录“%(step)s”。") % {
                "missing": "”“".join(step_label(k) for k in missing),
                "step": step_label(kind),
            }
    if held_on is None:
        errors["held_on"] = _("请填写日期。")
        return errors
    earlier = [s for s in steps if STEP_ORDER.index(s.kind) < STEP_ORDER.index(kind)]
    latest = max(earlier, key=lambda s: s.held_on, default=None)
    if latest is not None and held_on < latest.held_on:
        errors["held_on"] = _("日期不能早于上一环节“%(step)s”的日期(%(day)s)。") % {
            "step": step_label(latest.kind),
            "day": latest.held_on.isoformat(),
        }
    return errors


@transaction.atomic
def record_step(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    held_on: dt.date,
    meeting: Meeting | None = None,
    attended: int | None = None,
    agreed: int | None = None,
    note: str = "",
) -> DecisionStep:
    """Record one step of `decision`: every earlier step must be recorded already, on a day not after
    this one; a party meeting named must be the village branch's meeting of the step's kind."""
    require(actor, Capability.ECONOMY_WRITE, decision)
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    note = (note or "").strip()
    check_lengths(DecisionStep, {"note": note})
    if kind not in STEP_ORDER:
        raise ValidationError({"kind": _("请选择环节。")})
    errors = _step_order_errors(list(decision.steps.all()), kind, held_on)
    if attended is not None and agreed is not None and agreed > attended:
        errors["agreed"] = _("同意人数不能多于参会人数。")
    if meeting is not None and held_on is not None and "kind" not in errors:
        _check_meeting(decision, kind, meeting, held_on, errors)
    if errors:
        raise ValidationError(errors)
    step = DecisionStep.objects.create(
        decision=decision,
        kind=kind,
        held_on=held_on,
        meeting=meeting,
        attended=attended,
        agreed=agreed,
        note=note,
        recorded_by=actor,
    )
    audit.record_create(
        actor=actor,
        action=events.STEP_RECORDED,
        target=step,
        after=audit.snapshot(step, STEP_FIELDS),
        **where(decision),
    )
    return step
