"""Plantings and their harvests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.collective.interface import EconomicOrg
from hongniudai.common.text import check_lengths
from hongniudai.enterprises.interface import Enterprise

from .. import events
from ..models import (
    Harvest,
    Planting,
)
from ..policy import require
from .checks import (
    check_enterprise,
    number,
    snapshot,
    text_of,
    where,
)

# ---- plantings --------------------------------------------------------------------------------

PLANTING_FIELDS = ("org", "crop", "year", "season", "area_mu", "land", "adviser", "started_on", "note")


@transaction.atomic
def record_planting(
    *,
    actor: User,
    org: EconomicOrg,
    crop: str,
    year: int,
    area_mu: Decimal,
    land: str,
    started_on: dt.date,
    season: str = "",
    adviser: Enterprise | None = None,
    note: str = "",
) -> Planting:
    """Record a crop planted by `org` in `year` on `area_mu` mu of `land`."""
    require(actor, Capability.ECONOMY_WRITE, org)
    values = {
        "crop": text_of(crop, field="crop", label=_("作物")),
        "season": text_of(season, field="season", label=_("季节"), required=False),
        "land": text_of(land, field="land", label=_("地块")),
        "note": (note or "").strip(),
    }
    check_lengths(Planting, values)
    area = number(area_mu, field="area_mu", label=_("面积"), places=2, maximum=Decimal("9999999999.99"))
    if not 1900 <= int(year) <= 2200:
        raise ValidationError({"year": _("年度有误。")})
    if started_on.year not in (int(year) - 1, int(year)):
        raise ValidationError({"started_on": _("播种日期应在该年度(或上一年)之内。")})
    check_enterprise(actor, adviser, "adviser")
    planting = Planting.objects.create(
        org=org,
        area_path=org.area_path,
        year=int(year),
        area_mu=area,
        adviser=adviser,
        started_on=started_on,
        recorded_by=actor,
        **values,
    )
    audit.record_create(
        actor=actor,
        action=events.PLANTING_RECORDED,
        target=planting,
        after=snapshot(planting, PLANTING_FIELDS),
        **where(org),
    )
    return planting


# ---- harvests --------------------------------------------------------------------------------


@transaction.atomic
def record_harvest(
    *, actor: User, planting: Planting, harvested_on: dt.date, quantity_kg: Decimal, note: str = ""
) -> Harvest:
    """Record what a planting yielded on a day, in kg."""
    require(actor, Capability.ECONOMY_WRITE, planting)
    quantity = number(quantity_kg, field="quantity_kg", label=_("产量"), places=3)
    if harvested_on < planting.started_on:
        raise ValidationError({"harvested_on": _("收获日期不能早于播种日期。")})
    note = (note or "").strip()
    check_lengths(Harvest, {"note": note})
    harvest = Harvest.objects.create(
        planting=planting,
        area_path=planting.area_path,
        harvested_on=harvested_on,
        quantity_kg=quantity,
        note=note,
        recorded_by=actor,
    )
    audit.record_create(
        actor=actor,
        action=events.HARVEST_RECORDED,
        target=harvest,
        after=snapshot(harvest, ("planting", "harvested_on", "quantity_kg", "note")),
        area_path=planting.area_path,
    )
    return harvest
