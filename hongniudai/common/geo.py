"""GeoJSON validation and point-in-polygon, by shapely."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

ALLOWED_TYPES = {"Point", "Polygon", "MultiPolygon"}


def clean_geojson(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValidationError(_("位置不是有效的 GeoJSON。")) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in ALLOWED_TYPES:
        raise ValidationError(_("位置须为 GeoJSON 的 Point、Polygon 或 MultiPolygon。"))
    try:
        geom = shape(value)
    except Exception:  # noqa: BLE001 - shapely raises several types for malformed input
        raise ValidationError(_("位置不是有效的 GeoJSON。")) from None
    if geom.is_empty or not geom.is_valid:
        raise ValidationError(_("位置的几何图形无效(例如边界自相交)。"))
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValidationError(_("坐标应为经度(-180~180)、纬度(-90~90)。"))
    return dict(value)


def to_shape(geometry: dict[str, Any]) -> BaseGeometry:
    return shape(geometry)


def contains(geometry: dict[str, Any] | None, lon: float, lat: float) -> bool:
    if not geometry or geometry.get("type") == "Point":
        return False
    return bool(shape(geometry).covers(Point(lon, lat)))
