"""What the writes of patrols and campaigns share: clean text, a phone's position, the matter
category to raise in, the time zone of deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.common.tree import ancestor_ids
from hongniudai.governance.interface import Category
from hongniudai.places.models import AreaKind, AreaNode

from ..models import (
    CampaignKind,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# How early before its planned start a shift may be checked in to.
EARLY_START = dt.timedelta(hours=2)
# The category a patrol incident is raised in unless the patrol chooses one.
PATROL_CATEGORY = "public-security"
# The category a campaign's finding is raised in unless the grid worker chooses one.
CAMPAIGN_CATEGORY: dict[str, str] = {
    CampaignKind.STRAW_BURNING: "straw-burning",
    CampaignKind.FLOOD: "flood-patrol",
    CampaignKind.EPIDEMIC: "epidemic-control",
    CampaignKind.OTHER: "other",
}


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def actor_or_none(actor: User | None) -> User | None:
    return actor if actor is not None and getattr(actor, "pk", None) else None


def village_of(area: AreaNode) -> AreaNode | None:
    """The village `area` (a grid, a hamlet or the village) lies in."""
    if area.kind == AreaKind.VILLAGE:
        return area
    return AreaNode.objects.filter(pk__in=ancestor_ids(area.path), kind=AreaKind.VILLAGE).first()


def is_under(node: AreaNode, top: AreaNode) -> bool:
    return node.path.startswith(top.path)


def coordinates(lat: Any, lng: Any) -> tuple[Decimal | None, Decimal | None]:
    """A phone's position: both or neither, within the earth's bounds, six places."""
    if lat in (None, "") and lng in (None, ""):
        return None, None
    try:
        la, ln = Decimal(str(lat)), Decimal(str(lng))
    except (ArithmeticError, ValueError):
        raise ValidationError({"lat": _("位置坐标无效。")}) from None
    if not (la.is_finite() and ln.is_finite()) or not (-90 <= la <= 90 and -180 <= ln <= 180):
        raise ValidationError({"lat": _("位置坐标无效。")})
    q = Decimal("0.000001")
    return la.quantize(q), ln.quantize(q)


def category_or_default(code: str, category: Category | None) -> Category:
    if category is not None:
        return category
    found = (
        Category.objects.filter(code=code, is_active=True).first()
        or Category.objects.filter(code="other", is_active=True).first()
    )
    if found is None:
        raise ValidationError({"category": _("请选择事项类别。")})
    return found
