"""Forms of the volunteers' pages. They collect and convert input; the rules live in the services.
Residents and areas are picked by typing (`places.pickers`), never from a list of every row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.common import pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode, Resident

from . import selectors
from .models import TaskKind, Volunteer, VolunteerTask, VolunteerTeam

ACTIVE = [("", _("在册情况:不限")), ("1", _("在册")), ("0", _("已退出"))]


def yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _area_filter(form: forms.Form, user: User) -> None:
    field = form.fields["area"]
    assert isinstance(field, forms.ModelChoiceField)
    pickers.area_filter_picker(field, user, Capability.VIEW)


def _area_choice(form: forms.Form, user: User) -> None:
    field = form.fields["area"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = selectors.areas_for_choice(user)
    pick.attach(field, pickers.area_widget(user, str(_("输入村、网格或湾组名称或拼音"))))
    field.error_messages = {**field.error_messages, "invalid_choice": _("请选择您管辖范围内的地区。")}


def volunteer_label(volunteer: Volunteer) -> str:
    return f"{volunteer.name} · {volunteer.area.name}"


def team_label(team: VolunteerTeam) -> str:
    return team.name


def volunteer_widget() -> pick.LabelledPickWidget:
    """The volunteer picker: a town's or a county's volunteers are found by typing, never listed."""
    return pick.LabelledPickWidget(
        url_name="volunteers:volunteer_pick",
        label=volunteer_label,
        placeholder=str(_("输入志愿者姓名")),
        aria_label=str(_("志愿者")),
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


# ---- filters ----------------------------------------------------------------------------------


class VolunteerFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("姓名"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名或拼音")}),
    )
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("地区"), required=False, queryset=None)
    team = forms.CharField(
        label=_("服务队"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("服务队名称")}),
    )
    skill = forms.CharField(
        label=_("技能"), required=False, max_length=50, widget=forms.TextInput(attrs={"placeholder": _("技能特长")})
    )
    active = forms.ChoiceField(label=_("在册"), required=False, choices=ACTIVE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)


class AreaFilterForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("地区"), required=False, queryset=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)


class TaskFilterForm(AreaFilterForm):
    q = forms.CharField(
        label=_("任务"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("任务名称或地点")}),
    )
    kind = forms.ChoiceField(label=_("任务类型"), required=False, choices=[("", _("全部任务类型")), *TaskKind.choices])
    start = DateField(label=_("从"), required=False, widget=DateInput())
    end = DateField(label=_("到"), required=False, widget=DateInput())


class RankingForm(AreaFilterForm):
    year = IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class YearForm(BootstrapMixin, forms.Form):
    year = IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


def year_of(form: forms.Form) -> int:
    data = form.cleaned_data if form.is_valid() else {}
    return data.get("year") or timezone.localdate().year


# ---- volunteers -------------------------------------------------------------------------------


class VolunteerForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("所属地区"), queryset=None)
    resident: forms.ModelChoiceField[Resident] = forms.ModelChoiceField(
        label=_("本地居民"),
        required=False,
        queryset=None,
        help_text=_("本地居民请在此选择;外来志愿者留空并填写姓名、手机号。"),
    )
    name = forms.CharField(label=_("姓名"), required=False, max_length=limit(Volunteer, "name"))
    phone = forms.CharField(label=_("手机号"), required=False, max_length=20)
    skills = forms.CharField(label=_("技能特长"), required=False, max_length=limit(Volunteer, "skills"))
    joined_on = DateField(label=_("注册日期"), widget=DateInput())
    note = forms.CharField(
        label=_("备注"), required=False, max_length=limit(Volunteer, "note"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_choice(self, user)
        resident = self.fields["resident"]
        assert isinstance(resident, forms.ModelChoiceField)
        resident.queryset = selectors.residents_for_choice(user)
        pick.attach(resident, pickers.resident_widget(user))


class VolunteerEditForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), required=False, max_length=limit(Volunteer, "name"))
    phone = forms.CharField(label=_("手机号"), required=False, max_length=20)
    skills = forms.CharField(label=_("技能特长"), required=False, max_length=limit(Volunteer, "skills"))
    team: forms.ModelChoiceField[VolunteerTeam] = forms.ModelChoiceField(
        label=_("服务队"), required=False, queryset=None, empty_label=_("不加入服务队")
    )
    joined_on = DateField(label=_("注册日期"), widget=DateInput())
    note = forms.CharField(
        label=_("备注"), required=False, max_length=limit(Volunteer, "note"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, volunteer: Volunteer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        # The teams of the volunteer's area and the areas above it: a handful, never a county's.
        ancestors = [volunteer.area_path[:i] for i in range(1, len(volunteer.area_path) + 1)]
        near = VolunteerTeam.objects.filter(area_path__in=ancestors) | VolunteerTeam.objects.filter(
            area_path__startswith=volunteer.area_path
        )
        team.queryset = selectors.teams_for_choice(user).filter(pk__in=near.values("pk"))
        widget = pick.LabelledPickWidget(
            url_name="volunteers:team_pick",
            label=team_label,
            placeholder=str(_("不加入服务队:留空;或输入队名")),
            aria_label=str(_("服务队")),
        )
        pick.attach(team, widget)
        if volunteer.resident_id:
            self.fields["name"].disabled = True
            self.fields["name"].help_text = _("本地居民的姓名取自居民信息。")


class AccountForm(BootstrapMixin, forms.Form):
    username = forms.CharField(
        label=_("登录账号(用户名)"), max_length=30, help_text=_("已有账号的用户名;将授予其本地区的“志愿者”角色。")
    )


# ---- teams ------------------------------------------------------------------------------------


class TeamForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("所属地区"), queryset=None)
    name = forms.CharField(label=_("队名"), max_length=limit(VolunteerTeam, "name"))
    note = forms.CharField(
        label=_("备注"),
        required=False,
        max_length=limit(VolunteerTeam, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_choice(self, user)


class TeamEditForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("队名"), max_length=limit(VolunteerTeam, "name"))
    leader: forms.ModelChoiceField[Volunteer] = forms.ModelChoiceField(
        label=_("队长"), required=False, queryset=None, empty_label=_("暂无队长")
    )
    note = forms.CharField(
        label=_("备注"),
        required=False,
        max_length=limit(VolunteerTeam, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, team: VolunteerTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        assert isinstance(leader, forms.ModelChoiceField)
        leader.queryset = team.members.filter(is_active=True).order_by("name", "id")


# ---- tasks ------------------------------------------------------------------------------------


class TaskForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("所属地区"), queryset=None)
    kind = forms.ChoiceField(label=_("任务类型"), choices=TaskKind.choices)
    title = forms.CharField(label=_("任务名称"), max_length=limit(VolunteerTask, "title"))
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    place = forms.CharField(label=_("地点"), required=False, max_length=limit(VolunteerTask, "place"))
    needed = IntegerField(label=_("需要人数"), min_value=1, max_value=999, initial=1)
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=limit(VolunteerTask, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_choice(self, user)


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Volunteer) -> str:  # type: ignore[override]
        return f"{obj.name} · {obj.area.name}"


class ParticipantForm(BootstrapMixin, forms.Form):
    volunteer = VolunteerChoiceField(label=_("志愿者"), queryset=None)
    confirm = forms.BooleanField(label=_("直接确认(不经报名)"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, task: VolunteerTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        assert isinstance(field, forms.ModelChoiceField)
        # The active volunteers of the task's area (a village's, some dozens), not yet on it.
        field.queryset = (
            selectors.volunteers_for_choice(user)
            .filter(area_path__startswith=task.area_path)
            .exclude(participations__task=task)
        )
        pick.attach(field, volunteer_widget())


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("未通过原因"), max_length=200)


class HoursForm(BootstrapMixin, forms.Form):
    day = DateField(label=_("服务日期"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("时长(小时)"), max_digits=6, help_text=_("大于 0,最多一位小数,一天合计不超过 24 小时。")
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)
