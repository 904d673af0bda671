"""Every write of the returnee programme (归雁工程): registering a returnee and a business, employing
a villager, recording a year's wages, recording support. Writes need ECONOMY_WRITE over the village
the record hangs at; each is atomic and writes one named audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit import services as audit
from hongniudai.common import rollups
from hongniudai.common.text import check_lengths
from hongniudai.common.tree import ancestor_ids
from hongniudai.common.updates import model_update
from hongniudai.enterprises.interface import Enterprise, may_name
from hongniudai.places.models import AreaKind, AreaNode, Resident

from . import events
from .models import (
    Business,
    BusinessKind,
    BusinessStatus,
    Employment,
    Returnee,
    Support,
    SupportKind,
    WageRecord,
)
from .policy import require

CENT = Decimal("0.01")
MAX_YUAN = Decimal("999999999999.99")


# ---- checks shared by the writes --------------------------------------------------------------


def money(value: Any, *, field: str, positive: bool = True) -> Decimal:
    """`value` yuan as a Decimal with two places; refuses what is not a number, has more than two
    decimals, is too large, or is zero or negative (negative only when `positive` is False)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("金额“%(value)s”不是有效的数字。") % {"value": value}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("金额“%(value)s”不是有效的数字。") % {"value": value}})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("金额最多保留两位小数(到分)。")})
    if amount < 0 or (positive and amount == 0):
        raise ValidationError({field: _("金额必须大于零。") if positive else _("金额不能为负数。")})
    if amount > MAX_YUAN:
        raise ValidationError({field: _("金额不能超过 999,999,999,999.99 元。")})
    return amount.quantize(CENT)


def village_of(area: AreaNode) -> AreaNode:
    """The village `area` (a hamlet, a grid or the village itself) lies in."""
    if area.kind == AreaKind.VILLAGE:
        return area
    village = AreaNode.objects.filter(pk__in=ancestor_ids(area.path), kind=AreaKind.VILLAGE).first()
    if village is None:
        raise ValidationError(_("该居民所在的湾组不属于任何村。"))
    return village


def _not_future(day: dt.date | None, field: str, label: str, errors: dict[str, str]) -> None:
    if day is None:
        errors[field] = _("请填写%(label)s。") % {"label": label}
    elif day > timezone.localdate():
        errors[field] = _("%(label)s不能晚于今天。") % {"label": label}


def _text(value: str | None) -> str:
    return (value or "").strip()


# ---- returnees --------------------------------------------------------------------------------


class ReturneeFields(TypedDict, total=False):
    """What registering or changing a returnee takes (`Returnee.EDITABLE`)."""

    returned_on: Required[dt.date]
    came_from: Required[str]
    previous_work: str
    skills: str
    note: str


def _checked_returnee(fields: ReturneeFields) -> dict[str, Any]:
    data: dict[str, Any] = {
        "returned_on": fields["returned_on"],
        "came_from": _text(fields["came_from"]),
        "previous_work": _text(fields.get("previous_work")),
        "skills": _text(fields.get("skills")),
        "note": _text(fields.get("note")),
    }
    check_lengths(Returnee, {k: v for k, v in data.items() if k != "returned_on"})
    errors: dict[str, str] = {}
    _not_future(data["returned_on"], "returned_on", _("返乡日期"), errors)
    if not data["came_from"]:
        errors["came_from"] = _("请填写返乡前所在地(城市或省份)。")
    if errors:
        raise ValidationError(errors)
    return data


def _returnee_snapshot(returnee: Returnee) -> audit.Snapshot:
    return audit.snapshot(returnee, ("resident", *Returnee.EDITABLE))


@transaction.atomic
def register_returnee(*, actor: User, resident: Resident, **fields: Unpack[ReturneeFields]) -> Returnee:
    """Register `resident` (of the actor's villages) as a returnee, once."""
    require(actor, Capability.ECONOMY_WRITE, resident)
    data = _checked_returnee(fields)
    if Returnee.objects.filter(resident=resident).exists():
        raise ValidationError({"resident": _("%(name)s 已登记为返乡能人。") % {"name": resident.name}})
    hamlet = resident.household.hamlet
    returnee = Returnee.objects.create(
        resident=resident,
        village=village_of(hamlet),
        area_path=hamlet.path,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **data,
    )
    audit.record_create(
        actor=actor,
        action=events.RETURNEE_REGISTERED,
        target=returnee,
        after=_returnee_snapshot(returnee),
        area_path=returnee.area_path,
    )
    return returnee


@transaction.atomic
def update_returnee(*, actor: User, returnee: Returnee, **fields: Unpack[ReturneeFields]) -> Returnee:
    require(actor, Capability.ECONOMY_WRITE, returnee)
    data = _checked_returnee(fields)
    before = _returnee_snapshot(returnee)
    model_update(returnee, fields=Returnee.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.RETURNEE_UPDATED,
        target=returnee,
        before=before,
        after=_returnee_snapshot(returnee),
        area_path=returnee.area_path,
    )
    return returnee


# ---- businesses -------------------------------------------------------------------------------


class BusinessFields(TypedDict, total=False):
    """What registering or changing a business takes (`Business.EDITABLE`)."""

    name: Required[str]
    kind: Required[str]
    started_on: Required[dt.date]
    investment: Decimal
    enterprise: Enterprise | None
    scale: str
    status: str
    note: str


def _checked_business(actor: User, fields: BusinessFields, *, kept: Enterprise | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": _text(fields["name"]),
        "kind": fields["kind"],
        "started_on": fields["started_on"],
        "investment": fields.get("investment", Decimal(0)),
        "enterprise": fields.get("enterprise"),
        "scale": _text(fields.get("scale")),
        "status": fields.get("status", BusinessStatus.OPERATING),
        "note": _text(fields.get("note")),
    }
    check_lengths(Business, {"name": data["name"], "scale": data["scale"], "note": data["note"]})
    errors: dict[str, str] = {}
    if not data["name"]:
        errors["name"] = _("请填写项目名称。")
    if data["kind"] not in BusinessKind.values:
        errors["kind"] = _("请选择产业类型。")
    if data["status"] not in BusinessStatus.values:
        errors["status"] = _("请选择经营状态。")
    _not_future(data["started_on"], "started_on", _("创办日期"), errors)
    try:
        data["investment"] = money(
            data["investment"] if data["investment"] is not None else 0, field="investment", positive=False
        )
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    enterprise = data["enterprise"]
    if enterprise is not None and enterprise != kept and not may_name(actor, enterprise):
        errors["enterprise"] = _("所选企业不在您的权限范围之内。")
    if errors:
        raise ValidationError(errors)
    return data


def _business_snapshot(business: Business) -> audit.Snapshot:
    return audit.snapshot(business, ("founder", "village", *Business.EDITABLE))


@transaction.atomic
def register_business(
    *, actor: User, founder: Returnee, village: AreaNode | None = None, **fields: Unpack[BusinessFields]
) -> Business:
    """Register a business `founder` started, in `village` (the founder's by default)."""
    village = village or founder.village
    if village.kind != AreaKind.VILLAGE:
        raise ValidationError({"village": _("请选择项目所在的村。")})
    require(actor, Capability.ECONOMY_WRITE, village)
    if not scope_for(actor, Capability.ECONOMY_VIEW).covers(founder):
        raise ValidationError({"founder": _("所选返乡能人不在您的权限范围之内。")})
    data = _checked_business(actor, fields, kept=None)
    if data["started_on"] < founder.returned_on:
        raise ValidationError({"started_on": _("创办日期不能早于创办人的返乡日期。")})
    business = Business.objects.create(founder=founder, village=village, area_path=village.path, **data)
    audit.record_create(
        actor=actor,
        action=events.BUSINESS_REGISTERED,
        target=business,
        after=_business_snapshot(business),
        area_path=business.area_path,
    )
    return business


@transaction.atomic
def update_business(*, actor: User, business: Business, **fields: Unpack[BusinessFields]) -> Business:
    require(actor, Capability.ECONOMY_WRITE, business)
    data = _checked_business(actor, fields, kept=business.enterprise)
    if data["started_on"] < business.founder.returned_on:
        raise ValidationError({"started_on": _("创办日期不能早于创办人的返乡日期。")})
    first_job = business.employments.order_by("started_on").values_list("started_on", flat=True).first()
    if first_job is not None and data["started_on"] > first_job:
        raise ValidationError({"started_on": _("创办日期不能晚于最早的用工开始日期(%(date)s)。") % {"date": first_job}})
    before = _business_snapshot(business)
    model_update(business, fields=Business.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.BUSINESS_UPDATED,
        target=business,
        before=before,
        after=_business_snapshot(business),
        area_path=business.area_path,
    )
    return business


# ---- employment and wages ---------------------------------------------------------------------

EMPLOYMENT_FIELDS = ("business", "resident", "household", "started_on", "ended_on", "job", "note")


def _overlapping(business: Business, resident: Resident, start: dt.date, end: dt.date | None) -> bool:
    """Whether `resident` already has an employment at `business` overlapping [start, end]."""
    overlap = Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    if end is not None:
        overlap &= Q(started_on__lte=end)
    return Employment.objects.filter(overlap, business=business, resident=resident).exists()


@transaction.atomic
def employ_resident(
    *,
    actor: User,
    business: Business,
    resident: Resident,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    job: str = "",
    note: str = "",
) -> Employment:
    """Record that `business` employs `resident` from `started_on` (to `ended_on`, open when None).
    The same resident may not be employed twice at once by the same business."""
    require(actor, Capability.ECONOMY_WRITE, business)
    job, note = _text(job), _text(note)
    check_lengths(Employment, {"job": job, "note": note})
    errors: dict[str, str] = {}
    if not scope_for(actor).covers(resident):
        errors["resident"] = _("所选居民不在您的权限范围之内。")
    _not_future(started_on, "started_on", _("用工开始日期"), errors)
    if started_on is not None and ended_on is not None and ended_on < started_on:
        errors["ended_on"] = _("用工结束日期不能早于开始日期。")
    if started_on is not None and started_on < business.started_on:
        errors["started_on"] = _("用工开始日期不能早于项目创办日期。")
    if errors:
        raise ValidationError(errors)
    # Lock the business so that two clerks cannot take the same person on twice at once.
    Business.objects.select_for_update(of=("self",)).filter(pk=business.pk).first()
    if _overlapping(business, resident, started_on, ended_on):
        raise ValidationError(
            {"resident": _("%(name)s 在该项目的用工时间与已登记的用工重叠。") % {"name": resident.name}}
        )
    employment = Employment.objects.create(
        business=business,
        resident=resident,
        household_id=resident.household_id,
        area_path=business.area_path,
        started_on=started_on,
        ended_on=ended_on,
        job=job,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record_create(
        actor=actor,
        action=events.RESIDENT_EMPLOYED,
        target=employment,
        after=audit.snapshot(employment, EMPLOYMENT_FIELDS),
        area_path=employment.area_path,
    )
    return employment


@transaction.atomic
def end_employment(*, actor: User, employment: Employment, ended_on: dt.date) -> Employment:
    """End an open employment on `ended_on` (not before it started, not after today)."""
    require(actor, Capability.ECONOMY_WRITE, employment)
    if employment.ended_on is not None:
        raise ValidationError({"ended_on": _("该用工已于 %(date)s 结束。") % {"date": employment.ended_on.isoformat()}})
    errors: dict[str, str] = {}
    _not_future(ended_on, "ended_on", _("用工结束日期"), errors)
    if ended_on is not None and ended_on < employment.started_on:
        errors["ended_on"] = _("用工结束日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(employment, EMPLOYMENT_FIELDS)
    model_update(employment, fields=("ended_on",), data={"ended_on": ended_on})
    audit.record_update(
        actor=actor,
        action=events.EMPLOYMENT_ENDED,
        target=employment,
        before=before,
        after=audit.snapshot(employment, EMPLOYMENT_FIELDS),
        area_path=employment.area_path,
    )
    return employment


@transaction.atomic
def record_wages(*, actor: User, employment: Employment, year: int, amount: Decimal, note: str = "") -> WageRecord:
    """Record what `employment` paid in `year` (yuan, two places, more than zero). A year recorded
    before is corrected (the audit keeps both figures)."""
    require(actor, Capability.ECONOMY_WRITE, employment)
    note = _text(note)
    check_lengths(WageRecord, {"note": note})
    amount = money(amount, field="amount")
    last = (employment.ended_on or timezone.localdate()).year
    if year is None or not employment.started_on.year <= year <= last:
        raise ValidationError(
            {
                "year": _("年度应在 %(first)s 至 %(last)s 年之间(用工期间)。")
                % {"first": employment.started_on.year, "last": last}
            }
        )
    record = WageRecord.objects.select_for_update(of=("self",)).filter(employment=employment, year=year).first()
    by = actor if getattr(actor, "pk", None) else None
    fields = ("employment", "year", "amount", "note")
    if record is None:
        record = WageRecord.objects.create(employment=employment, year=year, amount=amount, note=note, recorded_by=by)
        audit.record_create(
            actor=actor,
            action=events.WAGES_RECORDED,
            target=record,
            after=audit.snapshot(record, fields),
            area_path=employment.area_path,
        )
        _wages_changed(employment, year)
        return record
    before = audit.snapshot(record, fields)
    model_update(
        record, fields=("amount", "note", "recorded_by"), data={"amount": amount, "note": note, "recorded_by": by}
    )
    audit.record_update(
        actor=actor,
        action=events.WAGES_CORRECTED,
        target=record,
        before=before,
        after=audit.snapshot(record, fields),
        area_path=employment.area_path,
    )
    _wages_changed(employment, year)
    return record


def _wages_changed(employment: Employment, year: int) -> None:
    village_id = Business.objects.filter(pk=employment.business_id).values_list("village_id", flat=True).first()
    rollups.changed(rollups.PAID_TO_HOUSEHOLDS, village_id=village_id, year=year)


# ---- support ----------------------------------------------------------------------------------

SUPPORT_FIELDS = ("returnee", "business", "kind", "given_on", "amount", "given_by", "note")


@transaction.atomic
def record_support(
    *,
    actor: User,
    kind: str,
    given_on: dt.date,
    given_by: str,
    returnee: Returnee | None = None,
    business: Business | None = None,
    amount: Decimal | None = None,
    note: str = "",
) -> Support:
    """Record support given to a returnee, or to a business (and so to its founder)."""
    if business is not None:
        if returnee is not None and returnee.pk != business.founder_id:
            raise ValidationError({"returnee": _("所选返乡能人不是该项目的创办人。")})
        returnee = business.founder
        target: Returnee | Business = business
    elif returnee is not None:
        target = returnee
    else:
        raise ValidationError({"business": _("请选择扶持的返乡能人或项目。")})
    require(actor, Capability.ECONOMY_WRITE, target)
    given_by, note = _text(given_by), _text(note)
    check_lengths(Support, {"given_by": given_by, "note": note})
    errors: dict[str, str] = {}
    if kind not in SupportKind.values:
        errors["kind"] = _("请选择扶持方式。")
    _not_future(given_on, "given_on", _("扶持日期"), errors)
    if not given_by:
        errors["given_by"] = _("请填写扶持单位。")
    if amount is not None:
        try:
            amount = money(amount, field="amount")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    support = Support.objects.create(
        returnee=returnee,
        business=business,
        area_path=target.area_path,
        village_id=target.village_id,
        kind=kind,
        given_on=given_on,
        amount=amount,
        given_by=given_by,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record_create(
        actor=actor,
        action=events.SUPPORT_RECORDED,
        target=support,
        after=audit.snapshot(support, SUPPORT_FIELDS),
        area_path=support.area_path,
    )
    return support
