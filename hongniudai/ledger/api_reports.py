"""REST API of the ledger's reports over a range of months (`from`, `to`: `YYYY-MM`) of one books
(in the caller's BOOKS_VIEW scope, else 404): the trial balance (科目余额表), the
balance sheet (资产负债表, at the end of `to`) and the income and distribution statement
(收益及收益分配表), at `ledger-reports/<books id>/…`. Amounts are yuan with two decimals, as strings; `ROUTES` is registered by
`hongniudai.api.urls`."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user

from . import reports, selectors
from .api import TrialRowSerializer, amount
from .models import Books
from .money import yuan
from .reports import Month, Statement, Window

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
BAD_REQUEST = OpenApiResponse(description=_("输入有误:按参数给出中文说明。"))
NOT_FOUND = OpenApiResponse(description=_("账套不存在或不在您的范围之内。"))


def _month(request: Request, name: str) -> Month | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    found = MONTH.match(raw)
    if found is None or not (1900 <= int(found.group(1)) <= 2100):
        raise serializers.ValidationError({name: [str(_("月份应写作 YYYY-MM,如 2026-03。"))]})
    return int(found.group(1)), int(found.group(2))


def _window(request: Request) -> Window:
    """The months a report asks for: by default this year up to this month."""
    today = timezone.localdate()
    end = _month(request, "to") or (today.year, today.month)
    start = _month(request, "from") or (end[0], 1)
    if start > end:
        raise serializers.ValidationError({"from": [str(_("起始月份不能晚于截止月份。"))]})
    return Window(start, end)


PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.STR,
        description=str(_("起始月份 YYYY-MM,默认截止月份所在年的 1 月")),
        pattern=MONTH.pattern,
    ),
    OpenApiParameter("to", OpenApiTypes.STR, description=str(_("截止月份 YYYY-MM,默认本月")), pattern=MONTH.pattern),
]


class ColumnSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("栏目"))
    start = serializers.CharField(label=_("起始月份"))
    end = serializers.CharField(label=_("截止月份"))


class StatementLineSerializer(serializers.Serializer):
    id = serializers.CharField(label=_("行号"))
    name = serializers.CharField(label=_("项目"))
    kind = serializers.CharField(label=_("种类:heading 标题,item 取数,total 合计"))
    indent = serializers.IntegerField(label=_("缩进"))
    amounts = serializers.ListField(child=amount(_("金额")), label=_("各栏金额"), allow_null=True)


class StatementSerializer(serializers.Serializer):
    books = serializers.IntegerField(label=_("账套 id"))
    title = serializers.CharField(label=_("报表"))
    columns = ColumnSerializer(many=True, label=_("栏目"))
    parts = serializers.ListField(child=StatementLineSerializer(many=True), label=_("表的各部分"))
    balanced = serializers.ListField(child=serializers.BooleanField(), label=_("各栏是否平衡(资产负债表)"))


def _statement(statement: Statement) -> dict[str, Any]:
    return {
        "books": statement.books.pk,
        "title": statement.title,
        "columns": [
            {"name": label, "start": reports.month_label(w.start), "end": reports.month_label(w.end)}
            for label, w in statement.columns
        ],
        "parts": [
            [
                {
                    "id": row.line.id,
                    "name": row.line.name,
                    "kind": row.line.kind,
                    "indent": row.line.indent,
                    "amounts": None if row.line.kind == "heading" else [yuan(a or 0) for a in row.amounts],
                }
                for row in part
            ]
            for part in statement.parts
        ],
        "balanced": statement.balanced,
    }


class BooksReportViewSet(viewsets.GenericViewSet):
    """一个账套的报表:科目余额表(月份区间)、资产负债表、收益及收益分配表。"""

    serializer_class = StatementSerializer

    def get_queryset(self) -> QuerySet[Books]:
        return selectors.books_list(user=api_user(self.request))

    @extend_schema(
        summary=_("科目余额表(月份区间)"),
        parameters=PARAMETERS,
        responses={200: TrialRowSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="trial-balance", pagination_class=None)
    def trial_balance(self, request: Request, pk: Any = None) -> Response:
        books = self.get_object()
        rows = reports.trial_balance(user=api_user(request), books=books, window=_window(request)).rows
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

    @extend_schema(
        summary=_("资产负债表"),
        description=_("截止月份(to)末的资产负债表,与年初数并列。"),
        parameters=PARAMETERS,
        responses={200: StatementSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="balance-sheet", pagination_class=None)
    def balance_sheet(self, request: Request, pk: Any = None) -> Response:
        books = self.get_object()
        statement = reports.balance_sheet(user=api_user(request), books=books, end=_window(request).end)
        return Response(StatementSerializer(_statement(statement)).data)

    @extend_schema(
        summary=_("收益及收益分配表"),
        description=_("所选月份的本期数与截止月份所在年的本年累计数。"),
        parameters=PARAMETERS,
        responses={200: StatementSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="income-statement", pagination_class=None)
    def income_statement(self, request: Request, pk: Any = None) -> Response:
        books = self.get_object()
        statement = reports.income_statement(user=api_user(request), books=books, window=_window(request))
        return Response(StatementSerializer(_statement(statement)).data)


ROUTES: list[tuple[str, Any, str]] = [("ledger-reports", BooksReportViewSet, "ledger-reports")]
