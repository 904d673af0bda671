"""The area picker as the list pages' "地区" filter (`common.pick`): what its include renders for the
chosen area, and the same as a form widget."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common import pick

from . import selectors
from .models import AreaNode, Household, Resident


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


# ---- households and residents: no tree to walk, found by the name typed ----------------------


def _hamlet_paths(hamlets: list[AreaNode], top_depth: int) -> dict[int, str]:
    """{hamlet id: 徐桥村 › 5组 › 黄家湾} from one query of the hamlets' ancestors."""
    unique = list({h.pk: h for h in hamlets}.values())
    rows, _more = pick.rows_for(unique, top_depth=top_depth, limit=len(unique))
    return {row.pk: row.label for row in rows}


def household_rows(user: User, households: list[Household]) -> tuple[list[pick.PickRow], bool]:
    """The household picker's rows: the head's name (or the address) and number after the hamlet's path."""
    shown = households[: pick.PICK_LIMIT]
    paths = _hamlet_paths([h.hamlet for h in shown], selectors.area_top_depth(user))
    rows = [pick.PickRow(h.pk, _household_label(h, paths.get(h.hamlet_id, "")), False) for h in shown]
    return rows, len(households) > pick.PICK_LIMIT


def _household_label(household: Household, path: str) -> str:
    head = household.head.name if household.head_id and household.head is not None else household.address
    name = " ".join(p for p in (head, household.number and f"({household.number})") if p)
    return f"{path} · {name}" if path else name


def resident_rows(user: User, residents: list[Resident]) -> tuple[list[pick.PickRow], bool]:
    """The resident picker's rows: the name after the hamlet's path (no ID number)."""
    shown = residents[: pick.PICK_LIMIT]
    paths = _hamlet_paths([r.household.hamlet for r in shown], selectors.area_top_depth(user))
    rows = [pick.PickRow(r.pk, _resident_label(r, paths.get(r.household.hamlet_id, "")), False) for r in shown]
    return rows, len(residents) > pick.PICK_LIMIT


def _resident_label(resident: Resident, path: str) -> str:
    return f"{path} · {resident.name}" if path else resident.name


def household_widget(user: User, placeholder: str = "") -> pick.LabelledPickWidget:
    """The household picker on a form's household field (its queryset still validates the id)."""
    return pick.LabelledPickWidget(
        url_name="places:household_pick",
        label=lambda h: household_rows(user, [h])[0][0].label,
        placeholder=placeholder or _("输入户主姓名或拼音"),
        aria_label=_("户"),
    )


def resident_widget(user: User, placeholder: str = "") -> pick.LabelledPickWidget:
    """The resident picker on a form's resident field (its queryset still validates the id)."""
    return pick.LabelledPickWidget(
        url_name="places:resident_pick",
        label=lambda r: resident_rows(user, [r])[0][0].label,
        placeholder=placeholder or _("输入姓名或拼音"),
        aria_label=_("居民"),
    )


# ---- villages: the area picker on a field whose queryset holds the villages (or areas) allowed -----


def village_picker(field: forms.ModelChoiceField, user: User, *, placeholder: str = "") -> None:
    """Turn a village field into the area picker: its queryset (the villages the user may choose)
    still validates the id, and an area that is no village, or out of reach, is refused in Chinese."""
    pick.attach(field, area_widget(user, placeholder or _("输入村名或拼音")))
    field.error_messages = {**field.error_messages, "invalid_choice": _("请选择您管辖范围内的一个村。")}


def area_filter_picker(field: forms.ModelChoiceField, user: User, capability: Capability) -> None:
    """A list's "村" filter as the area picker: any area of the user's scope may be chosen (the list
    shows what lies under it), validated against those areas."""
    field.queryset = (
        scope_for(user, capability).filter(AreaNode.objects.filter(kind__in=selectors.FILTER_KINDS)).order_by("path")
    )
    pick.attach(field, area_widget(user))
    field.error_messages = {**field.error_messages, "invalid_choice": _("请选择您管辖范围内的地区。")}
