"""Every write of enterprise party work: the enterprise registry, the members working there,
instructors and their assignments, guidance visits and their follow-ups.

Assignments are history (`InstructorAssignment`); the services keep what gives sight and
capability in step with the current ones: `Enterprise.instructors` (a VIEW grant) for an
enterprise, a `RoleAssignment(role=INSTRUCTOR, org=branch)` (VIEW and GUIDE over the branch)
for a branch. Ending the last current assignment removes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import uscc as stdnum_uscc

from hongniudai.accounts import services as account_services
from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.audit import services as audit
from hongniudai.common.identity import mask_phone, normalize_phone
from hongniudai.common.text import check_lengths, length_errors
from hongniudai.party.models import BranchType, Member, OrgKind, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode

from . import events
from .models import (
    CheckItem,
    Employment,
    Enterprise,
    GuidanceFollowUp,
    GuidanceVisit,
    Industry,
    Instructor,
    InstructorAssignment,
    Size,
)

ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "industry",
    "area",
    "size",
    "address",
    "employees",
    "founded_on",
    "contact_name",
    "masked_contact_phone",
    "branch",
    "is_active",
    "note",
)
ENTERPRISE_AREA_KINDS = (AreaKind.PARK, AreaKind.VILLAGE)
# A chamber of commerce branch takes in its member firms as a joint branch does.
ENTERPRISE_BRANCH_TYPES = (BranchType.ENTERPRISE, BranchType.JOINT, BranchType.CHAMBER)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _require(actor: Any, capability: Capability, obj: Any) -> None:
    if not user_can(actor, capability, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def _where_enterprise(enterprise: Enterprise) -> audit.Where:
    return audit.at(area=enterprise.area, org=enterprise.branch)


def _forget_scopes(user: Any) -> None:
    """Role assignments of `user` changed: drop the scopes cached on this user object."""
    if hasattr(user, "_hnd_scopes"):
        del user._hnd_scopes


# ---- USCC -----------------------------------------------------------------------------------


def normalize_uscc(value: str) -> str:
    """Spaces removed, letters upper-cased (the form the code is stored and searched in)."""
    return "".join((value or "").split()).upper()


def clean_uscc(value: str) -> str:
    """Check a 统一社会信用代码 per GB 32100-2015 (python-stdnum's `cn.uscc`) and return it
    normalised; a ValidationError with a message saying what is wrong otherwise."""
    number = normalize_uscc(value)
    if not number:
        raise ValidationError(_("请填写统一社会信用代码。"), code="required")
    if len(number) != 18:
        raise ValidationError(_("统一社会信用代码应为 18 位,您填写了 %(n)d 位。") % {"n": len(number)}, code="length")
    bad = [c for c in number[:8] if not c.isdigit()] + [c for c in number[8:] if c not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符“%(chars)s”:前 8 位应为数字,其余为数字或大写字母(不用 I、O、Z、S、V)。")
            % {"chars": "".join(dict.fromkeys(bad))},
            code="format",
        )
    try:
        return str(stdnum_uscc.validate(number))
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(_("统一社会信用代码校验位不正确,请核对"), code="checksum") from None
    except stdnum_exc.ValidationError:  # pragma: no cover - length and characters are checked above
        raise ValidationError(_("统一社会信用代码格式不正确。"), code="format") from None


# ---- enterprises ----------------------------------------------------------------------------


def _clean_enterprise(
    *,
    actor: Any,
    enterprise: Enterprise | None,
    name: str,
    uscc: str,
    industry: str,
    area: AreaNode,
    size: str,
    contact_phone: str,
    branch: PartyOrg | None,
    employees: int,
) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写企业名称。")
    try:
        uscc = clean_uscc(uscc)
    except ValidationError as exc:
        errors["uscc"] = exc.messages[0]
    else:
        same = Enterprise.objects.filter(uscc=uscc)
        if enterprise is not None:
            same = same.exclude(pk=enterprise.pk)
        if same.exists():
            errors["uscc"] = _("已有企业登记了统一社会信用代码 %(code)s。") % {"code": uscc}
    if industry not in Industry.values:
        errors["industry"] = _("请选择行业。")
    if size not in Size.values:
        errors["size"] = _("请选择企业规模。")
    if area.kind not in ENTERPRISE_AREA_KINDS:
        errors["area"] = _("企业应登记在园区或村。")
    try:
        contact_phone = normalize_phone(contact_phone)
    except ValidationError as exc:
        errors["contact_phone"] = exc.messages[0]
    if employees is not None and employees < 0:
        errors["employees"] = _("职工人数不能为负数。")
    if branch is not None:
        if branch.kind != OrgKind.BRANCH or branch.branch_type not in ENTERPRISE_BRANCH_TYPES:
            errors["branch"] = _("所属党支部应为企业党支部、企业联合党支部或商会党支部。")
        elif not scope_for(actor).covers(branch):
            errors["branch"] = _("所选党支部不在您的范围之内。")
    if errors:
        raise ValidationError(errors)
    return name, uscc, contact_phone


@transaction.atomic
def create_enterprise(
    *,
    actor: Any,
    name: str,
    uscc: str,
    industry: str,
    area: AreaNode,
    size: str = Size.SMALL,
    address: str = "",
    employees: int = 0,
    founded_on: dt.date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    branch: PartyOrg | None = None,
    is_active: bool = True,
    note: str = "",
) -> Enterprise:
    _require(actor, Capability.EDIT_PARTY, area)
    check_lengths(
        Enterprise,
        {"name": (name or "").strip(), "address": address.strip(), "contact_name": contact_name.strip(), "note": note},
    )
    name, uscc, contact_phone = _clean_enterprise(
        actor=actor,
        enterprise=None,
        name=name,
        uscc=uscc,
        industry=industry,
        area=area,
        size=size,
        contact_phone=contact_phone,
        branch=branch,
        employees=employees,
    )
    enterprise = Enterprise.objects.create(
        name=name,
        uscc=uscc,
        industry=industry,
        area=area,
        size=size,
        address=address.strip(),
        employees=employees or 0,
        founded_on=founded_on,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone,
        branch=branch,
        is_active=is_active,
        note=note,
    )
    audit.record_create(
        action=events.ENTERPRISE_CREATED,
        actor=actor,
        target=enterprise,
        after=_enterprise_snapshot(enterprise),
        **_where_enterprise(enterprise),
    )
    return enterprise


def _enterprise_snapshot(enterprise: Enterprise) -> audit.Snapshot:
    values = {name: getattr(enterprise, name) for name in ENTERPRISE_FIELDS if name != "masked_contact_phone"}
    values["masked_contact_phone"] = mask_phone(enterprise.contact_phone)
    return {k: audit.plain(v) for k, v in values.items()}


@transaction.atomic
def update_enterprise(
    *,
    actor: Any,
    enterprise: Enterprise,
    name: str,
    uscc: str,
    industry: str,
    area: AreaNode,
    size: str = Size.SMALL,
    address: str = "",
    employees: int = 0,
    founded_on: dt.date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    branch: PartyOrg | None = None,
    is_active: bool = True,
    note: str = "",
) -> Enterprise:
    _require(actor, Capability.EDIT_PARTY, enterprise)
    if area.pk != enterprise.area_id:
        _require(actor, Capability.EDIT_PARTY, area)
    check_lengths(
        Enterprise,
        {"name": (name or "").strip(), "address": address.strip(), "contact_name": contact_name.strip(), "note": note},
    )
    name, uscc, contact_phone = _clean_enterprise(
        actor=actor,
        enterprise=enterprise,
        name=name,
        uscc=uscc,
        industry=industry,
        area=area,
        size=size,
        contact_phone=contact_phone,
        branch=branch if (branch is None or branch.pk != enterprise.branch_id) else None,
        employees=employees,
    )
    before = _enterprise_snapshot(enterprise)
    enterprise.name, enterprise.uscc, enterprise.industry, enterprise.area = name, uscc, industry, area
    enterprise.size, enterprise.address, enterprise.employees = size, address.strip(), employees or 0
    enterprise.founded_on, enterprise.contact_name = founded_on, contact_name.strip()
    enterprise.contact_phone, enterprise.branch = contact_phone, branch
    enterprise.is_active, enterprise.note = is_active, note
    enterprise.save()
    audit.record_update(
        action=events.ENTERPRISE_UPDATED,
        actor=actor,
        target=enterprise,
        before=before,
        after=_enterprise_snapshot(enterprise),
        **_where_enterprise(enterprise),
    )
    return enterprise


@transaction.atomic
def delete_enterprise(*, actor: Any, enterprise: Enterprise) -> None:
    _require(actor, Capability.EDIT_PARTY, enterprise)
    if enterprise.guidance_visits.exists():
        raise ValidationError(_("该企业已有指导记录,不能删除;如已停业,请修改为“不在营”。"))
    where = _where_enterprise(enterprise)
    before = _enterprise_snapshot(enterprise)
    before["employments"] = enterprise.employments.count()
    audit.record_delete(action=events.ENTERPRISE_DELETED, actor=actor, target=enterprise, before=before, **where)
    enterprise.delete()


# ---- members working at an enterprise -------------------------------------------------------


@transaction.atomic
def add_employment(
    *,
    actor: Any,
    enterprise: Enterprise,
    member: Member,
    position: str = "",
    since: dt.date | None = None,
) -> Employment:
    """Record that `member` works at `enterprise` (one workplace per member)."""
    _require(actor, Capability.EDIT_PARTY, enterprise)
    if not scope_for(actor).covers(member):
        raise PermissionDenied(_("您无权查看该党员。"))
    existing = Employment.objects.filter(member=member).select_related("enterprise").first()
    if existing is not None:
        raise ValidationError(
            {"member": _("该党员已登记在“%(name)s”工作,请先在该企业移除。") % {"name": existing.enterprise.name}}
        )
    if since is not None and since > timezone.localdate():
        raise ValidationError({"since": _("入职日期不能晚于今天。")})
    employment = Employment.objects.create(
        enterprise=enterprise, member=member, position=(position or "").strip(), since=since
    )
    audit.record_create(
        action=events.EMPLOYMENT_ADDED,
        actor=actor,
        target=employment,
        after=audit.snapshot(employment, ("enterprise", "member", "position", "since")),
        **_where_enterprise(enterprise),
    )
    return employment


@transaction.atomic
def remove_employment(*, actor: Any, employment: Employment) -> None:
    _require(actor, Capability.EDIT_PARTY, employment)
    audit.record_delete(
        action=events.EMPLOYMENT_REMOVED,
        actor=actor,
        target=employment,
        before=audit.snapshot(employment, ("enterprise", "member", "position", "since")),
        **_where_enterprise(employment.enterprise),
    )
    employment.delete()


# ---- instructors ----------------------------------------------------------------------------

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
    actor: Any,
    username: str,
    display_name: str,
    area: AreaNode,
    password: str | None = None,
    work_unit: str = "",
    phone: str = "",
    note: str = "",
) -> Instructor:
    """A new user account with an instructor profile managed by the town `area`."""
    _require(actor, Capability.EDIT_PARTY, area)
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
    actor: Any,
    instructor: Instructor,
    display_name: str,
    work_unit: str = "",
    phone: str = "",
    note: str = "",
) -> Instructor:
    _require(actor, Capability.EDIT_PARTY, instructor)
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
    instructor.work_unit, instructor.phone, instructor.note = (work_unit or "").strip(), phone, note
    instructor.save()
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
    actor: Any,
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
    _require(actor, Capability.EDIT_PARTY, instructor)
    _require(actor, Capability.EDIT_PARTY, target)
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
    else:
        account_services.assign_role(actor=actor, user=instructor.user, role=Role.INSTRUCTOR, org=org)
        _forget_scopes(instructor.user)
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
    *, actor: Any, assignment: InstructorAssignment, ended_on: dt.date | None = None
) -> InstructorAssignment:
    """End an assignment; when no other current one names the same target, the instructor loses
    the grant on the enterprise or the role on the branch."""
    _require(actor, Capability.EDIT_PARTY, assignment)
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
        _forget_scopes(assignment.instructor)
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


# ---- guidance visits ------------------------------------------------------------------------


def can_guide(actor: Any, *, org: PartyOrg | None = None, enterprise: Enterprise | None = None) -> bool:
    """Whether `actor` may record a visit to this branch or enterprise: GUIDE over it (an
    instructor on their branch, town staff), or a current instructor of the enterprise."""
    if org is not None and user_can(actor, Capability.GUIDE, org):
        return True
    if enterprise is not None:
        if user_can(actor, Capability.GUIDE, enterprise):
            return True
        if getattr(actor, "pk", None) and enterprise.instructors.filter(pk=actor.pk).exists():
            return True
    return False


def _visit_where(visit: GuidanceVisit) -> audit.Where:
    return audit.at(area=visit.area, org=visit.org)


def _clean_follow_ups(rows: Iterable[tuple[str, dt.date | None]], visited_on: dt.date) -> list[tuple[str, dt.date]]:
    out: list[tuple[str, dt.date]] = []
    for description, due_on in rows:
        description = (description or "").strip()
        if not description and due_on is None:
            continue
        if not description:
            raise ValidationError({"follow_ups": _("请填写整改事项的内容。")})
        if due_on is None:
            raise ValidationError({"follow_ups": _("请为整改事项“%(d)s”填写整改期限。") % {"d": description}})
        if due_on < visited_on:
            raise ValidationError({"follow_ups": _("整改期限不能早于指导日期。")})
        out.append((description[:200], due_on))
    return out


@transaction.atomic
def record_visit(
    *,
    actor: Any,
    visited_on: dt.date,
    org: PartyOrg | None = None,
    enterprise: Enterprise | None = None,
    checked: Sequence[str] = (),
    findings: str = "",
    follow_ups: Iterable[tuple[str, dt.date | None]] = (),
    instructor: User | None = None,
) -> GuidanceVisit:
    """Record a guidance visit to a branch or an enterprise (its branch is taken when it has
    one), with the items checked, the findings and follow-ups due by dates."""
    if org is None and enterprise is None:
        raise ValidationError({"org": _("请选择所指导的党支部或企业。")})
    if org is None and enterprise is not None and enterprise.branch_id:
        org = enterprise.branch
    if org is not None and org.kind != OrgKind.BRANCH:
        raise ValidationError({"org": _("指导对象应为党支部。")})
    if not can_guide(actor, org=org, enterprise=enterprise):
        raise PermissionDenied(_("您不是该党支部或企业的指导员,不能登记指导记录。"))
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = _("请填写指导日期。")
    elif visited_on > timezone.localdate():
        errors["visited_on"] = _("指导日期不能晚于今天。")
    unknown = [c for c in checked if c not in CheckItem.values]
    if unknown:
        errors["checked"] = _("检查内容“%(v)s”无效。") % {"v": "、".join(unknown)}
    if enterprise is not None and org is not None and enterprise.branch_id and enterprise.branch_id != org.pk:
        errors["enterprise"] = _("企业“%(e)s”不属于党支部“%(o)s”。") % {"e": enterprise.name, "o": org.name}
    errors.update(length_errors(GuidanceVisit, {"findings": findings}))
    if errors:
        raise ValidationError(errors)
    rows = _clean_follow_ups(follow_ups, visited_on)
    who = instructor or actor
    if who.pk != getattr(actor, "pk", None) and not Instructor.objects.filter(user=who).exists():
        raise ValidationError({"instructor": _("请选择一名党建指导员。")})
    area = org.area if org is not None else enterprise.area  # type: ignore[union-attr]
    visit = GuidanceVisit.objects.create(
        instructor=who,
        org=org,
        enterprise=enterprise,
        area=area,
        visited_on=visited_on,
        checked=list(dict.fromkeys(checked)),
        findings=(findings or "").strip(),
    )
    audit.record_create(
        action=events.GUIDANCE_VISIT_RECORDED,
        actor=actor,
        target=visit,
        after=audit.snapshot(visit, ("instructor", "org", "enterprise", "visited_on", "checked", "findings")),
        **_visit_where(visit),
    )
    for description, due_on in rows:
        _create_follow_up(actor=actor, visit=visit, description=description, due_on=due_on)
    return visit


def _create_follow_up(*, actor: Any, visit: GuidanceVisit, description: str, due_on: dt.date) -> GuidanceFollowUp:
    follow_up = GuidanceFollowUp.objects.create(visit=visit, description=description, due_on=due_on)
    audit.record_create(
        action=events.FOLLOW_UP_ADDED,
        actor=actor,
        target=follow_up,
        after=audit.snapshot(follow_up, ("visit", "description", "due_on")),
        **_visit_where(visit),
    )
    return follow_up


def can_edit_visit(actor: Any, visit: GuidanceVisit) -> bool:
    return getattr(actor, "pk", None) == visit.instructor_id or user_can(actor, Capability.GUIDE, visit)


@transaction.atomic
def add_follow_up(*, actor: Any, visit: GuidanceVisit, description: str, due_on: dt.date | None) -> GuidanceFollowUp:
    if not can_edit_visit(actor, visit):
        raise PermissionDenied(_("只有该指导记录的指导员可以添加整改事项。"))
    rows = _clean_follow_ups([(description, due_on)], visit.visited_on)
    if not rows:
        raise ValidationError({"description": _("请填写整改事项的内容。")})
    return _create_follow_up(actor=actor, visit=visit, description=rows[0][0], due_on=rows[0][1])


def can_close_follow_up(actor: Any, follow_up: GuidanceFollowUp) -> bool:
    """The visit's instructor, anyone who may guide there, or the editors of the branch (or of
    the enterprise's area when the visit named no branch)."""
    return can_edit_visit(actor, follow_up.visit) or user_can(actor, Capability.EDIT_PARTY, follow_up)


@transaction.atomic
def close_follow_up(
    *, actor: Any, follow_up: GuidanceFollowUp, note: str, closed_on: dt.date | None = None
) -> GuidanceFollowUp:
    if not can_close_follow_up(actor, follow_up):
        raise PermissionDenied(_("只有指导员或该党支部的维护人员可以办结整改事项。"))
    if follow_up.closed_on is not None:
        raise ValidationError(_("该整改事项已于 %(d)s 办结。") % {"d": follow_up.closed_on.isoformat()})
    note = (note or "").strip()
    closed_on = closed_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not note:
        errors["closing_note"] = _("请填写完成情况。")
    if closed_on > timezone.localdate():
        errors["closed_on"] = _("完成日期不能晚于今天。")
    elif closed_on < follow_up.visit.visited_on:
        errors["closed_on"] = _("完成日期不能早于指导日期。")
    if errors:
        raise ValidationError(errors)
    fields = ("closed_on", "closing_note", "closed_by")
    before = audit.snapshot(follow_up, fields)
    follow_up.closed_on, follow_up.closing_note, follow_up.closed_by = closed_on, note[:200], actor
    follow_up.save(update_fields=list(fields))
    audit.record_update(
        action=events.FOLLOW_UP_CLOSED,
        actor=actor,
        target=follow_up,
        before=before,
        after=audit.snapshot(follow_up, fields),
        **_visit_where(follow_up.visit),
    )
    return follow_up
