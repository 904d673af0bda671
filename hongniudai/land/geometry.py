"""Where a parcel lies: a GeoJSON polygon checked with shapely (a valid polygon on the earth, its
area within reason of the parcel's recorded area)."""

from __future__ import annotations

import json
import math
from decimal import Decimal

from django.utils.translation import gettext as _
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

SQUARE_METRES_PER_MU = Decimal("666.6667")
SANITY_FACTOR = 3  # a drawn outline more than 3 times larger or smaller than the recorded area is wrong


def polygon_errors(text: str, area_mu: Decimal | None) -> list[str]:
    """What is wrong with `text` as a parcel's outline: GeoJSON of a Polygon (or MultiPolygon) in
    longitude/latitude, valid, and of an area within a factor 3 of `area_mu` (when given)."""
    try:
        data = json.loads(text)
    except ValueError:
        return [_("地块范围不是有效的 GeoJSON。")]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        return [_("地块范围须是 GeoJSON 的 Polygon(多边形)。")]
    try:
        geometry = shape(data)
    except (TypeError, ValueError, LookupError, AttributeError, ShapelyError):  # malformed coordinates
        return [_("地块范围的坐标格式不正确。")]
    if geometry.is_empty or not geometry.is_valid:
        return [_("地块范围不是有效的多边形(边线自相交或点数不足)。")]
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return [_("地块范围的经纬度超出范围。")]
    mu = area_in_mu(geometry)
    if mu <= 0:
        return [_("地块范围的面积为零。")]
    if area_mu is not None and area_mu > 0 and not (area_mu / SANITY_FACTOR <= mu <= area_mu * SANITY_FACTOR):
        return [
            _("地块范围约 %(drawn)s 亩,与登记面积 %(area)s 亩相差过大,请核对。")
            % {"drawn": mu.quantize(Decimal("0.01")), "area": area_mu}
        ]
    return []


def area_in_mu(geometry: BaseGeometry) -> Decimal:
    """The area of a longitude/latitude geometry in mu, on a local equirectangular projection
    (plenty for a field: the error is far below a survey's)."""
    lat = math.radians(geometry.centroid.y)
    sq_degrees = geometry.area
    metres = sq_degrees * 111_320 * math.cos(lat) * 110_574
    return Decimal(str(round(metres, 2))) / SQUARE_METRES_PER_MU
