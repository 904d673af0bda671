"""Forms of the service-station and mass-organisation pages. They collect and convert input; the rules
live in the services. Every choice list is a scoped queryset; residents are found by typing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.common import parsing, pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.governance.interface import Category, Signal
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode, Resident

from . import orgs, selectors
from .models import (
    MassActivity,
    MassOrg,
    MassOrgKind,
    RequestChannel,
    RequestOutcome,
    RequestStatus,
    RequestStep,
    Satisfaction,
    ServiceItem,
    ServiceRequest,
    ServiceStation,
    StepKind,
)

SIGNALS = [("", _("全部预警")), (Signal.GREEN, _("绿灯")), (Signal.YELLOW, _("黄灯")), (Signal.RED, _("红灯"))]
STATES = [("", _("全部状态")), (selectors.STATE_OPEN, _("未办结")), *RequestStatus.choices]
YES_NO = [("", _("上门服务:不限")), ("1", _("是")), ("0", _("否"))]


def yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _note(label: Any = _("说明"), *, required: bool = False, model: Any = RequestStep) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=limit(model, "note"), widget=forms.Textarea(attrs={"rows": 2})
    )


def _village_filter(form: forms.Form, user: User, name: str = "village") -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    pickers.area_filter_picker(field, user, Capability.VIEW)


def station_label(station: ServiceStation) -> str:
    return station.name


def item_label(item: ServiceItem) -> str:
    """A catalogue item with its town: every town has its own 证明开具."""
    return f"{item.name} · {item.area.name}"


def org_label(org: MassOrg) -> str:
    return org.name


def _station_picker(field: forms.Field) -> None:
    """A station field as a picker: a county's stations are found by typing, never listed."""
    assert isinstance(field, forms.ModelChoiceField)
    widget = pick.LabelledPickWidget(
        url_name="stations:station_pick",
        label=station_label,
        placeholder=str(_("输入服务站或村名")),
        aria_label=str(_("服务站")),
    )
    pick.attach(field, widget)


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resident) -> str:  # type: ignore[override]
        return f"{obj.name} · {obj.household.hamlet.name}"


class ResidentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Resident) -> str:  # type: ignore[override]
        return f"{obj.name} · {obj.household.hamlet.name}"


# ---- the catalogue ----------------------------------------------------------------------------


class ItemForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("服务事项"), max_length=50, help_text=_("如“医保参保”“养老保险认证”"))
    time_limit = IntegerField(label=_("办理时限(工作日)"), min_value=1, max_value=60)
    description = forms.CharField(label=_("说明"), max_length=255, required=False)
    sort_order = IntegerField(label=_("排序"), min_value=0, max_value=10000, required=False, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, item: ServiceItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if item is not None:
            del self.fields["time_limit"]  # changed with its own form, keeping the history


class LimitForm(BootstrapMixin, forms.Form):
    days = IntegerField(label=_("新的办理时限(工作日)"), min_value=1, max_value=60)
    valid_from = DateField(label=_("起始日期"), widget=DateInput())
    basis = forms.CharField(label=_("依据"), max_length=200, required=False, help_text=_("如文件名称、文号"))


# ---- stations ---------------------------------------------------------------------------------


class StationFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("名称"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("服务站或村名")}),
    )
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _village_filter(self, user)


class StationForm(BootstrapMixin, forms.Form):
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村(社区)"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如“徐桥村便民服务站”"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    items: forms.ModelMultipleChoiceField[ServiceItem] = forms.ModelMultipleChoiceField(
        label=_("提供的服务"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = _note(_("备注"), model=ServiceStation)

    def __init__(self, *args: Any, user: User, station: ServiceStation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = self.fields["items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        items.queryset = selectors.items_for_choice(user, active=True)
        if station is not None:
            del self.fields["village"]
            return
        village = self.fields["village"]
        assert isinstance(village, forms.ModelChoiceField)
        village.queryset = selectors.villages_without_station(user)
        pickers.village_picker(village, user)


class StaffForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(
        label=_("手机号"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    duty = forms.CharField(label=_("岗位"), max_length=50, required=False, help_text=_("如“站长”“代办员”"))


# ---- requests ---------------------------------------------------------------------------------


class RequestFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("姓名或内容"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名、拼音首字母或诉求内容")}),
    )
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATES)
    signal = forms.ChoiceField(label=_("预警"), required=False, choices=SIGNALS)
    item: forms.ModelChoiceField[ServiceItem] = forms.ModelChoiceField(
        label=_("服务事项"), required=False, queryset=None
    )
    channel = forms.ChoiceField(
        label=_("受理渠道"), required=False, choices=[("", _("全部渠道")), *RequestChannel.choices]
    )
    home_service = forms.ChoiceField(label=_("上门服务"), required=False, choices=YES_NO)
    received_from = DateField(label=_("受理日期自"), required=False, widget=DateInput())
    received_to = DateField(label=_("受理日期至"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _village_filter(self, user)
        item = self.fields["item"]
        assert isinstance(item, forms.ModelChoiceField)
        # Each town has its own catalogue: a county's items are found by typing, never listed.
        item.queryset = selectors.items_for_choice(user).select_related("area")
        widget = pick.LabelledPickWidget(
            url_name="stations:item_pick",
            label=item_label,
            placeholder=str(_("全部服务事项(输入事项或镇名)")),
            aria_label=str(_("服务事项")),
        )
        pick.attach(item, widget)
        item.error_messages = {**item.error_messages, "invalid_choice": _("请选择您管辖范围内的服务事项。")}

    def clean_item(self) -> ServiceItem | None:
        item = self.cleaned_data.get("item")
        widget = self.fields["item"].widget
        if isinstance(widget, pick.PickWidget):
            widget.known = item  # read once: the picker shows the item validated, not a second read
        return item


class RequestForm(BootstrapMixin, forms.Form):
    """Quick entry at the counter (or on a phone): the station, the service, who asks, how."""

    station: forms.ModelChoiceField[ServiceStation] = forms.ModelChoiceField(label=_("服务站"), queryset=None)
    item: forms.ModelChoiceField[ServiceItem] = forms.ModelChoiceField(label=_("服务事项"), queryset=None)
    channel = forms.ChoiceField(label=_("受理渠道"), choices=RequestChannel.choices, initial=RequestChannel.WALK_IN)
    resident = ResidentChoiceField(label=_("居民"), queryset=None, required=False)
    person_name = forms.CharField(label=_("姓名(未登记群众)"), max_length=50, required=False)
    person_phone = forms.CharField(
        label=_("联系电话(未登记群众)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    home_service = forms.BooleanField(label=_("上门服务(老年人、残疾人等)"), required=False)
    description = forms.CharField(
        label=_("诉求内容"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    received_at = forms.DateTimeField(
        label=_("受理时间"),
        required=False,
        help_text=_("补录时填写;不填为现在"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station = self.fields["station"]
        assert isinstance(station, forms.ModelChoiceField)
        station.queryset = selectors.stations_for_choice(user, Capability.VIEW)
        _station_picker(station)
        item = self.fields["item"]
        assert isinstance(item, forms.ModelChoiceField)
        item.queryset = selectors.items_for_choice(user, active=True)
        resident = self.fields["resident"]
        assert isinstance(resident, forms.ModelChoiceField)
        resident.queryset = selectors.residents_for_request(user)
        pick.attach(resident, pickers.resident_widget(user, str(_("输入居民姓名或拼音;未登记的填写下方姓名"))))

    def clean_received_at(self) -> dt.datetime | None:
        value = self.cleaned_data.get("received_at")
        if value is not None and not parsing.in_window(value.date()):
            raise ValidationError(_("受理时间有误。"))
        return value


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return f"{obj.display_name} ({obj.username})" if obj.display_name else obj.username


class StepForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("环节"), choices=[(StepKind.IN_PROGRESS, _("办理中")), (StepKind.NOTE, _("备注"))])
    note = _note()
    handler = HandlerChoiceField(
        label=_("改由经办人"), queryset=User.objects.none(), required=False, empty_label=_("不变")
    )

    def __init__(self, *args: Any, request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handler = self.fields["handler"]
        assert isinstance(handler, forms.ModelChoiceField)
        handler.queryset = User.objects.filter(
            pk__in=[u.pk for u in selectors.handlers_for_choice(request.station, request.area_path)]
        )


class CompleteForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=RequestOutcome.choices)
    note = _note(_("结果说明(不予办理的理由、转往何处)"))


class RateForm(BootstrapMixin, forms.Form):
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    note = _note(_("意见"))


MATTER_KINDS = ("dispute", "safety_hazard", "public_security", "environment", "request", "other")


class ToMatterForm(BootstrapMixin, forms.Form):
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(label=_("事项类别"), queryset=None)
    title = forms.CharField(label=_("标题"), max_length=100, required=False, help_text=_("不填则取描述的开头"))
    description = forms.CharField(label=_("情况描述"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    place: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(
        label=_("发生地(湾组)"), queryset=None, required=False, help_text=_("未登记群众的诉求,请选择发生的湾组")
    )

    def __init__(self, *args: Any, user: User, request: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.filter(is_active=True, kind__in=MATTER_KINDS).prefetch_related(
            "attributes"
        )
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        if request.resident_id:
            del self.fields["place"]
        else:
            place.queryset = selectors.hamlets_of_station(user, request.station)


# ---- measures ---------------------------------------------------------------------------------

PERIODS = [("month", _("月")), ("quarter", _("季度")), ("year", _("年"))]


class MeasuresForm(BootstrapMixin, forms.Form):
    period = forms.ChoiceField(label=_("统计周期"), choices=PERIODS, initial="month", required=False)
    year = IntegerField(label=_("年"), min_value=2000, max_value=2100, required=False)
    number = IntegerField(label=_("月或季度"), min_value=1, max_value=12, required=False)
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _village_filter(self, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "quarter" and (data.get("number") or 1) > 4:
            self.add_error("number", _("季度应为 1 至 4。"))
        return data


def period_of(period: str, year: int | None, number: int | None) -> tuple[dt.date, dt.date]:
    """The first and last days of a month, a quarter or a year (this one by default)."""
    today = timezone.localdate()
    year = year or today.year
    if period == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if period == "quarter":
        q = number or (today.month - 1) // 3 + 1
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
        return start, end
    month = number or today.month
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


# ---- mass organisations -----------------------------------------------------------------------


class OrgFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("名称"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *MassOrgKind.choices])
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _village_filter(self, user)


class OrgForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=MassOrgKind.choices)
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("所在镇(村)"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如“徐桥村妇联”“宋河镇总工会”"))
    leader = forms.CharField(label=_("负责人"), max_length=50, required=False)
    note = _note(_("备注"), model=MassOrg)

    def __init__(self, *args: Any, user: User, org: MassOrg | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if org is not None:
            del self.fields["kind"], self.fields["area"]
            return
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = selectors.areas_for_org(user)
        pickers.village_picker(area, user, placeholder=str(_("输入镇名或村名")))


class ActivityFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("活动名称或地点"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部组织类别")), *MassOrgKind.choices])
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)
    held_from = DateField(label=_("活动日期自"), required=False, widget=DateInput())
    held_to = DateField(label=_("活动日期至"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _village_filter(self, user)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once, each checked by its contents (`orgs.check_photo`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super().clean(item, initial) for item in items]
        errors: list[str] = []
        for upload in files:
            try:
                orgs.check_photo(upload)
            except ValidationError as exc:
                errors += [f"{upload.name}:{m}" for m in exc.messages]
        if errors:
            raise ValidationError(errors)
        return files


PARTICIPANT_OPTIONS = 20


class ActivityForm(BootstrapMixin, forms.Form):
    org: forms.ModelChoiceField[MassOrg] = forms.ModelChoiceField(label=_("群团组织"), queryset=None)
    title = forms.CharField(label=_("活动名称"), max_length=100)
    held_on = DateField(label=_("活动日期"), widget=DateInput())
    place = forms.CharField(label=_("活动地点"), max_length=200, required=False)
    station: forms.ModelChoiceField[ServiceStation] = forms.ModelChoiceField(
        label=_("服务站"), queryset=None, required=False, help_text=_("在便民服务站开展的,请选择")
    )
    description = forms.CharField(
        label=_("活动内容"),
        max_length=limit(MassActivity, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    participant_count = IntegerField(label=_("参加人数"), min_value=0, max_value=orgs.MAX_PARTICIPANTS, initial=0)
    participants = ResidentsField(
        label=_("参加居民(可选)"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    photos = PhotosField(label=_("照片"))

    def __init__(
        self, *args: Any, user: User, activity: MassActivity | None = None, participant_q: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        org = self.fields["org"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = selectors.orgs_for_choice(user)
        pick.attach(
            org,
            pick.LabelledPickWidget(
                url_name="stations:org_pick",
                label=org_label,
                placeholder=str(_("输入组织名称")),
                aria_label=str(_("群团组织")),
            ),
        )
        station = self.fields["station"]
        assert isinstance(station, forms.ModelChoiceField)
        station.queryset = selectors.stations_for_choice(user)
        _station_picker(station)
        if activity is not None:
            del self.fields["org"], self.fields["photos"]
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        everyone = selectors.residents_for_activity(user)
        field.queryset = everyone
        raw = (
            self.data.getlist("participants")
            if isinstance(self.data, QueryDict)
            else self.data.get("participants") or []
        )
        chosen_ids = [parsing.parse_id(str(v)) for v in raw] if self.is_bound else []
        if not self.is_bound and activity is not None:
            chosen_ids = list(activity.participants.values_list("pk", flat=True))
        chosen = list(everyone.filter(pk__in=[i for i in chosen_ids if i]))
        found = (
            list(selectors.residents_for_activity(user, q=participant_q)[:PARTICIPANT_OPTIONS]) if participant_q else []
        )
        shown = chosen + [r for r in found if r not in chosen]
        field.widget.choices = [(r.pk, f"{r.name} · {r.household.hamlet.name}") for r in shown]
        if not self.is_bound and activity is not None:
            self.initial["participants"] = [r.pk for r in chosen]


class PhotosForm(BootstrapMixin, forms.Form):
    photos = PhotosField(label=_("照片"), required=True)
