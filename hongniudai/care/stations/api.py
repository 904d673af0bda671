"""REST API of the service stations and the mass organisations; `ROUTES` is registered by
`hongniudai.api.urls`. The requests' viewset is in `api_requests`, the organisations' in `api_orgs`.

Reads come from `selectors` (VIEW scope; out of scope is a 404); writes go through `services` and
`orgs` (SERVICES over the record: 403; validation: 400 with Chinese messages by field). Nothing is
deleted through the API. Phones are only ever shown masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common import parsing
from hongniudai.common.api import (
    ADD,
    SET_UP,
    DateField,
    IdField,
    IdFilter,
    IntegerField,
    ReportViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    crud_schema,
    period_parameters,
)
from hongniudai.common.identity import mask_phone
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode

from . import selectors, services
from .api_common import BAD_REQUEST, NOT_FOUND, ReadCreateUpdate, village_q
from .api_orgs import MassActivityViewSet, MassOrgViewSet
from .api_requests import ServiceRequestViewSet
from .models import ServiceItem, ServiceStation

# ---- the catalogue ----------------------------------------------------------------------------


class ServiceItemSerializer(ServiceSerializer):
    town = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        source="area",
        selector=lambda user: selectors.towns_for_catalogue(user),
        label=_("镇"),
        help_text=_("新建时必填(目录由镇统一维护);之后不能更换。"),
    )
    time_limit = IntegerField(
        min_value=1,
        max_value=services.MAX_LIMIT_DAYS,
        label=_("办理时限(工作日)"),
        help_text=_("新建时的时限;之后用 limit 动作调整,保留沿革。"),
    )
    station_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("提供的服务站数"))

    class Meta:
        model = ServiceItem
        fields = ["id", "town", "name", "description", "time_limit", "is_active", "sort_order", "station_count"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> ServiceItem:
        return services.item_create(actor=self.actor, town=validated_data.pop("area"), **validated_data)

    def update(self, instance: ServiceItem, validated_data: dict[str, Any]) -> ServiceItem:
        self.refuse_change(instance, validated_data, "area", _("服务事项不能更换所属镇。"))
        self.refuse_change(instance, validated_data, "time_limit", _("请用“调整办理时限”保留时限沿革。"))
        values = self.current(instance, validated_data, ServiceItem.EDITABLE)
        return services.item_update(actor=self.actor, item=instance, **values)


class LimitSerializer(serializers.Serializer):
    days = IntegerField(min_value=1, max_value=services.MAX_LIMIT_DAYS, label=_("新的办理时限(工作日)"))
    valid_from = DateField(required=False, label=_("起始日期"), help_text=_("不填为今天"))
    basis = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("依据"))


class LimitRowSerializer(serializers.Serializer):
    days = serializers.IntegerField(label=_("办理时限(工作日)"))
    valid_from = DateField(label=_("起始日期"))
    valid_until = DateField(allow_null=True, label=_("截止日期(不含)"))
    basis = serializers.CharField(label=_("依据"))


@extend_schema_view(**crud_schema(pgettext_lazy("record", "服务事项"), verb=ADD, omit=("destroy",)))
class ServiceItemViewSet(ReadCreateUpdate):
    """镇统一维护的便民服务事项目录:名称、办理时限(工作日,保留沿革)。"""

    serializer_class = ServiceItemSerializer

    def get_queryset(self) -> QuerySet[ServiceItem]:
        return selectors.items(api_user(self.request))

    @extend_schema(
        summary=_("调整办理时限"),
        description=_("自起始日期起执行新时限;此前受理的申请期限不变。"),
        request=LimitSerializer,
        responses={200: LimitRowSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def limit(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        data = LimitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.item_set_limit(actor=api_user(request), item=item, **data.validated_data)
        return Response(LimitRowSerializer(selectors.item_limits(item), many=True).data)


# ---- stations ---------------------------------------------------------------------------------


class StaffSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label=_("姓名"))
    duty = serializers.CharField(read_only=True, label=_("岗位"))
    phone = serializers.SerializerMethodField(label=_("手机号(脱敏)"))

    def get_phone(self, obj: Any) -> str:
        return mask_phone(obj.phone)


class ServiceStationSerializer(ServiceSerializer):
    village = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: selectors.villages_without_station(user),
        label=_("村(社区)"),
        help_text=_("新建时必填,每个村(社区)一个;之后不能更换。"),
    )
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村名称"))
    items = ScopedPrimaryKeyRelatedField(
        model=ServiceItem,
        selector=lambda user: selectors.items_for_choice(user, active=True),
        many=True,
        required=False,
        label=_("提供的服务"),
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20, label=_("联系电话"))
    open_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("未办结申请数"))
    staff_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("工作人员数"))

    class Meta:
        model = ServiceStation
        fields = ["id", "village", "village_name", *ServiceStation.EDITABLE, "items", "open_count", "staff_count"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> ServiceStation:
        return services.station_create(actor=self.actor, **validated_data)

    def update(self, instance: ServiceStation, validated_data: dict[str, Any]) -> ServiceStation:
        if "village" in validated_data and validated_data["village"] != instance.village:
            raise serializers.ValidationError({"village": [str(_("服务站不能更换所在村。"))]})
        validated_data.pop("village", None)
        values = self.current(instance, validated_data, ServiceStation.EDITABLE)
        return services.station_update(actor=self.actor, station=instance, items=validated_data.get("items"), **values)


class StationFilter(filters.FilterSet):
    village = IdFilter(method="filter_village", label=_("地区 id(村或其上级)"))
    q = filters.CharFilter(method="filter_q", label=_("名称包含"))

    class Meta:
        model = ServiceStation
        fields: list[str] = []

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return village_q(queryset, api_user(self.request), value)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(name__icontains=value.strip())


@extend_schema_view(**crud_schema(pgettext_lazy("record", "便民服务站"), verb=SET_UP, omit=("destroy",)))
class ServiceStationViewSet(ReadCreateUpdate):
    """村(社区)便民服务站:地址、开放时间、提供的服务、工作人员(手机号脱敏)。"""

    serializer_class = ServiceStationSerializer
    filterset_class = StationFilter

    def get_queryset(self) -> QuerySet[ServiceStation]:
        return selectors.stations(api_user(self.request))

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer: Any = super().get_serializer(*args, **kwargs)
        if self.action in ("update", "partial_update"):
            serializer.fields["village"].required = False
        return serializer


# ---- measures ---------------------------------------------------------------------------------


class StationMeasuresRowSerializer(serializers.Serializer):
    station = serializers.IntegerField(allow_null=True, label=_("服务站 id"), help_text=_("合计行为 null"))
    village_name = serializers.CharField(label=_("村(社区)"))
    requests = serializers.IntegerField(label=_("受理数"))
    completed = serializers.IntegerField(label=_("办结数"))
    on_time = serializers.IntegerField(label=_("按时办结数"))
    on_time_rate = serializers.FloatField(allow_null=True, label=_("按时办结率(%)"))
    home = serializers.IntegerField(label=_("上门服务数"))
    rated = serializers.IntegerField(label=_("已评价数"))
    satisfied = serializers.IntegerField(label=_("满意及基本满意数"))
    satisfaction_rate = serializers.FloatField(allow_null=True, label=_("满意率(%)"))


class OrgMeasuresRowSerializer(serializers.Serializer):
    village = serializers.CharField(label=_("村(社区)"))
    kind = serializers.CharField(label=_("组织类别"))
    kind_label = serializers.CharField(label=_("组织类别名称"))
    activities = serializers.IntegerField(label=_("活动次数"))
    participants = serializers.IntegerField(label=_("参加人次"))


class StationMeasuresSerializer(serializers.Serializer):
    start = DateField(label=_("起始日期"))
    end = DateField(label=_("截止日期"))
    stations = StationMeasuresRowSerializer(many=True, label=_("各服务站"))
    total = StationMeasuresRowSerializer(label=_("合计"))
    mass_orgs = OrgMeasuresRowSerializer(many=True, label=_("群团活动(按村和组织类别)"))


class MeasuresQuerySerializer(serializers.Serializer):
    area = IdField(required=False, label=_("地区 id"))
    start = DateField(required=False, label=_("起始日期"))
    end = DateField(required=False, label=_("截止日期"))

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("to") or timezone.localdate()
        start = attrs.get("from") or end.replace(day=1)
        errors = parsing.period_errors(start, end)
        if errors:
            raise serializers.ValidationError({"from": errors})
        return {"area": attrs.get("area"), "start": start, "end": end}


def _row(m: selectors.RequestMeasures) -> dict[str, Any]:
    return {
        "station": m.station.pk if m.station else None,
        "village_name": str(m.label),
        "requests": m.requests,
        "completed": m.completed,
        "on_time": m.on_time,
        "on_time_rate": m.on_time_rate,
        "home": m.home,
        "rated": m.rated,
        "satisfied": m.satisfied,
        "satisfaction_rate": m.satisfaction_rate,
    }


class StationMeasuresViewSet(ReportViewSet):
    """便民服务统计:各服务站受理、办结、按时办结率、上门服务、满意率;群团活动按村和组织类别。"""

    @extend_schema(
        summary=_("便民服务统计"),
        description=_("按受理日期统计某期间(含首尾)的服务申请;不给 from 时为 to 所在月的 1 日,不给 to 时为今天。"),
        parameters=period_parameters("area", _("地区 id(不在您范围之内时返回 404)"), start="from", end="to"),
        responses={200: StationMeasuresSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def list(self, request: Request) -> Response:
        user = api_user(request)
        query = MeasuresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        args = query.validated_data
        node = place_selectors.area_get(user, args["area"]) if args["area"] is not None else None
        rows, total = selectors.request_measures(user, start=args["start"], end=args["end"], village=node)
        org_rows = selectors.org_measures(user, start=args["start"], end=args["end"], village=node)
        body = {
            "start": args["start"],
            "end": args["end"],
            "stations": [_row(r) for r in rows],
            "total": _row(total),
            "mass_orgs": [vars(o) for o in org_rows],
        }
        return Response(StationMeasuresSerializer(body).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("service-items", ServiceItemViewSet, "service-item"),
    ("service-stations", ServiceStationViewSet, "service-station"),
    ("service-requests", ServiceRequestViewSet, "service-request"),
    ("mass-orgs", MassOrgViewSet, "mass-org"),
    ("mass-activities", MassActivityViewSet, "mass-activity"),
    ("service-measures", StationMeasuresViewSet, "service-measures"),
]
