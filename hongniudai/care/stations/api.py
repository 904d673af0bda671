"""REST API of the service stations and the mass organisations; `ROUTES` is registered by
`hongniudai.api.urls`.

Reads come from `selectors` (VIEW scope; out of scope is a 404); writes go through `services` and
`orgs` (SERVICES over the record: 403; validation: 400 with Chinese messages by field). Nothing is
deleted through the API. Phones are only ever shown masked."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.common import parsing
from hongniudai.common.api import (
    ADD,
    RECORD,
    SET_UP,
    ChoiceLabelField,
    DateField,
    DateFilter,
    EditableRecordViewSet,
    IdField,
    IdFilter,
    IntegerField,
    PrimaryKeyRelatedField,
    RecordViewSet,
    ReportViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    WriteGateMixin,
    crud_schema,
    period_parameters,
)
from hongniudai.common.identity import mask_phone
from hongniudai.governance.interface import Category
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode, Resident

from . import orgs, policy, selectors, services
from .models import (
    MassActivity,
    MassOrg,
    MassOrgKind,
    RequestChannel,
    RequestOutcome,
    RequestStatus,
    Satisfaction,
    ServiceItem,
    ServiceRequest,
    ServiceStation,
    StepKind,
)

NOT_FOUND = OpenApiResponse(
    inline_serializer("StationsNotFound", {"detail": serializers.CharField()}),
    description=_("记录不存在或不在您的范围之内。"),
)
BAD_REQUEST = OpenApiResponse(description=_("输入有误(按字段给出中文说明)。"))


class _WriteGate(WriteGateMixin):
    """Writes need SERVICES somewhere: a user without it gets 403 before any lookup."""

    may_write = policy.records_services
    write_refusal = _("您没有登记便民服务的权限。")


class _ReadCreate(_WriteGate, RecordViewSet):
    pass


class _ReadCreateUpdate(_WriteGate, EditableRecordViewSet):
    pass


def _village_q(queryset: QuerySet[Any], user: Any, value: int, field: str = "area_path") -> QuerySet[Any]:
    """Rows under the area `value`, none when the user does not see that area."""
    try:
        node = place_selectors.area_get(user, value)
    except Http404:
        return queryset.none()
    return queryset.filter(**{f"{field}__under": node.path})


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
class ServiceItemViewSet(_ReadCreateUpdate):
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
        selector=lambda user: selectors.items(user, active=True),
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
        return _village_q(queryset, api_user(self.request), value)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(name__icontains=value.strip())


@extend_schema_view(**crud_schema(pgettext_lazy("record", "便民服务站"), verb=SET_UP, omit=("destroy",)))
class ServiceStationViewSet(_ReadCreateUpdate):
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


# ---- requests ---------------------------------------------------------------------------------


class ServiceRequestSerializer(ServiceSerializer):
    station = ScopedPrimaryKeyRelatedField(
        model=ServiceStation,
        selector=lambda user: selectors.stations_for_choice(user, Capability.VIEW),
        label=_("服务站"),
    )
    station_name = serializers.CharField(source="station.name", read_only=True, label=_("服务站名称"))
    item = ScopedPrimaryKeyRelatedField(
        model=ServiceItem, selector=lambda user: selectors.items(user, active=True), label=_("服务事项")
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
        return _village_q(queryset, api_user(self.request), value)

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
        import datetime as dt

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
class ServiceRequestViewSet(_ReadCreate):
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


# ---- mass organisations -----------------------------------------------------------------------


class MassOrgSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: selectors.areas_for_org(user),
        label=_("所在镇(村)"),
        help_text=_("新建时必填;之后不能更换。"),
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("所在镇(村)名称"))
    kind_label = ChoiceLabelField(source="kind", label=_("类别名称"))
    activity_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("活动次数"))

    class Meta:
        model = MassOrg
        fields = ["id", "kind", "kind_label", "area", "area_name", *MassOrg.EDITABLE, "activity_count"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> MassOrg:
        return orgs.org_create(actor=self.actor, **validated_data)

    def update(self, instance: MassOrg, validated_data: dict[str, Any]) -> MassOrg:
        self.refuse_change(instance, validated_data, "kind", _("群团组织不能更换类别。"))
        self.refuse_change(instance, validated_data, "area", _("群团组织不能更换所在镇(村)。"))
        values = self.current(instance, validated_data, MassOrg.EDITABLE)
        return orgs.org_update(actor=self.actor, org=instance, **values)


class MassOrgFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=MassOrgKind.choices, label=_("类别"))
    area = IdFilter(method="filter_area", label=_("地区 id"))

    class Meta:
        model = MassOrg
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _village_q(queryset, api_user(self.request), value)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "群团组织"), verb=RECORD, omit=("destroy",)))
class MassOrgViewSet(_ReadCreateUpdate):
    """群团组织:工会、共青团、妇联,设在镇或村(社区)。"""

    serializer_class = MassOrgSerializer
    filterset_class = MassOrgFilter

    def get_queryset(self) -> QuerySet[MassOrg]:
        return selectors.orgs(api_user(self.request))


class MassActivitySerializer(ServiceSerializer):
    org = ScopedPrimaryKeyRelatedField(
        model=MassOrg, selector=lambda user: selectors.orgs_for_choice(user), label=_("群团组织")
    )
    org_name = serializers.CharField(source="org.name", read_only=True, label=_("组织名称"))
    village_name = serializers.CharField(source="village.name", read_only=True, allow_null=True, label=_("村名称"))
    station = ScopedPrimaryKeyRelatedField(
        model=ServiceStation,
        selector=lambda user: selectors.stations_for_choice(user),
        required=False,
        allow_null=True,
        label=_("服务站"),
    )
    held_on = DateField(label=_("活动日期"))
    participant_count = IntegerField(min_value=0, max_value=orgs.MAX_PARTICIPANTS, required=False, label=_("参加人数"))
    participants = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: selectors.residents_for_activity(user),
        many=True,
        required=False,
        label=_("参加居民 id"),
    )
    photo_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("照片数"))

    class Meta:
        model = MassActivity
        fields = ["id", "org", "org_name", "village", "village_name", *MassActivity.EDITABLE, "participants"]
        fields += ["photo_count"]
        read_only_fields = ["village"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> MassActivity:
        return orgs.activity_record(actor=self.actor, **validated_data)

    def update(self, instance: MassActivity, validated_data: dict[str, Any]) -> MassActivity:
        self.refuse_change(instance, validated_data, "org", _("活动不能更换组织。"))
        validated_data.pop("org", None)
        values = self.current(instance, validated_data, MassActivity.EDITABLE)
        return orgs.activity_update(
            actor=self.actor, activity=instance, participants=validated_data.get("participants"), **values
        )


class MassActivityFilter(filters.FilterSet):
    org = IdFilter(field_name="org_id", label=_("组织 id"))
    kind = filters.ChoiceFilter(field_name="org__kind", choices=MassOrgKind.choices, label=_("组织类别"))
    village = IdFilter(method="filter_village", label=_("地区 id"))
    held_from = DateFilter(field_name="held_on", lookup_expr="gte", label=_("活动日期自"))
    held_to = DateFilter(field_name="held_on", lookup_expr="lte", label=_("活动日期至"))

    class Meta:
        model = MassActivity
        fields: list[str] = []

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _village_q(queryset, api_user(self.request), value)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "群团活动"), verb=RECORD, omit=("destroy",)))
class MassActivityViewSet(_ReadCreateUpdate):
    """群团组织在村(社区)开展的活动:日期、地点、服务站、参加人数与参加居民、照片数。"""

    serializer_class = MassActivitySerializer
    filterset_class = MassActivityFilter

    def get_queryset(self) -> QuerySet[MassActivity]:
        named = Prefetch("participants", queryset=Resident.objects.only("id"))
        return selectors.activities(api_user(self.request)).prefetch_related(named)


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
