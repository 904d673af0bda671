"""REST API of the collective's books; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (BOOKS_VIEW scope; out of scope is a 404): the books, their accounts
and trial balance, vouchers with their lines. Writes go through `services`: posting a voucher (under
an idempotency key, so a retried request posts once) and its red reversal. A posted voucher is
never edited or deleted: PUT, PATCH and DELETE are not offered (405). Amounts are yuan with two
decimals, as strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    ChoiceLabelField,
    DateField,
    DateFilter,
    IdFilter,
    IntegerField,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
)

from . import selectors, services
from .models import Account, Books, Voucher, VoucherLine, VoucherStatus
from .money import yuan
from .specs import LineSpec


def amount(label: Any, **kwargs: Any) -> serializers.DecimalField:
    """An amount in yuan: at most 12 digits before the point and 2 after (a Decimal(14, 2))."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, label=label, **kwargs)


class BooksSerializer(ServiceSerializer):
    kind_label = ChoiceLabelField(source="kind", label=_("组织类型名称"))
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村名称"))

    class Meta:
        model = Books
        fields = ["id", "name", "kind", "kind_label", "standard", "opened_on", "village", "village_name"]
        read_only_fields = fields


class AccountSerializer(ServiceSerializer):
    category_label = ChoiceLabelField(source="category", label=_("科目类别名称"))

    class Meta:
        model = Account
        fields = ["id", "code", "name", "category", "category_label", "normal_balance", "parent"]
        fields += ["is_postable", "standard", "is_active"]
        read_only_fields = fields


class PeriodQuery(serializers.Serializer):
    year = IntegerField(min_value=1900, max_value=2100, required=False, label=_("年度"), help_text=_("默认本年"))
    month = IntegerField(min_value=1, max_value=12, required=False, label=_("月份"), help_text=_("默认本月"))


class TrialRowSerializer(serializers.Serializer):
    account = serializers.IntegerField(label=_("科目 id"))
    code = serializers.CharField(label=_("科目编码"))
    name = serializers.CharField(label=_("科目名称"))
    opening_debit = amount(_("期初借方余额"))
    opening_credit = amount(_("期初贷方余额"))
    debit = amount(_("本期借方发生额"))
    credit = amount(_("本期贷方发生额"))
    closing_debit = amount(_("期末借方余额"))
    closing_credit = amount(_("期末贷方余额"))


@extend_schema_view(
    list=extend_schema(summary=_("账套列表")),
    retrieve=extend_schema(summary=_("账套详情")),
)
class BooksViewSet(viewsets.ReadOnlyModelViewSet):
    """账套:每个村集体经济组织一套账。"""

    serializer_class = BooksSerializer

    def get_queryset(self) -> QuerySet[Books]:
        return selectors.books_list(user=api_user(self.request)).order_by("area_path", "id")

    @extend_schema(summary=_("会计科目"), responses=AccountSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def accounts(self, request: Request, pk: Any = None) -> Response:
        books = self.get_object()
        accounts = selectors.account_list(user=api_user(request), books=books)
        return Response(AccountSerializer(accounts, many=True, context=self.get_serializer_context()).data)

    @extend_schema(summary=_("科目余额表"), parameters=[PeriodQuery], responses=TrialRowSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="trial-balance", pagination_class=None)
    def trial_balance(self, request: Request, pk: Any = None) -> Response:
        books = self.get_object()
        query = PeriodQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        year, month = query.validated_data.get("year", today.year), query.validated_data.get("month", today.month)
        rows = selectors.trial_balance(user=api_user(request), books=books, year=year, month=month)
        data = [
            {
                "account": r.account.pk,
                "code": r.account.code,
                "name": r.account.name,
                "opening_debit": yuan(r.opening_debit),
                "opening_credit": yuan(r.opening_credit),
                "debit": yuan(r.debit),
                "credit": yuan(r.credit),
                "closing_debit": yuan(r.closing_debit),
                "closing_credit": yuan(r.closing_credit),
            }
            for r in rows
        ]
        return Response(TrialRowSerializer(data, many=True).data)


class LineSerializer(serializers.ModelSerializer):
    account = ScopedPrimaryKeyRelatedField(
        model=Account, selector=lambda user: selectors.accounts_in_scope(user=user), label=_("会计科目")
    )
    account_code = serializers.CharField(source="account.code", read_only=True, label=_("科目编码"))
    account_name = serializers.CharField(source="account.name", read_only=True, label=_("科目名称"))
    debit = amount(_("借方金额(元)"), required=False, default=Decimal(0))
    credit = amount(_("贷方金额(元)"), required=False, default=Decimal(0))
    summary = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("摘要"))

    class Meta:
        model = VoucherLine
        fields = ["account", "account_code", "account_name", "summary", "debit", "credit"]

    def to_representation(self, instance: VoucherLine) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["debit"] = str(yuan(instance.debit_fen))
        data["credit"] = str(yuan(instance.credit_fen))
        return data


class VoucherSerializer(ServiceSerializer):
    books = ScopedPrimaryKeyRelatedField(
        model=Books, selector=lambda user: selectors.books_list(user=user), label=_("账套")
    )
    date = DateField(label=_("凭证日期"))
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    lines = LineSerializer(many=True, label=_("分录"))
    idempotency_key = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        label=_("幂等键"),
        help_text=_("同一账套内同一键只记账一次:重复提交返回第一次记账的凭证。"),
    )
    display = serializers.CharField(source="__str__", read_only=True, label=_("凭证字号"))

    class Meta:
        model = Voucher
        fields = ["id", "books", "date", "year", "number", "display", "status", "status_label", "summary"]
        fields += ["lines", "reverses", "idempotency_key", "posted_at", "created_at"]
        read_only_fields = ["year", "number", "status", "reverses", "posted_at", "created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Voucher:
        lines = [
            LineSpec(x["account"], debit=x.get("debit", 0), credit=x.get("credit", 0), summary=x.get("summary", ""))
            for x in validated_data["lines"]
        ]
        return services.post_entry(
            actor=self.actor,
            books=validated_data["books"],
            date=validated_data["date"],
            summary=validated_data["summary"],
            lines=lines,
            idempotency_key=validated_data.get("idempotency_key", ""),
        )


class ReverseSerializer(serializers.Serializer):
    date = DateField(required=False, allow_null=True, label=_("冲销日期"), help_text=_("默认今天"))
    summary = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("摘要"))
    idempotency_key = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class VoucherFilter(filters.FilterSet):
    books = IdFilter(field_name="books", label=_("账套 id"))
    status = filters.ChoiceFilter(choices=VoucherStatus.choices, label=_("状态"))
    date_from = DateFilter(field_name="date", lookup_expr="gte", label=_("开始日期"))
    date_to = DateFilter(field_name="date", lookup_expr="lte", label=_("结束日期"))

    class Meta:
        model = Voucher
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("凭证列表")),
    retrieve=extend_schema(summary=_("凭证详情")),
    create=extend_schema(summary=_("填制并记账凭证")),
)
class VoucherViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """记账凭证:记账后不能修改或删除,错误以红字冲销更正。"""

    serializer_class = VoucherSerializer
    filterset_class = VoucherFilter

    def get_queryset(self) -> QuerySet[Voucher]:
        lines = Prefetch("lines", queryset=VoucherLine.objects.select_related("account").order_by("id"))
        return selectors.voucher_list(user=api_user(self.request)).prefetch_related(lines)

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        voucher = serializer.save()
        fresh = self.get_queryset().get(pk=voucher.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("红字冲销凭证"),
        request=ReverseSerializer,
        responses={201: VoucherSerializer, 400: OpenApiResponse(description=_("已冲销过、草稿或期间已结账。"))},
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: Any = None) -> Response:
        voucher = self.get_object()
        data = ReverseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.reverse_voucher(actor=api_user(request), voucher=voucher, **data.validated_data)
        fresh = self.get_queryset().get(pk=reversal.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


ROUTES: list[tuple[str, Any, str]] = [
    ("ledger-books", BooksViewSet, "ledger-books"),
    ("ledger-vouchers", VoucherViewSet, "ledger-voucher"),
]
