"""REST API of what production sells: purchase contracts and their deliveries and payments,
processing, sales and the income by source (registered through `api.ROUTES`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common.api import DateField, IdFilter, ScopedPrimaryKeyRelatedField

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
from .models import (
    Delivery,
    OutputUnit,
    PriceUnit,
    Processing,
    PurchaseContract,
    Receipt,
    Sale,
    ScheduleLine,
    SettledBy,
)

# ---- contracts and deliveries -------------------------------------------------------------------


class ScheduleLineSerializer(serializers.ModelSerializer):
    due_on = DateField(label=_("交货日期"))
    quantity_kg = kg_field(_("交货数量(公斤)"))

    class Meta:
        model = ScheduleLine
        fields = ["due_on", "quantity_kg"]


class PurchaseContractSerializer(RecordedSerializer):
    org = org_field(_("卖方"))
    buyer = enterprise_field(_("收购企业"))
    buyer_name = serializers.CharField(source="buyer.name", read_only=True, label=_("收购企业名称"))
    quantity_kg = kg_field(_("合同数量(公斤)"))
    price = yuan_field(_("单价(元)"))
    price_unit = serializers.ChoiceField(choices=PriceUnit.choices, label=_("计价单位"))
    signed_on = DateField(label=_("签订日期"))
    schedule = ScheduleLineSerializer(many=True, required=False, label=_("交货计划"))
    delivered_kg = kg_field(_("已交(公斤)"), read_only=True)
    owed_kg = kg_field(_("未交(公斤)"), read_only=True)
    delivered_amount = yuan_field(_("交货金额(元)"), read_only=True)

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
class ContractViewSet(Records):
    """收购合同:经营主体向企业订单销售作物的数量、单价(元/斤、元/公斤或元/吨)与交货计划,及已交、未交。"""

    serializer_class = PurchaseContractSerializer
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
    quantity_kg = kg_field(_("交货数量(公斤)"), help_text=_("不能超过合同尚未交付的数量。"))
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
class DeliveryViewSet(Records):
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
    amount = yuan_field(_("金额(元)"), help_text=_("不能超过该笔交货尚未收回的金额。"))

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
class ReceiptViewSet(Records):
    """货款收回:收购企业为记作应收款的交货付来的货款。"""

    serializer_class = ReceiptSerializer
    filterset_class = ReceiptFilter

    def get_queryset(self) -> QuerySet[Receipt]:
        return selectors.receipts(api_user(self.request))


# ---- processing and sales -----------------------------------------------------------------------


class ProcessingSerializer(RecordedSerializer):
    org = org_field()
    input_kg = kg_field(_("原料用量(公斤)"))
    output_quantity = kg_field(_("产量"))
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
class ProcessingViewSet(Records):
    """加工:以作物为原料加工成产品(如高粱酿酒)的投入与产出。"""

    serializer_class = ProcessingSerializer
    filterset_class = ProcessingFilter

    def get_queryset(self) -> QuerySet[Processing]:
        return selectors.processings(api_user(self.request))


class SaleSerializer(RecordedSerializer):
    org = org_field()
    quantity = kg_field(_("数量"))
    product_unit = serializers.ChoiceField(choices=OutputUnit.choices, label=_("单位"))
    unit_price = yuan_field(_("单价(元)"))
    buyer = enterprise_field(_("买方企业"), required=False, allow_null=True)
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
class SaleViewSet(Records):
    """产品销售:经营主体销售产品(如高粱酒)的数量、单价、金额、买方及记账凭证。"""

    serializer_class = SaleSerializer
    filterset_class = SaleFilter

    def get_queryset(self) -> QuerySet[Sale]:
        return selectors.sales(api_user(self.request))


# ---- income -------------------------------------------------------------------------------------


class IncomeSourceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("contract", _("合同交货")), ("sale", _("产品销售"))], label=_("来源类别"))
    label = serializers.CharField(label=_("来源"))  # type: ignore[assignment]
    amount = yuan_field(_("金额(元)"))
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
    ("production-contracts", ContractViewSet, "production-contract"),
    ("production-deliveries", DeliveryViewSet, "production-delivery"),
    ("production-receipts", ReceiptViewSet, "production-receipt"),
    ("production-processing", ProcessingViewSet, "production-processing"),
    ("production-sales", SaleViewSet, "production-sale"),
    ("production-income", IncomeViewSet, "production-income"),
]
