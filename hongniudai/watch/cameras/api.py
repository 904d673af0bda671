"""REST API of the camera net; `ROUTES` is registered by `hongniudai.api.urls` (the platforms'
alert endpoint is `alerts_api`).

Reads come from `selectors` (VIEW scope; out of scope is a 404); writes go through `services`
(WATCH over the grid for cameras and pending alerts, the town administrator for the alert kinds:
403; validation: 400 with Chinese messages by field). The stream address is written, never listed:
a WATCH holder reads it through `reveal-stream`, and each reveal is audited."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.scope import scope_for
from hongniudai.common.api import (
    REGISTER,
    ChoiceLabelField,
    EditableRecordViewSet,
    IdFilter,
    ReportViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    WriteGateMixin,
    crud_schema,
)
from hongniudai.governance.interface import Category
from hongniudai.places.models import AreaNode

from . import alerts, policy, selectors, services
from .models import (
    AlertKindRule,
    Camera,
    CameraAlert,
    CameraKind,
    CameraStatus,
    PendingAlert,
    PendingStatus,
)

MESSAGE = inline_serializer("CameraMessage", {"detail": serializers.CharField()})
NOT_FOUND = OpenApiResponse(MESSAGE, description=_("记录不存在或不在您的范围之内。"))
BAD_REQUEST = OpenApiResponse(description=_("输入有误:按字段给出中文说明,未作任何改动。"))
FORBIDDEN = OpenApiResponse(MESSAGE, description=_("您没有在该范围内进行此操作的权限。"))


def _visible_area(queryset: QuerySet[Any], user: Any, value: int, field: str = "area_path") -> QuerySet[Any]:
    area = scope_for(user).filter(AreaNode.objects.filter(pk=value)).first()
    return queryset.filter(**{f"{field}__startswith": area.path}) if area else queryset.none()


# ---- cameras ----------------------------------------------------------------------------------


class CameraSerializer(ServiceSerializer):
    grid = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: selectors.grids_for_choice(user),
        label=_("村组(网格)"),
        help_text=_("村组或湾组 id(湾组即其所在村组)。"),
    )
    grid_name = serializers.CharField(source="grid.name", read_only=True, label=_("村组名称"))
    kind_label = ChoiceLabelField(source="kind", label=_("类型名称"))
    owner_label = ChoiceLabelField(source="owner", label=_("权属名称"))
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, label=_("纬度"))
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, label=_("经度"))
    stream_url = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500,
        label=_("视频流地址"),
        help_text=_("只写:列表与详情均不返回;持有视频监控权限者可经 reveal-stream 查看(留痕)。"),
    )

    class Meta:
        model = Camera
        fields = ["id", "grid", "grid_name", *Camera.EDITABLE, "kind_label", "owner_label", "status_label"]
        fields += ["last_seen_at", "created_at"]
        read_only_fields = ["last_seen_at", "created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Camera:
        return services.register_camera(actor=self.actor, **validated_data)

    def update(self, instance: Camera, validated_data: dict[str, Any]) -> Camera:
        return services.update_camera(actor=self.actor, camera=instance, **validated_data)


class CameraFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("编号或名称"))
    area = IdFilter(method="filter_area", label=_("地区 id(含下级)"))
    status = filters.ChoiceFilter(choices=CameraStatus.choices, label=_("状态"))
    kind = filters.ChoiceFilter(choices=CameraKind.choices, label=_("类型"))

    class Meta:
        model = Camera
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(code__icontains=value) | queryset.filter(name__icontains=value) if value else queryset

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _visible_area(queryset, api_user(self.request), value)


class _WatchGate(WriteGateMixin):
    may_write = policy.watches
    write_refusal = _("您没有维护视频监控的权限。")


@extend_schema_view(**crud_schema(pgettext_lazy("record", "摄像机"), verb=REGISTER, omit=("destroy",)))
class CameraViewSet(_WatchGate, EditableRecordViewSet):
    """视频监控摄像机:按村组登记,编号全镇唯一;视频流地址不在列表与详情中出现。"""

    serializer_class = CameraSerializer
    filterset_class = CameraFilter

    def get_queryset(self) -> QuerySet[Camera]:
        return selectors.cameras(api_user(self.request))

    @extend_schema(
        summary=_("查看摄像机视频流地址"),
        description=_("返回视频流地址并记入审计;只限该村组的视频监控权限持有者。"),
        request=None,
        responses={
            200: inline_serializer("CameraStream", {"stream_url": serializers.CharField()}),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], url_path="reveal-stream")
    def reveal_stream(self, request: Request, pk: Any = None) -> Response:
        camera = selectors.camera_get(api_user(request), pk)
        return Response({"stream_url": services.reveal_stream(actor=api_user(request), camera=camera)})


# ---- coverage ---------------------------------------------------------------------------------


class CoverageRowSerializer(serializers.Serializer):
    grid = serializers.IntegerField(source="pk", label=_("村组 id"))
    grid_name = serializers.CharField(source="name", label=_("村组"))
    camera_count = serializers.IntegerField(label=_("摄像机(不含已撤除)"))
    working_count = serializers.IntegerField(label=_("正常运行"))


class CoverageFilter(filters.FilterSet):
    area = IdFilter(method="filter_area", label=_("地区 id(含下级)"))
    without = filters.BooleanFilter(method="filter_without", label=_("只看无摄像机的村组"))

    class Meta:
        model = AreaNode
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _visible_area(queryset, api_user(self.request), value, field="path")

    def filter_without(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        return queryset.filter(camera_count=0) if value else queryset


@extend_schema_view(list=extend_schema(summary=_("摄像机覆盖(按村组)")))
class CameraCoverageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """每个村组的摄像机数与正常运行数;without=true 只列无摄像机的村组。"""

    serializer_class = CoverageRowSerializer
    filterset_class = CoverageFilter

    def get_queryset(self) -> QuerySet[AreaNode]:
        return selectors.coverage(api_user(self.request))


class CoverageTotalsSerializer(serializers.Serializer):
    grids = serializers.IntegerField(label=_("村组数"))
    cameras = serializers.IntegerField(label=_("摄像机数"))
    working = serializers.IntegerField(label=_("正常运行数"))
    grids_without = serializers.IntegerField(label=_("无摄像机的村组数"))


class CameraCoverageSummaryViewSet(ReportViewSet):
    """摄像机覆盖合计。"""

    @extend_schema(
        summary=_("摄像机覆盖合计"),
        description=_("您范围内全部村组的摄像机数、正常运行数与无摄像机的村组数。"),
        responses={200: CoverageTotalsSerializer},
    )
    def list(self, request: Request) -> Response:
        totals = selectors.coverage_totals(api_user(request))
        return Response(CoverageTotalsSerializer(totals).data)


# ---- alerts -----------------------------------------------------------------------------------


class CameraAlertSerializer(serializers.ModelSerializer):
    camera_code = serializers.CharField(source="camera.code", read_only=True, label=_("摄像机编号"))
    camera_name = serializers.CharField(source="camera.name", read_only=True, label=_("摄像机名称"))
    kind_label = serializers.CharField(source="rule.label", read_only=True, label=_("报警类型"))
    matter_number = serializers.CharField(
        source="matter.number", read_only=True, allow_null=True, default=None, label=_("事项编号")
    )

    class Meta:
        model = CameraAlert
        fields = ["id", "alert_id", "camera", "camera_code", "camera_name", "kind", "kind_label", "occurred_at"]
        fields += ["received_at", "matter", "matter_number", "pending", "merged", "has_snapshot", "note"]
        read_only_fields = fields


class CameraAlertFilter(filters.FilterSet):
    area = IdFilter(method="filter_area", label=_("地区 id(含下级)"))
    camera = IdFilter(field_name="camera_id", label=_("摄像机 id"))
    kind = filters.CharFilter(field_name="kind", label=_("报警类型代码"))
    merged = filters.BooleanFilter(field_name="merged", label=_("并入已有"))

    class Meta:
        model = CameraAlert
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _visible_area(queryset, api_user(self.request), value)


@extend_schema_view(list=extend_schema(summary=_("报警记录列表")), retrieve=extend_schema(summary=_("报警记录详情")))
class CameraAlertViewSet(viewsets.ReadOnlyModelViewSet):
    """视频平台上报的每一条报警及其去向:新立事项、并入已有事项,或待确认。"""

    serializer_class = CameraAlertSerializer
    filterset_class = CameraAlertFilter

    def get_queryset(self) -> QuerySet[CameraAlert]:
        return selectors.alerts(api_user(self.request))


# ---- pending alerts ---------------------------------------------------------------------------


class PendingAlertSerializer(serializers.ModelSerializer):
    camera_code = serializers.CharField(source="camera.code", read_only=True, label=_("摄像机编号"))
    camera_name = serializers.CharField(source="camera.name", read_only=True, label=_("摄像机名称"))
    grid = serializers.IntegerField(source="camera.grid_id", read_only=True, label=_("村组 id"))
    kind = serializers.CharField(source="rule.code", read_only=True, label=_("报警类型代码"))
    kind_label = serializers.CharField(source="rule.label", read_only=True, label=_("报警类型"))
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    has_snapshot = serializers.SerializerMethodField(label=_("有抓拍"))
    alert_count = serializers.IntegerField(read_only=True, allow_null=True, default=None, label=_("报警次数"))

    class Meta:
        model = PendingAlert
        fields = ["id", "camera", "camera_code", "camera_name", "grid", "kind", "kind_label", "occurred_at", "note"]
        fields += ["status", "status_label", "matter", "decided_by", "decided_at", "dismiss_reason", "created_at"]
        fields += ["has_snapshot", "alert_count"]
        read_only_fields = fields

    def get_has_snapshot(self, obj: PendingAlert) -> bool:
        return bool(obj.snapshot)


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=_("排除理由"))


class PendingAlertFilter(filters.FilterSet):
    area = IdFilter(method="filter_area", label=_("地区 id(含下级)"))
    status = filters.ChoiceFilter(choices=PendingStatus.choices, label=_("状态"))

    class Meta:
        model = PendingAlert
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _visible_area(queryset, api_user(self.request), value)


@extend_schema_view(
    list=extend_schema(summary=_("待确认报警列表"), description=_("默认全部状态;status=waiting 为待确认队列。")),
    retrieve=extend_schema(summary=_("待确认报警详情")),
)
class PendingAlertViewSet(_WatchGate, viewsets.ReadOnlyModelViewSet):
    """“先确认”类型的报警:网格员确认后立为事项(期限自确认时起算),或填写理由排除。"""

    serializer_class = PendingAlertSerializer
    filterset_class = PendingAlertFilter

    def get_queryset(self) -> QuerySet[PendingAlert]:
        return selectors.pending_alerts(api_user(self.request), status="")

    def _answer(self, pending: PendingAlert) -> Response:
        fresh = self.get_queryset().get(pk=pending.pk)
        return Response(PendingAlertSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("确认报警并立案"),
        request=None,
        responses={200: PendingAlertSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        pending = self.get_object()
        alerts.confirm_pending(actor=api_user(request), pending=pending)
        return self._answer(pending)

    @extend_schema(
        summary=_("排除报警"),
        request=DismissSerializer,
        responses={200: PendingAlertSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: Any = None) -> Response:
        pending = self.get_object()
        data = DismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alerts.dismiss_pending(actor=api_user(request), pending=pending, reason=data.validated_data["reason"])
        return self._answer(pending)


# ---- the town's alert kinds -------------------------------------------------------------------


class AlertKindRuleSerializer(ServiceSerializer):
    town = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: selectors.towns_kept(user), label=_("镇"), help_text=_("新建后不能更换。")
    )
    town_name = serializers.CharField(source="town.name", read_only=True, label=_("镇名称"))
    category = ScopedPrimaryKeyRelatedField(
        model=Category, selector=lambda user: Category.objects.filter(is_active=True), label=_("事项类别")
    )
    category_name = serializers.CharField(source="category.name", read_only=True, label=_("事项类别名称"))
    code = serializers.CharField(max_length=40, label=_("报警类型代码"), help_text=_("新建后不能更换。"))
    attributes = serializers.DictField(required=False, label=_("附加信息"), help_text=_("事项类别必答问题的答案。"))

    class Meta:
        model = AlertKindRule
        fields = ["id", "town", "town_name", "code", *AlertKindRule.EDITABLE, "category_name"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> AlertKindRule:
        if AlertKindRule.objects.filter(town=validated_data["town"], code=validated_data["code"]).exists():
            raise serializers.ValidationError({"code": [str(_("本镇已有该代码的报警类型。"))]})
        return services.save_alert_kind(actor=self.actor, **validated_data)

    def update(self, instance: AlertKindRule, validated_data: dict[str, Any]) -> AlertKindRule:
        self.refuse_change(instance, validated_data, "town", _("报警类型的镇不能更换。"))
        self.refuse_change(instance, validated_data, "code", _("报警类型代码不能更换。"))
        values = self.current(instance, validated_data, AlertKindRule.EDITABLE)
        return services.save_alert_kind(actor=self.actor, town=instance.town, code=instance.code, **values)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "报警类型"), omit=("destroy",)))
class AlertKindRuleViewSet(EditableRecordViewSet):
    """本镇的报警类型表:平台上报的类型代码对应的事项类别,以及是否“先确认后立案”。"""

    serializer_class = AlertKindRuleSerializer

    def check_permissions(self, request: Request) -> None:
        # A new kind needs a town administrator (403 before any validation); a change is refused by
        # the service (403) or, out of scope, not found (404).
        super().check_permissions(request)
        if self.action == "create" and not policy.keeps_towns(request.user):
            raise PermissionDenied(str(_("只有镇管理员可以维护报警类型。")))

    def get_queryset(self) -> QuerySet[AlertKindRule]:
        return selectors.alert_kinds(api_user(self.request))


ROUTES: list[tuple[str, Any, str]] = [
    ("cameras", CameraViewSet, "camera"),
    ("camera-coverage", CameraCoverageViewSet, "camera-coverage"),
    ("camera-coverage-summary", CameraCoverageSummaryViewSet, "camera-coverage-summary"),
    ("camera-alerts", CameraAlertViewSet, "camera-alert"),
    ("camera-pending-alerts", PendingAlertViewSet, "camera-pending-alert"),
    ("camera-alert-kinds", AlertKindRuleViewSet, "camera-alert-kind"),
]
