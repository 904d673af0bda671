"""REST API of the distribution plans; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (ECONOMY_VIEW scope; out of scope is a 404); writes go through
`services` (ECONOMY_WRITE: 403; a broken rule: 400 with Chinese messages). Plans and their items
are edited while the plan is a draft; approving is an action; dividends are read only (approval
computes them); a payout is recorded once per dividend and never edited. Amounts are yuan with two
decimals, as strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.collective.interface import Decision, EconomicOrg
from hongniudai.common import parsing
from hongniudai.common.api import (
    ChoiceLabelField,
    DateField,
    IdFilter,
    RecordViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceModelViewSet,
    ServiceSerializer,
    WriteGateMixin,
    crud_schema,
)

from . import policy, selectors, services
from .models import DistributionPlan, Dividend, ItemKind, Payout, PlanItem, PlanStatus


class _WriteGate(WriteGateMixin):
    """Writes need ECONOMY_WRITE somewhere: a user without it gets 403 before any lookup."""

    may_write = policy.writes_economy
    write_refusal = _("您没有维护集体经济信息的权限。")


def _money(label: Any, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, label=label, **kwargs)


# ---- plans ------------------------------------------------------------------------------------


class PlanSerializer(ServiceSerializer):
    org = ScopedPrimaryKeyRelatedField(
        model=EconomicOrg,
        selector=lambda user: selectors.orgs_for_choice(user),
        label=_("集体经济组织"),
        help_text=_("新建时必填;建立后不能更换。"),
    )
    org_name = serializers.CharField(source="org.name", read_only=True, label=_("组织名称"))
    surplus = _money(_("可分配收益(元)"))
    decision = ScopedPrimaryKeyRelatedField(
        model=Decision,
        selector=lambda user: selectors.decisions_for_choice(user),
        allow_null=True,
        required=False,
        label=_("决策依据"),
        help_text=_("“收益分配”类四议两公开事项 id;批准前须有村民(代表)会议决议。"),
    )
    record_date = DateField(label=_("股权登记日"))
    # Plain text, not an enum: "status" names other packages' choice sets in the schema already.
    status = serializers.CharField(
        read_only=True, label=_("状态"), help_text=_("draft 草拟、approved 已批准、paying 发放中、done 已完成")
    )
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))

    class Meta:
        model = DistributionPlan
        read_only_fields = ["status", "voucher", "approved_on", "created_at"]
        fields = ["id", "org", "org_name", *DistributionPlan.EDITABLE, "status_label", *read_only_fields]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> DistributionPlan:
        return services.create_plan(actor=self.actor, **validated_data)

    def update(self, instance: DistributionPlan, validated_data: dict[str, Any]) -> DistributionPlan:
        org = validated_data.pop("org", None)
        if org is not None and org.pk != instance.org_id:
            raise serializers.ValidationError({"org": [str(_("分配方案建立后不能更换组织。"))]})
        values = self.current(instance, validated_data, DistributionPlan.EDITABLE)
        return services.update_plan(actor=self.actor, plan=instance, **values)


class ItemFigureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.id", label=_("分配项目 id"))
    kind = serializers.CharField(source="item.kind", label=_("分配项目"))
    kind_label = serializers.CharField(source="item.get_kind_display", label=_("分配项目名称"))
    percentage = serializers.DecimalField(
        source="item.percentage", max_digits=5, decimal_places=2, allow_null=True, label=_("比例(%)")
    )
    amount = _money(_("金额(元)"), help_text=_("按比例的项目已折算为金额(到分)。"))


class PlanDetailSerializer(PlanSerializer):
    book_surplus = serializers.SerializerMethodField(label=_("账面可分配数(元)"))
    items = serializers.SerializerMethodField(label=_("分配项目"))
    item_total = serializers.SerializerMethodField(label=_("分配项目合计(元)"))
    returns_required = serializers.SerializerMethodField(label=_("须按交易量返还不低于60%"))
    returns_ok = serializers.SerializerMethodField(label=_("按交易量返还符合法定比例"))

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "book_surplus", "items", "item_total", "returns_required", "returns_ok"]

    def _check(self, obj: DistributionPlan) -> selectors.PlanCheck:
        cached = getattr(obj, "_check", None)
        if cached is None:
            cached = obj._check = selectors.plan_check(obj)  # type: ignore[attr-defined]
        return cached

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True))
    def get_book_surplus(self, obj: DistributionPlan) -> str | None:
        value = selectors.book_surplus(obj)
        return None if value is None else str(value)

    @extend_schema_field(ItemFigureSerializer(many=True))
    def get_items(self, obj: DistributionPlan) -> Any:
        return ItemFigureSerializer(self._check(obj).rows, many=True).data

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_item_total(self, obj: DistributionPlan) -> str:
        return str(self._check(obj).total)

    def get_returns_required(self, obj: DistributionPlan) -> bool:
        return self._check(obj).returns_required

    def get_returns_ok(self, obj: DistributionPlan) -> bool:
        return self._check(obj).returns_ok


class ApproveSerializer(serializers.Serializer):
    approved_on = DateField(required=False, allow_null=True, label=_("批准(记账)日期"), help_text=_("默认今天"))


class YearFilter(filters.NumberFilter):
    """A year: a whole number from 2000 to 2100 (anything else is a 400 naming the parameter)."""

    field_class = parsing.IntegerField

    def get_max_validator(self) -> None:
        return None  # the field carries its own bounds


class PlanFilter(filters.FilterSet):
    org = IdFilter(field_name="org_id", label=_("集体经济组织 id"))
    year = YearFilter(field_name="year", label=_("分配年度"), min_value=services.MIN_YEAR, max_value=services.MAX_YEAR)
    status = filters.ChoiceFilter(choices=PlanStatus.choices, label=_("状态"))

    class Meta:
        model = DistributionPlan
        fields: list[str] = []


@extend_schema_view(**crud_schema(pgettext_lazy("record", "收益分配方案")))
class PlanViewSet(_WriteGate, ServiceModelViewSet):
    """收益分配方案:一个集体经济组织一个年度的可分配收益及其分配项目。"""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    delete_service = services.delete_plan
    delete_argument = "plan"

    def get_queryset(self) -> QuerySet[DistributionPlan]:
        return selectors.plans(api_user(self.request))

    def get_serializer_class(self) -> Any:
        return PlanDetailSerializer if self.action in ("retrieve", "approve") else PlanSerializer

    @extend_schema(
        summary=_("批准收益分配方案"),
        description=_(
            "检查分配项目(不超过可分配收益;农民专业合作社按交易量返还不低于60%),按股权登记日持股数计算各户红利,生成分配凭证。"
        ),
        request=ApproveSerializer,
        responses={
            200: PlanDetailSerializer,
            400: OpenApiResponse(description=_("方案不符合批准条件。")),
            404: OpenApiResponse(description=_("方案不存在或不在您的范围之内。")),
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        plan = self.get_object()
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.approve_plan(actor=api_user(request), plan=plan, approved_on=data.validated_data.get("approved_on"))
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(PlanDetailSerializer(fresh, context=self.get_serializer_context()).data)


# ---- items ------------------------------------------------------------------------------------


class ItemSerializer(ServiceSerializer):
    plan = ScopedPrimaryKeyRelatedField(
        model=DistributionPlan,
        selector=lambda user: selectors.plans(user),
        label=_("分配方案"),
        help_text=_("新建时必填;建立后不能更换。"),
    )
    kind = serializers.ChoiceField(choices=ItemKind.choices, label=_("分配项目"))
    kind_label = ChoiceLabelField(source="kind", label=_("分配项目名称"))
    amount = _money(_("金额(元)"), required=False, allow_null=True, help_text=_("金额和比例只填一项。"))
    percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, label=_("比例(%)")
    )

    class Meta:
        model = PlanItem
        fields = ["id", "plan", *PlanItem.EDITABLE, "kind_label"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> PlanItem:
        return services.add_item(actor=self.actor, **validated_data)

    def update(self, instance: PlanItem, validated_data: dict[str, Any]) -> PlanItem:
        plan = validated_data.pop("plan", None)
        if plan is not None and plan.pk != instance.plan_id:
            raise serializers.ValidationError({"plan": [str(_("分配项目不能移到别的方案。"))]})
        values = self.current(instance, validated_data, PlanItem.EDITABLE)
        return services.update_item(actor=self.actor, item=instance, **values)


class PlanChildFilter(filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label=_("分配方案 id"))

    class Meta:
        model = PlanItem
        fields: list[str] = []


@extend_schema_view(**crud_schema(pgettext_lazy("record", "分配项目")))
class ItemViewSet(_WriteGate, ServiceModelViewSet):
    """分配项目:提取公积公益金、向成员分配、按交易量返还、公益事业、其他;金额或比例。"""

    serializer_class = ItemSerializer
    filterset_class = PlanChildFilter
    delete_service = services.delete_item
    delete_argument = "item"

    def get_queryset(self) -> QuerySet[PlanItem]:
        return selectors.items(api_user(self.request)).order_by("plan_id", "id")


# ---- dividends and payouts --------------------------------------------------------------------


class DividendSerializer(ServiceSerializer):
    household_name = serializers.SerializerMethodField(label=_("持股户"))
    shares = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, label=_("登记日持股数"))
    amount = _money(_("应分金额(元)"), read_only=True)
    payout = serializers.SerializerMethodField(label=_("发放记录 id"))

    class Meta:
        model = Dividend
        fields = ["id", "plan", "household", "household_name", "shares", "amount", "payout"]
        read_only_fields = fields

    def get_household_name(self, obj: Dividend) -> str:
        if obj.household is None:
            return str(_("集体股"))
        head = obj.household.head
        return head.name if head is not None else obj.household.address

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_payout(self, obj: Dividend) -> int | None:
        payout = getattr(obj, "payout", None)
        return payout.pk if payout is not None else None


class DividendFilter(PlanChildFilter):
    class Meta:
        model = Dividend
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("成员分红列表")),
    retrieve=extend_schema(summary=_("成员分红详情")),
)
class DividendViewSet(viewsets.ReadOnlyModelViewSet):
    """成员分红:方案批准时按股权登记日持股数计算,精确到分。"""

    serializer_class = DividendSerializer
    filterset_class = DividendFilter

    def get_queryset(self) -> QuerySet[Dividend]:
        return selectors.dividends(api_user(self.request))


class PayoutSerializer(ServiceSerializer):
    dividend = ScopedPrimaryKeyRelatedField(
        model=Dividend, selector=lambda user: selectors.dividends(user), label=_("成员分红")
    )
    paid_on = DateField(required=False, label=_("发放日期"), help_text=_("默认今天"))
    amount = _money(_("发放金额(元)"), required=False, help_text=_("默认应分金额;须一次足额发放。"))

    class Meta:
        model = Payout
        read_only_fields = ["voucher", "recorded_at"]
        fields = ["id", "dividend", "paid_on", "amount", *read_only_fields]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Payout:
        amount: Decimal | None = validated_data.get("amount")
        return services.record_payout(
            actor=self.actor, dividend=validated_data["dividend"], paid_on=validated_data.get("paid_on"), amount=amount
        )


class PayoutFilter(filters.FilterSet):
    plan = IdFilter(field_name="dividend__plan_id", label=_("分配方案 id"))

    class Meta:
        model = Payout
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("分红发放列表")),
    retrieve=extend_schema(summary=_("分红发放详情")),
    create=extend_schema(summary=_("登记分红发放"), responses={201: PayoutSerializer}),
)
class PayoutViewSet(_WriteGate, RecordViewSet):
    """分红发放:每户一次足额发放,借 内部往来(该户)、贷 银行存款;登记后不能修改。"""

    serializer_class = PayoutSerializer
    filterset_class = PayoutFilter

    def get_queryset(self) -> QuerySet[Payout]:
        return selectors.payouts(api_user(self.request))


ROUTES: list[tuple[str, Any, str]] = [
    ("distribution-plans", PlanViewSet, "distribution-plan"),
    ("distribution-items", ItemViewSet, "distribution-item"),
    ("distribution-dividends", DividendViewSet, "distribution-dividend"),
    ("distribution-payouts", PayoutViewSet, "distribution-payout"),
]
