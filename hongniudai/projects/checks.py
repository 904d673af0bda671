"""Checks the project services share: exact yuan, a plausible location, the park or town node."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hongniudai.common.geo import clean_geojson, to_shape
from hongniudai.common.tree import ancestor_ids
from hongniudai.places.models import AreaKind, AreaNode

CENT = Decimal("0.01")
MAX_YUAN = Decimal("999999999999.99")
MAX_WEIGHT = Decimal("999999.99")
# A project's outline: at least 10 m² and at most 100 km² (a park is a few km²).
MIN_AREA_M2 = 10
MAX_AREA_M2 = 100_000_000


def money(value: Any, *, field: str) -> Decimal:
    """`value` yuan with two places; refuses what is not a number, has more than two decimals, is
    negative or too large."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("金额“%(value)s”不是有效的数字。") % {"value": value}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("金额“%(value)s”不是有效的数字。") % {"value": value}})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("金额最多保留两位小数(到分)。")})
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数。")})
    if amount > MAX_YUAN:
        raise ValidationError({field: _("金额不能超过 999,999,999,999.99 元。")})
    return amount.quantize(CENT)


def weight(value: Any) -> Decimal:
    """A milestone's weight: a positive number with at most two decimals."""
    try:
        w = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"weight": _("权重须为数字。")}) from None
    if not w.is_finite() or w <= 0:
        raise ValidationError({"weight": _("权重必须大于零。")})
    if w != w.quantize(CENT) or w > MAX_WEIGHT:
        raise ValidationError({"weight": _("权重最多保留两位小数,且不超过 999999.99。")})
    return w.quantize(CENT)


def area_m2(geometry: dict[str, Any]) -> float:
    """The area of a longitude/latitude geometry in square metres (local equirectangular)."""
    shape = to_shape(geometry)
    lat = math.radians(shape.centroid.y)
    return float(shape.area * 111_320 * math.cos(lat) * 110_574)


def location(value: Any) -> dict[str, Any] | None:
    """A point or an outline as GeoJSON, valid (shapely) and of a plausible area; None when empty."""
    if value in (None, "", {}):
        return None
    try:
        geometry = clean_geojson(value)
    except ValidationError as exc:
        raise ValidationError({"location": exc.messages}) from None
    if geometry["type"] != "Point":
        size = area_m2(geometry)
        if not MIN_AREA_M2 <= size <= MAX_AREA_M2:
            raise ValidationError(
                {
                    "location": _("项目范围面积约 %(m2)d 平方米,不在合理范围内(10 平方米至 100 平方公里)。")
                    % {"m2": size}
                }
            )
    return geometry


def project_node(area: AreaNode) -> AreaNode:
    """A project or a team hangs at the park or at the town."""
    if area.kind not in (AreaKind.PARK, AreaKind.TOWN):
        raise ValidationError({"area": _("项目和专班只能设在园区或镇。")})
    return area


def town_of(area: AreaNode) -> AreaNode:
    """The town a park (or the town itself) belongs to."""
    if area.kind == AreaKind.TOWN:
        return area
    town = AreaNode.objects.filter(pk__in=ancestor_ids(area.path), kind=AreaKind.TOWN).first()
    if town is None:
        raise ValidationError(_("该园区不属于任何镇。"))
    return town


def text(value: str | None) -> str:
    return (value or "").strip()
