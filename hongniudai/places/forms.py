"""Forms for the place pages. Choice lists come only from scoped selectors; validation of
ID numbers, phones and the tree rules is the services' job (their errors are put on the fields)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.common.forms import BootstrapMixin
from hongniudai.common.identity import mask_phone
from hongniudai.common.parsing import IntegerField
from hongniudai.common.text import limit
from hongniudai.common.tree import SEGMENT

from . import selectors
from .models import AreaKind, AreaNode, Household, Relation, Resident, Sex


class HamletChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        grid = obj.parent
        village = grid.parent if grid is not None else None
        parts = [p.name for p in (village, grid) if p is not None] + [obj.name]
        return " / ".join(parts)


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        head = obj.head.name if obj.head_id and obj.head else ""
        label = f"{obj.hamlet.name} · {obj.address}"
        if obj.number:
            label += f" ({obj.number})"
        return f"{label} · {head}" if head else label


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_relation_display()})"


class AreaForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=())
    code = forms.CharField(
        label=_("统计代码"),
        max_length=12,
        required=False,
        help_text=_("县 6 位、镇 9 位、村 12 位数字(GB/T 2260 及统计用区划代码),可不填。"),
    )
    is_community = forms.BooleanField(label=_("城镇社区(而非行政村)"), required=False)
    geometry = forms.CharField(
        label=_("位置(GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Point、Polygon 或 MultiPolygon,坐标为经度、纬度;可不填。"),
    )
    sort_order = IntegerField(label=_("排序"), min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, kinds: Sequence[str] | None = None, area: AreaNode | None = None, **kwargs: Any):
        if area is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(area, name) for name in AreaNode.EDITABLE}
            kwargs["initial"]["geometry"] = json.dumps(area.geometry, ensure_ascii=False) if area.geometry else ""
        super().__init__(*args, **kwargs)
        if kinds is None:
            del self.fields["kind"]
        else:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(k, AreaKind(k).label) for k in kinds]
            if len(kinds) == 1:
                field.initial = kinds[0]
        # "社区" only means something for a village.
        may_be_village = (area is not None and area.kind == AreaKind.VILLAGE) or (
            kinds is not None and AreaKind.VILLAGE in kinds
        )
        if not may_be_village:
            del self.fields["is_community"]

    BLANK: dict[str, Any] = {"code": "", "geometry": None, "is_community": False, "sort_order": 0}

    def service_kwargs(self) -> dict[str, Any]:
        """The editable fields (`AreaNode.EDITABLE`) for `create_area`/`update_area`; blank ones as the services expect."""
        data = self.cleaned_data
        return {name: data.get(name) or self.BLANK.get(name, "") for name in AreaNode.EDITABLE}


class HouseholdForm(BootstrapMixin, forms.Form):
    hamlet = HamletChoiceField(label=_("湾组"), queryset=None, empty_label=_("请选择湾组"))
    number = forms.CharField(label=_("户编号"), max_length=30, required=False)
    address = forms.CharField(label=_("住址"), max_length=200)
    head = ResidentChoiceField(label=_("户主"), queryset=None, required=False)
    is_formerly_poor = forms.BooleanField(label=_("脱贫户"), required=False)
    is_monitored = forms.BooleanField(label=_("防返贫监测户"), required=False)
    note = forms.CharField(
        max_length=limit(Household, "note"), label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, household: Household | None = None, **kwargs: Any) -> None:
        if household is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(household, fields=Household.EDITABLE)
        super().__init__(*args, **kwargs)
        hamlet_field = self.fields["hamlet"]
        assert isinstance(hamlet_field, forms.ModelChoiceField)
        hamlet_field.queryset = selectors.hamlets_for_choice(user).select_related("parent", "parent__parent")
        head_field = self.fields["head"]
        assert isinstance(head_field, forms.ModelChoiceField)
        if household is None:
            del self.fields["head"]
        else:
            head_field.queryset = selectors.household_members(user, household)
            head_field.empty_label = _("(暂无户主)")

    def service_kwargs(self) -> dict[str, Any]:
        """The editable fields (`Household.EDITABLE`) this form holds (a new household has no head yet)."""
        return {name: self.cleaned_data[name] for name in Household.EDITABLE if name in self.fields}


class ResidentForm(BootstrapMixin, forms.Form):
    household = HouseholdChoiceField(label=_("所在户"), queryset=None, empty_label=_("请选择住户"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=20,
        required=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
        help_text=_("18 位公民身份号码,出生日期与性别由号码校验。"),
    )
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices)
    phone = forms.CharField(
        label=_("手机号"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    clear_phone = forms.BooleanField(label=_("删除已登记的手机号"), required=False)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices, initial=Relation.OTHER)
    is_veteran = forms.BooleanField(label=_("退役军人"), required=False)
    is_returnee = forms.BooleanField(label=_("返乡能人"), required=False)
    is_disabled = forms.BooleanField(label=_("残疾人"), required=False)
    note = forms.CharField(
        max_length=limit(Resident, "note"), label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, resident: Resident | None = None, **kwargs: Any) -> None:
        if resident is not None and "initial" not in kwargs:
            # The phone on file is never put back into the page (only its masked form, below).
            kwargs["initial"] = {
                **model_to_dict(resident, fields=[f for f in Resident.EDITABLE if f != "phone"]),
                "sex": resident.sex,
            }
        super().__init__(*args, **kwargs)
        self.resident = resident
        if resident is None or not resident.phone:
            del self.fields["clear_phone"]
        if resident is None:
            # A new resident joins the household named in the address (`?household=`).
            del self.fields["household"]
        else:
            field = self.fields["household"]
            assert isinstance(field, forms.ModelChoiceField)
            # Moving within the village the resident lives in is enough for this page.
            field.queryset = selectors.households_for_choice(user, within_path=_village_path(resident.household.hamlet))
            id_field = self.fields["id_number"]
            id_field.required = False
            id_field.help_text = _("当前:%(masked)s。留空表示不修改;如需更正请填写完整的 18 位号码。") % {
                "masked": resident.id_masked
            }
            if resident.phone:
                # Like the ID number, the phone on file is only shown masked.
                self.fields["phone"].help_text = _("当前:%(masked)s。留空表示不修改。") % {
                    "masked": mask_phone(resident.phone)
                }

    def service_kwargs(self) -> dict[str, Any]:
        """The editable fields (`Resident.EDITABLE`) this form holds, the ID number and the sex."""
        data = self.cleaned_data
        values = {name: data[name] for name in Resident.EDITABLE if name in self.fields}
        phone = (data.get("phone") or "").strip()
        if not phone and self.resident is not None and not data.get("clear_phone"):
            phone = self.resident.phone  # blank keeps the number on file
        return {**values, "phone": phone, "id_number": (data.get("id_number") or "").strip(), "sex": data["sex"]}


def _village_path(hamlet: AreaNode) -> str:
    """Path of the village the hamlet lies in (hamlet → grid → village), by cutting the path."""
    return hamlet.path[: -2 * SEGMENT] if hamlet.depth > 2 else hamlet.path
