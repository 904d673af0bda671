"""Forms of the organisational-life pages: they collect and convert input; the rules live in the
services. Choice lists come from scoped selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.common import parsing
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.party import selectors as party_selectors
from hongniudai.party.forms import AreaChoiceField, OrgChoiceField, offer_orgs
from hongniudai.party.models import Member, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode

from . import selectors
from .models import AbsenceReason, Frequency, Meeting, MeetingKind, MeetingRule
from .periods import PRESETS
from .services import AttendanceEntry


def _org_label(org: PartyOrg) -> str:
    return f"{org.parent.name} · {org.name}" if org.kind == "party_group" and org.parent else org.name


class MeetingOrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PartyOrg) -> str:  # type: ignore[override]
        return _org_label(obj)


class PresiderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        post = f"({obj.get_post_display()})" if obj.post else ""
        return f"{obj.resident.name}{post}"


class MeetingFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("主题"), required=False, widget=forms.TextInput(attrs={"type": "search", "placeholder": _("会议主题")})
    )
    org = OrgChoiceField(
        label=_("党组织"), required=False, queryset=PartyOrg.objects.none(), empty_label=_("全部党组织")
    )
    kind = forms.ChoiceField(label=_("会议类型"), required=False, choices=[("", _("全部类型")), *MeetingKind.choices])
    start = DateField(label=_("起始日期"), required=False, widget=DateInput())
    end = DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_orgs(self, party_selectors.orgs_for_filter(user), _("全部党组织"))


class PeriodForm(BootstrapMixin, forms.Form):
    """Node and period of the compliance pages: a preset, or from–to (default: this year to date)."""

    org = OrgChoiceField(label=_("党组织"), required=False, queryset=PartyOrg.objects.none(), empty_label=_("我的范围"))
    preset = forms.ChoiceField(label=_("期间"), required=False, choices=[("", _("自定义期间")), *PRESETS])
    start = DateField(label=_("起始日期"), required=False, widget=DateInput())
    end = DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_orgs(self, party_selectors.orgs_for_filter(user), _("我的范围"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        elif start and start < dt.date(2000, 1, 1):
            self.add_error("start", _("起始日期不能早于 2000 年。"))
        else:
            for message in parsing.period_errors(start, end or timezone.localdate()):
                self.add_error("start", message)
        return data


class MeetingOrgPickForm(BootstrapMixin, forms.Form):
    org = MeetingOrgChoiceField(label=_("召开会议的党组织"), queryset=PartyOrg.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = selectors.meeting_orgs_for_choice(user)  # type: ignore[attr-defined]


class MeetingForm(BootstrapMixin, forms.Form):
    """The meeting, and one row of attendance per member of the roster
    (`present_<id>`, `reason_<id>`, `note_<id>`)."""

    held_on = DateField(label=_("日期"), widget=DateInput())
    start_time = forms.TimeField(label=_("开始时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("地点"), required=False, max_length=100)
    topic = forms.CharField(label=_("主题"), max_length=200)
    kinds = forms.MultipleChoiceField(
        label=_("会议类型"),
        choices=MeetingKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("一次会议可同时计为多种类型,如支部党员大会并上党课、开展主题党日。"),
    )
    presided_by = PresiderChoiceField(label=_("主持人"), required=False, queryset=Member.objects.none())
    lecturer = forms.CharField(label=_("授课人"), required=False, max_length=50, help_text=_("党课必填"))
    minutes = forms.CharField(
        max_length=limit(Meeting, "minutes"),
        label=_("会议记录"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, org: PartyOrg, kinds: list[str], members: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(k, MeetingKind(k).label) for k in kinds]  # type: ignore[attr-defined]
        self.fields["kinds"].widget.attrs["class"] = "form-check-input"
        self.fields["presided_by"].queryset = (  # type: ignore[attr-defined]
            selectors.roster(selectors.branch_of(org)).select_related("resident")
        )
        self.members = members
        for m in members:
            self.fields[f"present_{m.pk}"] = forms.BooleanField(label=str(m), required=False, initial=True)
            self.fields[f"reason_{m.pk}"] = forms.ChoiceField(
                label=_("缺席原因"), required=False, choices=[("", _("(出席不填)")), *AbsenceReason.choices]
            )
            self.fields[f"note_{m.pk}"] = forms.CharField(label=_("说明"), required=False, max_length=200)
        # BootstrapMixin ran before the attendance fields existed.
        for m in members:
            self.fields[f"present_{m.pk}"].widget.attrs["class"] = "form-check-input"
            self.fields[f"reason_{m.pk}"].widget.attrs["class"] = "form-select form-select-sm"
            self.fields[f"note_{m.pk}"].widget.attrs["class"] = "form-control form-control-sm"

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("held_on", "start_time", "place", "topic", "kinds")]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("presided_by", "lecturer", "minutes")]

    @property
    def attendance_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "member": m,
                "present": self[f"present_{m.pk}"],
                "reason": self[f"reason_{m.pk}"],
                "note": self[f"note_{m.pk}"],
            }
            for m in self.members
        ]

    def attendance(self) -> list[Any]:
        d = self.cleaned_data
        return [
            AttendanceEntry(
                member=m,
                present=bool(d.get(f"present_{m.pk}")),
                absence_reason=d.get(f"reason_{m.pk}", ""),
                absence_note=d.get(f"note_{m.pk}", ""),
            )
            for m in self.members
        ]


class RuleForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    area = AreaChoiceField(label=_("适用地区"), queryset=AreaNode.objects.none())
    frequency = forms.ChoiceField(label=_("频次"), choices=Frequency.choices)
    times = IntegerField(label=_("每期次数"), min_value=1, max_value=31, initial=1)
    remind_days = IntegerField(label=_("期末前提醒天数"), min_value=0, max_value=90, initial=7)
    source = forms.CharField(label=_("依据"), max_length=200, help_text=_("文件名称及条款"))
    note = forms.CharField(
        max_length=limit(MeetingRule, "note"), label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            del self.fields["area"]
            return
        field = self.fields["area"]
        assert isinstance(field, AreaChoiceField)
        qs = party_selectors.areas_for_org_choice(
            user, kinds=(AreaKind.COUNTY, AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE, AreaKind.PARK)
        )
        field.queryset = qs
        field.top = min((a.depth for a in qs), default=1)
