"""Every write of instructors (党建指导员) and their assignments.

Assignments are history (`InstructorAssignment`); these services keep what gives sight and
capability in step with the current ones: `Enterprise.instructors` (a VIEW grant) for an
enterprise, a `RoleAssignment(role=INSTRUCTOR, org=branch)` (VIEW and GUIDE over the branch)
for a branch. Ending the last current assignment removes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts import services as account_services
from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, forget_scopes
from hongniudai.audit import services as audit
from hongniudai.common.identity import mask_phone, normalize_phone
from hongniudai.common.text import check_lengths, length_errors
from hongniudai.common.updates import model_update
from hongniudai.party.models import OrgKind, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode

from . import events, rollups
from .models import Enterprise, Instructor, InstructorAssignment
from .policy import require

INSTRUCTOR_FIELDS = ("user", "area", "work_unit", "masked_phone", "note")


def _instructor_snapshot(instructor: Instructor) -> audit.Snapshot:
    return {
        "user": instructor.user.username,
        "display_name": instructor.user.display_name,
        "area": str(instructor.area),
        "work_unit": instructor.work_unit,
        "masked_phone": mask_phone(instructor.phone),
        "note": instructor.note,
    }


@transaction.atomic
def create_instructor(
    *,
    actor: User,
    username: str,
    display_name: str,
    area: AreaNode,
    password: str | None = None,
    work_unit: str = "",
    phone: str = "",
    note: str = "",
) -> Instructor:
    """A new user account with an instructor profile managed by the town `area`."""
    require(actor, Capability.EDIT_PARTY, area)
    errors: dict[str, str] = {}
    username = (username or "").strip()
    display_name = (display_name or "").strip()
    if not username:
        errors["username"] = _("请填写用户名。")
    if not display_name:
        errors["display_name"] = _("请填写姓名。")
    if area.kind != AreaKind.TOWN:
        errors["area"] = _("指导员由镇选派和管理,请选择镇。")
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    errors.update(length_errors(Instructor, {"work_unit": (work_unit or "").strip(), "note": note}))
    if errors:
        raise ValidationError(errors)
    try:
        user = account_services.create_user(
            actor=actor, username=username, password=password or None, display_name=display_name
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"password": exc.messages}) from None
    instructor = Instructor.objects.create(
        user=user, area=area, work_unit=(work_unit or "").strip(), phone=phone, note=note
    )
    audit.record_create(
        action=events.INSTRUCTOR_CREATED,
        actor=actor,
        target=instructor,
        after=_instructor_snapshot(instructor),
        area_path=area.path,
    )
    return instructor


@transaction.atomic
def update_instructor(
    *,
    actor: User,
    instructor: Instructor,
    display_name: str,
    work_unit: str = "",
    phone: str = "",
    note: str = "",
) -> Instructor:
    require(actor, Capability.EDIT_PARTY, instructor)
    errors: dict[str, str] = {}
    display_name = (display_name or "").strip()
    if not display_name:
        errors["display_name"] = _("请填写姓名。")
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    errors.update(length_errors(Instructor, {"work_unit": (work_unit or "").strip(), "note": note}))
    if errors:
        raise ValidationError(errors)
    before = _instructor_snapshot(instructor)
    user = instructor.user
    if user.display_name != display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    values = {"work_unit": (work_unit or "").strip(), "phone": phone, "note": note}
    model_update(instructor, fields=Instructor.EDITABLE, data=values)
    audit.record_update(
        action=events.INSTRUCTOR_UPDATED,
        actor=actor,
        target=instructor,
        before=before,
        after=_instructor_snapshot(instructor),
        area_path=instructor.area.path,
    )
    return instructor


def _assignment_snapshot(a: InstructorAssignment) -> audit.Snapshot:
    return audit.snapshot(a, ("instructor", "enterprise", "org", "since", "ended_on", "note"))


@transaction.atomic
def assign_instructor(
    *,
    actor: User,
    instructor: Instructor,
    enterprise: Enterprise | None = None,
    org: PartyOrg | None = None,
    since: dt.date | None = None,
    note: str = "",
) -> InstructorAssignment:
    """Send `instructor` to an enterprise or a branch from `since` (today by default)."""
    if (enterprise is None) == (org is None):
        raise ValidationError(_("请选择一个企业或一个党支部(只选其一)。"))
    target: Any = enterprise if enterprise is not None else org
    require(actor, Capability.EDIT_PARTY, instructor)
    require(actor, Capability.EDIT_PARTY, target)
    since = since or timezone.localdate()
    if org is not None and org.kind != OrgKind.BRANCH:
        raise ValidationError({"org": _("指导员应派驻到党支部。")})
    current = InstructorAssignment.objects.filter(
        instructor=instructor.user, enterprise=enterprise, org=org, ended_on__isnull=True
    )
    if current.exists():
        field = "enterprise" if enterprise is not None else "org"
        raise ValidationError({field: _("%(who)s已派驻到“%(target)s”。") % {"who": instructor, "target": target}})
    if since > timezone.localdate():
        raise ValidationError({"since": _("派驻日期不能晚于今天。")})
    check_lengths(InstructorAssignment, {"note": (note or "").strip()})
    assignment = InstructorAssignment.objects.create(
        instructor=instructor.user,
        enterprise=enterprise,
        org=org,
        area=target.area,
        since=since,
        note=(note or "").strip(),
    )
    if enterprise is not None:
        enterprise.instructors.add(instructor.user)
        rollups.refresh([enterprise.pk])
    else:
        account_services.assign_role(actor=actor, user=instructor.user, role=Role.INSTRUCTOR, org=org)
        forget_scopes(instructor.user)
    audit.record_create(
        action=events.INSTRUCTOR_ASSIGNED,
        actor=actor,
        target=assignment,
        after=_assignment_snapshot(assignment),
        area_path=target.area.path,
        org_path=org.path if org is not None else "",
    )
    return assignment


@transaction.atomic
def end_assignment(
    *, actor: User, assignment: InstructorAssignment, ended_on: dt.date | None = None
) -> InstructorAssignment:
    """End an assignment; when no other current one names the same target, the instructor loses
    the grant on the enterprise or the role on the branch."""
    require(actor, Capability.EDIT_PARTY, assignment)
    if assignment.ended_on is not None:
        raise ValidationError(_("该派驻已于 %(d)s 结束。") % {"d": assignment.ended_on.isoformat()})
    ended_on = ended_on or timezone.localdate()
    if ended_on < assignment.since:
        raise ValidationError({"ended_on": _("结束日期不能早于派驻日期。")})
    before = _assignment_snapshot(assignment)
    assignment.ended_on = ended_on
    assignment.save(update_fields=["ended_on"])
    same_target: dict[str, Any] = {"enterprise_id": assignment.enterprise_id, "org_id": assignment.org_id}
    others = InstructorAssignment.objects.filter(
        instructor_id=assignment.instructor_id, ended_on__isnull=True, **same_target
    )
    if not others.exists():
        if assignment.enterprise_id is not None:
            Enterprise.instructors.through.objects.filter(
                enterprise_id=assignment.enterprise_id, user_id=assignment.instructor_id
            ).delete()
            rollups.refresh([assignment.enterprise_id])
        else:
            for role in RoleAssignment.objects.filter(
                user_id=assignment.instructor_id, role=Role.INSTRUCTOR, org_id=assignment.org_id
            ):
                audit.record_delete(
                    action=events.INSTRUCTOR_ROLE_REMOVED,
                    actor=actor,
                    target=role,
                    before={"user": str(assignment.instructor), "role": str(role.get_role_display())},
                    org_path=assignment.org.path if assignment.org else "",
                )
                role.delete()
        forget_scopes(assignment.instructor)
    audit.record_update(
        action=events.INSTRUCTOR_ASSIGNMENT_ENDED,
        actor=actor,
        target=assignment,
        before=before,
        after=_assignment_snapshot(assignment),
        area_path=assignment.area.path,
        org_path=assignment.org.path if assignment.org else "",
    )
    return assignment
