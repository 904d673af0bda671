"""Writes of blockers (堵点难点问题): raise, record a step, escalate up the ladder (team → town →
county), resolve with evidence, and sign off (销号) by the project team's leader. Every deadline is
counted on the working-day calendar (`governance.interface.add_working_days`); every change is a
step on the blocker's timeline and a named audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common import uploads
from hongniudai.common.text import check_lengths
from hongniudai.common.tree import ancestor_ids
from hongniudai.governance.interface import add_working_days, working_days_left
from hongniudai.places.models import AreaNode

from . import checks, events
from .models import (
    Blocker,
    BlockerCategory,
    BlockerLevel,
    BlockerStatus,
    BlockerStep,
    Project,
    SiteVisit,
    StepKind,
)
from .policy import require

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
MAX_DUE_DAYS = 250

# The town's list, created for a town on its first service team (and by migration for the towns
# there were): code, name, working days to solve.
DEFAULT_CATEGORIES: tuple[tuple[str, str, int], ...] = (
    ("labour", "用工", 10),
    ("site", "场地平整", 15),
    ("utilities", "电杆迁改及水电", 20),
    ("financing", "融资", 20),
    ("approvals", "审批", 15),
    ("land", "用地", 20),
    ("environment", "环保", 15),
    ("other", "其他", 10),
)

ESCALATION = {
    BlockerLevel.TEAM: (BlockerLevel.TOWN, BlockerStatus.ESCALATED_TOWN),
    BlockerLevel.TOWN: (BlockerLevel.COUNTY, BlockerStatus.ESCALATED_COUNTY),
}


def categories_ensure(town: AreaNode) -> None:
    """Give `town` the default blocker categories it does not have yet (idempotent)."""
    BlockerCategory.objects.bulk_create(
        [
            BlockerCategory(town=town, code=code, name=name, due_days=days, order=i)
            for i, (code, name, days) in enumerate(DEFAULT_CATEGORIES)
        ],
        ignore_conflicts=True,
    )


def _step(blocker: Blocker, kind: str, actor: User | None, text: str = "", at: dt.datetime | None = None) -> None:
    BlockerStep.objects.create(
        blocker=blocker,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        at=at or timezone.now(),
        text=text,
    )


def _audit(actor: User | None, action: Any, blocker: Blocker, **changes: Any) -> None:
    audit.record(actor=actor, action=action, target=blocker, changes=changes, area_path=blocker.area_path)


def _due_days(value: Any, category: BlockerCategory) -> int:
    if value in (None, ""):
        return category.due_days
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"due_days": _("办理时限须为整数个工作日。")}) from None
    if not 1 <= days <= MAX_DUE_DAYS:
        raise ValidationError({"due_days": _("办理时限须在 1 至 250 个工作日之间。")})
    return days


def _raised_at(value: dt.datetime | None, errors: dict[str, Any]) -> dt.datetime:
    now = timezone.now()
    if value is None:
        return now
    if value > now:
        errors["raised_at"] = _("提出日期不能晚于今天。")
        return now
    return value


def _end_of(day: dt.date) -> dt.datetime:
    """The end (23:59:59 local) of `day`, as `add_working_days` gives a due time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


@transaction.atomic
def blocker_raise(
    *,
    actor: User,
    project: Project,
    category: BlockerCategory,
    description: str,
    owner_department: str = "",
    owner: User | None = None,
    contact_name: str = "",
    due_days: int | None = None,
    visit: SiteVisit | None = None,
    raised_at: dt.datetime | None = None,
    due_on: dt.date | None = None,
) -> Blocker:
    """Raise a blocker on `project` (by a team member, for an enterprise contact, or from a visit):
    due `due_days` working days from now (the category's time limit when not given), or at the end
    of `due_on`. An import gives the day it was raised (`raised_at`, not in the future)."""
    require(actor, Capability.PROJECTS, project)
    data = {
        "description": checks.text(description),
        "owner_department": checks.text(owner_department),
        "contact_name": checks.text(contact_name),
    }
    check_lengths(Blocker, data)
    errors: dict[str, Any] = {}
    if not data["description"]:
        errors["description"] = _("请填写问题描述。")
    if category is None or category.town_id not in ancestor_ids(project.area_path):
        errors["category"] = _("请选择本镇的堵点类别。")
    if visit is not None and visit.project_id not in (None, project.pk):
        errors["visit"] = _("走访对象不是该项目。")
    now = _raised_at(raised_at, errors)
    if due_on is not None and due_on < timezone.localdate(now):
        errors["due_on"] = _("办结时限不能早于提出日期。")
    if errors:
        raise ValidationError(errors)
    blocker = Blocker.objects.create(
        project=project,
        area_path=project.area_path,
        category=category,
        raised_by=actor,
        visit=visit,
        owner=owner,
        raised_at=now,
        due_at=_end_of(due_on) if due_on is not None else add_working_days(now, _due_days(due_days, category)),
        **data,
    )
    source = _("走访中发现") if visit is not None else (data["contact_name"] and _("企业联系人反映"))
    _step(blocker, StepKind.RAISED, actor, source or "", at=now)
    audit.record_create(
        actor=actor,
        action=events.BLOCKER_RAISED,
        target=blocker,
        after=audit.snapshot(blocker, ("project", "raised_at", "visit", *Blocker.EDITABLE)),
        area_path=blocker.area_path,
    )
    return blocker


def _locked(blocker: Blocker) -> Blocker:
    return (
        Blocker.objects.select_for_update(of=("self",)).select_related("project__team", "category").get(pk=blocker.pk)
    )


def _refuse_closed(blocker: Blocker) -> None:
    if blocker.status == BlockerStatus.SOLVED:
        raise ValidationError(_("该问题已销号。"))


@transaction.atomic
def blocker_step(*, actor: User, blocker: Blocker, text: str) -> Blocker:
    """Record what was done (a step on the timeline); an open blocker is then in progress."""
    require(actor, Capability.PROJECTS, blocker)
    blocker = _locked(blocker)
    _refuse_closed(blocker)
    note = checks.text(text)
    check_lengths(BlockerStep, {"text": note})
    if not note:
        raise ValidationError({"text": _("请填写办理情况。")})
    if blocker.status == BlockerStatus.OPEN:
        blocker.status = BlockerStatus.IN_PROGRESS
        blocker.save(update_fields=["status"])
    _step(blocker, StepKind.STEP, actor, note)
    _audit(actor, events.BLOCKER_STEP, blocker, text=note, status=blocker.status)
    return blocker


@transaction.atomic
def blocker_escalate(*, actor: User, blocker: Blocker, reason: str) -> Blocker:
    """Take the blocker one rung up (team → town → county), due again in its category's working
    days from now."""
    require(actor, Capability.PROJECTS, blocker)
    blocker = _locked(blocker)
    _refuse_closed(blocker)
    note = checks.text(reason)
    if not note:
        raise ValidationError({"reason": _("请填写上报理由。")})
    if blocker.level not in ESCALATION:
        raise ValidationError(_("该问题已上报至县,不能再上报。"))
    blocker.level, blocker.status = ESCALATION[BlockerLevel(blocker.level)]
    now = timezone.now()
    blocker.due_at = add_working_days(now, blocker.category.due_days)
    blocker.overdue_since = None
    blocker.save(update_fields=["level", "status", "due_at", "overdue_since"])
    _step(blocker, StepKind.ESCALATED, actor, f"{blocker.get_status_display()}:{note}", at=now)
    _audit(actor, events.BLOCKER_ESCALATED, blocker, level=blocker.level, due_at=blocker.due_at, reason=note)
    return blocker


@transaction.atomic
def blocker_resolve(*, actor: User, blocker: Blocker, evidence: str, upload: UploadedFile | None = None) -> Blocker:
    """Mark the blocker solved with its evidence (what was done, and/or a photo or document): it
    then awaits the team leader's sign-off (销号). Refused without evidence."""
    require(actor, Capability.PROJECTS, blocker)
    blocker = _locked(blocker)
    _refuse_closed(blocker)
    note = checks.text(evidence)
    check_lengths(Blocker, {"evidence": note})
    if not note and upload is None:
        raise ValidationError({"evidence": _("请填写解决情况或上传佐证材料。")})
    if upload is not None:
        ext, _content_type = uploads.check_upload(upload, limit=EVIDENCE_MAX_BYTES)
        uploads.anonymise(upload, ext)
        blocker.evidence_file = upload
    blocker.evidence = note
    blocker.status = BlockerStatus.RESOLVED
    blocker.resolved_at = timezone.now()
    blocker.save(update_fields=["evidence", "evidence_file", "status", "resolved_at"])
    _step(blocker, StepKind.RESOLVED, actor, note)
    _audit(actor, events.BLOCKER_RESOLVED, blocker, evidence=note, file=bool(upload))
    return blocker


def may_sign_off(user: User, blocker: Blocker) -> bool:
    """The project team's leader signs a blocker off; once it went up to the town or the county,
    the town administrator may too."""
    team = blocker.project.team
    if team is not None and team.leader_id == user.pk:
        return True
    if blocker.level == BlockerLevel.TEAM:
        return False
    nodes = ancestor_ids(blocker.area_path)
    return RoleAssignment.objects.filter(user=user, role=Role.TOWN_ADMIN, area_id__in=nodes).exists()


@transaction.atomic
def blocker_sign_off(*, actor: User, blocker: Blocker) -> Blocker:
    """Sign the blocker off (销号): only when it is solved with evidence, only by the team leader
    (see `may_sign_off`). Its blocking time in working days is kept."""
    require(actor, Capability.PROJECTS, blocker)
    blocker = _locked(blocker)
    _refuse_closed(blocker)
    if blocker.status != BlockerStatus.RESOLVED or not (blocker.evidence or blocker.evidence_file):
        raise ValidationError(_("问题尚未解决或缺少佐证材料,不能销号。"))
    if not may_sign_off(actor, blocker):
        raise PermissionDenied(_("只有该项目服务专班的组长可以销号。"))
    now = timezone.now()
    blocker.status = BlockerStatus.SOLVED
    blocker.signed_off_by = actor
    blocker.signed_off_at = now
    blocker.working_days_blocked = max(working_days_left(blocker.raised_at, now), 0)
    blocker.save(update_fields=["status", "signed_off_by", "signed_off_at", "working_days_blocked"])
    _step(blocker, StepKind.SIGNED_OFF, actor, at=now)
    _audit(actor, events.BLOCKER_SIGNED_OFF, blocker, working_days_blocked=blocker.working_days_blocked)
    return blocker
