"""REST API of 利益联结 (read-only): what a household received in a year, by source, and a
village's year, per household. Households and villages outside the caller's ECONOMY_VIEW scope are
404; a bad `year` is a 400. Amounts are yuan with two decimals, as strings. `ROUTES` is registered
by `hongniudai.api.urls`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.places.models import AreaKind, AreaNode, Household

from . import selectors
from .selectors import FIRST_YEAR, HouseholdYear, Totals, VillageYear

BAD_REQUEST = OpenApiResponse(description=_("输入有误:按参数给出中文说明。"))
NOT_FOUND = OpenApiResponse(description=_("记录不存在或不在您的范围之内。"))
YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    description=str(_("年度,默认今年;%(first)s 年至明年") % {"first": FIRST_YEAR}),
)


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "").strip()
    if not raw:
        return timezone.localdate().year
    year = selectors.valid_year(raw)
    if year is None:
        raise serializers.ValidationError(
            {"year": [str(_("年度应为 %(first)s 年至明年之间的整数。") % {"first": FIRST_YEAR})]}
        )
    return year


def _amount(label: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, label=label)


class TotalsSerializer(serializers.Serializer):
    rent = _amount(_("土地租金"))
    wages = _amount(_("务工工资"))
    dividends = _amount(_("股份分红"))
    returnee_wages = _amount(_("返乡企业工资"))
    total = _amount(_("合计"))


class RowSerializer(serializers.Serializer):
    kind = serializers.CharField(label=_("来源:rent / wages / dividends / returnee_wages"))
    kind_label = serializers.CharField(label=_("来源名称"))
    date = serializers.DateField(allow_null=True, label=_("日期(返乡企业工资按年登记,为空)"))
    amount = _amount(_("金额"))
    event = serializers.CharField(label=_("事项"))
    event_url = serializers.CharField(label=_("事项页面"))
    voucher = serializers.IntegerField(allow_null=True, label=_("凭证 id"))
    voucher_number = serializers.CharField(label=_("凭证号"))


class HouseholdYearSerializer(serializers.Serializer):
    household = serializers.IntegerField(label=_("户 id"))
    head_name = serializers.CharField(label=_("户主"))
    village = serializers.IntegerField(label=_("村 id"))
    village_name = serializers.CharField(label=_("村名称"))
    year = serializers.IntegerField(label=_("年度"))
    is_formerly_poor = serializers.BooleanField(label=_("脱贫户"))
    is_monitored = serializers.BooleanField(label=_("监测户"))
    rows = RowSerializer(many=True, label=_("收益明细"))
    totals = TotalsSerializer(label=_("合计"))


class VillageHouseholdSerializer(serializers.Serializer):
    household = serializers.IntegerField(label=_("户 id"))
    head_name = serializers.CharField(label=_("户主"))
    hamlet_name = serializers.CharField(label=_("湾组"))
    is_formerly_poor = serializers.BooleanField(label=_("脱贫户"))
    is_monitored = serializers.BooleanField(label=_("监测户"))
    totals = TotalsSerializer(label=_("合计"))


class IncomeSerializer(serializers.Serializer):
    org = serializers.IntegerField(label=_("经济组织 id"))
    org_name = serializers.CharField(label=_("经济组织"))
    kind = serializers.CharField(label=_("来源种类:contract 订单,sale 销售"))
    name = serializers.CharField(label=_("来源"))
    amount = _amount(_("金额"))


class VillageYearSerializer(serializers.Serializer):
    village = serializers.IntegerField(label=_("村 id"))
    village_name = serializers.CharField(label=_("村名称"))
    year = serializers.IntegerField(label=_("年度"))
    households = VillageHouseholdSerializer(many=True, label=_("各户"))
    totals = TotalsSerializer(label=_("合计"))
    formerly_poor = _amount(_("流向脱贫户"))
    monitored = _amount(_("流向监测户"))
    income = IncomeSerializer(many=True, label=_("集体经营收入"))


def _head(household: Household) -> str:
    return household.head.name if household.head_id and household.head else ""


def _totals(totals: Totals) -> dict[str, Any]:
    return totals.as_dict()


def household_data(report: HouseholdYear) -> dict[str, Any]:
    h = report.household
    return {
        "household": h.pk,
        "head_name": _head(h),
        "village": report.village.pk,
        "village_name": report.village.name,
        "year": report.year,
        "is_formerly_poor": h.is_formerly_poor,
        "is_monitored": h.is_monitored,
        "rows": [
            {
                "kind": r.source,
                "kind_label": r.source_label,
                "date": r.date,
                "amount": r.amount,
                "event": r.event_label,
                "event_url": r.event_url,
                "voucher": r.voucher_id,
                "voucher_number": r.voucher_number,
            }
            for r in report.rows
        ],
        "totals": _totals(report.totals),
    }


def village_data(report: VillageYear) -> dict[str, Any]:
    return {
        "village": report.village.pk,
        "village_name": report.village.name,
        "year": report.year,
        "households": [
            {
                "household": r.household.pk,
                "head_name": _head(r.household),
                "hamlet_name": r.household.hamlet.name,
                "is_formerly_poor": r.household.is_formerly_poor,
                "is_monitored": r.household.is_monitored,
                "totals": _totals(r.totals),
            }
            for r in report.rows()
        ],
        "totals": _totals(report.totals),
        "formerly_poor": report.formerly_poor,
        "monitored": report.monitored,
        "income": [
            {"org": org.pk, "org_name": org.name, "kind": s.kind, "name": s.label, "amount": s.amount}
            for org, sources in report.income
            for s in sources
        ],
    }


class HouseholdBenefitViewSet(viewsets.GenericViewSet):
    """一户一年的利益联结:土地租金、务工工资、股份分红、返乡企业工资,逐笔列出并合计。"""

    serializer_class = HouseholdYearSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Household]:
        qs = Household.objects.select_related("hamlet", "head")
        return scope_for(api_user(self.request), Capability.ECONOMY_VIEW).filter(qs)

    @extend_schema(
        summary=_("一户的年度收益"),
        parameters=[YEAR],
        responses={200: HouseholdYearSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        household = self.get_object()
        year = _year(request)
        report = selectors.household_year(api_user(request), household, year)
        return Response(HouseholdYearSerializer(household_data(report)).data)


class VillageBenefitViewSet(viewsets.GenericViewSet):
    """一村一年的利益联结:各户收益合计、流向脱贫户和监测户的金额、集体经营收入。"""

    serializer_class = VillageYearSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[AreaNode]:
        qs = AreaNode.objects.filter(kind=AreaKind.VILLAGE)
        return scope_for(api_user(self.request), Capability.ECONOMY_VIEW).filter(qs)

    @extend_schema(
        summary=_("一村的年度利益联结"),
        parameters=[YEAR],
        responses={200: VillageYearSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        village = self.get_object()
        year = _year(request)
        report = selectors.village_year(api_user(request), village, year)
        return Response(VillageYearSerializer(village_data(report)).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("benefits/households", HouseholdBenefitViewSet, "benefit-household"),
    ("benefits/villages", VillageBenefitViewSet, "benefit-village"),
]
