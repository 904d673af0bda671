"""REST API of seasonal campaigns (专项巡查); `ROUTES` is registered by `hongniudai.api.urls`.

The campaign and its board, duties, points to watch and the daily reports (the zero-report
included). Reads VIEW (out of scope: 404), writes WATCH (403), as in `api` (night patrols), whose
shared pieces it uses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.scope import scope_for
from hongniudai.common.api import (
    RECORD,
    SET_UP,
    ChoiceLabelField,
    DateField,
    DateFilter,
    EditableRecordViewSet,
    IdFilter,
    IntegerField,
    RecordViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    crud_schema,
)
from hongniudai.governance.interface import Category
from hongniudai.places.models import AreaKind, AreaNode

from . import selectors, services
from .api import NOT_FOUND, WatchWriteGate, areas_for
from .models import (
    Campaign,
    CampaignDuty,
    CampaignKind,
    CampaignReport,
    WatchPoint,
)

# ---- campaigns --------------------------------------------------------------------------------


class CampaignSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: areas_for(user).filter(kind__in=(AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE)),
        label=_("组织单位(镇、片区或村)"),
        help_text=_("部署后不能更换。"),
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("组织单位名称"))
    kind_label = ChoiceLabelField(source="kind", label=_("类型名称"))
    areas = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: areas_for(user).filter(kind__in=(AreaKind.VILLAGE, AreaKind.GRID)),
        many=True,
        label=_("覆盖的村或网格"),
    )
    starts_on = DateField(label=_("开始日期"))
    ends_on = DateField(label=_("结束日期"))
    deadline_hour = IntegerField(min_value=1, max_value=23, required=False, label=_("每日上报截止(时,北京时间)"))
    grid_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("覆盖网格数"))

    class Meta:
        model = Campaign
        fields = ["id", "area", "area_name", *Campaign.EDITABLE, "kind_label", "areas", "grid_count", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Campaign:
        return services.campaign_set_up(actor=self.actor, **validated_data)

    def update(self, instance: Campaign, validated_data: dict[str, Any]) -> Campaign:
        self.refuse_change(instance, validated_data, "area", _("专项巡查部署后不能更换组织单位。"))
        values = self.current(instance, validated_data, Campaign.EDITABLE)
        areas = validated_data["areas"] if "areas" in validated_data else list(instance.areas.all())
        return services.campaign_update(actor=self.actor, campaign=instance, areas=areas, **values)


TALLY: dict[str, serializers.Field] = {
    "expected": serializers.IntegerField(),
    "reported": serializers.IntegerField(),
    "on_time": serializers.IntegerField(),
    "missing": serializers.IntegerField(),
    "nothing_found": serializers.IntegerField(),
    "reporting_rate": serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True),
    "on_time_rate": serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True),
}


def _tally(t: selectors.Tally) -> dict[str, Any]:
    return {
        "expected": t.expected,
        "reported": t.reported,
        "on_time": t.on_time,
        "missing": t.missing,
        "nothing_found": t.nothing_found,
        "reporting_rate": None if t.reporting_rate is None else str(t.reporting_rate),
        "on_time_rate": None if t.on_time_rate is None else str(t.on_time_rate),
    }


def _tally_field(name: str) -> serializers.Serializer:
    return inline_serializer(name, TALLY)


BOARD = inline_serializer(
    "CampaignBoard",
    {
        "campaign": serializers.IntegerField(),
        "date": serializers.DateField(),
        "days_so_far": serializers.IntegerField(),
        "today": _tally_field("CampaignBoardToday"),
        "so_far": _tally_field("CampaignBoardSoFar"),
        "villages": inline_serializer(
            "CampaignBoardVillage",
            {
                "village": serializers.IntegerField(),
                "village_name": serializers.CharField(),
                "today": _tally_field("CampaignBoardVillageToday"),
                "so_far": _tally_field("CampaignBoardVillageSoFar"),
                "grids": inline_serializer(
                    "CampaignBoardGrid",
                    {
                        "grid": serializers.IntegerField(),
                        "grid_name": serializers.CharField(),
                        "reported_today": serializers.BooleanField(),
                        "reported_at": serializers.DateTimeField(allow_null=True),
                        "on_time": serializers.BooleanField(allow_null=True),
                        "nothing_found": serializers.BooleanField(allow_null=True),
                        "so_far": _tally_field("CampaignBoardGridSoFar"),
                    },
                    many=True,
                ),
            },
            many=True,
        ),
        "history": inline_serializer("CampaignBoardDay", {"date": serializers.DateField(), **TALLY}, many=True),
    },
)


def board_data(board: selectors.Board) -> dict[str, Any]:
    return {
        "campaign": board.campaign.pk,
        "date": board.today.isoformat(),
        "days_so_far": board.days_so_far,
        "today": _tally(board.totals_today),
        "so_far": _tally(board.totals),
        "villages": [
            {
                "village": v.village.pk,
                "village_name": v.village.name,
                "today": _tally(v.today),
                "so_far": _tally(v.so_far),
                "grids": [
                    {
                        "grid": g.grid.pk,
                        "grid_name": g.grid.name,
                        "reported_today": g.today is not None,
                        "reported_at": g.today.reported_at.isoformat() if g.today else None,
                        "on_time": g.today.on_time if g.today else None,
                        "nothing_found": g.today.nothing_found if g.today else None,
                        "so_far": _tally(g.so_far),
                    }
                    for g in v.grids
                ],
            }
            for v in board.villages
        ],
        "history": [{"date": d.date.isoformat(), **_tally(d.tally)} for d in board.history],
    }


class CampaignFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=CampaignKind.choices, label=_("类型"))
    on = DateFilter(method="filter_on", label=_("某日进行中的"))

    class Meta:
        model = Campaign
        fields: list[str] = []

    def filter_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(starts_on__lte=value, ends_on__gte=value) if value else queryset


@extend_schema_view(**crud_schema(pgettext_lazy("record", "专项巡查"), verb=SET_UP, omit=("destroy",)))
class CampaignViewSet(WatchWriteGate, EditableRecordViewSet):
    """专项巡查(秸秆禁烧、汛期巡查、疫情防控等):时间、覆盖的村或网格、每日上报截止时间。"""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaigns(api_user(self.request)).prefetch_related("areas")

    @extend_schema(
        summary=_("专项巡查上报看板"),
        description=_(
            "今日及累计的应报、已报(含“今日无情况”)、按时上报、缺报,按村和网格;逐日上报率与及时率"
            "(上报率 = 已报 ÷ 应报,及时率 = 截止时间前上报 ÷ 应报,同 DHIS2)。"
        ),
        responses={200: BOARD, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def board(self, request: Request, pk: Any = None) -> Response:
        campaign = self.get_object()
        return Response(board_data(selectors.board(api_user(request), campaign)))


class _CampaignChild(ServiceSerializer):
    campaign = ScopedPrimaryKeyRelatedField(
        model=Campaign, selector=lambda user: selectors.campaigns(user), label=_("专项巡查")
    )
    grid = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: areas_for(user).filter(kind=AreaKind.GRID), label=_("网格")
    )
    grid_name = serializers.CharField(source="grid.name", read_only=True, label=_("网格名称"))


class CampaignDutySerializer(_CampaignChild):
    date = DateField(label=_("日期"))
    user: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, label=_("值班人员(用户)")
    )

    class Meta:
        model = CampaignDuty
        fields = ["id", "campaign", "date", "grid", "grid_name", "user", "person_name"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> CampaignDuty:
        return services.duty_assign(actor=self.actor, **validated_data)


class WatchPointSerializer(_CampaignChild):
    kind_label = ChoiceLabelField(source="kind", label=_("类型名称"))
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, label=_("纬度"))
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, label=_("经度"))

    class Meta:
        model = WatchPoint
        fields = ["id", "campaign", "grid", "grid_name", "kind", "kind_label", "name", "lat", "lng", "note"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> WatchPoint:
        return services.point_add(actor=self.actor, **validated_data)


class CampaignReportSerializer(_CampaignChild):
    date = DateField(required=False, label=_("日期(默认今天;可补报窗口内以前的日期)"))
    points_checked = ScopedPrimaryKeyRelatedField(
        model=WatchPoint, selector=lambda user: selectors.points(user), many=True, required=False, label=_("已查点位")
    )
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        write_only=True,
        label=_("发现问题的事项类别代码(默认按专项类型)"),
    )
    attributes = serializers.DictField(required=False, write_only=True, label=_("类别的附加问题答案"))
    matter_ids = serializers.SerializerMethodField(label=_("上报的事项 id"))

    class Meta:
        model = CampaignReport
        fields = ["id", "campaign", "grid", "grid_name", "date", "reported_by", "reported_at", "on_time"]
        fields += ["nothing_found", "points_checked", "checked", "findings", "category", "attributes", "matter_ids"]
        read_only_fields = ["reported_by", "reported_at", "on_time"]
        validators: list[Any] = []

    def get_matter_ids(self, report: CampaignReport) -> list[int]:
        return [m.matter_id for m in report.matters.all()]

    def create(self, validated_data: dict[str, Any]) -> CampaignReport:
        return services.report_make(actor=self.actor, **validated_data)


class _ChildFilter(filters.FilterSet):
    campaign = IdFilter(field_name="campaign_id", label=_("专项巡查 id"))
    grid = IdFilter(field_name="grid_id", label=_("网格 id"))


class DutyFilter(_ChildFilter):
    date = DateFilter(field_name="date", label=_("日期"))

    class Meta:
        model = CampaignDuty
        fields: list[str] = []


class PointFilter(_ChildFilter):
    class Meta:
        model = WatchPoint
        fields = ["kind"]


class ReportFilter(_ChildFilter):
    start = DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    end = DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = CampaignReport
        fields = ["nothing_found", "on_time"]


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "值班安排"), verb=RECORD, omit=("update", "partial_update", "destroy"))
)
class CampaignDutyViewSet(WatchWriteGate, RecordViewSet):
    """专项巡查的值班安排:日期、网格、值班人员。"""

    serializer_class = CampaignDutySerializer
    filterset_class = DutyFilter

    def get_queryset(self) -> QuerySet[CampaignDuty]:
        user = api_user(self.request)
        return scope_for(user).filter(CampaignDuty.objects.select_related("grid")).order_by("date", "area_path", "id")


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "重点点位"), verb=RECORD, omit=("update", "partial_update", "destroy"))
)
class WatchPointViewSet(WatchWriteGate, RecordViewSet):
    """专项巡查的重点点位:险情点、秸秆田块、卡口等,带经纬度。"""

    serializer_class = WatchPointSerializer
    filterset_class = PointFilter

    def get_queryset(self) -> QuerySet[WatchPoint]:
        return selectors.points(api_user(self.request))


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "每日上报"),
        verb=RECORD,
        omit=("update", "partial_update", "destroy"),
        described={
            "create": _(
                "网格每日上报:“今日无情况”(nothing_found=true)或巡查情况与发现问题;发现问题即在该网格上报事项"
                "(渠道:专项巡查)。同一网格同一天只能上报一次,重复上报返回 400。"
            )
        },
    )
)
class CampaignReportViewSet(WatchWriteGate, RecordViewSet):
    """专项巡查每日上报:上报时间、是否按时(截止时间前,北京时间)、今日无情况、巡查情况、发现问题。"""

    serializer_class = CampaignReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self) -> QuerySet[CampaignReport]:
        return selectors.reports(api_user(self.request)).prefetch_related("matters", "points_checked")


ROUTES: list[tuple[str, Any, str]] = [
    ("campaigns", CampaignViewSet, "campaign"),
    ("campaign-duties", CampaignDutyViewSet, "campaign-duty"),
    ("campaign-points", WatchPointViewSet, "campaign-point"),
    ("campaign-reports", CampaignReportViewSet, "campaign-report"),
]
