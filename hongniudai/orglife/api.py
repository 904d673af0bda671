"""REST API of organisational life: meetings (with their kinds and attendance), the rules, and the
compliance of a node over a period (`api_compliance`). `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (the caller's scope applies; out of scope is a 404), writes go
through `services` (capability checks: 403; validation: 400 with messages keyed by field)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    RECORD,
    ChoiceLabelField,
    DateFilter,
    IdFilter,
    ScopedPrimaryKeyRelatedField,
    ServiceModelViewSet,
    ServiceSerializer,
    crud_schema,
)
from hongniudai.party import selectors as party_selectors
from hongniudai.party.models import Member, PartyOrg

from . import selectors, services
from .api_common import KIND_HELP
from .api_compliance import ComplianceViewSet
from .models import AbsenceReason, Attendance, Meeting, MeetingKind, MeetingKindMark, MeetingRule

# ---- meetings -------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    member = ScopedPrimaryKeyRelatedField(
        model=Member, selector=lambda user: party_selectors.members(user), label=_("党员")
    )
    member_name = serializers.CharField(source="member.resident.name", read_only=True, label=_("党员姓名"))
    present = serializers.BooleanField(default=True, label=_("出席"))
    absence_reason = serializers.ChoiceField(
        choices=AbsenceReason.choices, required=False, allow_blank=True, default="", label=_("缺席原因")
    )
    absence_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, label=_("缺席说明")
    )

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "present", "absence_reason", "absence_note"]
        validators: list[Any] = []


class MarkSerializer(serializers.ModelSerializer):
    # Plain text here (the code list is in the help): one enum of meeting kinds in the schema, `kinds`.
    kind = serializers.CharField(read_only=True, label=_("会议类型"), help_text=KIND_HELP)
    kind_label = ChoiceLabelField(source="kind", label=_("会议类型名称"))

    class Meta:
        model = MeetingKindMark
        fields = ["kind", "kind_label", "counts"]
        read_only_fields = fields


def _entries(rows: list[dict[str, Any]]) -> list[services.AttendanceEntry]:
    return [
        services.AttendanceEntry(
            member=row["member"],
            present=row.get("present", True),
            absence_reason=row.get("absence_reason", ""),
            absence_note=row.get("absence_note", ""),
        )
        for row in rows
    ]


class MeetingSerializer(ServiceSerializer):
    org = ScopedPrimaryKeyRelatedField(
        model=PartyOrg,
        selector=lambda user: party_selectors.orgs(user),
        label=_("党组织"),
        help_text=_("党支部;党小组会为党小组。建立后不能更换。"),
    )
    org_name = serializers.CharField(source="org.name", read_only=True, label=_("党组织名称"))
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=MeetingKind.choices),
        write_only=True,
        required=False,
        label=_("会议类型"),
        help_text=_("一次会议可计为多种类型;新建时必填。"),
    )
    marks = MarkSerializer(many=True, read_only=True, label=_("计入的会议类型"))
    presided_by = ScopedPrimaryKeyRelatedField(
        model=Member,
        selector=lambda user: party_selectors.members(user),
        allow_null=True,
        required=False,
        label=_("主持人"),
    )
    attendance = AttendanceSerializer(
        many=True,
        required=False,
        label=_("出席情况"),
        help_text=_("应到党员每人一行;缺席须填写原因。修改时给出则整体替换。"),
    )

    class Meta:
        model = Meeting
        read_only_fields = ["voting_total", "voting_present", "created_at", "updated_at"]
        # The editable fields (`Meeting.EDITABLE`), then what is set once, taken or shown besides them.
        fields = ["id", "org", "org_name", *Meeting.EDITABLE, "kinds", "marks", "attendance", *read_only_fields]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Meeting:
        kinds = validated_data.pop("kinds", None)
        if not kinds:
            raise serializers.ValidationError({"kinds": [_("请至少选择一种会议类型。")]})
        attendance = _entries(validated_data.pop("attendance", []))
        return services.record_meeting(actor=self.actor, kinds=kinds, attendance=attendance, **validated_data)

    def update(self, instance: Meeting, validated_data: dict[str, Any]) -> Meeting:
        self.refuse_change(instance, validated_data, "org", _("会议登记后不能更换党组织,请删除后重新登记。"))
        validated_data.pop("org", None)
        kinds = validated_data.pop("kinds", None) or list(instance.marks.values_list("kind", flat=True))
        if "attendance" in validated_data:
            attendance = _entries(validated_data.pop("attendance"))
        else:
            attendance = [
                services.AttendanceEntry(
                    member=a.member, present=a.present, absence_reason=a.absence_reason, absence_note=a.absence_note
                )
                for a in instance.attendance.select_related("member__resident")
            ]
        values = self.current(instance, validated_data, Meeting.EDITABLE)
        return services.update_meeting(actor=self.actor, meeting=instance, kinds=kinds, attendance=attendance, **values)


class MeetingFilter(filters.FilterSet):
    org = IdFilter(method="filter_org", label=_("党组织 id(含全部下级)"))
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, method="filter_kind", label=_("会议类型"))
    start = DateFilter(field_name="held_on", lookup_expr="gte", label=_("起始日期(含)"))
    end = DateFilter(field_name="held_on", lookup_expr="lte", label=_("截止日期(含)"))
    q = filters.CharFilter(field_name="topic", lookup_expr="icontains", label=_("主题包含"))

    class Meta:
        model = Meeting
        fields: list[str] = []

    def filter_org(self, queryset: QuerySet[Meeting], name: str, value: int) -> QuerySet[Meeting]:
        org = party_selectors.org_get_optional(api_user(self.request), value)
        return queryset.filter(org__path__under=org.path) if org else queryset.none()

    def filter_kind(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        return selectors.of_kind(queryset, value)


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "会议"),
        verb=RECORD,
        described={"create": _("支部党员大会须有表决权的正式党员过半数到会,否则该类型标记为不计入(counts=false)。")},
    )
)
class MeetingViewSet(ServiceModelViewSet):
    """三会一课、主题党日、组织生活会、民主评议党员的会议记录,含会议类型与出席情况。"""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    delete_service = services.delete_meeting
    delete_argument = "meeting"

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.with_attendance(selectors.meetings(api_user(self.request)))


# ---- rules ----------------------------------------------------------------------------------


class MeetingRuleSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, label=_("会议类型"), help_text=KIND_HELP)
    kind_label = ChoiceLabelField(source="kind", label=_("会议类型名称"))
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True, label=_("适用地区名称"))

    class Meta:
        model = MeetingRule
        # What the rule applies to, then its terms (`MeetingRule.EDITABLE`) and what follows from the kind.
        fields = ["id", "kind", "kind_label", "area", "area_name", *MeetingRule.EDITABLE, "owed_by", "needs_committee"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary=_("组织生活规则")))
class MeetingRuleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """默认规则(适用地区为空)与您所在地区及上级地区的地方规则;最具体的规则优先。"""

    serializer_class = MeetingRuleSerializer

    def get_queryset(self) -> QuerySet[MeetingRule]:
        return selectors.rules(api_user(self.request))


ROUTES: list[tuple[str, Any, str]] = [
    ("meetings", MeetingViewSet, "meeting"),
    ("meeting-rules", MeetingRuleViewSet, "meeting-rule"),
    ("orglife-compliance", ComplianceViewSet, "orglife-compliance"),
]
