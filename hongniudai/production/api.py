"""REST API of production and sales; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (the caller's ECONOMY_VIEW scope applies; out of scope is a 404); writes
go through `services` (capability checks: 403; validation, including the ledger's: 400 with Chinese
messages by field). Recorded events are not changed or deleted here: a correction is the books'
red reversal."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.collective.interface import EconomicOrg
from hongniudai.common.api import DateField, IdFilter, ScopedPrimaryKeyRelatedField
from hongniudai.enterprises.interface import Enterprise
from hongniudai.places.models import Resident

from . import selectors, services
from .models import (
    Delivery,
    Harvest,
    OutputUnit,
    PaidFrom,
    Planting,
    PriceUnit,
    Processing,
    PurchaseContract,
    Receipt,
    Sale,
    ScheduleLine,
    SettledBy,
    WagePayment,
    WorkRecord,
)


def _yuan(label: Any, **kwargs: Any) -> serializers.DecimalField:
    """An amount in yuan (a Decimal(14, 2)); its sign and size are the service's to judge."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, label=label, **kwargs)


def _kg(label: Any, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=3, label=label, **kwargs)


def _org_field(label: Any = _("经营主体")) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=EconomicOrg,
        selector=lambda user: selectors.orgs_for_record(user),
        label=label,
        help_text=_("集体经济组织 id;只能选您可以登记的、已建账的组织。"),
    )


def _enterprise_field(label: Any, **kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=Enterprise, selector=lambda user: selectors.enterprises_for_choice(user), label=label, **kwargs
    )


class _Recorded(serializers.ModelSerializer):
    """What every recorded event shows besides its own fields."""

    org_name = serializers.CharField(source="org.name", read_only=True, label=_("经营主体名称"))

    @property
    def actor(self) -> Any:
        return api_user(self.context["request"])


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List, read and record: a recorded event answers 201 with the event as the list shows it."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = serializer.save()
        fresh = self.get_queryset().filter(pk=event.pk).first() or event
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class YearFilter(filters.FilterSet):
    org = IdFilter(field_name="org", label=_("经营主体 id"))
    year = filters.NumberFilter(method="filter_year", label=_("年度"))

    date_field = ""

    def filter_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        year = int(value)
        if not 1900 <= year <= 2200:
            return queryset.none()
        return queryset.filter(**{f"{self.date_field}__year": year})


# ---- plantings and harvests ------------------------------------------------------------------------


class PlantingSerializer(_Recorded):
    org = _org_field()
    adviser = _enterprise_field(_("技术指导企业"), required=False, allow_null=True)
    adviser_name = serializers.CharField(source="adviser.name", read_only=True, allow_null=True, label=_("企业名称"))
    area_mu = _yuan(_("面积(亩)"))
    year = serializers.IntegerField(min_value=1900, max_value=2200, label=_("年度"))
    started_on = DateField(label=_("播种日期"))
    work_days = serializers.DecimalField(max_digits=16, decimal_places=1, read_only=True, label=_("务工天数"))
    wages = _yuan(_("应付工资(元)"), read_only=True)
    harvest_kg = _kg(_("产量(公斤)"), read_only=True)

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
class PlantingViewSet(mixins.CreateModelMixin, RecordViewSet):
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
    quantity_kg = _kg(_("产量(公斤)"))

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
class HarvestViewSet(mixins.CreateModelMixin, RecordViewSet):
    """收获:某一种植在某日收获的产量(公斤)。"""

    serializer_class = HarvestSerializer
    filterset_class = HarvestFilter

    def get_queryset(self) -> QuerySet[Harvest]:
        return selectors.harvests(api_user(self.request))


# ---- work and wages -----------------------------------------------------------------------------


class WorkRecordSerializer(_Recorded):
    org = _org_field()
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
    daily_rate = _yuan(_("日工资(元)"))

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
class WorkRecordViewSet(mixins.CreateModelMixin, RecordViewSet):
    """务工记录:村民为集体经济组织务工的天数、日工资与应付工资,及其记账凭证。"""

    serializer_class = WorkRecordSerializer
    filterset_class = WorkFilter

    def get_queryset(self) -> QuerySet[WorkRecord]:
        return selectors.work_records(api_user(self.request))


class WagePaymentSerializer(_Recorded):
    org = _org_field()
    worker = ScopedPrimaryKeyRelatedField(
        model=Resident, selector=lambda user: selectors.workers_for_record(user), label=_("务工人员")
    )
    worker_name = serializers.CharField(source="worker.name", read_only=True, label=_("务工人员姓名"))
    amount = _yuan(_("金额(元)"))
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
class WagePaymentViewSet(mixins.CreateModelMixin, RecordViewSet):
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
    accrued = _yuan(_("应付工资(元)"))
    paid = _yuan(_("已发工资(元)"))
    due = _yuan(_("未发工资(元)"))


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


# ---- contracts and deliveries -------------------------------------------------------------------


class ScheduleLineSerializer(serializers.ModelSerializer):
    due_on = DateField(label=_("交货日期"))
    quantity_kg = _kg(_("交货数量(公斤)"))

    class Meta:
        model = ScheduleLine
        fields = ["due_on", "quantity_kg"]


class ContractSerializer(_Recorded):
    org = _org_field(_("卖方"))
    buyer = _enterprise_field(_("收购企业"))
    buyer_name = serializers.CharField(source="buyer.name", read_only=True, label=_("收购企业名称"))
    quantity_kg = _kg(_("合同数量(公斤)"))
    price = _yuan(_("单价(元)"))
    price_unit = serializers.ChoiceField(choices=PriceUnit.choices, label=_("计价单位"))
    signed_on = DateField(label=_("签订日期"))
    schedule = ScheduleLineSerializer(many=True, required=False, label=_("交货计划"))
    delivered_kg = _kg(_("已交(公斤)"), read_only=True)
    owed_kg = _kg(_("未交(公斤)"), read_only=True)
    delivered_amount = _yuan(_("交货金额(元)"), read_only=True)

    class Meta:
        model = PurchaseContract
        fields = ["id", "org", "org_name", "buyer", "buyer_name", "number", "crop", "quantity_kg", "price"]
        fields += ["price_unit", "signed_on", "schedule", "note", "delivered_kg", "owed_kg", "delivered_amount"]
        fields += ["recorded_at"]
        read_only_fields = ["recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> PurchaseContract:
        schedule = [(line["due_on"], line["quantity_kg"]) for line in validated_data.pop("schedule", [])]
        number = validated_data.pop("number", "")
        return services.sign_contract(actor=self.actor, schedule=schedule, number_=number, **validated_data)


class ContractFilter(YearFilter):
    buyer = IdFilter(field_name="buyer", label=_("收购企业 id"))
    date_field = "signed_on"

    class Meta:
        model = PurchaseContract
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("收购合同列表")),
    retrieve=extend_schema(summary=_("收购合同详情")),
    create=extend_schema(summary=_("登记收购合同"), description=_("交货计划各期合计须等于合同数量。")),
)
class ContractViewSet(mixins.CreateModelMixin, RecordViewSet):
    """收购合同:经营主体向企业订单销售作物的数量、单价(元/斤、元/公斤或元/吨)与交货计划,及已交、未交。"""

    serializer_class = ContractSerializer
    filterset_class = ContractFilter

    def get_queryset(self) -> QuerySet[PurchaseContract]:
        user = api_user(self.request)
        lines = Prefetch("schedule", queryset=ScheduleLine.objects.order_by("due_on", "id"))
        return selectors.contracts(user).prefetch_related(lines)


class DeliverySerializer(serializers.ModelSerializer):
    contract = ScopedPrimaryKeyRelatedField(
        model=PurchaseContract, selector=lambda user: selectors.contracts(user), label=_("合同")
    )
    delivered_on = DateField(label=_("交货日期"))
    quantity_kg = _kg(_("交货数量(公斤)"), help_text=_("不能超过合同尚未交付的数量。"))
    settled_by = serializers.ChoiceField(choices=SettledBy.choices, default=SettledBy.RECEIVABLE, label=_("结算"))

    class Meta:
        model = Delivery
        fields = ["id", "contract", "delivered_on", "quantity_kg", "amount", "settled_by", "voucher", "recorded_at"]
        read_only_fields = ["amount", "voucher", "recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> Delivery:
        return services.record_delivery(actor=api_user(self.context["request"]), **validated_data)


class DeliveryFilter(filters.FilterSet):
    contract = IdFilter(field_name="contract", label=_("合同 id"))

    class Meta:
        model = Delivery
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("交货列表")),
    retrieve=extend_schema(summary=_("交货详情")),
    create=extend_schema(
        summary=_("登记合同交货"),
        description=_(
            "金额 = 数量 × 合同单价;借 112 应收款(或 102 银行存款)、贷 501 经营收入。超出合同未交数量的拒绝。"
        ),
    ),
)
class DeliveryViewSet(mixins.CreateModelMixin, RecordViewSet):
    """交货:按收购合同交付的数量、金额及记账凭证。"""

    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter

    def get_queryset(self) -> QuerySet[Delivery]:
        return selectors.deliveries(api_user(self.request))


class ReceiptSerializer(serializers.ModelSerializer):
    delivery = ScopedPrimaryKeyRelatedField(
        model=Delivery, selector=lambda user: selectors.deliveries(user), label=_("交货")
    )
    received_on = DateField(label=_("收款日期"))
    amount = _yuan(_("金额(元)"), help_text=_("不能超过该笔交货尚未收回的金额。"))

    class Meta:
        model = Receipt
        fields = ["id", "delivery", "received_on", "amount", "voucher", "recorded_at"]
        read_only_fields = ["voucher", "recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> Receipt:
        return services.record_receipt(actor=api_user(self.context["request"]), **validated_data)


class ReceiptFilter(filters.FilterSet):
    delivery = IdFilter(field_name="delivery", label=_("交货 id"))

    class Meta:
        model = Receipt
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("货款收回列表")),
    retrieve=extend_schema(summary=_("货款收回详情")),
    create=extend_schema(summary=_("登记货款收回"), description=_("借 102 银行存款、贷 112 应收款。")),
)
class ReceiptViewSet(mixins.CreateModelMixin, RecordViewSet):
    """货款收回:收购企业为记作应收款的交货付来的货款。"""

    serializer_class = ReceiptSerializer
    filterset_class = ReceiptFilter

    def get_queryset(self) -> QuerySet[Receipt]:
        return selectors.receipts(api_user(self.request))


# ---- processing and sales -----------------------------------------------------------------------


class ProcessingSerializer(_Recorded):
    org = _org_field()
    input_kg = _kg(_("原料用量(公斤)"))
    output_quantity = _kg(_("产量"))
    product_unit = serializers.ChoiceField(choices=OutputUnit.choices, label=_("单位"))
    processed_on = DateField(label=_("加工日期"))

    class Meta:
        model = Processing
        fields = ["id", "org", "org_name", "input_crop", "input_kg", "product", "output_quantity", "product_unit"]
        fields += ["processed_on", "note", "recorded_at"]
        read_only_fields = ["recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> Processing:
        return services.record_processing(actor=self.actor, **validated_data)


class ProcessingFilter(YearFilter):
    date_field = "processed_on"

    class Meta:
        model = Processing
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("加工列表")),
    retrieve=extend_schema(summary=_("加工详情")),
    create=extend_schema(summary=_("登记加工")),
)
class ProcessingViewSet(mixins.CreateModelMixin, RecordViewSet):
    """加工:以作物为原料加工成产品(如高粱酿酒)的投入与产出。"""

    serializer_class = ProcessingSerializer
    filterset_class = ProcessingFilter

    def get_queryset(self) -> QuerySet[Processing]:
        return selectors.processings(api_user(self.request))


class SaleSerializer(_Recorded):
    org = _org_field()
    quantity = _kg(_("数量"))
    product_unit = serializers.ChoiceField(choices=OutputUnit.choices, label=_("单位"))
    unit_price = _yuan(_("单价(元)"))
    buyer = _enterprise_field(_("买方企业"), required=False, allow_null=True)
    sold_on = DateField(label=_("销售日期"))

    class Meta:
        model = Sale
        fields = ["id", "org", "org_name", "product", "quantity", "product_unit", "unit_price", "amount", "buyer_name"]
        fields += ["buyer", "sold_on", "voucher", "recorded_at"]
        read_only_fields = ["amount", "voucher", "recorded_at"]

    def create(self, validated_data: dict[str, Any]) -> Sale:
        return services.record_sale(actor=self.actor, **validated_data)


class SaleFilter(YearFilter):
    date_field = "sold_on"

    class Meta:
        model = Sale
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("产品销售列表")),
    retrieve=extend_schema(summary=_("产品销售详情")),
    create=extend_schema(
        summary=_("登记产品销售"), description=_("金额 = 数量 × 单价;借 102 银行存款、贷 501 经营收入。")
    ),
)
class SaleViewSet(mixins.CreateModelMixin, RecordViewSet):
    """产品销售:经营主体销售产品(如高粱酒)的数量、单价、金额、买方及记账凭证。"""

    serializer_class = SaleSerializer
    filterset_class = SaleFilter

    def get_queryset(self) -> QuerySet[Sale]:
        return selectors.sales(api_user(self.request))


# ---- income -------------------------------------------------------------------------------------


class IncomeSourceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("contract", _("合同交货")), ("sale", _("产品销售"))], label=_("来源类别"))
    label = serializers.CharField(label=_("来源"))  # type: ignore[assignment]
    amount = _yuan(_("金额(元)"))
    voucher_ids = serializers.ListField(child=serializers.IntegerField(), label=_("凭证 id"))


class OrgIncomeSerializer(serializers.Serializer):
    org = serializers.IntegerField(label=_("经营主体 id"))
    org_name = serializers.CharField(label=_("经营主体名称"))
    sources = IncomeSourceSerializer(many=True, label=_("各来源收入"))


class IncomeQuery(serializers.Serializer):
    village = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, label=_("村 id"), help_text=_("默认为您可见的第一个村")
    )
    year = serializers.IntegerField(
        min_value=1900, max_value=2200, required=False, label=_("年度"), help_text=_("默认今年")
    )


class IncomeViewSet(viewsets.ViewSet):
    """生产经营收入:某村各集体经济组织某年度按来源(合同交货、产品销售)的经营收入。"""

    @extend_schema(
        summary=_("生产经营收入(按来源)"),
        parameters=[IncomeQuery],
        responses={200: OrgIncomeSerializer(many=True), 400: OpenApiResponse(description=_("村或年度有误。"))},
    )
    def list(self, request: Request) -> Response:
        query = IncomeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = api_user(request)
        villages = selectors.villages_for_view(user)
        if "village" in query.validated_data:
            villages = villages.filter(pk=query.validated_data["village"])
        village = villages.first()
        if village is None:
            return Response([])
        year = query.validated_data.get("year", timezone.localdate().year)
        rows = selectors.income_by_source(user, village=village, year=year)
        data = [{"org": org.pk, "org_name": org.name, "sources": sources} for org, sources in rows]
        return Response(OrgIncomeSerializer(data, many=True).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("production-plantings", PlantingViewSet, "production-planting"),
    ("production-harvests", HarvestViewSet, "production-harvest"),
    ("production-work", WorkRecordViewSet, "production-work"),
    ("production-wage-payments", WagePaymentViewSet, "production-wage-payment"),
    ("production-wages-due", WagesDueViewSet, "production-wages-due"),
    ("production-contracts", ContractViewSet, "production-contract"),
    ("production-deliveries", DeliveryViewSet, "production-delivery"),
    ("production-receipts", ReceiptViewSet, "production-receipt"),
    ("production-processing", ProcessingViewSet, "production-processing"),
    ("production-sales", SaleViewSet, "production-sale"),
    ("production-income", IncomeViewSet, "production-income"),
]
