"""The area picker as the list pages' "地区" filter (`common.pick`): what its include renders for the
chosen area, and the same as a form widget."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.common import pick

from . import selectors
from .models import AreaNode


def area_filter(user: User, chosen: AreaNode | None, *, name: str = "area", placeholder: str = "") -> dict[str, Any]:
    """The context of `common/pick.html` for an area filter holding `chosen` (one visible area or None)."""
    return pick.pick_context(
        name=name,
        url=reverse("places:area_pick"),
        value=chosen.pk if chosen is not None else None,
        label=pick.label_of(chosen, top_depth=selectors.area_top_depth(user)),
        placeholder=placeholder or _("全部地区:输入名称或拼音"),
        aria_label=_("地区"),
    )


def area_widget(user: User, placeholder: str = "") -> pick.PickWidget:
    """The area picker on a form's area field (its queryset still validates the id)."""
    return pick.PickWidget(
        url_name="places:area_pick",
        placeholder=placeholder or _("全部地区:输入名称或拼音"),
        top_depth=selectors.area_top_depth(user),
    )
