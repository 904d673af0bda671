"""Every write to the area tree, households and residents. Keyword-only, atomic, audited;
each checks that the actor holds the capability over the node it writes to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit
from hongniudai.common import geo
from hongniudai.common.identity import (
    encrypt_id_number,
    id_number_digest,
    normalize_phone,
    parse_citizen_id,
)
from hongniudai.common.text import check_lengths, limit
from hongniudai.common.tree import child_path

from . import counters, events
from .models import (
    ALLOWED_CHILDREN,
    CODE_LENGTH,
    AreaKind,
    AreaNode,
    Household,
    RegistrationReview,
    Relation,
    Resident,
    ReviewStatus,
)

AREA_FIELDS = ("name", "kind", "is_community", "code", "geometry", "sort_order")
HOUSEHOLD_FIELDS = ("hamlet", "number", "address", "head", "is_formerly_poor", "is_monitored", "note")
REVIEW_FIELDS = ("resident", "household", "name", "relation", "status", "reason", "decided_by")
# Personal data is audited in its masked form only.
RESIDENT_FIELDS = (
    "household",
    "name",
    "id_masked",
    "sex",
    "birth_date",
    "masked_phone",
    "relation",
    "is_veteran",
    "is_returnee",
    "is_disabled",
    "note",
)


def _require(actor: Any, capability: Capability, obj: Any) -> None:
    if not user_can(actor, capability, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def _resident_snapshot(resident: Resident) -> dict[str, Any]:
    from hongniudai.common.identity import mask_phone

    snap = audit.snapshot(resident, [f for f in RESIDENT_FIELDS if f != "masked_phone"])
    snap["masked_phone"] = mask_phone(resident.phone)
    return snap


# ---- areas --------------------------------------------------------------------------------


def _clean_area(*, kind: str, parent: AreaNode | None, code: str, geometry: Any, name: str) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写名称。")
    if parent is None:
        if kind != AreaKind.COUNTY and kind != AreaKind.TOWN:
            errors["parent"] = _("只有县或镇可以作为最上级地区。")
    elif kind not in ALLOWED_CHILDREN.get(parent.kind, ()):
        errors["kind"] = _("“%(parent)s”(%(pkind)s)之下不能设立%(kind)s。") % {
            "parent": parent.name,
            "pkind": parent.kind_label,
            "kind": AreaKind(kind).label,
        }
    code = (code or "").strip()
    if code:
        expected = CODE_LENGTH.get(kind)
        if not code.isdigit():
            errors["code"] = _("统计代码只能由数字组成。")
        elif expected and len(code) != expected:
            errors["code"] = _("%(kind)s的统计代码应为 %(n)s 位数字。") % {"kind": AreaKind(kind).label, "n": expected}
        elif not expected and len(code) not in (6, 9, 12):
            errors["code"] = _("统计代码应为 6、9 或 12 位数字。")
    if geometry not in (None, "", {}):
        try:
            geometry = geo.clean_geojson(geometry)
        except ValidationError as exc:
            errors["geometry"] = exc.messages[0]
    else:
        geometry = None
    if errors:
        raise ValidationError(errors)
    return {"name": name, "code": code, "geometry": geometry}


@transaction.atomic
def create_area(
    *,
    actor: Any,
    name: str,
    kind: str,
    parent: AreaNode | None = None,
    code: str = "",
    geometry: Any = None,
    is_community: bool = False,
    sort_order: int = 0,
) -> AreaNode:
    if parent is None:
        if not getattr(actor, "is_superuser", False) and actor is not None:
            raise PermissionDenied(_("只有系统管理员可以建立最上级地区。"))
    else:
        _require(actor, Capability.EDIT_PLACES, parent)
    cleaned = _clean_area(kind=kind, parent=parent, code=code, geometry=geometry, name=name)
    check_lengths(AreaNode, cleaned)
    if AreaNode.objects.filter(parent=parent, name=cleaned["name"]).exists():
        raise ValidationError({"name": _("同一上级下已有名为“%(name)s”的地区。") % {"name": cleaned["name"]}})
    area = AreaNode(parent=parent, kind=kind, is_community=is_community, sort_order=sort_order, **cleaned)
    area.path = f"tmp-{id(area)}"
    area.depth = (parent.depth + 1) if parent else 1
    area.save()
    area.path = child_path(parent.path if parent else "", area.pk)
    area.save(update_fields=["path"])
    audit.record_create(actor=actor, target=area, after=audit.snapshot(area, AREA_FIELDS), area_path=area.path)
    return area


@transaction.atomic
def update_area(
    *,
    actor: Any,
    area: AreaNode,
    name: str,
    code: str = "",
    geometry: Any = None,
    is_community: bool = False,
    sort_order: int = 0,
) -> AreaNode:
    _require(actor, Capability.EDIT_PLACES, area)
    cleaned = _clean_area(kind=area.kind, parent=area.parent, code=code, geometry=geometry, name=name)
    check_lengths(AreaNode, cleaned)
    if AreaNode.objects.filter(parent=area.parent, name=cleaned["name"]).exclude(pk=area.pk).exists():
        raise ValidationError({"name": _("同一上级下已有名为“%(name)s”的地区。") % {"name": cleaned["name"]}})
    before = audit.snapshot(area, AREA_FIELDS)
    for key, value in {**cleaned, "is_community": is_community, "sort_order": sort_order}.items():
        setattr(area, key, value)
    area.save()
    audit.record_update(
        actor=actor, target=area, before=before, after=audit.snapshot(area, AREA_FIELDS), area_path=area.path
    )
    return area


@transaction.atomic
def delete_area(*, actor: Any, area: AreaNode) -> None:
    _require(actor, Capability.EDIT_PLACES, area)
    if area.children.exists() or area.households.exists() or area.party_orgs.exists():
        raise ValidationError(_("该地区下还有下级地区、住户或党组织,不能删除。"))
    audit.record_delete(actor=actor, target=area, before=audit.snapshot(area, AREA_FIELDS), area_path=area.path)
    area.delete()


# ---- households ---------------------------------------------------------------------------


def _check_hamlet(actor: Any, hamlet: AreaNode) -> None:
    if hamlet.kind != AreaKind.HAMLET:
        raise ValidationError({"hamlet": _("住户只能登记在湾组之下。")})
    _require(actor, Capability.EDIT_PEOPLE, hamlet)


@transaction.atomic
def create_household(
    *,
    actor: Any,
    hamlet: AreaNode,
    address: str,
    number: str = "",
    is_formerly_poor: bool = False,
    is_monitored: bool = False,
    note: str = "",
) -> Household:
    _check_hamlet(actor, hamlet)
    if not address.strip():
        raise ValidationError({"address": _("请填写住址。")})
    check_lengths(Household, {"address": address.strip(), "number": number.strip(), "note": note})
    household = Household.objects.create(
        hamlet=hamlet,
        address=address.strip(),
        number=number.strip(),
        is_formerly_poor=is_formerly_poor,
        is_monitored=is_monitored,
        note=note,
    )
    counters.refresh(hamlet.pk)
    audit.record_create(
        actor=actor, target=household, after=audit.snapshot(household, HOUSEHOLD_FIELDS), area_path=hamlet.path
    )
    return household


@transaction.atomic
def update_household(
    *,
    actor: Any,
    household: Household,
    hamlet: AreaNode,
    address: str,
    number: str = "",
    head: Resident | None = None,
    is_formerly_poor: bool = False,
    is_monitored: bool = False,
    note: str = "",
) -> Household:
    _require(actor, Capability.EDIT_PEOPLE, household)
    if hamlet.pk != household.hamlet_id:
        _check_hamlet(actor, hamlet)
    if head is not None and head.household_id != household.pk:
        raise ValidationError({"head": _("户主必须是本户成员。")})
    if not address.strip():
        raise ValidationError({"address": _("请填写住址。")})
    check_lengths(Household, {"address": address.strip(), "number": number.strip(), "note": note})
    before = audit.snapshot(household, HOUSEHOLD_FIELDS)
    old_hamlet_id = household.hamlet_id
    household.hamlet = hamlet
    household.address = address.strip()
    household.number = number.strip()
    household.head = head
    household.is_formerly_poor = is_formerly_poor
    household.is_monitored = is_monitored
    household.note = note
    household.save()
    if old_hamlet_id != hamlet.pk:
        counters.refresh(old_hamlet_id, hamlet.pk)
    audit.record_update(
        actor=actor,
        target=household,
        before=before,
        after=audit.snapshot(household, HOUSEHOLD_FIELDS),
        area_path=hamlet.path,
    )
    return household


@transaction.atomic
def delete_household(*, actor: Any, household: Household) -> None:
    _require(actor, Capability.EDIT_PEOPLE, household)
    if household.members.exists():
        raise ValidationError(_("该户还有成员,请先迁出或删除成员。"))
    audit.record_delete(
        actor=actor,
        target=household,
        before=audit.snapshot(household, HOUSEHOLD_FIELDS),
        area_path=household.hamlet.path,
    )
    hamlet_id = household.hamlet_id
    household.delete()
    counters.refresh(hamlet_id)


# ---- residents ----------------------------------------------------------------------------


def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a Chinese name: 张圣福 → ("zhang sheng fu", "zsf")."""
    full = lazy_pinyin(name, errors="default")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return " ".join(full).lower()[:200], "".join(initials).lower()[:50]


def _clean_resident_fields(
    *, actor: Any, name: str, id_number: str, sex: str, phone: str, exclude_pk: int | None
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
        try:
            cid = parse_citizen_id(id_number, sex=sex or None)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            digest = id_number_digest(cid.number)
            clash = Resident.objects.filter(id_digest=digest)
            if exclude_pk:
                clash = clash.exclude(pk=exclude_pk)
            other = clash.select_related("household__hamlet").first()
            if other is not None and scope_for(actor).covers(other):
                errors["id_number"] = [_("该身份证号已登记。")]
            elif other is not None:  # registered outside the actor's scope: say no more than that
                errors["id_number"] = [_("该身份证号的登记需经镇里审核,请联系镇管理员。")]
            out.update(
                id_digest=digest,
                id_cipher=encrypt_id_number(cid.number),
                id_masked=cid.masked,
                birth_date=cid.birth_date,
                sex=cid.sex,
            )
    try:
        out["phone"] = normalize_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return out


def create_resident(
    *,
    actor: Any,
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
    """Register a resident in `household`. An ID number already registered outside the actor's scope is
    not confirmed: the registration is refused with a message that the town reviews it, and a review
    request is recorded for the town (in its own transaction, so the refusal does not undo it)."""
    _require(actor, Capability.EDIT_PEOPLE, household)
    check_lengths(Resident, {"name": (name or "").strip(), "note": note})
    elsewhere = registered_elsewhere(actor, id_number or "")
    if elsewhere is not None and (name or "").strip():
        request_registration_review(
            actor=actor, household=household, resident=elsewhere, name=name.strip(), relation=relation
        )
        raise ValidationError({"id_number": [review_requested_message()]})
    return _register_resident(
        actor=actor,
        household=household,
        name=name,
        id_number=id_number,
        sex=sex,
        phone=phone,
        relation=relation,
        is_veteran=is_veteran,
        is_returnee=is_returnee,
        is_disabled=is_disabled,
        note=note,
    )


@transaction.atomic
def _register_resident(
    *,
    actor: Any,
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
    _require(actor, Capability.EDIT_PEOPLE, household)
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
        actor=actor, target=resident, after=_resident_snapshot(resident), area_path=household.hamlet.path
    )
    return resident


@transaction.atomic
def update_resident(
    *,
    actor: Any,
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
    """Update a resident; a blank `id_number` keeps the one on file (it is never shown whole)."""
    _require(actor, Capability.EDIT_PEOPLE, resident)
    if household.pk != resident.household_id:
        _require(actor, Capability.EDIT_PEOPLE, household)
    check_lengths(Resident, {"note": note})
    if not id_number and sex and sex != resident.sex:
        raise ValidationError({"sex": [_("性别与身份证号不符。")]})
    fields = _clean_resident_fields(
        actor=actor, name=name, id_number=id_number, sex=sex or resident.sex, phone=phone, exclude_pk=resident.pk
    )
    before = _resident_snapshot(resident)
    old_household = resident.household
    for key, value in fields.items():
        setattr(resident, key, value)
    resident.name_pinyin, resident.name_initials = name_pinyin(resident.name)
    resident.household = household
    resident.relation = relation
    resident.is_veteran, resident.is_returnee, resident.is_disabled = is_veteran, is_returnee, is_disabled
    resident.note = note
    resident.save()
    if old_household.pk != household.pk and old_household.head_id == resident.pk:
        old_household.head = None
        old_household.save(update_fields=["head"])
    if old_household.hamlet_id != household.hamlet_id:
        counters.refresh(old_household.hamlet_id, household.hamlet_id)
    audit.record_update(
        actor=actor,
        target=resident,
        before=before,
        after=_resident_snapshot(resident),
        area_path=household.hamlet.path,
    )
    return resident


@transaction.atomic
def delete_resident(*, actor: Any, resident: Resident) -> None:
    _require(actor, Capability.EDIT_PEOPLE, resident)
    if hasattr(resident, "party_member"):
        raise ValidationError(_("该居民是党员,请先处理其党员档案。"))
    household = resident.household
    if household.head_id == resident.pk:
        household.head = None
        household.save(update_fields=["head"])
    audit.record_delete(
        actor=actor, target=resident, before=_resident_snapshot(resident), area_path=household.hamlet.path
    )
    resident.delete()
    counters.refresh(household.hamlet_id)


@transaction.atomic
def reveal_id_number(*, actor: Any, resident: Resident) -> str:
    """The whole ID number, for a user holding the reveal permission over the resident; audited."""
    if not user_can(actor, Capability.REVEAL_ID, resident):
        raise PermissionDenied(_("您没有查看完整身份证号的权限。"))
    from hongniudai.common.identity import decrypt_id_number

    audit.record(actor=actor, action=audit_actions.REVEAL_ID, target=resident, area_path=resident.household.hamlet.path)
    return decrypt_id_number(resident.id_cipher)


def can_reveal(actor: Any, resident: Resident) -> bool:
    return scope_for(actor, Capability.REVEAL_ID).covers(resident)


# ---- registrations the town reviews -------------------------------------------------------


def review_requested_message() -> str:
    """What a user hears when a registration goes to the town: no more than that."""
    return _("该居民的登记需经镇里审核,已提交审核申请。")


def registered_elsewhere(actor: Any, id_number: str) -> Resident | None:
    """The resident registered with `id_number` whom `actor` may not see; None when the number is
    invalid, new, or registered within the actor's scope (where the usual message applies)."""
    try:
        cid = parse_citizen_id(id_number)
    except ValidationError:
        return None
    other = Resident.objects.filter(id_digest=id_number_digest(cid.number)).select_related("household__hamlet").first()
    if other is None or scope_for(actor).covers(other):
        return None
    return other


@transaction.atomic
def request_registration_review(
    *, actor: Any, household: Household, resident: Resident, name: str, relation: str = Relation.OTHER
) -> RegistrationReview:
    """Ask the town to move `resident` (registered outside the actor's scope) into `household`. A
    pending request for the same person and household is not repeated."""
    _require(actor, Capability.EDIT_PEOPLE, household)
    pending = RegistrationReview.objects.filter(
        resident=resident, household=household, status=ReviewStatus.PENDING
    ).first()
    if pending is not None:
        return pending
    review = RegistrationReview.objects.create(
        resident=resident,
        household=household,
        name=name[:50],
        relation=relation if relation in Relation.values else Relation.OTHER,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record_create(
        actor=actor, target=review, after=audit.snapshot(review, REVIEW_FIELDS), area_path=household.hamlet.path
    )
    return review


def _require_reviewer(actor: Any, review: RegistrationReview) -> None:
    if not (
        user_can(actor, Capability.EDIT_PLACES, review) and user_can(actor, Capability.EDIT_PLACES, review.resident)
    ):
        raise PermissionDenied(_("登记审核由镇管理员办理;该居民现登记地不在您的范围之内。"))
    if review.status != ReviewStatus.PENDING:
        raise ValidationError(_("该申请已审核,不能再次处理。"))


def _locked_review(review: RegistrationReview) -> RegistrationReview:
    return (
        RegistrationReview.objects.select_for_update(of=("self",))
        .select_related("resident__household__hamlet", "household__hamlet")
        .get(pk=review.pk)
    )


@transaction.atomic
def approve_registration_review(*, actor: Any, review: RegistrationReview) -> Resident:
    """Move the resident into the requested household: a move between villages, audited as such; the
    counters of both hamlets are recomputed and the old household loses the resident as its head."""
    review = _locked_review(review)
    _require_reviewer(actor, review)
    resident, target = review.resident, review.household
    old = resident.household
    before = _resident_snapshot(resident)
    resident.household = target
    resident.relation = review.relation
    resident.save(update_fields=["household", "relation", "updated_at"])
    if old.head_id == resident.pk:
        old.head = None
        old.save(update_fields=["head"])
    if review.relation == Relation.HEAD and target.head_id is None:
        target.head = resident
        target.save(update_fields=["head"])
    counters.refresh(old.hamlet_id, target.hamlet_id)
    changes = audit.diff(before, _resident_snapshot(resident))
    changes["hamlet"] = [str(old.hamlet), str(target.hamlet)]
    audit.record(
        actor=actor,
        action=events.RESIDENT_MOVED,
        target=resident,
        changes=changes,
        note=_("登记审核同意迁入"),
        area_path=target.hamlet.path,
    )
    _decide(actor, review, ReviewStatus.APPROVED)
    return resident


@transaction.atomic
def reject_registration_review(*, actor: Any, review: RegistrationReview, reason: str) -> RegistrationReview:
    """Refuse the move, with a reason for the village that asked."""
    review = _locked_review(review)
    _require_reviewer(actor, review)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写驳回理由。")})
    check_lengths(RegistrationReview, {"reason": reason})
    review.reason = reason
    return _decide(actor, review, ReviewStatus.REJECTED)


def _decide(actor: Any, review: RegistrationReview, status: str) -> RegistrationReview:
    before = audit.snapshot(review, REVIEW_FIELDS)
    review.status = status
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record_update(
        actor=actor,
        target=review,
        before=before,
        after=audit.snapshot(review, REVIEW_FIELDS),
        area_path=review.household.hamlet.path,
    )
    return review
