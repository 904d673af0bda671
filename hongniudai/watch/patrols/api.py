"""REST API of night patrols and seasonal campaigns; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (VIEW scope; out of scope is a 404); writes go through `services`
(WATCH over the record's area: 403; validation: 400 with Chinese messages by field). Nothing is
deleted through the API. Times are ISO 8601 (UTC stored, shown with their offset); coordinates are
decimal degrees with six places."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common.api import (
    RECORD,
    SET_UP,
    ChoiceLabelField,
    DateField,
    DateFilter,
    EditableRecordViewSet,
    IdField,
    IdFilter,
    IntegerField,
    RecordViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    WriteGateMixin,
    crud_schema,
)
from hongniudai.governance.interface import Category
from hongniudai.party.models import Member
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.volunteers.interface import Volunteer

from . import policy, selectors, services
from .models import (
    MemberKind,
    PatrolLog,
    PatrolMember,
    PatrolShift,
    PatrolTeam,
    ShiftStatus,
    Weather,
)

NOT_FOUND = OpenApiResponse(
    inline_serializer("PatrolsNotFound", {"detail": serializers.CharField()}),
    description=_("记录不存在或不在您的范围之内。"),
)
REFUSED = OpenApiResponse(description=_("不符合规则(中文说明,按字段)。"))


def _coordinate(label: Any, **kwargs: Any) -> serializers.DecimalField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_null", True)
    return serializers.DecimalField(max_digits=9, decimal_places=6, label=label, **kwargs)


def areas_for(user: Any, capability: Capability = Capability.WATCH) -> QuerySet[AreaNode]:
    return scope_for(user, capability).filter(AreaNode.objects.all())


class WatchWriteGate(WriteGateMixin):
    may_write = policy.writes_watch
    write_refusal = _("您没有登记平安守护信息的权限。")


# ---- teams and members ------------------------------------------------------------------------


class PatrolTeamSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: selectors.team_areas_for_choice(user),
        label=_("巡逻区域(镇或村)"),
        help_text=_("集镇巡逻队为本镇;成立后不能更换。"),
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("巡逻区域名称"))
    is_market_town = serializers.SerializerMethodField(label=_("集镇巡逻队"))
    member_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("在队人数"))

    class Meta:
        model = PatrolTeam
        fields = ["id", "area", "area_name", *PatrolTeam.EDITABLE, "is_market_town", "member_count", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    def get_is_market_town(self, team: PatrolTeam) -> bool:
        return team.area.kind == AreaKind.TOWN

    def create(self, validated_data: dict[str, Any]) -> PatrolTeam:
        return services.team_set_up(
            actor=self.actor,
            area=validated_data["area"],
            name=validated_data.get("name", ""),
            note=validated_data.get("note", ""),
        )

    def update(self, instance: PatrolTeam, validated_data: dict[str, Any]) -> PatrolTeam:
        self.refuse_change(instance, validated_data, "area", _("巡逻队成立后不能更换巡逻区域。"))
        values = self.current(instance, validated_data, PatrolTeam.EDITABLE)
        return services.team_update(actor=self.actor, team=instance, **values)


class RotaSerializer(serializers.Serializer):
    month = DateField(label=_("月份(该月任一日)"))
    start = serializers.TimeField(required=False, default=dt.time(20, 0), label=_("开始时间"))
    hours = IntegerField(required=False, default=4, min_value=1, max_value=12, label=_("每班时长(小时)"))
    weekdays = serializers.ListField(
        child=IntegerField(min_value=0, max_value=6),
        required=False,
        allow_null=True,
        default=None,
        label=_("巡逻的星期(0 = 星期一;不填为每晚)"),
    )
    route = serializers.ListField(child=IdField(), min_length=1, max_length=500, label=_("路线经过的网格 id"))


class TeamFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("队名包含"))
    area = IdFilter(method="filter_area", label=_("地区 id(其下的巡逻队)"))

    class Meta:
        model = PatrolTeam
        fields = ["is_active"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        area = areas_for(api_user(self.request), Capability.VIEW).filter(pk=value).first()
        return queryset.filter(area_path__startswith=area.path) if area else queryset.none()


@extend_schema_view(**crud_schema(pgettext_lazy("record", "巡逻队"), verb=SET_UP, omit=("destroy",)))
class PatrolTeamViewSet(WatchWriteGate, EditableRecordViewSet):
    """夜间治安联防巡逻队:属于镇(集镇巡逻队)或村。"""

    serializer_class = PatrolTeamSerializer
    filterset_class = TeamFilter

    def get_queryset(self) -> QuerySet[PatrolTeam]:
        return selectors.teams(api_user(self.request))

    @extend_schema(
        summary=_("生成一个月的排班"),
        description=_("按月为巡逻队排班(默认每晚 20:00 起 4 小时);已排的日期不重复排。"),
        request=RotaSerializer,
        responses={
            201: inline_serializer("RotaGenerated", {"created": serializers.IntegerField()}),
            400: REFUSED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def rota(self, request: Request, pk: Any = None) -> Response:
        team = self.get_object()
        data = RotaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = api_user(request)
        grids = list(selectors.grids_under(user, team.area, Capability.WATCH).filter(pk__in=v["route"]))
        if len(grids) != len(set(v["route"])):
            raise serializers.ValidationError({"route": [str(_("路线中有网格不存在或不在本队巡逻区域内。"))]})
        added = services.rota_generate(
            actor=user,
            team=team,
            month=v["month"],
            start=v["start"],
            hours=v["hours"],
            route=grids,
            weekdays=v["weekdays"],
        )
        return Response({"created": len(added)}, status=status.HTTP_201_CREATED)


class PatrolMemberSerializer(ServiceSerializer):
    team = ScopedPrimaryKeyRelatedField(
        model=PatrolTeam, selector=lambda user: selectors.teams_for_choice(user), label=_("巡逻队")
    )
    kind_label = ChoiceLabelField(source="kind", label=_("身份名称"))
    party_member = ScopedPrimaryKeyRelatedField(
        model=Member,
        selector=lambda user: scope_for(user).filter(Member.objects.all()),
        required=False,
        allow_null=True,
        label=_("党员 id(身份为党员时)"),
    )
    volunteer = ScopedPrimaryKeyRelatedField(
        model=Volunteer,
        selector=lambda user: scope_for(user).filter(Volunteer.objects.all()),
        required=False,
        allow_null=True,
        label=_("志愿者 id(身份为志愿者时)"),
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=50, label=_("姓名(民兵必填)"))
    joined_on = DateField(required=False, allow_null=True, label=_("入队日期"))

    class Meta:
        model = PatrolMember
        fields = ["id", "team", "kind", "kind_label", "party_member", "volunteer", "name", "joined_on", "is_active"]
        read_only_fields = ["is_active"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> PatrolMember:
        return services.member_add(actor=self.actor, **validated_data)


class MemberFilter(filters.FilterSet):
    team = IdFilter(field_name="team_id", label=_("巡逻队 id"))
    kind = filters.ChoiceFilter(choices=MemberKind.choices, label=_("身份"))

    class Meta:
        model = PatrolMember
        fields = ["is_active"]


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "巡逻队员"), verb=RECORD, omit=("update", "partial_update", "destroy"))
)
class PatrolMemberViewSet(WatchWriteGate, RecordViewSet):
    """巡逻队员:党员、民兵或志愿者,每人每队一条。"""

    serializer_class = PatrolMemberSerializer
    filterset_class = MemberFilter

    def get_queryset(self) -> QuerySet[PatrolMember]:
        return selectors.members(api_user(self.request), active=None)


# ---- shifts, check-in and logs ----------------------------------------------------------------


class PatrolLogSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="shift.date", read_only=True, label=_("日期"))
    team = serializers.IntegerField(source="shift.team_id", read_only=True, label=_("巡逻队"))
    team_name = serializers.CharField(source="shift.team.name", read_only=True, label=_("巡逻队名称"))
    present: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, label=_("到岗队员")
    )
    present_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("到岗人数"))
    incident_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("巡逻发现数"))

    class Meta:
        model = PatrolLog
        fields = ["id", "shift", "date", "team", "team_name", "present", "present_count", "weather", "route_notes"]
        fields += ["started_at", "start_lat", "start_lng", "ended_at", "end_lat", "end_lng", "incident_count"]
        read_only_fields = fields


class PatrolShiftSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True, label=_("巡逻队名称"))
    route: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, label=_("路线经过的网格")
    )
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))

    class Meta:
        model = PatrolShift
        fields = ["id", "team", "team_name", "date", "starts_at", "ends_at", "route", "status", "status_label"]
        fields += ["missed_at"]
        read_only_fields = fields


class CheckInSerializer(serializers.Serializer):
    lat = _coordinate(_("纬度"))
    lng = _coordinate(_("经度"))


class LogWriteSerializer(serializers.Serializer):
    present = serializers.ListField(child=IdField(), required=False, max_length=200, label=_("到岗队员 id"))
    weather = serializers.ChoiceField(choices=Weather.choices, required=False, allow_blank=True, label=_("天气"))
    route_notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("巡逻记录"))


class IncidentSerializer(serializers.Serializer):
    place = IdField(label=_("发生地(网格或湾组 id)"))
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        label=_("事项类别代码(默认 public-security)"),
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=100, label=_("标题"))
    description = serializers.CharField(max_length=4000, label=_("情况描述"))
    attributes = serializers.DictField(required=False, label=_("类别的附加问题答案"))
    lat = _coordinate(_("纬度"))
    lng = _coordinate(_("经度"))


INCIDENT_RAISED = inline_serializer(
    "PatrolIncidentRaised",
    {
        "id": serializers.IntegerField(),
        "matter_id": serializers.IntegerField(),
        "matter_number": serializers.CharField(),
    },
)


class ShiftFilter(filters.FilterSet):
    team = IdFilter(field_name="team_id", label=_("巡逻队 id"))
    start = DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    end = DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))
    status = filters.ChoiceFilter(choices=ShiftStatus.choices, label=_("状态"))

    class Meta:
        model = PatrolShift
        fields: list[str] = []


@extend_schema_view(list=extend_schema(summary=_("巡逻排班列表")), retrieve=extend_schema(summary=_("巡逻排班详情")))
class PatrolShiftViewSet(WatchWriteGate, viewsets.ReadOnlyModelViewSet):
    """巡逻排班:日期、巡逻队、路线(网格)、计划起止;状态:待巡逻、巡逻中、已完成、缺勤。"""

    serializer_class = PatrolShiftSerializer
    filterset_class = ShiftFilter

    def get_queryset(self) -> QuerySet[PatrolShift]:
        return selectors.shifts(api_user(self.request))

    def _log(self, request: Request, log: PatrolLog) -> Response:
        fresh = selectors.logs(api_user(request)).get(pk=log.pk)
        return Response(PatrolLogSerializer(fresh, context=self.get_serializer_context()).data)

    def _check_in(self, request: Request, service: Any) -> Response:
        shift = self.get_object()
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        log = service(actor=api_user(request), shift=shift, **data.validated_data)
        return self._log(request, log)

    @extend_schema(
        summary=_("开始巡逻(签到)"),
        request=CheckInSerializer,
        responses={200: PatrolLogSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def start(self, request: Request, pk: Any = None) -> Response:
        return self._check_in(request, services.shift_start)

    @extend_schema(
        summary=_("结束巡逻(签退)"),
        request=CheckInSerializer,
        responses={200: PatrolLogSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def end(self, request: Request, pk: Any = None) -> Response:
        return self._check_in(request, services.shift_end)

    @extend_schema(
        summary=_("填写巡逻日志"),
        request=LogWriteSerializer,
        responses={200: PatrolLogSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def log(self, request: Request, pk: Any = None) -> Response:
        shift = self.get_object()
        data = LogWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        wanted = set(v.get("present", []))
        people = list(selectors.members(api_user(request), team=shift.team).filter(pk__in=wanted))
        if len(people) != len(wanted):
            raise serializers.ValidationError({"present": [str(_("到岗队员应为本队队员。"))]})
        log = services.log_update(
            actor=api_user(request),
            shift=shift,
            present=people,
            weather=v.get("weather", ""),
            route_notes=v.get("route_notes", ""),
        )
        return self._log(request, log)

    @extend_schema(
        summary=_("巡逻发现上报为事项"),
        description=_("在发生地所在网格上报事项(渠道:夜间巡逻),并记入本班巡逻日志。"),
        request=IncidentSerializer,
        responses={201: INCIDENT_RAISED, 400: REFUSED, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def incident(self, request: Request, pk: Any = None) -> Response:
        shift = self.get_object()
        data = IncidentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = api_user(request)
        place = selectors.places_under(user, shift.team.area).filter(pk=v["place"]).first()
        if place is None:
            raise serializers.ValidationError({"place": [str(_("发生地应为本队巡逻区域内的网格或湾组。"))]})
        incident = services.incident_raise(
            actor=user,
            shift=shift,
            place=place,
            category=v.get("category"),
            title=v.get("title", ""),
            description=v["description"],
            attributes=v.get("attributes"),
            lat=v.get("lat"),
            lng=v.get("lng"),
        )
        body = {"id": incident.pk, "matter_id": incident.matter_id, "matter_number": incident.matter.number}
        return Response(body, status=status.HTTP_201_CREATED)


class LogFilter(filters.FilterSet):
    team = IdFilter(field_name="shift__team_id", label=_("巡逻队 id"))
    start = DateFilter(field_name="shift__date", lookup_expr="gte", label=_("起始日期"))
    end = DateFilter(field_name="shift__date", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = PatrolLog
        fields: list[str] = []


@extend_schema_view(list=extend_schema(summary=_("巡逻日志列表")), retrieve=extend_schema(summary=_("巡逻日志详情")))
class PatrolLogViewSet(viewsets.ReadOnlyModelViewSet):
    """巡逻日志:到岗队员、天气、巡逻记录、开始与结束签到(时间与位置)、巡逻发现数。"""

    serializer_class = PatrolLogSerializer
    filterset_class = LogFilter

    def get_queryset(self) -> QuerySet[PatrolLog]:
        return selectors.logs(api_user(self.request)).prefetch_related("present")


ROUTES: list[tuple[str, Any, str]] = [
    ("patrol-teams", PatrolTeamViewSet, "patrol-team"),
    ("patrol-members", PatrolMemberViewSet, "patrol-member"),
    ("patrol-shifts", PatrolShiftViewSet, "patrol-shift"),
    ("patrol-logs", PatrolLogViewSet, "patrol-log"),
]
