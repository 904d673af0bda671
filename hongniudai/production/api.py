"""REST API of production and sales; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (the caller's ECONOMY_VIEW scope applies; out of scope is a 404); writes
go through `services` (capability checks: 403; validation, including the ledger's: 400 with Chinese
messages by field). Recorded events are not changed or deleted here: a correction is the books'
red reversal."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common.api import DateField, IdFilter, ScopedPrimaryKeyRelatedField
from hongniudai.places.models import Resident

from . import selectors, services
from .api_fields import (
    RecordedSerializer,
    Records,
    YearFilter,
    enterprise_field,
    kg_field,
    org_field,
    yuan_field,
)
from .api_trade import ROUTES as TRADE_ROUTES
from .models import (
    Harvest,
    PaidFrom,
    Planting,
    WagePayment,
    WorkRecord,
)

# ---- plantings and harvests ------------------------------------------------------------------------


class PlantingSerializer(RecordedSerializer):
    org = org_field()
    adviser = enterprise_field(_("技术指导企业"), required=False, allow_null=True)
    adviser_name = serializers.CharField(source="adviser.name", read_only=True, allow_null=True, label=_("企业名称"))
    area_mu = yuan_field(_("面积(亩)"))
    year = serializers.IntegerField(min_value=1900, max_value=2200, label=_("年度"))
    started_on = DateField(label=_("播种日期"))
    work_days = serializers.DecimalField(max_digits=16, decimal_places=1, read_only=True, label=_("务工天数"))
    wages = yuan_field(_("应付工资(元)"), read_only=True)
    harvest_kg = kg_field(_("产量(公斤)"), read_only=True)

    class Meta:
        model = Planting
        fields = ["id", "org", "org_name", "crop", "year", "season", "area_mu", "land", "adviser", "adviser_name"]
        fields += ["started_on", "note", "work_days", "wages", "harvest_kg", "recorded_at"]
        read_only_fields = ["recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> Planting:
        return services.record_planting(actor=self.actor, **validated_data)


class PlantingFilter(YearFilter):
    class Meta:
        model = Planting
        fields: list[str] = []

    def filter_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(year=int(value)) if 1900 <= int(value) <= 2200 else queryset.none()


@extend_schema_view(
    list=extend_schema(summary=_("种植列表")),
    retrieve=extend_schema(summary=_("种植详情")),
    create=extend_schema(summary=_("登记种植")),
)
class PlantingViewSet(Records):
    """种植:经营主体在某一年度种植的作物、面积、地块与技术指导企业,及务工天数、工资与产量合计。"""

    serializer_class = PlantingSerializer
    filterset_class = PlantingFilter

    def get_queryset(self) -> QuerySet[Planting]:
        return selectors.plantings(api_user(self.request))


class HarvestSerializer(serializers.ModelSerializer):
    planting = ScopedPrimaryKeyRelatedField(
        model=Planting, selector=lambda user: selectors.plantings(user), label=_("种植")
    )
    harvested_on = DateField(label=_("收获日期"))
    quantity_kg = kg_field(_("产量(公斤)"))

    class Meta:
        model = Harvest
        fields = ["id", "planting", "harvested_on", "quantity_kg", "note", "recorded_at"]
        read_only_fields = ["recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> Harvest:
        return services.record_harvest(actor=api_user(self.context["request"]), **validated_data)


class HarvestFilter(filters.FilterSet):
    planting = IdFilter(field_name="planting", label=_("种植 id"))

    class Meta:
        model = Harvest
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("收获列表")),
    retrieve=extend_schema(summary=_("收获详情")),
    create=extend_schema(summary=_("登记收获")),
)
class HarvestViewSet(Records):
    """收获:某一种植在某日收获的产量(公斤)。"""

    serializer_class = HarvestSerializer
    filterset_class = HarvestFilter

    def get_queryset(self) -> QuerySet[Harvest]:
        return selectors.harvests(api_user(self.request))


# ---- work and wages -----------------------------------------------------------------------------


class WorkRecordSerializer(RecordedSerializer):
    org = org_field()
    planting = ScopedPrimaryKeyRelatedField(
        model=Planting,
        selector=lambda user: selectors.plantings(user),
        required=False,
        allow_null=True,
        label=_("种植"),
    )
    worker = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: selectors.workers_for_record(user),
        label=_("务工人员"),
        help_text=_("村民 id;须是该组织所在村的村民。"),
    )
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("务工人员姓名"))
    worked_on = DateField(label=_("务工日期"))
    worked_until = DateField(required=False, allow_null=True, label=_("截止日期"), help_text=_("多于一天时必填"))
    days = serializers.DecimalField(max_digits=6, decimal_places=1, label=_("天数"), help_text=_("以半天为单位"))
    daily_rate = yuan_field(_("日工资(元)"))

    class Meta:
        model = WorkRecord
        fields = ["id", "org", "org_name", "planting", "worker", "worker_name", "household", "worked_on"]
        fields += ["worked_until", "days", "daily_rate", "amount", "task", "voucher", "recorded_at"]
        read_only_fields = ["household", "amount", "voucher", "recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> WorkRecord:
        return services.record_work(actor=self.actor, **validated_data)


class WorkFilter(YearFilter):
    planting = IdFilter(field_name="planting", label=_("种植 id"))
    worker = IdFilter(field_name="worker", label=_("务工人员 id"))
    date_field = "worked_on"

    class Meta:
        model = WorkRecord
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("务工记录列表")),
    retrieve=extend_schema(summary=_("务工记录详情")),
    create=extend_schema(
        summary=_("登记务工并计提工资"),
        description=_("天数 × 日工资即应付工资,记借 401 生产(劳务)成本、贷 213 应付劳务费(该户明细)。"),
    ),
)
class WorkRecordViewSet(Records):
    """务工记录:村民为集体经济组织务工的天数、日工资与应付工资,及其记账凭证。"""

    serializer_class = WorkRecordSerializer
    filterset_class = WorkFilter

    def get_queryset(self) -> QuerySet[WorkRecord]:
        return selectors.work_records(api_user(self.request))


class WagePaymentSerializer(RecordedSerializer):
    org = org_field()
    worker = ScopedPrimaryKeyRelatedField(
        model=Resident, selector=lambda user: selectors.workers_for_record(user), label=_("务工人员")
    )
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("务工人员姓名"))
    amount = yuan_field(_("金额(元)"))
    paid_on = DateField(label=_("支付日期"))
    paid_from = serializers.ChoiceField(choices=PaidFrom.choices, default=PaidFrom.BANK, label=_("支付方式"))

    class Meta:
        model = WagePayment
        fields = ["id", "org", "org_name", "worker", "worker_name", "household", "amount", "paid_on", "paid_from"]
        fields += ["voucher", "recorded_at"]
        read_only_fields = ["household", "voucher", "recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> WagePayment:
        return services.pay_wages(actor=self.actor, **validated_data)


class PaymentFilter(YearFilter):
    worker = IdFilter(field_name="worker", label=_("务工人员 id"))
    date_field = "paid_on"

    class Meta:
        model = WagePayment
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("工资发放列表")),
    retrieve=extend_schema(summary=_("工资发放详情")),
    create=extend_schema(summary=_("发放务工工资"), description=_("不能超过该务工人员未发的工资。")),
)
class WagePaymentViewSet(Records):
    """工资发放:向务工人员(其所在户)支付的工资,借 213 应付劳务费、贷 101 或 102。"""

    serializer_class = WagePaymentSerializer
    filterset_class = PaymentFilter

    def get_queryset(self) -> QuerySet[WagePayment]:
        return selectors.wage_payments(api_user(self.request))


class WagesDueSerializer(serializers.Serializer):
    org = serializers.IntegerField(source="org.pk", label=_("经营主体 id"))
    org_name = serializers.CharField(source="org.name", label=_("经营主体名称"))
    worker = serializers.IntegerField(source="worker_id", label=_("务工人员 id"))
    worker_name = serializers.CharField(label=_("务工人员姓名"))
    household = serializers.IntegerField(source="household_id", label=_("户 id"))
    days = serializers.DecimalField(max_digits=16, decimal_places=1, label=_("务工天数"))
    accrued = yuan_field(_("应付工资(元)"))
    paid = yuan_field(_("已发工资(元)"))
    due = yuan_field(_("未发工资(元)"))


class WagesDueViewSet(viewsets.ViewSet):
    """务工工资:每个经营主体、每位务工人员的应付、已发与未发工资。"""

    @extend_schema(
        summary=_("务工工资(应付、已发、未发)"),
        parameters=[OpenApiParameter("org", int, description=str(_("经营主体 id")), required=False)],
        responses={200: WagesDueSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        user = api_user(request)
        raw = request.query_params.get("org", "")
        org = None
        if raw:
            if not raw.isdigit() or int(raw) > 2**31:
                raise serializers.ValidationError({"org": [str(_("请填写有效的经营主体 id。"))]})
            org = selectors.orgs_for_view(user).filter(pk=int(raw)).first()
            if org is None:
                return Response([])
        rows = selectors.wages_due(user, org=org)
        return Response(WagesDueSerializer(rows, many=True).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("production-plantings", PlantingViewSet, "production-planting"),
    ("production-harvests", HarvestViewSet, "production-harvest"),
    ("production-work", WorkRecordViewSet, "production-work"),
    ("production-wage-payments", WagePaymentViewSet, "production-wage-payment"),
    ("production-wages-due", WagesDueViewSet, "production-wages-due"),
    *TRADE_ROUTES,
]
