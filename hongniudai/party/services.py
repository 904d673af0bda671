"""Every write to the party-organisation tree, members and centre households. Keyword-only, atomic,
audited with the actions of `party.events`; each checks the actor's capability (`party.policy`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.pinyin import search_key
from hongniudai.common.text import check_lengths, length_errors
from hongniudai.common.tree import child_path
from hongniudai.common.updates import model_update
from hongniudai.places import counters as place_counters
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident

from . import contributions, events
from .models import ORG_ALLOWED_CHILDREN, CentreHousehold, Member, MemberStatus, OrgKind, PartyOrg
from .policy import can_view, require

# The audited fields: what is fixed at creation and the editable ones.
ORG_FIELDS = ("kind", *PartyOrg.EDITABLE)
MEMBER_FIELDS = ("resident", *Member.EDITABLE)


# ---- organisations ------------------------------------------------------------------------


def _clean_org(*, parent: PartyOrg | None, kind: str, branch_type: str, area: AreaNode, name: str) -> str:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写名称。")
    errors.update(length_errors(PartyOrg, {"name": name}))
    if parent is None:
        if kind != OrgKind.TOWN_COMMITTEE:
            errors["parent"] = _("只有镇党委可以作为最上级党组织。")
    elif kind not in ORG_ALLOWED_CHILDREN.get(parent.kind, ()):
        errors["kind"] = _("“%(parent)s”之下不能设立%(kind)s。") % {"parent": parent.name, "kind": OrgKind(kind).label}
    if kind == OrgKind.BRANCH and not branch_type:
        errors["branch_type"] = _("请选择支部类别。")
    if kind != OrgKind.BRANCH and branch_type:
        errors["branch_type"] = _("只有党支部需要选择支部类别。")
    if kind == OrgKind.PARTY_GROUP and area.kind != AreaKind.GRID:
        errors["area"] = _("党小组应对应一个村组(网格)。")
    if parent is not None and not area.path.startswith(parent.area.path) and kind != OrgKind.BRANCH:
        errors["area"] = _("所在地区应在上级党组织的地区范围之内。")
    if errors:
        raise ValidationError(errors)
    return name


def _refuse_same_name(parent: PartyOrg | None, name: str, *, exclude_pk: int | None = None) -> None:
    clash = PartyOrg.objects.filter(parent=parent, name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("同一上级下已有名为“%(name)s”的党组织。") % {"name": name}})


@transaction.atomic
def create_org(
    *,
    actor: User,
    name: str,
    kind: str,
    area: AreaNode,
    parent: PartyOrg | None = None,
    branch_type: str = "",
    founded_on: dt.date | None = None,
    has_committee: bool = True,
    sort_order: int = 0,
) -> PartyOrg:
    """Set up an organisation of `kind` under `parent` (a town committee at the top), at `area`."""
    if parent is not None:
        require(actor, Capability.EDIT_PARTY, parent)
    require(actor, Capability.EDIT_PARTY, area)
    name = _clean_org(parent=parent, kind=kind, branch_type=branch_type, area=area, name=name)
    _refuse_same_name(parent, name)
    org = PartyOrg(
        parent=parent,
        name=name,
        kind=kind,
        branch_type=branch_type,
        area=area,
        founded_on=founded_on,
        has_committee=has_committee,
        sort_order=sort_order,
        depth=(parent.depth + 1) if parent else 1,
        search_key=search_key(name),
    )
    org.path = f"tmp-{id(org)}"
    org.save()
    org.path = child_path(parent.path if parent else "", org.pk)
    org.save(update_fields=["path"])
    contributions.org_changed(org.pk)
    audit.record_create(
        actor=actor, action=events.ORG_CREATED, target=org, after=audit.snapshot(org, ORG_FIELDS), **audit.at_org(org)
    )
    return org


@transaction.atomic
def update_org(
    *,
    actor: User,
    org: PartyOrg,
    name: str,
    area: AreaNode,
    branch_type: str = "",
    founded_on: dt.date | None = None,
    has_committee: bool = True,
    sort_order: int = 0,
) -> PartyOrg:
    """Change an organisation's editable fields (`PartyOrg.EDITABLE`); its kind and parent stay."""
    require(actor, Capability.EDIT_PARTY, org)
    if area.pk != org.area_id:
        require(actor, Capability.EDIT_PARTY, area)
    name = _clean_org(parent=org.parent, kind=org.kind, branch_type=branch_type, area=area, name=name)
    _refuse_same_name(org.parent, name, exclude_pk=org.pk)
    before = audit.snapshot(org, ORG_FIELDS)
    data = {
        "name": name,
        "area": area,
        "branch_type": branch_type,
        "founded_on": founded_on,
        "has_committee": has_committee,
        "sort_order": sort_order,
    }
    with contributions.orgs_changing(*([org.pk] if branch_type != org.branch_type else [])):
        changed = model_update(org, fields=PartyOrg.EDITABLE, data=data)
    if "name" in changed:
        org.search_key = search_key(org.name)
        org.save(update_fields=["search_key"])
    if {"area", "founded_on", "has_committee"} & set(changed):
        contributions.org_changed(org.pk)
    audit.record_update(
        actor=actor,
        action=events.ORG_UPDATED,
        target=org,
        before=before,
        after=audit.snapshot(org, ORG_FIELDS),
        **audit.at_org(org),
    )
    return org


@transaction.atomic
def delete_org(*, actor: User, org: PartyOrg) -> None:
    """Delete an organisation with no child organisations and no members."""
    require(actor, Capability.EDIT_PARTY, org)
    if org.children.exists() or org.members.exists() or org.group_members.exists():
        raise ValidationError(_("该党组织下还有下级组织或党员,不能删除。"))
    audit.record_delete(
        actor=actor, action=events.ORG_DELETED, target=org, before=audit.snapshot(org, ORG_FIELDS), **audit.at_org(org)
    )
    with contributions.orgs_changing(org.pk):
        org.delete()


# ---- members ------------------------------------------------------------------------------


def _clean_member(
    *,
    resident: Resident,
    org: PartyOrg,
    party_group: PartyOrg | None,
    status: str,
    joined_on: dt.date,
    full_on: dt.date | None,
    post: str,
    note: str,
) -> dict[str, Any]:
    """The editable fields of a member record (`Member.EDITABLE`) once every rule holds."""
    check_lengths(Member, {"note": note})
    errors: dict[str, str] = {}
    if org.kind != OrgKind.BRANCH:
        errors["org"] = _("党员应编入党支部。")
    if party_group is not None and party_group.parent_id != org.pk:
        errors["party_group"] = _("党小组必须属于所选党支部。")
    if joined_on and resident.birth_date and resident.age(joined_on) < 18:
        errors["joined_on"] = _("入党时应年满 18 周岁。")
    if status == MemberStatus.PROBATIONARY and full_on:
        errors["full_on"] = _("预备党员尚未转正,不应填写转正日期。")
    if full_on and joined_on and full_on < joined_on:
        errors["full_on"] = _("转正日期不能早于入党日期。")
    if errors:
        raise ValidationError(errors)
    values = {
        "org": org,
        "party_group": party_group,
        "status": status,
        "joined_on": joined_on,
        "full_on": full_on,
        "post": post,
        "note": note,
    }
    return {name: values[name] for name in Member.EDITABLE}


@transaction.atomic
def create_member(
    *,
    actor: User,
    resident: Resident,
    org: PartyOrg,
    joined_on: dt.date,
    status: str = MemberStatus.FULL,
    party_group: PartyOrg | None = None,
    full_on: dt.date | None = None,
    post: str = "",
    note: str = "",
) -> Member:
    """Open the party-member record of `resident` in branch `org`."""
    require(actor, Capability.EDIT_PARTY, org)
    if not can_view(actor, resident):
        raise PermissionDenied(_("您无权查看该居民。"))
    if Member.objects.filter(resident=resident).exists():
        raise ValidationError({"resident": _("该居民已有党员档案。")})
    data = _clean_member(
        resident=resident,
        org=org,
        party_group=party_group,
        status=status,
        joined_on=joined_on,
        full_on=full_on,
        post=post,
        note=note,
    )
    member = Member.objects.create(resident=resident, **data)
    place_counters.refresh(resident.household.hamlet_id)
    audit.record_create(
        actor=actor,
        action=events.MEMBER_CREATED,
        target=member,
        after=audit.snapshot(member, MEMBER_FIELDS),
        **audit.at_org(org),
    )
    return member


@transaction.atomic
def update_member(
    *,
    actor: User,
    member: Member,
    org: PartyOrg,
    joined_on: dt.date,
    status: str,
    party_group: PartyOrg | None = None,
    full_on: dt.date | None = None,
    post: str = "",
    note: str = "",
) -> Member:
    """Change a member's record (`Member.EDITABLE`); the resident stays."""
    require(actor, Capability.EDIT_PARTY, member)
    if org.pk != member.org_id:
        require(actor, Capability.EDIT_PARTY, org)
    data = _clean_member(
        resident=member.resident,
        org=org,
        party_group=party_group,
        status=status,
        joined_on=joined_on,
        full_on=full_on,
        post=post,
        note=note,
    )
    before = audit.snapshot(member, MEMBER_FIELDS)
    with contributions.members_changing(*([member.pk] if status != member.status else [])):
        model_update(member, fields=Member.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.MEMBER_UPDATED,
        target=member,
        before=before,
        after=audit.snapshot(member, MEMBER_FIELDS),
        **audit.at_org(org),
    )
    return member


@transaction.atomic
def place_member_in_group(*, actor: User, member: Member, group: PartyOrg | None) -> Member:
    """Place a member in a party group of their own branch (党员编入党小组), or take them out of
    their group (None). A group of another branch is refused."""
    require(actor, Capability.EDIT_PARTY, member)
    if group is not None:
        if group.kind != OrgKind.PARTY_GROUP:
            raise ValidationError({"party_group": _("请选择党小组。")})
        if group.parent_id != member.org_id:
            raise ValidationError({"party_group": _("党小组必须属于该党员所在的党支部。")})
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = audit.snapshot(member, MEMBER_FIELDS)
    model_update(member, fields=Member.EDITABLE, data={"party_group": group})
    audit.record_update(
        actor=actor,
        action=events.MEMBER_GROUPED,
        target=member,
        before=before,
        after=audit.snapshot(member, MEMBER_FIELDS),
        **audit.at_org(member.org),
    )
    return member


@transaction.atomic
def delete_member(*, actor: User, member: Member) -> None:
    """Delete a member's record (not while they serve as a centre household)."""
    require(actor, Capability.EDIT_PARTY, member)
    if member.centre_households.exists():
        raise ValidationError(_("该党员担任党员中心户,请先另行指定。"))
    audit.record_delete(
        actor=actor,
        action=events.MEMBER_DELETED,
        target=member,
        before=audit.snapshot(member, MEMBER_FIELDS),
        **audit.at_org(member.org),
    )
    hamlet_id = member.resident.household.hamlet_id
    with contributions.members_changing(member.pk):
        member.delete()
    place_counters.refresh(hamlet_id)


# ---- centre households --------------------------------------------------------------------


def _centre_record(member: Member, households: Iterable[Household]) -> dict[str, object]:
    """What the audit keeps of a centre household: its member and its linked households' ids."""
    return {"member": str(member), "linked": sorted(str(h.pk) for h in households)}


@transaction.atomic
def set_centre_household(
    *,
    actor: User,
    hamlet: AreaNode,
    member: Member,
    linked_households: Iterable[Household] = (),
    since: dt.date | None = None,
) -> CentreHousehold:
    """Make `member` the centre household of `hamlet`, in charge of `linked_households`."""
    require(actor, Capability.EDIT_PARTY, hamlet)
    if hamlet.kind != AreaKind.HAMLET:
        raise ValidationError({"hamlet": _("党员中心户只能设在湾组。")})
    linked = list(linked_households)
    outside = [h for h in linked if not h.hamlet.path.startswith(hamlet.parent.path if hamlet.parent else "")]
    if outside:
        raise ValidationError({"linked_households": _("联系户应在本村组之内。")})
    existing = CentreHousehold.objects.filter(hamlet=hamlet).first()
    before = _centre_record(existing.member, existing.linked_households.all()) if existing else {}
    centre, _created = CentreHousehold.objects.update_or_create(
        hamlet=hamlet, defaults={"member": member, "since": since}
    )
    centre.linked_households.set(linked)
    changes = audit.diff(before, _centre_record(member, linked))
    if changes:
        audit.record(
            actor=actor,
            action=events.CENTRE_CHANGED if existing else events.CENTRE_SET,
            target=centre,
            changes=changes,
            area_path=hamlet.path,
            org_path=member.org.path,
        )
    return centre


@transaction.atomic
def remove_centre_household(*, actor: User, centre: CentreHousehold) -> None:
    """Withdraw a hamlet's centre household."""
    require(actor, Capability.EDIT_PARTY, centre)
    audit.record_delete(
        actor=actor,
        action=events.CENTRE_REMOVED,
        target=centre,
        before={"member": str(centre.member)},
        area_path=centre.hamlet.path,
    )
    centre.delete()
