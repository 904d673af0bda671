"""Writes to households and residents: registering, changing, moving within the actor's scope,
deleting, and revealing an ID number. A registration of someone on file outside the actor's scope
goes to the town (`reviews`)."""

from __future__ import annotations

from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit
from hongniudai.common.identity import (
    decrypt_id_number,
    encrypt_id_number,
    id_number_digest,
    normalize_phone,
    parse_citizen_id,
)
from hongniudai.common.pinyin import name_pinyin
from hongniudai.common.text import check_lengths, limit
from hongniudai.common.updates import model_update

from .. import counters, events, selectors
from ..models import AreaKind, AreaNode, Household, Relation, Resident
from ..policy import require
from .records import resident_snapshot
from .reviews import request_registration_review, review_requested_message

# The fields an ID number sets (beside `Resident.EDITABLE`), and the pinyin kept for search.
IDENTITY_FIELDS = ("id_digest", "id_cipher", "id_masked", "birth_date", "sex")
PINYIN_FIELDS = ("name_pinyin", "name_initials")


# ---- households ---------------------------------------------------------------------------


def _check_hamlet(actor: User, hamlet: AreaNode) -> None:
    if hamlet.kind != AreaKind.HAMLET:
        raise ValidationError({"hamlet": _("住户只能登记在湾组之下。")})
    require(actor, Capability.EDIT_PEOPLE, hamlet)


def _clean_household(*, address: str, number: str, note: str) -> dict[str, str]:
    if not address.strip():
        raise ValidationError({"address": _("请填写住址。")})
    cleaned = {"address": address.strip(), "number": number.strip(), "note": note}
    check_lengths(Household, cleaned)
    return cleaned


@transaction.atomic
def create_household(
    *,
    actor: User,
    hamlet: AreaNode,
    address: str,
    number: str = "",
    is_formerly_poor: bool = False,
    is_monitored: bool = False,
    note: str = "",
) -> Household:
    """Register a household in `hamlet` (its members and head come after)."""
    _check_hamlet(actor, hamlet)
    cleaned = _clean_household(address=address, number=number, note=note)
    household = Household.objects.create(
        hamlet=hamlet, is_formerly_poor=is_formerly_poor, is_monitored=is_monitored, **cleaned
    )
    counters.refresh(hamlet.pk)
    audit.record_create(
        actor=actor,
        action=events.HOUSEHOLD_CREATED,
        target=household,
        after=audit.snapshot(household, Household.EDITABLE),
        area_path=hamlet.path,
    )
    return household


@transaction.atomic
def update_household(
    *,
    actor: User,
    household: Household,
    hamlet: AreaNode,
    address: str,
    number: str = "",
    head: Resident | None = None,
    is_formerly_poor: bool = False,
    is_monitored: bool = False,
    note: str = "",
) -> Household:
    """Change a household (`Household.EDITABLE`); its head must be one of its members."""
    require(actor, Capability.EDIT_PEOPLE, household)
    if hamlet.pk != household.hamlet_id:
        _check_hamlet(actor, hamlet)
    if head is not None and head.household_id != household.pk:
        raise ValidationError({"head": _("户主必须是本户成员。")})
    cleaned = _clean_household(address=address, number=number, note=note)
    before = audit.snapshot(household, Household.EDITABLE)
    old_hamlet_id = household.hamlet_id
    data = {"hamlet": hamlet, "head": head, "is_formerly_poor": is_formerly_poor, "is_monitored": is_monitored}
    model_update(household, fields=Household.EDITABLE, data={**data, **cleaned})
    if old_hamlet_id != hamlet.pk:
        counters.refresh(old_hamlet_id, hamlet.pk)
    audit.record_update(
        actor=actor,
        action=events.HOUSEHOLD_UPDATED,
        target=household,
        before=before,
        after=audit.snapshot(household, Household.EDITABLE),
        area_path=hamlet.path,
    )
    return household


@transaction.atomic
def delete_household(*, actor: User, household: Household) -> None:
    """Delete a household that has no members left."""
    require(actor, Capability.EDIT_PEOPLE, household)
    if household.members.exists():
        raise ValidationError(_("该户还有成员,请先迁出或删除成员。"))
    audit.record_delete(
        actor=actor,
        action=events.HOUSEHOLD_DELETED,
        target=household,
        before=audit.snapshot(household, Household.EDITABLE),
        area_path=household.hamlet.path,
    )
    hamlet_id = household.hamlet_id
    household.delete()
    counters.refresh(hamlet_id)


# ---- residents ----------------------------------------------------------------------------


def _clean_id_number(
    *, actor: User, id_number: str, sex: str, exclude_pk: int | None, errors: dict[str, list[str]]
) -> dict[str, Any]:
    """The identity fields of a valid ID number not registered to anyone else the actor sees."""
    try:
        cid = parse_citizen_id(id_number, sex=sex or None)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
        return {}
    digest = id_number_digest(cid.number)
    clash = Resident.objects.filter(id_digest=digest)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    other = clash.select_related("household__hamlet").first()
    if other is not None and scope_for(actor).covers(other):
        errors["id_number"] = [_("该身份证号已登记。")]
    elif other is not None:  # registered outside the actor's scope: say no more than that
        errors["id_number"] = [_("该身份证号的登记需经镇里审核,请联系镇管理员。")]
    return {
        "id_digest": digest,
        "id_cipher": encrypt_id_number(cid.number),
        "id_masked": cid.masked,
        "birth_date": cid.birth_date,
        "sex": cid.sex,
    }


def _clean_resident_fields(
    *, actor: User, name: str, id_number: str, sex: str, phone: str, exclude_pk: int | None
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写姓名。")]
    elif len(name) > limit(Resident, "name"):
        errors["name"] = [_("姓名不能超过 %(limit)d 字。") % {"limit": limit(Resident, "name")}]
    out["name"] = name
    if id_number:
        out.update(_clean_id_number(actor=actor, id_number=id_number, sex=sex, exclude_pk=exclude_pk, errors=errors))
    try:
        out["phone"] = normalize_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return out


class ResidentFields(TypedDict, total=False):
    """What registering a resident takes besides the household (the keywords of `_register_resident` below):
    the name and the ID number always, the rest as that function's defaults have them."""

    name: Required[str]
    id_number: Required[str]
    sex: str
    phone: str
    relation: str
    is_veteran: bool
    is_returnee: bool
    is_disabled: bool
    note: str


def create_resident(*, actor: User, household: Household, **fields: Unpack[ResidentFields]) -> Resident:
    """Register a resident in `household`. An ID number already registered outside the actor's scope is
    not confirmed: the registration is refused with a message that the town reviews it, and a review
    request is recorded for the town (in its own transaction, so the refusal does not undo it)."""
    require(actor, Capability.EDIT_PEOPLE, household)
    name = (fields["name"] or "").strip()
    check_lengths(Resident, {"name": name, "note": fields.get("note", "")})
    elsewhere = selectors.registered_elsewhere(actor, fields["id_number"] or "")
    if elsewhere is not None and name:
        relation = fields.get("relation", Relation.OTHER)
        request_registration_review(actor=actor, household=household, resident=elsewhere, name=name, relation=relation)
        raise ValidationError({"id_number": [review_requested_message()]})
    return _register_resident(actor=actor, household=household, **fields)


@transaction.atomic
def _register_resident(
    *,
    actor: User,
    household: Household,
    name: str,
    id_number: str,
    sex: str = "",
    phone: str = "",
    relation: str = Relation.OTHER,
    is_veteran: bool = False,
    is_returnee: bool = False,
    is_disabled: bool = False,
    note: str = "",
) -> Resident:
    require(actor, Capability.EDIT_PEOPLE, household)
    check_lengths(Resident, {"note": note})
    if not (id_number or "").strip():
        raise ValidationError({"id_number": [_("请填写身份证号。")]})
    fields = _clean_resident_fields(actor=actor, name=name, id_number=id_number, sex=sex, phone=phone, exclude_pk=None)
    full, initials = name_pinyin(fields["name"])
    resident = Resident.objects.create(
        household=household,
        name_pinyin=full,
        name_initials=initials,
        relation=relation,
        is_veteran=is_veteran,
        is_returnee=is_returnee,
        is_disabled=is_disabled,
        note=note,
        **fields,
    )
    if relation == Relation.HEAD and household.head_id is None:
        household.head = resident
        household.save(update_fields=["head"])
    counters.refresh(household.hamlet_id)
    audit.record_create(
        actor=actor,
        action=events.RESIDENT_CREATED,
        target=resident,
        after=resident_snapshot(resident),
        area_path=household.hamlet.path,
    )
    return resident


@transaction.atomic
def update_resident(
    *,
    actor: User,
    resident: Resident,
    household: Household,
    name: str,
    id_number: str = "",
    sex: str = "",
    phone: str = "",
    relation: str = Relation.OTHER,
    is_veteran: bool = False,
    is_returnee: bool = False,
    is_disabled: bool = False,
    note: str = "",
) -> Resident:
    """Update a resident (`Resident.EDITABLE`); a blank `id_number` keeps the one on file (it is never
    shown whole)."""
    require(actor, Capability.EDIT_PEOPLE, resident)
    if household.pk != resident.household_id:
        require(actor, Capability.EDIT_PEOPLE, household)
    check_lengths(Resident, {"note": note})
    if not id_number and sex and sex != resident.sex:
        raise ValidationError({"sex": [_("性别与身份证号不符。")]})
    fields = _clean_resident_fields(
        actor=actor, name=name, id_number=id_number, sex=sex or resident.sex, phone=phone, exclude_pk=resident.pk
    )
    before = resident_snapshot(resident)
    old_household = resident.household
    full, initials = name_pinyin(fields["name"])
    data = {
        **fields,
        "name_pinyin": full,
        "name_initials": initials,
        "household": household,
        "relation": relation,
        "is_veteran": is_veteran,
        "is_returnee": is_returnee,
        "is_disabled": is_disabled,
        "note": note,
    }
    model_update(resident, fields=(*Resident.EDITABLE, *IDENTITY_FIELDS, *PINYIN_FIELDS), data=data)
    if old_household.pk != household.pk and old_household.head_id == resident.pk:
        old_household.head = None
        old_household.save(update_fields=["head"])
    if old_household.hamlet_id != household.hamlet_id:
        counters.refresh(old_household.hamlet_id, household.hamlet_id)
    audit.record_update(
        actor=actor,
        action=events.RESIDENT_UPDATED,
        target=resident,
        before=before,
        after=resident_snapshot(resident),
        area_path=household.hamlet.path,
    )
    return resident


@transaction.atomic
def delete_resident(*, actor: User, resident: Resident) -> None:
    """Delete a resident who has no party-member record; a head leaves the household headless."""
    require(actor, Capability.EDIT_PEOPLE, resident)
    if hasattr(resident, "party_member"):
        raise ValidationError(_("该居民是党员,请先处理其党员档案。"))
    household = resident.household
    if household.head_id == resident.pk:
        household.head = None
        household.save(update_fields=["head"])
    audit.record_delete(
        actor=actor,
        action=events.RESIDENT_DELETED,
        target=resident,
        before=resident_snapshot(resident),
        area_path=household.hamlet.path,
    )
    resident.delete()
    counters.refresh(household.hamlet_id)


@transaction.atomic
def reveal_id_number(*, actor: User, resident: Resident) -> str:
    """The whole ID number, for a user holding the reveal permission over the resident; audited."""
    if not user_can(actor, Capability.REVEAL_ID, resident):
        raise PermissionDenied(_("您没有查看完整身份证号的权限。"))
    audit.record(actor=actor, action=audit_actions.REVEAL_ID, target=resident, area_path=resident.household.hamlet.path)
    return decrypt_id_number(resident.id_cipher)
