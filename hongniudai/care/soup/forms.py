"""Forms of the soup pages. They collect and convert input; the rules live in the services. Every
choice list is a scoped queryset (and the long ones a picker, never hundreds of <option>s)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.common import pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode, Resident
from hongniudai.volunteers.interface import Volunteer

from . import selectors
from .models import FebruaryRule, Observation, Outcome, RecipientStatus, RuleKind


def _area_filter(form: forms.Form, user: User, name: str = "village") -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    pickers.area_filter_picker(field, user, Capability.SERVICES)


# ---- filters ----------------------------------------------------------------------------------


class RecipientFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("姓名"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名或拼音首字母")}),
    )
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *RecipientStatus.choices])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)


class RoundFilterForm(BootstrapMixin, forms.Form):
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)
    date_from = DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)


# ---- rules and settings -----------------------------------------------------------------------


class RuleForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(
        label=_("制定单位"), queryset=None, help_text=_("镇的条件适用于全镇;村可以制定本村的同类条件,以本村为准。")
    )
    kind = forms.ChoiceField(label=_("条件"), choices=RuleKind.choices)
    min_age = IntegerField(
        label=_("年龄(周岁)"), required=False, min_value=0, max_value=150, help_text=_("仅“年满规定年龄”填写,如 80")
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    source = forms.CharField(label=_("依据"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed:
            del self.fields["area"]
            del self.fields["kind"]
            return
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = selectors.rule_areas(user)
        pick.attach(area, pickers.area_widget(user, str(_("输入镇名或村名"))))
        area.error_messages = {**area.error_messages, "invalid_choice": _("请选择您管辖范围内的镇或村。")}


class SettingsForm(BootstrapMixin, forms.Form):
    february_rule = forms.ChoiceField(
        label=_("平年二月(无 29 日)的第三次送汤"), choices=FebruaryRule.choices, initial=FebruaryRule.FEB_28
    )


# ---- recipients -------------------------------------------------------------------------------


class RecipientForm(BootstrapMixin, forms.Form):
    resident: forms.ModelChoiceField[Resident] = forms.ModelChoiceField(label=_("居民"), queryset=None)
    reason = forms.CharField(label=_("送汤原因"), max_length=200, help_text=_("如“子女外出务工,老人身体较弱”"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resident"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.residents_for_choice(user)
        pick.attach(field, pickers.resident_widget(user))
        field.error_messages = {**field.error_messages, "invalid_choice": _("请选择您服务范围内的居民。")}


class RemoveForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("移除原因"), max_length=200, help_text=_("如“已随子女进城居住”“已去世”"))


class VolunteerForm(BootstrapMixin, forms.Form):
    volunteer: forms.ModelChoiceField[Volunteer] = forms.ModelChoiceField(
        label=_("送汤志愿者"), queryset=None, required=False, empty_label=_("(不指定)")
    )

    def __init__(self, *args: Any, user: User, village: AreaNode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.volunteers_for_choice(user, village)


class RoundForm(BootstrapMixin, forms.Form):
    day = DateField(label=_("送汤日期"), widget=DateInput(), help_text=_("逢九之日:9 日、19 日、29 日"))


# ---- check-off --------------------------------------------------------------------------------


class CheckOffForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("送汤结果"),
        choices=[(v, label) for v, label in Outcome.choices if v != Outcome.PENDING],
        widget=forms.RadioSelect,
    )
    observation = forms.ChoiceField(label=_("关爱发现"), choices=Observation.choices, required=False)
    observation_note = forms.CharField(
        label=_("情况说明"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs_action = forms.BooleanField(label=_("需要村里处理(转为事项,告知党员中心户)"), required=False)
