"""Every write of the enterprise registry: enterprises (with their USCC) and the members working
there. Instructors and their assignments: `services_instructors`; guidance visits and their
follow-ups: `services_visits`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit import services as audit
from hongniudai.common.identity import mask_phone, normalize_phone
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.party.models import Member, OrgKind, PartyOrg
from hongniudai.places.models import AreaNode

from . import events, rollups
from .models import (
    ENTERPRISE_AREA_KINDS,
    ENTERPRISE_BRANCH_TYPES,
    Employment,
    Enterprise,
    Industry,
    Size,
)
from .policy import require
from .uscc import clean_uscc


def _where_enterprise(enterprise: Enterprise) -> audit.Where:
    return audit.at(area=enterprise.area, org=enterprise.branch)


# ---- enterprises ----------------------------------------------------------------------------


class EnterpriseFields(TypedDict, total=False):
    """What the services take of an enterprise (its `Enterprise.EDITABLE` fields): the first four
    always, the others as `ENTERPRISE_DEFAULTS` has them when left out."""

    name: Required[str]
    uscc: Required[str]
    industry: Required[str]
    area: Required[AreaNode]
    size: str
    address: str
    employees: int
    founded_on: dt.date | None
    contact_name: str
    contact_phone: str
    branch: PartyOrg | None
    is_active: bool
    note: str


ENTERPRISE_DEFAULTS: dict[str, Any] = {
    "size": Size.SMALL,
    "address": "",
    "employees": 0,
    "founded_on": None,
    "contact_name": "",
    "contact_phone": "",
    "branch": None,
    "is_active": True,
    "note": "",
}


def _clean_enterprise(
    *,
    actor: User,
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


def _checked(*, actor: User, enterprise: Enterprise | None, values: dict[str, Any]) -> dict[str, Any]:
    """`values` (every field of `Enterprise.EDITABLE`) checked and in their stored form: texts
    trimmed, the USCC and the phone normalised. A branch the enterprise already has is not
    checked again."""
    v = dict(values)
    check_lengths(
        Enterprise,
        {
            "name": (v["name"] or "").strip(),
            "address": v["address"].strip(),
            "contact_name": v["contact_name"].strip(),
            "note": v["note"],
        },
    )
    branch = v["branch"]
    unchanged_branch = enterprise is not None and branch is not None and branch.pk == enterprise.branch_id
    v["name"], v["uscc"], v["contact_phone"] = _clean_enterprise(
        actor=actor,
        enterprise=enterprise,
        name=v["name"],
        uscc=v["uscc"],
        industry=v["industry"],
        area=v["area"],
        size=v["size"],
        contact_phone=v["contact_phone"],
        branch=None if unchanged_branch else branch,
        employees=v["employees"],
    )
    v["address"], v["contact_name"], v["employees"] = (
        v["address"].strip(),
        v["contact_name"].strip(),
        v["employees"] or 0,
    )
    return v


@transaction.atomic
def create_enterprise(*, actor: User, **fields: Unpack[EnterpriseFields]) -> Enterprise:
    require(actor, Capability.EDIT_PARTY, fields["area"])
    values = {**ENTERPRISE_DEFAULTS, **fields}
    enterprise = Enterprise.objects.create(**_checked(actor=actor, enterprise=None, values=values))
    _refresh_coverage(enterprise)
    audit.record_create(
        action=events.ENTERPRISE_CREATED,
        actor=actor,
        target=enterprise,
        after=_enterprise_snapshot(enterprise),
        **_where_enterprise(enterprise),
    )
    return enterprise


def _refresh_coverage(enterprise: Enterprise) -> None:
    """Recompute the enterprise's kept coverage (`rollups`) and read it back onto the object."""
    rollups.refresh([enterprise.pk])
    enterprise.refresh_from_db(fields=["full_members", "coverage"])


def _enterprise_snapshot(enterprise: Enterprise) -> audit.Snapshot:
    """The audited fields (`Enterprise.EDITABLE`), the contact phone masked."""
    values = {name: getattr(enterprise, name) for name in Enterprise.EDITABLE if name != "contact_phone"}
    values["masked_contact_phone"] = mask_phone(enterprise.contact_phone)
    return {k: audit.plain(v) for k, v in values.items()}


@transaction.atomic
def update_enterprise(*, actor: User, enterprise: Enterprise, **fields: Unpack[EnterpriseFields]) -> Enterprise:
    require(actor, Capability.EDIT_PARTY, enterprise)
    if fields["area"].pk != enterprise.area_id:
        require(actor, Capability.EDIT_PARTY, fields["area"])
    values = {**ENTERPRISE_DEFAULTS, **fields}
    checked = _checked(actor=actor, enterprise=enterprise, values=values)
    before = _enterprise_snapshot(enterprise)
    changed = model_update(enterprise, fields=Enterprise.EDITABLE, data=checked)
    if "branch" in changed:
        _refresh_coverage(enterprise)
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
def delete_enterprise(*, actor: User, enterprise: Enterprise) -> None:
    require(actor, Capability.EDIT_PARTY, enterprise)
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
    actor: User,
    enterprise: Enterprise,
    member: Member,
    position: str = "",
    since: dt.date | None = None,
) -> Employment:
    """Record that `member` works at `enterprise` (one workplace per member)."""
    require(actor, Capability.EDIT_PARTY, enterprise)
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
    rollups.refresh([enterprise.pk])
    audit.record_create(
        action=events.EMPLOYMENT_ADDED,
        actor=actor,
        target=employment,
        after=audit.snapshot(employment, ("enterprise", "member", "position", "since")),
        **_where_enterprise(enterprise),
    )
    return employment


@transaction.atomic
def remove_employment(*, actor: User, employment: Employment) -> None:
    require(actor, Capability.EDIT_PARTY, employment)
    audit.record_delete(
        action=events.EMPLOYMENT_REMOVED,
        actor=actor,
        target=employment,
        before=audit.snapshot(employment, ("enterprise", "member", "position", "since")),
        **_where_enterprise(employment.enterprise),
    )
    employment.delete()
    rollups.refresh([employment.enterprise_id])
