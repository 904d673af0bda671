"""Every write to parcels and transfer contracts: registering a household's parcel, signing a
contract, adding the parcels it transfers (never more than a parcel's area across the active
contracts that overlap in time), ending it. The rent schedule and the money are in `rent`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.collective.interface import Decision, DecisionSubject, EconomicOrg
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.common.uploads import anonymise, check_upload
from hongniudai.enterprises.interface import Enterprise, may_name
from hongniudai.places.models import AreaKind, AreaNode, Household

from . import events, geometry, rent
from .models import (
    ContractParcel,
    ContractStatus,
    LandGrade,
    LandKind,
    Parcel,
    PaymentCycle,
    TransferContract,
    TransferKind,
)
from .policy import require
from .schedule import has_more_than_two_decimals

DOCUMENT_LIMIT = 20 * 1024 * 1024
MAX_AREA = Decimal("9999999999.99")
MAX_MONEY = Decimal("999999999999.99")


def village_of(household: Household) -> AreaNode:
    """The village a household's hamlet lies in."""
    village = AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__in=_prefixes(household.hamlet.path)).first()
    if village is None:
        raise ValidationError({"household": _("该户不在任何村。")})
    return village


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def check_area(value: Any, field: str, errors: dict[str, str], *, required: bool = True) -> None:
    """An area in mu: more than zero, at most two decimals."""
    if value is None:
        if required:
            errors[field] = _("请填写面积。")
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        errors[field] = _("面积须是数字。")
    elif value <= 0:
        errors[field] = _("面积必须大于零。")
    elif has_more_than_two_decimals(value):
        errors[field] = _("面积最多保留两位小数。")
    elif value > MAX_AREA:
        errors[field] = _("面积过大。")


def check_money(value: Any, field: str, errors: dict[str, str]) -> None:
    """An amount in yuan: more than zero, at most two decimals (to the fen)."""
    if value is None:
        errors[field] = _("请填写金额。")
    elif not isinstance(value, Decimal) or not value.is_finite():
        errors[field] = _("金额须是数字。")
    elif value <= 0:
        errors[field] = _("金额必须大于零。")
    elif has_more_than_two_decimals(value):
        errors[field] = _("金额最多保留两位小数(到分)。")
    elif value > MAX_MONEY:
        errors[field] = _("金额过大。")


# ---- parcels ------------------------------------------------------------------------------

PARCEL_FIELDS = ("village", *Parcel.EDITABLE)


def _clean_parcel(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    data = dict(data)
    for name in ("name", "location", "warrant_number", "polygon"):
        data[name] = (data.get(name) or "").strip()
    check_lengths(Parcel, {k: data[k] for k in ("name", "location", "warrant_number", "polygon")})
    if not data["name"]:
        errors["name"] = _("请填写地块名称。")
    check_area(data.get("registered_area"), "registered_area", errors)
    check_area(data.get("measured_area"), "measured_area", errors, required=False)
    if data.get("kind") not in LandKind.values:
        errors["kind"] = _("请选择土地类型。")
    if data.get("grade") is not None and data["grade"] not in LandGrade.values:
        errors["grade"] = _("地力等级须为一等至五等。")
    lat, lng = data.get("lat"), data.get("lng")
    if (lat is None) != (lng is None):
        errors["lat"] = _("经度和纬度须同时填写。")
    elif lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors["lat"] = _("经纬度超出范围。")
    if data["polygon"] and not errors:
        area = data.get("measured_area") or data.get("registered_area")
        problems = geometry.polygon_errors(data["polygon"], area)
        if problems:
            errors["polygon"] = problems[0]
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def create_parcel(*, actor: User, household: Household, **fields: Any) -> Parcel:
    """Register a parcel that `household` contracts, in the household's village."""
    require(actor, Capability.ECONOMY_WRITE, household)
    data = _clean_parcel({"kind": LandKind.ARABLE, **fields, "household": household})
    village = village_of(household)
    values = {name: data.get(name) for name in Parcel.EDITABLE}
    parcel = Parcel.objects.create(village=village, area_path=village.path, **values)
    audit.record_create(
        actor=actor,
        action=events.PARCEL_CREATED,
        target=parcel,
        after=audit.snapshot(parcel, PARCEL_FIELDS),
        **audit.at(area=village),
    )
    return parcel


@transaction.atomic
def update_parcel(*, actor: User, parcel: Parcel, **fields: Any) -> Parcel:
    """Change a parcel; its area may not fall below what its active transfers take, and it may move
    only to a household of the same village."""
    parcel = Parcel.objects.select_for_update(of=("self",)).get(pk=parcel.pk)
    require(actor, Capability.ECONOMY_WRITE, parcel)
    current = {name: getattr(parcel, name) for name in Parcel.EDITABLE}
    data = _clean_parcel({**current, **{k: v for k, v in fields.items() if k in Parcel.EDITABLE}})
    household = data["household"]
    if household.pk != parcel.household_id:
        require(actor, Capability.ECONOMY_WRITE, household)
        if village_of(household).pk != parcel.village_id:
            raise ValidationError({"household": _("地块只能改到本村的农户名下。")})
        if ContractParcel.objects.filter(parcel=parcel).exists():
            raise ValidationError({"household": _("地块已有流转合同,不能更换承包户。")})
    area = data.get("measured_area") or data["registered_area"]
    spans = ContractParcel.objects.filter(parcel=parcel, contract__status=ContractStatus.ACTIVE).values_list(
        "contract__starts_on", "contract__ends_on"
    )
    taken = max((_transferred(parcel, starts, ends, None) for starts, ends in spans), default=Decimal(0))
    if taken > area:
        raise ValidationError(
            {"registered_area": _("流转合同已占用 %(taken)s 亩,地块面积不能少于它。") % {"taken": _mu(taken)}}
        )
    before = audit.snapshot(parcel, PARCEL_FIELDS)
    model_update(parcel, fields=Parcel.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.PARCEL_UPDATED,
        target=parcel,
        before=before,
        after=audit.snapshot(parcel, PARCEL_FIELDS),
        area_path=parcel.area_path,
    )
    return parcel


# ---- contracts ----------------------------------------------------------------------------

CONTRACT_FIELDS = ("village", *TransferContract.EDITABLE, "status")


def _clean_contract(actor: User, data: dict[str, Any], village: AreaNode) -> dict[str, Any]:
    errors: dict[str, str] = {}
    data = dict(data)
    data["number"] = (data.get("number") or "").strip()
    data["note"] = (data.get("note") or "").strip()
    check_lengths(TransferContract, {"number": data["number"], "note": data["note"]})
    if data.get("kind") not in TransferKind.values:
        errors["kind"] = _("请选择流转方式。")
    org: EconomicOrg | None = data.get("org")
    enterprise: Enterprise | None = data.get("enterprise")
    if org is None:
        errors["org"] = _("请选择流入方或代付的集体经济组织。")
    elif org.village_id != village.pk:
        errors["org"] = _("所选组织不是本村的。")
    elif org.books_id is None:
        errors["org"] = _("所选组织尚未建账,无法记录租金。")
    elif enterprise is not None and org.founded_by_id is not None:
        errors["org"] = _("流入方为企业时,须由本村集体经济组织(而非合作社)代为收付租金。")
    if enterprise is not None and not may_name(actor, enterprise):
        errors["enterprise"] = _("所选企业不在您的权限范围之内。")
    decision: Decision | None = data.get("decision")
    if decision is not None and (
        decision.village_id != village.pk or decision.subject != DecisionSubject.LAND_TRANSFER
    ):
        errors["decision"] = _("决策依据须是本村“土地流转”类的四议两公开事项。")
    starts, ends, signed = data.get("starts_on"), data.get("ends_on"), data.get("signed_on")
    if starts is None:
        errors["starts_on"] = _("请填写流转起始日期。")
    if ends is None:
        errors["ends_on"] = _("请填写流转终止日期。")
    elif starts is not None and ends < starts:
        errors["ends_on"] = _("终止日期不能早于起始日期。")
    elif starts is not None and ends > dt.date(starts.year + 70, starts.month, 1):
        errors["ends_on"] = _("流转期限不能超过七十年。")
    if signed is None:
        errors["signed_on"] = _("请填写签订日期。")
    check_money(data.get("rent_per_mu"), "rent_per_mu", errors)
    data["collective_area"] = _collective_area(data.get("collective_area"), enterprise, errors)
    if data.get("cycle") not in PaymentCycle.values:
        errors["cycle"] = _("请选择支付方式。")
    month, day = data.get("due_month"), data.get("due_day")
    if not isinstance(month, int) or not 1 <= month <= 12:
        errors["due_month"] = _("支付月份须在 1 至 12 之间。")
    if not isinstance(day, int) or not 1 <= day <= 31:
        errors["due_day"] = _("支付日须在 1 至 31 之间。")
    if errors:
        raise ValidationError(errors)
    return data


def _collective_area(value: Any, enterprise: Enterprise | None, errors: dict[str, str]) -> Any:
    """The mu of the collective's own land a contract leases (none: 0); only an enterprise pays the
    collective for it."""
    if value is None or value == 0:
        return Decimal("0")
    if not isinstance(value, Decimal) or not value.is_finite():
        errors["collective_area"] = _("面积须是数字。")
    elif value < 0:
        errors["collective_area"] = _("集体机动地面积不能为负数。")
    elif has_more_than_two_decimals(value):
        errors["collective_area"] = _("面积最多保留两位小数。")
    elif value > MAX_AREA:
        errors["collective_area"] = _("面积过大。")
    elif enterprise is None:
        errors["collective_area"] = _("集体机动地只能随企业流转合同出租,由企业向集体支付租金。")
    return value


def _attach(contract: TransferContract, document: UploadedFile | None) -> None:
    if document is None:
        return
    ext, _content_type = check_upload(document, limit=DOCUMENT_LIMIT)
    original, _digest = anonymise(document, ext)
    contract.document = document
    contract.document_name = original
    contract.save(update_fields=["document", "document_name"])


@transaction.atomic
def create_contract(
    *,
    actor: User,
    village: AreaNode,
    parcels: list[tuple[Parcel, Decimal]] | None = None,
    document: UploadedFile | None = None,
    **fields: Any,
) -> TransferContract:
    """Sign a transfer contract of `village`, with the parts of parcels it transfers, and lay out
    its rent schedule."""
    require(actor, Capability.ECONOMY_WRITE, village)
    if village.kind != AreaKind.VILLAGE:
        raise ValidationError({"village": _("流转合同只能登记在村。")})
    defaults = {"kind": TransferKind.LEASE, "cycle": PaymentCycle.YEARLY, "due_month": 1, "due_day": 1}
    data = _clean_contract(actor, {**defaults, **fields}, village)
    values = {name: data.get(name) for name in TransferContract.EDITABLE}
    contract = TransferContract.objects.create(village=village, area_path=village.path, created_by=actor, **values)
    _attach(contract, document)
    audit.record_create(
        actor=actor,
        action=events.CONTRACT_CREATED,
        target=contract,
        after=audit.snapshot(contract, CONTRACT_FIELDS),
        **audit.at(area=village),
    )
    for parcel, area in parcels or []:
        _add_parcel(actor, contract, parcel, area)
    rent.lay_out_schedule(contract=contract)
    return contract


@transaction.atomic
def update_contract(
    *, actor: User, contract: TransferContract, document: UploadedFile | None = None, **fields: Any
) -> TransferContract:
    """Change a contract's terms; the instalments not yet accrued or paid are laid out again."""
    contract = TransferContract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    require(actor, Capability.ECONOMY_WRITE, contract)
    current = {name: getattr(contract, name) for name in TransferContract.EDITABLE}
    data = _clean_contract(actor, {**current, **{k: v for k, v in fields.items() if k in current}}, contract.village)
    if data["org"].pk != contract.org_id and contract.payments.exists():
        raise ValidationError({"org": _("已有租金收付记录,不能更换记账的组织。")})
    if contract.parcels.exists() and (data["starts_on"], data["ends_on"]) != (contract.starts_on, contract.ends_on):
        for cp in contract.parcels.select_related("parcel"):
            _check_room(cp.parcel, cp.area, data["starts_on"], data["ends_on"], exclude=contract)
    before = audit.snapshot(contract, CONTRACT_FIELDS)
    model_update(contract, fields=TransferContract.EDITABLE, data=data)
    _attach(contract, document)
    audit.record_update(
        actor=actor,
        action=events.CONTRACT_UPDATED,
        target=contract,
        before=before,
        after=audit.snapshot(contract, CONTRACT_FIELDS),
        area_path=contract.area_path,
    )
    rent.lay_out_schedule(contract=contract)
    return contract


def _transferred(
    parcel: Parcel, starts: dt.date | None, ends: dt.date | None, exclude: TransferContract | None
) -> Decimal:
    """Mu of `parcel` taken by active contracts (overlapping `starts`..`ends` when given)."""
    qs = ContractParcel.objects.filter(parcel=parcel, contract__status=ContractStatus.ACTIVE)
    if starts is not None and ends is not None:
        qs = qs.filter(Q(contract__starts_on__lte=ends) & Q(contract__ends_on__gte=starts))
    if exclude is not None:
        qs = qs.exclude(contract=exclude)
    return qs.aggregate(total=Sum("area"))["total"] or Decimal(0)


def _check_room(parcel: Parcel, area: Decimal, starts: dt.date, ends: dt.date, *, exclude: TransferContract) -> None:
    taken = _transferred(parcel, starts, ends, exclude)
    if taken + area > parcel.area:
        raise ValidationError(
            {
                "area": _(
                    "地块“%(name)s”面积 %(total)s 亩,同期其他合同已流转 %(taken)s 亩,本合同最多还能流转 %(left)s 亩。"
                )
                % {
                    "name": parcel.name,
                    "total": _mu(parcel.area),
                    "taken": _mu(taken),
                    "left": _mu(max(parcel.area - taken, Decimal(0))),
                }
            }
        )


def _mu(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _add_parcel(actor: User, contract: TransferContract, parcel: Parcel, area: Decimal) -> ContractParcel:
    errors: dict[str, str] = {}
    check_area(area, "area", errors)
    if parcel.village_id != contract.village_id:
        errors["parcel"] = _("地块“%(name)s”不在本村。") % {"name": parcel.name}
    elif ContractParcel.objects.filter(contract=contract, parcel=parcel).exists():
        errors["parcel"] = _("地块“%(name)s”已在本合同中。") % {"name": parcel.name}
    if errors:
        raise ValidationError(errors)
    Parcel.objects.select_for_update(of=("self",)).filter(pk=parcel.pk).first()  # one transfer of a parcel at a time
    _check_room(parcel, area, contract.starts_on, contract.ends_on, exclude=contract)
    part = ContractParcel.objects.create(contract=contract, parcel=parcel, area=area)
    audit.record(
        actor=actor,
        action=events.CONTRACT_PARCEL_ADDED,
        target=contract,
        changes={"parcel": [None, str(parcel)], "area": [None, str(area)]},
        area_path=contract.area_path,
    )
    return part


@transaction.atomic
def add_parcel(*, actor: User, contract: TransferContract, parcel: Parcel, area: Decimal) -> ContractParcel:
    """Add the part `area` (mu) of `parcel` to a contract, and lay its rent out."""
    contract = TransferContract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    require(actor, Capability.ECONOMY_WRITE, contract)
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError({"contract": _("合同已到期或解除,不能再增加地块。")})
    part = _add_parcel(actor, contract, parcel, area)
    rent.lay_out_schedule(contract=contract)
    return part


@transaction.atomic
def end_contract(*, actor: User, contract: TransferContract, status: str) -> TransferContract:
    """Mark a contract ended (到期) or terminated (解除): its land is free again; its instalments
    not yet accrued or paid are dropped."""
    contract = TransferContract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    require(actor, Capability.ECONOMY_WRITE, contract)
    if status not in (ContractStatus.ENDED, ContractStatus.TERMINATED):
        raise ValidationError({"status": _("请选择到期或解除。")})
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError({"status": _("合同已不在履行中。")})
    before = contract.status
    contract.status = status
    contract.save(update_fields=["status"])
    rent.drop_open_instalments(contract=contract)
    audit.record(
        actor=actor,
        action=events.CONTRACT_STATUS_CHANGED,
        target=contract,
        changes={"status": [before, status]},
        area_path=contract.area_path,
    )
    return contract
