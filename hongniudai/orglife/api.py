"""REST API of organisational life: meetings (with their kinds and attendance), the compliance of
a node over a period, and the rules. `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (the caller's scope applies; out of scope is a 404), writes go
through `services` (capability checks: 403; validation: 400 with messages keyed by field)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common import parsing
from hongniudai.common.api import (
    ChoiceLabelField,
    DateField,
    DateFilter,
    IdField,
    IdFilter,
    ScopedPrimaryKeyRelatedField,
    ServiceModelViewSet,
    ServiceSerializer,
    id_parameter,
)
from hongniudai.party import selectors as party_selectors
from hongniudai.party.models import Member, PartyOrg

from . import selectors, services
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


KIND_HELP = format_lazy(
    "{}{}", _("会议类型代码:"), "、".join(f"{value} {label}" for value, label in MeetingKind.choices)
)


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
        fields = [
            "id",
            "org",
            "org_name",
            "held_on",
            "start_time",
            "place",
            "topic",
            "minutes",
            "presided_by",
            "lecturer",
            "kinds",
            "marks",
            "voting_total",
            "voting_present",
            "attendance",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["voting_total", "voting_present", "created_at", "updated_at"]
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
    list=extend_schema(summary=_("会议列表")),
    retrieve=extend_schema(summary=_("会议详情")),
    create=extend_schema(
        summary=_("登记会议"),
        description=_("支部党员大会须有表决权的正式党员过半数到会,否则该类型标记为不计入(counts=false)。"),
    ),
    update=extend_schema(summary=_("修改会议")),
    partial_update=extend_schema(summary=_("修改会议(部分字段)")),
    destroy=extend_schema(summary=_("删除会议")),
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
        fields = [
            "id",
            "kind",
            "kind_label",
            "area",
            "area_name",
            "frequency",
            "times",
            "owed_by",
            "needs_committee",
            "remind_days",
            "source",
            "note",
        ]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary=_("组织生活规则")))
class MeetingRuleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """默认规则(适用地区为空)与您所在地区及上级地区的地方规则;最具体的规则优先。"""

    serializer_class = MeetingRuleSerializer

    def get_queryset(self) -> QuerySet[MeetingRule]:
        return selectors.rules(api_user(self.request))


# ---- compliance -----------------------------------------------------------------------------


class ComplianceQuerySerializer(serializers.Serializer):
    org = IdField(required=False, label=_("党组织 id"))
    start = DateField(required=False, label=_("起始日期"))
    end = DateField(required=False, label=_("截止日期"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("end") or timezone.localdate()
        start = attrs.get("start") or dt.date(end.year, 1, 1)
        errors = parsing.period_errors(start, end)
        if errors:
            raise serializers.ValidationError({"start": errors})
        return {"org": attrs.get("org"), "start": start, "end": end}


class CountsSerializer(serializers.Serializer):
    due = serializers.IntegerField(label=_("应开展"))
    met = serializers.IntegerField(label=_("已落实"))
    missing = serializers.IntegerField(label=_("未落实"))
    pending = serializers.IntegerField(label=_("进行中"))
    rate = serializers.FloatField(allow_null=True, label=_("落实率(已落实 ÷ (已落实 + 未落实))"))


class ChildCountsSerializer(CountsSerializer):
    id = serializers.IntegerField(label=_("党组织 id"))
    name = serializers.CharField(label=_("名称"))
    kind = serializers.CharField(label=_("类型"))


class ObligationSerializer(serializers.Serializer):
    org = serializers.IntegerField(source="org_id", label=_("党组织 id"))
    org_name = serializers.CharField(label=_("党组织名称"))
    kind = serializers.CharField(label=_("会议类型"), help_text=KIND_HELP)
    kind_label = serializers.CharField(label=_("会议类型名称"))
    unit_start = DateField(source="unit.start", label=_("期间开始"))
    unit_end = DateField(source="unit.end", label=_("期间结束"))
    unit_label = serializers.CharField(source="unit.label", label=_("期间"))
    times = serializers.IntegerField(label=_("应开次数"))
    held = serializers.IntegerField(label=_("已开(计入)次数"))
    status = serializers.CharField(
        label=_("状态"), help_text=_("met 已落实、missing 未落实(期末未开够)、pending 进行中(当期尚未开够)")
    )
    due_soon = serializers.BooleanField(label=_("即将到期"))


class ComplianceSerializer(CountsSerializer):
    org = serializers.IntegerField(allow_null=True, label=_("党组织 id(空为您的全部范围)"))
    org_name = serializers.CharField(allow_null=True, label=_("党组织名称"))
    start = DateField(label=_("起始日期"))
    end = DateField(label=_("截止日期"))
    children = ChildCountsSerializer(many=True, label=_("下级党组织(各含全部下级)"))
    obligations = ObligationSerializer(many=True, label=_("逐项情况(仅党支部、党小组)"))


class ObjectSchema(AutoSchema):
    """The compliance answer is one object, not a list."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


def _counts(c: selectors.ComplianceCounts) -> dict[str, Any]:
    return {
        "due": c.due,
        "met": c.met,
        "missing": c.missing,
        "pending": c.pending,
        "rate": None if c.rate is None else round(c.rate, 4),
    }


class ComplianceViewSet(viewsets.ViewSet):
    """组织生活落实情况:某党组织(含全部下级)某期间应开展、已落实、未落实、进行中的次数与落实率。"""

    schema = ObjectSchema()

    @extend_schema(
        summary=_("组织生活落实情况"),
        description=_(
            "按规则逐期(月、季、半年、年)统计。不给 org 时为您可见的全部党组织;"
            "不给 end 时为今天,不给 start 时为 end 所在年的 1 月 1 日。"
            "日期须在 1900-01-01 至 2100-12-31 之间,期间不超过 10 年。"
        ),
        parameters=[
            id_parameter("org", _("党组织 id(不在您范围之内时返回 404)")),
            OpenApiParameter("start", OpenApiTypes.DATE, description=_("起始日期(含)")),
            OpenApiParameter("end", OpenApiTypes.DATE, description=_("截止日期(含)")),
        ],
        responses={
            200: ComplianceSerializer,
            400: OpenApiResponse(description=_("输入有误:按字段给出中文说明。")),
            404: OpenApiResponse(description=_("党组织不存在或不在您的范围之内。")),
        },
    )
    def list(self, request: Request) -> Response:
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        args = query.validated_data
        node = party_selectors.org_get(api_user(request), args["org"]) if args["org"] else None
        report = selectors.compliance_report(api_user(request), node=node, start=args["start"], end=args["end"])
        body = {
            "org": node.pk if node else None,
            "org_name": node.name if node else None,
            "start": report.start,
            "end": report.end,
            **_counts(report.total),
            "children": [
                {"id": org.pk, "name": org.name, "kind": org.kind, **_counts(c)} for org, c in report.children
            ],
            "obligations": [cell for row in report.grid for cell in row.cells],
        }
        return Response(ComplianceSerializer(body).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("meetings", MeetingViewSet, "meeting"),
    ("meeting-rules", MeetingRuleViewSet, "meeting-rule"),
    ("orglife-compliance", ComplianceViewSet, "orglife-compliance"),
]
