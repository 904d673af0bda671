"""REST API of the service requests (`api.ROUTES` registers the viewset): receive, steps,
completion, satisfaction, and passing a request on as a matter."""

from __future__ import annotations

import datetime as dt
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
from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.common import parsing
from hongniudai.common.api import (
    RECORD,
    ChoiceLabelField,
    DateFilter,
    IdField,
    IdFilter,
    PrimaryKeyRelatedField,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    crud_schema,
)
from hongniudai.common.identity import mask_phone
from hongniudai.governance.interface import Category
from hongniudai.places.models import Resident

from . import selectors, services
from .api_common import BAD_REQUEST, NOT_FOUND, ReadCreate, village_q
from .models import (
    RequestChannel,
    RequestOutcome,
    RequestStatus,
    Satisfaction,
    ServiceItem,
    ServiceRequest,
    ServiceStation,
    StepKind,
)

# ---- requests ---------------------------------------------------------------------------------


class ServiceRequestSerializer(ServiceSerializer):
    station = ScopedPrimaryKeyRelatedField(
        model=ServiceStation,
        selector=lambda user: selectors.stations_for_choice(user, Capability.VIEW),
        label=_("服务站"),
    )
    station_name = serializers.CharField(source="station.name", read_only=True, label=_("服务站名称"))
    item = ScopedPrimaryKeyRelatedField(
        model=ServiceItem, selector=lambda user: selectors.items_for_choice(user, active=True), label=_("服务事项")
    )
    item_name = serializers.CharField(source="item.name", read_only=True, label=_("服务事项名称"))
    resident = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: selectors.residents_for_request(user),
        required=False,
        allow_null=True,
        label=_("居民"),
        help_text=_("登记在册的居民;未登记的群众填写 person_name 和 person_phone。"),
    )
    person = serializers.SerializerMethodField(label=_("群众姓名"))
    person_phone_masked = serializers.SerializerMethodField(label=_("联系电话(脱敏)"))
    person_name = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=50, label=_("姓名(未登记群众)")
    )
    person_phone = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=20, label=_("联系电话(未登记群众)")
    )
    channel_label = ChoiceLabelField(source="channel", label=_("受理渠道名称"))
    handler = ScopedPrimaryKeyRelatedField(
        model=User,
        selector=lambda user: User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        label=_("经办人(用户 id)"),
        help_text=_("不填为登记人;须能办理该服务站的事项。"),
    )
    received_at = serializers.DateTimeField(required=False, label=_("受理时间"), help_text=_("补录时填写;不填为现在"))
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    outcome = serializers.ChoiceField(
        choices=RequestOutcome.choices, allow_blank=True, read_only=True, label=_("办理结果"), help_text=_("未办结为空")
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, allow_blank=True, read_only=True, label=_("满意度"), help_text=_("未评价为空")
    )
    outcome_label = ChoiceLabelField(source="outcome", label=_("办理结果名称"))
    satisfaction_label = ChoiceLabelField(source="satisfaction", label=_("满意度名称"))
    signal = serializers.CharField(read_only=True, label=_("预警"), help_text=_("green、yellow、red;已办结为空"))
    matter = serializers.IntegerField(source="matter_id", read_only=True, allow_null=True, label=_("转为事项 id"))

    class Meta:
        model = ServiceRequest
        fields = ["id", "station", "station_name", "village", "item", "item_name", "resident", "person"]
        fields += ["person_phone_masked", "person_name", "person_phone", "channel", "channel_label", "home_service"]
        fields += ["description", "handler", "received_at", "limit_days", "deadline", "status", "status_label"]
        fields += ["outcome", "outcome_label", "outcome_note", "completed_at", "satisfaction", "satisfaction_label"]
        fields += ["signal", "matter"]
        read_only_fields = ["village", "limit_days", "deadline", "status", "outcome", "outcome_note"]
        read_only_fields += ["completed_at", "satisfaction"]
        validators: list[Any] = []

    def get_person(self, obj: ServiceRequest) -> str:
        return obj.resident.name if obj.resident_id and obj.resident else obj.person_name

    def get_person_phone_masked(self, obj: ServiceRequest) -> str:
        phone = obj.resident.phone if obj.resident_id and obj.resident else obj.person_phone
        return mask_phone(phone)

    def validate_received_at(self, value: Any) -> Any:
        if value is not None and not parsing.in_window(timezone.localtime(value).date()):
            raise serializers.ValidationError(str(_("受理时间有误。")))
        return value

    def create(self, validated_data: dict[str, Any]) -> ServiceRequest:
        return services.request_receive(actor=self.actor, **validated_data)


class RequestStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(StepKind.IN_PROGRESS, _("办理中")), (StepKind.NOTE, _("备注"))], label=_("环节")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("说明"))


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=RequestOutcome.choices, label=_("办理结果"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("结果说明"))


class SatisfactionSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, label=_("满意度"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("意见"))


class ToMatterSerializer(serializers.Serializer):
    category = PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True), label=_("事项类别 id"))
    title = serializers.CharField(required=False, allow_blank=True, max_length=100, label=_("标题"))
    description = serializers.CharField(max_length=4000, label=_("情况描述"))
    place = IdField(required=False, allow_null=True, label=_("发生地(湾组 id)"), help_text=_("未登记群众的诉求必填"))
    attributes = serializers.DictField(required=False, label=_("类别的补充问题"))


class ToMatterResultSerializer(serializers.Serializer):
    matter = serializers.IntegerField(label=_("事项 id"))
    number = serializers.CharField(label=_("事项编号"))
    request = ServiceRequestSerializer(label=_("服务申请"))


class RequestFilter(filters.FilterSet):
    station = IdFilter(field_name="station_id", label=_("服务站 id"))
    village = IdFilter(method="filter_village", label=_("地区 id(村或其上级)"))
    status = filters.ChoiceFilter(choices=RequestStatus.choices, label=_("状态"))
    open = filters.BooleanFilter(method="filter_open", label=_("未办结"))
    signal = filters.ChoiceFilter(
        method="filter_signal", choices=[("green", "green"), ("yellow", "yellow"), ("red", "red")], label=_("预警")
    )
    item = IdFilter(field_name="item_id", label=_("服务事项 id"))
    channel = filters.ChoiceFilter(choices=RequestChannel.choices, label=_("受理渠道"))
    home_service = filters.BooleanFilter(label=_("上门服务"))
    received_from = DateFilter(method="filter_from", label=_("受理日期自"))
    received_to = DateFilter(method="filter_to", label=_("受理日期至"))

    class Meta:
        model = ServiceRequest
        fields: list[str] = []

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return village_q(queryset, api_user(self.request), value)

    def filter_open(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        is_open = {"status__in": [RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS]}
        return queryset.filter(**is_open) if value else queryset.exclude(**is_open)

    def filter_signal(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(selectors.signal_q(value, timezone.now())) if value else queryset

    def filter_from(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(received_at__gte=selectors.start_of(value))

    def filter_to(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(received_at__lt=selectors.start_of(value + dt.timedelta(days=1)))


def _request_response(view: Any, request_obj: ServiceRequest, status: int = 200) -> Response:
    fresh = view.get_queryset().get(pk=request_obj.pk)
    return Response(ServiceRequestSerializer(fresh, context=view.get_serializer_context()).data, status=status)


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "服务申请"),
        verb=RECORD,
        omit=("update", "partial_update", "destroy"),
        described={"create": _("受理一项服务申请:期限按受理当日该事项的办理时限,在工作日历上计算。")},
    )
)
class ServiceRequestViewSet(ReadCreate):
    """便民服务站受理的服务申请:群众(脱敏)、服务事项、渠道、上门服务、期限与红黄灯、办理过程、结果、满意度。"""

    serializer_class = ServiceRequestSerializer
    filterset_class = RequestFilter

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return selectors.requests(api_user(self.request))

    @extend_schema(
        summary=_("登记办理环节"),
        request=RequestStepSerializer,
        responses={200: ServiceRequestSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def steps(self, request: Request, pk: Any = None) -> Response:
        obj = self.get_object()
        data = RequestStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_add_step(actor=api_user(request), request=obj, **data.validated_data)
        return _request_response(self, obj)

    @extend_schema(
        summary=_("办结服务申请"),
        request=CompleteSerializer,
        responses={200: ServiceRequestSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        obj = self.get_object()
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_complete(actor=api_user(request), request=obj, **data.validated_data)
        return _request_response(self, obj)

    @extend_schema(
        summary=_("登记满意度"),
        description=_("办结后登记一次:满意、基本满意或不满意。"),
        request=SatisfactionSerializer,
        responses={200: ServiceRequestSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def satisfaction(self, request: Request, pk: Any = None) -> Response:
        obj = self.get_object()
        data = SatisfactionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_rate(actor=api_user(request), request=obj, **data.validated_data)
        return _request_response(self, obj)

    @extend_schema(
        summary=_("转为矛盾纠纷/隐患"),
        description=_("在居民所在湾组上报为事项(渠道:便民服务站),申请以“转办”办结并与事项关联。"),
        request=ToMatterSerializer,
        responses={201: ToMatterResultSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="to-matter")
    def to_matter(self, request: Request, pk: Any = None) -> Response:
        obj = self.get_object()
        data = ToMatterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        args = dict(data.validated_data)
        place_id = args.pop("place", None)
        place = (
            selectors.hamlets_of_station(api_user(request), obj.station).filter(pk=place_id).first()
            if place_id
            else None
        )
        if place_id and place is None:
            raise serializers.ValidationError({"place": [str(_("请选择服务站所在村(社区)的湾组作为发生地。"))]})
        matter = services.request_to_matter(actor=api_user(request), request=obj, place=place, **args)
        fresh = self.get_queryset().get(pk=obj.pk)
        body = {
            "matter": matter.pk,
            "number": matter.number,
            "request": ServiceRequestSerializer(fresh, context=self.get_serializer_context()).data,
        }
        return Response(body, status=201)
