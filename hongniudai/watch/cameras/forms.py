"""Forms of the camera pages. They collect and convert input; the rules live in the services.
Every choice list is a scoped queryset; areas are picked by typing, never from a list of every one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.common import pick
from hongniudai.common.forms import BootstrapMixin
from hongniudai.governance.interface import Category
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode

from . import selectors
from .models import Camera, CameraKind, CameraOwner, CameraStatus, PendingStatus


def _area_filter(form: forms.Form, user: User) -> None:
    area = form.fields["area"]
    assert isinstance(area, forms.ModelChoiceField)
    pickers.area_filter_picker(area, user, Capability.VIEW)


class CameraFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("编号或名称"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("编号或名称")}),
    )
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("地区"), required=False, queryset=None)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *CameraStatus.choices])
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *CameraKind.choices])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)


class AreaFilterForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("地区"), required=False, queryset=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)


class PendingFilterForm(AreaFilterForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *PendingStatus.choices])


class CameraForm(BootstrapMixin, forms.Form):
    grid: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(
        label=_("村组(网格)"), queryset=None, help_text=_("可选村组或湾组(湾组即登记到其村组)")
    )
    code = forms.CharField(label=_("编号"), max_length=50, help_text=_("平台中的设备编号,全镇唯一"))
    name = forms.CharField(label=_("名称"), max_length=100)
    lat = forms.DecimalField(label=_("纬度"), max_digits=12, help_text=_("如 30.396512"))
    lng = forms.DecimalField(label=_("经度"), max_digits=12, help_text=_("如 114.890321"))
    kind = forms.ChoiceField(label=_("类型"), choices=CameraKind.choices)
    owner = forms.ChoiceField(label=_("权属"), choices=CameraOwner.choices)
    status = forms.ChoiceField(label=_("状态"), choices=CameraStatus.choices)
    stream_url = forms.CharField(
        label=_("视频流地址"),
        max_length=500,
        required=False,
        help_text=_("保密:只在本摄像机页面对有权限者显示;修改时留空表示不变"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grid = self.fields["grid"]
        assert isinstance(grid, forms.ModelChoiceField)
        grid.queryset = selectors.grids_for_choice(user)
        pick.attach(grid, pickers.area_widget(user, placeholder=str(_("输入村组或湾组名称"))))
        grid.error_messages = {**grid.error_messages, "invalid_choice": _("请选择您管辖范围内的村组或湾组。")}

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in Camera.EDITABLE}
        if not data["stream_url"]:
            data.pop("stream_url")  # left empty: unchanged
        return {"grid": self.cleaned_data["grid"], **data}


class DismissForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("排除理由"), max_length=200, widget=forms.TextInput(attrs={"placeholder": _("如:误报,现场核实无情况")})
    )


class AlertKindForm(BootstrapMixin, forms.Form):
    town: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("镇"), queryset=None)
    code = forms.SlugField(label=_("报警类型代码"), max_length=40, help_text=_("平台上报的 kind,如 straw-fire"))
    label = forms.CharField(label=_("名称"), max_length=50)
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(label=_("事项类别"), queryset=None)
    confirm_first = forms.BooleanField(label=_("先确认后立案"), required=False)
    attributes = forms.JSONField(
        label=_("附加信息"), required=False, help_text=_('事项类别必答问题的答案,如 {"burning_now": "yes"}')
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = self.fields["town"]
        assert isinstance(town, forms.ModelChoiceField)
        town.queryset = selectors.towns_kept(user)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.filter(is_active=True)
        if fixed:  # the town and the code stay once created
            self.fields["town"].disabled = True
            self.fields["code"].disabled = True


class PlatformKeyForm(BootstrapMixin, forms.Form):
    town: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("镇"), queryset=None)
    name = forms.CharField(label=_("平台名称"), max_length=100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = self.fields["town"]
        assert isinstance(town, forms.ModelChoiceField)
        town.queryset = selectors.towns_kept(user)
