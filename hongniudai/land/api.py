"""REST API of land transfer: parcels, contracts (with their parcels and the enterprise's rent),
instalments (and paying them) and the payments; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (the caller's ECONOMY_VIEW scope; out of scope is a 404), writes go
through `services` and `rent` (capability: 403; validation: 400 with Chinese messages by field)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.collective.interface import Decision, EconomicOrg
from hongniudai.common.api import (
    REGISTER,
    ChoiceLabelField,
    DateField,
    EditableRecordViewSet,
    IdFilter,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    WriteGateMixin,
    crud_schema,
)
from hongniudai.enterprises.interface import Enterprise, counterparties
from hongniudai.places.models import AreaNode, Household

from . import policy, rent, selectors, services
from .models import (
    ContractParcel,
    ContractStatus,
    InstalmentStatus,
    LandKind,
    Parcel,
    RentInstalment,
    RentPayment,
    TransferContract,
    TransferKind,
)


class _WriteGate(WriteGateMixin):
    """Writes need ECONOMY_WRITE somewhere: a user without it gets 403 before any lookup."""

    may_write = policy.writes_anywhere
    write_refusal = _("您没有登记集体经济信息的权限。")


class _Records(_WriteGate, EditableRecordViewSet):
    """Listed and read in scope, registered and corrected through the services."""


NOT_FOUND = OpenApiResponse(description=_("记录不存在或不在您的范围之内。"))


# ---- parcels ------------------------------------------------------------------------------


class ParcelSerializer(ServiceSerializer):
    household = ScopedPrimaryKeyRelatedField(
        model=Household, selector=lambda user: selectors.households_for_choice(user), label=_("承包户")
    )
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村"))
    kind_label = ChoiceLabelField(source="kind", label=_("土地类型名称"))
    registered_area = serializers.DecimalField(label=_("确权面积(亩)"), max_digits=12, decimal_places=2)
    measured_area = serializers.DecimalField(
        label=_("实测面积(亩)"), required=False, allow_null=True, max_digits=12, decimal_places=2
    )
    transferred = serializers.DecimalField(
        read_only=True, allow_null=True, label=_("已流转(亩)"), max_digits=12, decimal_places=2
    )

    class Meta:
        model = Parcel
        fields = ["id", "village", "village_name", *Parcel.EDITABLE, "kind_label", "transferred", "created_at"]
        read_only_fields = ["village", "created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Parcel:
        return services.create_parcel(actor=self.actor, **validated_data)

    def update(self, instance: Parcel, validated_data: dict[str, Any]) -> Parcel:
        return services.update_parcel(actor=self.actor, parcel=instance, **validated_data)


class ParcelFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("地块名称、承包户或证号"))
    kind = filters.ChoiceFilter(choices=LandKind.choices, label=_("土地类型"))
    village = IdFilter(field_name="village_id", label=_("村 id"))
    household = IdFilter(field_name="household_id", label=_("承包户 id"))

    class Meta:
        model = Parcel
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Parcel], name: str, value: str) -> QuerySet[Parcel]:
        return selectors.parcels(api_user(self.request), q=value).filter(pk__in=queryset.values("pk"))


@extend_schema_view(**crud_schema(pgettext_lazy("record", "承包地块"), verb=REGISTER, omit=("destroy",)))
class ParcelViewSet(_Records):
    """承包地块:农户承包的地块,确权与实测面积、类型、等级、位置。"""

    serializer_class = ParcelSerializer
    filterset_class = ParcelFilter

    def get_queryset(self) -> QuerySet[Parcel]:
        return selectors.parcels(api_user(self.request))


# ---- contracts ----------------------------------------------------------------------------


class ContractParcelSerializer(serializers.ModelSerializer):
    parcel = ScopedPrimaryKeyRelatedField(
        model=Parcel, selector=lambda user: selectors.parcels_for_choice(user), label=_("地块")
    )
    parcel_name = serializers.CharField(source="parcel.name", read_only=True, label=_("地块名称"))
    household = serializers.IntegerField(source="parcel.household_id", read_only=True, label=_("承包户 id"))
    area = serializers.DecimalField(label=_("流转面积(亩)"), max_digits=12, decimal_places=2)

    class Meta:
        model = ContractParcel
        fields = ["id", "parcel", "parcel_name", "household", "area"]


class ContractSerializer(ServiceSerializer):
    village = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: selectors.writable_villages(user), label=_("村")
    )
    org = ScopedPrimaryKeyRelatedField(
        model=EconomicOrg,
        selector=lambda user: selectors.orgs_for_choice(user),
        label=_("流入方或代付的集体经济组织"),
        help_text=_("租金记在其账上;流入方为企业时填本村集体经济组织。"),
    )
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        selector=counterparties,
        required=False,
        allow_null=True,
        label=_("流入企业"),
    )
    decision = ScopedPrimaryKeyRelatedField(
        model=Decision,
        selector=lambda user: selectors.decisions_for_choice(user),
        required=False,
        allow_null=True,
        label=_("四议两公开决策"),
    )
    rent_per_mu = serializers.DecimalField(label=_("每亩年租金(元)"), max_digits=14, decimal_places=2)
    due_month = serializers.IntegerField(min_value=1, max_value=12, required=False, label=_("支付月份"))
    due_day = serializers.IntegerField(min_value=1, max_value=31, required=False, label=_("支付日"))
    kind_label = ChoiceLabelField(source="kind", label=_("流转方式名称"))
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    transferee_name = serializers.CharField(read_only=True, label=_("流入方名称"))
    total_area = serializers.DecimalField(
        read_only=True, allow_null=True, label=_("流转面积(亩)"), max_digits=12, decimal_places=2
    )
    household_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("涉及农户数"))
    decision_missing = serializers.SerializerMethodField(label=_("未关联决策"))

    class Meta:
        model = TransferContract
        fields = ["id", "village", *TransferContract.EDITABLE, "kind_label", "status", "status_label"]
        fields += ["transferee_name", "total_area", "household_count", "decision_missing", "created_at"]
        read_only_fields = ["status", "created_at"]
        validators: list[Any] = []

    def get_decision_missing(self, obj: TransferContract) -> bool:
        return obj.decision_id is None

    def create(self, validated_data: dict[str, Any]) -> TransferContract:
        return services.create_contract(actor=self.actor, **validated_data)

    def update(self, instance: TransferContract, validated_data: dict[str, Any]) -> TransferContract:
        village = validated_data.pop("village", None)
        if village is not None and village.pk != instance.village_id:
            raise serializers.ValidationError({"village": [str(_("合同登记后不能更换村。"))]})
        return services.update_contract(actor=self.actor, contract=instance, **validated_data)


class ReceiveSerializer(serializers.Serializer):
    received_on = DateField(label=_("收款日期"))
    amount = serializers.DecimalField(label=_("金额(元)"), max_digits=14, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("备注"))


class PaymentSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(source="kind", label=_("类别名称"))
    amount = serializers.DecimalField(read_only=True, label=_("金额(元)"), max_digits=14, decimal_places=2)

    class Meta:
        model = RentPayment
        fields = ["id", "contract", "kind", "kind_label", "household", "instalment", "paid_on", "amount", "kept"]
        fields += ["voucher", "note", "recorded_at"]
        read_only_fields = fields


class ContractFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("合同编号或流入方"))
    kind = filters.ChoiceFilter(choices=TransferKind.choices, label=_("流转方式"))
    status = filters.ChoiceFilter(choices=ContractStatus.choices, label=_("状态"))
    village = IdFilter(field_name="village_id", label=_("村 id"))

    class Meta:
        model = TransferContract
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[TransferContract], name: str, value: str) -> QuerySet[TransferContract]:
        return selectors.contracts(api_user(self.request), q=value).filter(pk__in=queryset.values("pk"))


@extend_schema_view(**crud_schema(pgettext_lazy("record", "土地流转合同"), verb=REGISTER, omit=("destroy",)))
class ContractViewSet(_Records):
    """土地流转合同:出租、转包、互换、转让、入股;流入方为合作社或企业(由村集体代收代付)。"""

    serializer_class = ContractSerializer
    filterset_class = ContractFilter

    def get_queryset(self) -> QuerySet[TransferContract]:
        return selectors.contracts(api_user(self.request))

    @extend_schema(
        summary=_("流转合同的地块(列表或添加)"),
        request=ContractParcelSerializer,
        responses={
            200: ContractParcelSerializer(many=True),
            400: OpenApiResponse(description=_("面积有误。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def parcels(self, request: Request, pk: Any = None) -> Response:
        contract = self.get_object()
        if request.method == "POST":
            data = ContractParcelSerializer(data=request.data, context=self.get_serializer_context())
            data.is_valid(raise_exception=True)
            services.add_parcel(
                actor=api_user(request),
                contract=contract,
                parcel=data.validated_data["parcel"],
                area=data.validated_data["area"],
            )
        rows = selectors.contract_parcels(contract)
        return Response(ContractParcelSerializer(rows, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("登记企业支付的租金(按面积分到各户)"),
        request=ReceiveSerializer,
        responses={200: PaymentSerializer, 400: OpenApiResponse(description=_("金额或日期有误。")), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def receive(self, request: Request, pk: Any = None) -> Response:
        contract = self.get_object()
        data = ReceiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = rent.receive_rent(
            actor=api_user(request),
            contract=contract,
            received_on=data.validated_data["received_on"],
            amount=data.validated_data["amount"],
            note=data.validated_data.get("note", ""),
        )
        return Response(PaymentSerializer(payment).data)


# ---- instalments and payments -------------------------------------------------------------


class InstalmentSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    amount = serializers.DecimalField(read_only=True, label=_("应付金额(元)"), max_digits=14, decimal_places=2)
    area = serializers.DecimalField(read_only=True, label=_("面积(亩)"), max_digits=12, decimal_places=2)

    class Meta:
        model = RentInstalment
        fields = ["id", "contract", "household", "period_start", "period_end", "due_on", "area", "amount"]
        fields += ["status", "status_label", "voucher"]
        read_only_fields = fields


class PaySerializer(serializers.Serializer):
    paid_on = DateField(label=_("支付日期"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("备注"))


class InstalmentFilter(filters.FilterSet):
    contract = IdFilter(field_name="contract_id", label=_("合同 id"))
    household = IdFilter(field_name="household_id", label=_("农户 id"))
    status = filters.ChoiceFilter(choices=InstalmentStatus.choices, label=_("状态"))

    class Meta:
        model = RentInstalment
        fields: list[str] = []


@extend_schema_view(list=extend_schema(summary=_("应付租金列表")), retrieve=extend_schema(summary=_("应付租金详情")))
class InstalmentViewSet(_WriteGate, viewsets.ReadOnlyModelViewSet):
    """应付租金:按合同、农户和租期生成的租金计划。"""

    serializer_class = InstalmentSerializer
    filterset_class = InstalmentFilter

    def get_queryset(self) -> QuerySet[RentInstalment]:
        return selectors.instalments(api_user(self.request))

    @extend_schema(
        summary=_("支付农户租金"),
        request=PaySerializer,
        responses={200: PaymentSerializer, 400: OpenApiResponse(description=_("已支付或日期有误。")), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def pay(self, request: Request, pk: Any = None) -> Response:
        instalment = self.get_object()
        data = PaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = rent.pay_instalment(
            actor=api_user(request),
            instalment=instalment,
            paid_on=data.validated_data["paid_on"],
            note=data.validated_data.get("note", ""),
        )
        return Response(PaymentSerializer(payment).data)


class PaymentFilter(filters.FilterSet):
    contract = IdFilter(field_name="contract_id", label=_("合同 id"))
    household = IdFilter(field_name="household_id", label=_("农户 id"))

    class Meta:
        model = RentPayment
        fields: list[str] = []


@extend_schema_view(list=extend_schema(summary=_("租金收付列表")), retrieve=extend_schema(summary=_("租金收付详情")))
class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """租金收付:企业付给集体的租金(按面积分到各户),集体或合作社付给农户的租金,各有记账凭证。"""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter

    def get_queryset(self) -> QuerySet[RentPayment]:
        return selectors.payments(api_user(self.request))


ROUTES: list[tuple[str, Any, str]] = [
    ("land/parcels", ParcelViewSet, "land-parcel"),
    ("land/contracts", ContractViewSet, "land-contract"),
    ("land/instalments", InstalmentViewSet, "land-instalment"),
    ("land/payments", PaymentViewSet, "land-payment"),
]
