"""Forms of the patrol and campaign pages. They collect and convert input; the rules live in the
services. Every choice list is a scoped queryset, and areas are chosen with the area picker."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common import parsing, pick
from hongniudai.common.forms import BootstrapMixin, DateInput, ListedModelChoiceField
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.governance.interface import Category
from hongniudai.party.models import Member
from hongniudai.places import pickers
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.volunteers.interface import Volunteer

from . import selectors
from .models import (
    Campaign,
    CampaignKind,
    MemberKind,
    PatrolMember,
    PatrolShift,
    PatrolTeam,
    PointKind,
    ShiftStatus,
    WatchPoint,
    Weather,
)

# A grid worker reports for the few grids listed; whoever covers more picks the grid by name.
REPORT_GRIDS_LISTED = 8

YES_NO = [("", _("不限")), ("1", _("是")), ("0", _("否"))]


def yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class IdChoiceField(forms.ModelChoiceField):
    """A record typed by its number: anything but a valid id is "not found", never a database error."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if parsing.parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


class MonthField(forms.DateField):
    """A month, typed as 2026-10 (or a day of it)."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_validators = [parsing.validate_date_window]


def _grids_picked(field: forms.Field, user: User, queryset: Any, *, many: bool = False, placeholder: str = "") -> None:
    """An area field (one grid, or several) as the area picker: `queryset` still validates the ids
    sent, and the page lists none of them."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    widget = pickers.area_widget(user, placeholder or str(_("输入网格名称或拼音")))
    if many:
        widget = pick.MultiPickWidget(
            url_name=widget.url_name, placeholder=widget.placeholder, top_depth=widget.top_depth
        )
    pick.attach(field, widget)
    field.error_messages = {
        **field.error_messages,
        "invalid_choice": _("请选择范围内的网格。"),
        "invalid_pk_value": _("请选择范围内的网格。"),
    }


def _area_filter(form: forms.Form, user: User, name: str = "area") -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    pickers.area_filter_picker(field, user, Capability.VIEW)


# ---- filters ----------------------------------------------------------------------------------


class TeamFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("队名"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("地区"), required=False, queryset=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)


class ShiftFilterForm(BootstrapMixin, forms.Form):
    month = MonthField(label=_("月份"), required=False)
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("地区"), required=False, queryset=None)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *ShiftStatus.choices])
    # A team's rota (the link from its page): by id, never a list of every team of a county.
    team: forms.ModelChoiceField[PatrolTeam] = IdChoiceField(
        label=_("巡逻队"), required=False, queryset=None, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = selectors.teams(user)


class LogFilterForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("地区"), required=False, queryset=None)
    start = DateField(label=_("起始日期"), required=False, widget=DateInput())
    end = DateField(label=_("截止日期"), required=False, widget=DateInput())
    with_incidents = forms.ChoiceField(
        label=_("有巡逻发现"), required=False, choices=[("", _("有无发现:不限")), *YES_NO[1:]]
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _area_filter(self, user)


class MeasuresForm(BootstrapMixin, forms.Form):
    month = MonthField(label=_("月份"), required=False)


class CampaignFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("名称"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *CampaignKind.choices])


class ReportFilterForm(BootstrapMixin, forms.Form):
    campaign: forms.ModelChoiceField[Campaign] = ListedModelChoiceField(
        label=_("专项巡查"), required=False, queryset=None, empty_label=_("全部专项巡查")
    )
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("地区"), required=False, queryset=None)
    start = DateField(label=_("起始日期"), required=False, widget=DateInput())
    end = DateField(label=_("截止日期"), required=False, widget=DateInput())
    nothing_found = forms.ChoiceField(
        label=_("今日无情况"),
        required=False,
        choices=[("", _("零报告:不限")), ("1", _("仅零报告")), ("0", _("有情况"))],
    )
    on_time = forms.ChoiceField(
        label=_("按时"), required=False, choices=[("", _("按时:不限")), ("1", _("按时")), ("0", _("迟报"))]
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign = self.fields["campaign"]
        assert isinstance(campaign, forms.ModelChoiceField)
        campaign.queryset = selectors.campaigns_for_choice(user)
        _area_filter(self, user)


# ---- teams and the rota -----------------------------------------------------------------------


class TeamForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(
        label=_("巡逻区域(镇或村)"),
        queryset=None,
        help_text=_("集镇巡逻队选本镇;村巡逻队选本村。"),
    )
    name = forms.CharField(label=_("队名"), max_length=100)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, team: PatrolTeam | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        if team is not None:
            del self.fields["area"]
            self.fields["is_active"] = forms.BooleanField(label=_("在用"), required=False)
        else:
            area.queryset = selectors.team_areas_for_choice(user)
            pickers.village_picker(area, user, placeholder=str(_("输入镇名或村名")))


class MemberForm(BootstrapMixin, forms.Form):
    """A party member or a militiaman is picked as the resident (by name or pinyin), never from a
    list of every party member; a volunteer from outside the area by the volunteer's number."""

    kind = forms.ChoiceField(label=_("身份"), choices=MemberKind.choices)
    person: forms.ModelChoiceField[Resident] = IdChoiceField(
        label=_("党员或居民"),
        required=False,
        queryset=None,
        help_text=_("输入姓名或拼音:身份为党员时必选(须有党员档案);民兵可选居民或只填姓名;志愿者可选其居民身份。"),
    )
    volunteer: forms.ModelChoiceField[Volunteer] = IdChoiceField(
        label=_("志愿者编号"),
        required=False,
        queryset=None,
        widget=forms.NumberInput,
        help_text=_("不是本地居民的志愿者:填志愿者名册中的编号"),
    )
    name = forms.CharField(label=_("民兵姓名"), max_length=50, required=False)
    joined_on = DateField(label=_("入队日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seen = scope_for(user)
        self.party_members = seen.filter(Member.objects.all())
        self.volunteers = seen.filter(Volunteer.objects.filter(is_active=True))
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = seen.filter(Resident.objects.select_related("household__hamlet"))
        pick.attach(person, pickers.resident_widget(user))
        person.error_messages = {**person.error_messages, "invalid_choice": _("请选择您范围内的一名居民。")}
        volunteer = self.fields["volunteer"]
        assert isinstance(volunteer, forms.ModelChoiceField)
        volunteer.queryset = self.volunteers
        volunteer.error_messages = {**volunteer.error_messages, "invalid_choice": _("编号不存在或不在您的范围之内。")}

    def clean(self) -> dict[str, Any]:
        """The service's arguments: the party member or volunteer of the resident picked."""
        data = super().clean() or {}
        kind, person, volunteer = data.get("kind"), data.get("person"), data.get("volunteer")
        data["party_member"], data["resident"] = None, None
        if kind == MemberKind.PARTY_MEMBER and person is not None:
            data["party_member"] = self.party_members.filter(resident=person).first()
            if data["party_member"] is None:
                self.add_error("person", _("%(name)s 没有党员档案。") % {"name": person.name})
        elif kind == MemberKind.PARTY_MEMBER:
            self.add_error("person", _("请选择一名党员。"))
        elif kind == MemberKind.VOLUNTEER and volunteer is None:
            data["volunteer"] = self.volunteers.filter(resident=person).first() if person is not None else None
            if data["volunteer"] is None:
                self.add_error("person", _("请选择已登记为志愿者的居民,或填写志愿者编号。"))
        elif kind == MemberKind.MILITIA:
            data["resident"] = person
        return data


class RotaForm(BootstrapMixin, forms.Form):
    month = MonthField(label=_("月份"))
    start = forms.TimeField(label=_("开始时间"), initial="20:00", widget=forms.TimeInput(attrs={"type": "time"}))
    hours = IntegerField(label=_("每班时长(小时)"), min_value=1, max_value=12, initial=4)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("巡逻的星期"),
        coerce=int,
        choices=[(i, d) for i, d in enumerate([_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")])],
        initial=list(range(7)),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("集镇每晚巡逻:全选。"),
    )
    route: forms.ModelMultipleChoiceField[AreaNode] = forms.ModelMultipleChoiceField(
        label=_("巡逻路线经过的网格"), queryset=None, help_text=_("输入网格名称逐个添加;取消勾选即移除。")
    )

    def __init__(self, *args: Any, user: User, team: PatrolTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _grids_picked(self.fields["route"], user, selectors.grids_under(user, team.area), many=True)


class CheckInForm(forms.Form):
    """The position a phone gives with 开始巡逻 / 结束巡逻 (filled by the page's script, optional)."""

    lat = forms.DecimalField(required=False, max_digits=12, decimal_places=8)
    lng = forms.DecimalField(required=False, max_digits=12, decimal_places=8)


class LogForm(BootstrapMixin, forms.Form):
    present: forms.ModelMultipleChoiceField[PatrolMember] = forms.ModelMultipleChoiceField(
        label=_("到岗队员"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    weather = forms.ChoiceField(label=_("天气"), required=False, choices=[("", "—"), *Weather.choices])
    route_notes = forms.CharField(label=_("巡逻记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, shift: PatrolShift, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = self.fields["present"]
        assert isinstance(present, forms.ModelMultipleChoiceField)
        present.queryset = selectors.members(user, team=shift.team)


class IncidentForm(BootstrapMixin, forms.Form):
    place: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("发生地(网格或湾组)"), queryset=None)
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("事项类别"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("治安问题(默认)"),
    )
    title = forms.CharField(label=_("标题"), max_length=100, required=False)
    description = forms.CharField(label=_("情况描述"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, shift: PatrolShift, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = selectors.places_under(user, shift.team.area)
        pickers.village_picker(place, user, placeholder=str(_("输入网格或湾组名称")))
        place.error_messages = {**place.error_messages, "invalid_choice": _("请选择本队巡逻区域内的网格或湾组。")}


# ---- campaigns --------------------------------------------------------------------------------


class CampaignForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("组织单位(镇、片区或村)"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=CampaignKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    starts_on = DateField(label=_("开始日期"), widget=DateInput())
    ends_on = DateField(label=_("结束日期"), widget=DateInput())
    deadline_hour = IntegerField(label=_("每日上报截止(时)"), min_value=1, max_value=23, initial=18)
    villages: forms.ModelMultipleChoiceField[AreaNode] = forms.ModelMultipleChoiceField(
        label=_("覆盖的村或网格"),
        queryset=None,
        help_text=_("输入村名或网格名逐个添加:选村即覆盖该村的全部网格;取消勾选即移除。"),
    )
    note = forms.CharField(label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        writes = scope_for(user, Capability.WATCH)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = writes.filter(
            AreaNode.objects.filter(kind__in=(AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE))
        ).order_by("path")
        pickers.village_picker(area, user, placeholder=str(_("输入镇、片区或村名")))
        _grids_picked(
            self.fields["villages"],
            user,
            writes.filter(AreaNode.objects.filter(kind__in=(AreaKind.VILLAGE, AreaKind.GRID))),
            many=True,
            placeholder=str(_("输入村名或网格名")),
        )
        self.fields["villages"].error_messages["invalid_choice"] = _("请选择您管辖范围内的村或网格。")


class DutyForm(BootstrapMixin, forms.Form):
    date = DateField(label=_("日期"), widget=DateInput())
    grid: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("网格"), queryset=None)
    person_name = forms.CharField(label=_("值班人员"), max_length=50)

    def __init__(self, *args: Any, user: User, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = AreaNode.objects.filter(pk__in=[g.pk for g in selectors.grids_to_report(user, campaign)])
        _grids_picked(self.fields["grid"], user, grids, placeholder=str(_("输入本次专项巡查覆盖的网格名称")))


class PointForm(BootstrapMixin, forms.Form):
    grid: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("网格"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=PointKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    lat = forms.DecimalField(label=_("纬度"), max_digits=12, decimal_places=8)
    lng = forms.DecimalField(label=_("经度"), max_digits=12, decimal_places=8)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = AreaNode.objects.filter(pk__in=[g.pk for g in selectors.grids_to_report(user, campaign)])
        _grids_picked(self.fields["grid"], user, grids, placeholder=str(_("输入本次专项巡查覆盖的网格名称")))


class ReportForm(BootstrapMixin, forms.Form):
    """The findings form of the grid worker's daily report (the zero-report is its own button)."""

    grid: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("网格"), queryset=None)
    points_checked: forms.ModelMultipleChoiceField[WatchPoint] = forms.ModelMultipleChoiceField(
        label=_("已查点位"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    checked = forms.CharField(label=_("巡查情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(
        label=_("发现问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("填写后将作为事项上报到本网格。"),
    )
    burning_now = forms.BooleanField(label=_("正在燃烧"), required=False)

    def __init__(self, *args: Any, user: User, campaign: Campaign, grids: list[AreaNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grid = self.fields["grid"]
        assert isinstance(grid, forms.ModelChoiceField)
        grid.queryset = AreaNode.objects.filter(pk__in=[g.pk for g in grids])
        if len(grids) == 1:
            grid.initial = grids[0].pk
        many = len(grids) > REPORT_GRIDS_LISTED  # a town's administrator: the grid picked by name
        if many:
            _grids_picked(grid, user, grid.queryset)
        points = self.fields["points_checked"]
        assert isinstance(points, forms.ModelMultipleChoiceField)
        points.queryset = selectors.points(user, campaign=campaign).filter(grid__in=grids)
        if many:  # not every point of a town: the grid worker ticks those of their grids
            points.widget = forms.MultipleHiddenInput()
        if campaign.kind != CampaignKind.STRAW_BURNING:
            del self.fields["burning_now"]
