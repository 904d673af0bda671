"""REST API of the compliance of a party organisation over a period (组织生活落实情况): how many
meetings were due, held, missing or pending, for the node, its children and each obligation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common import parsing
from hongniudai.common.api import DateField, IdField, ReportViewSet, period_parameters
from hongniudai.party import selectors as party_selectors

from . import selectors
from .api_common import KIND_HELP


class ComplianceQuerySerializer(serializers.Serializer):
    org = IdField(required=False, label=_("党组织 id"))
    start = DateField(required=False, label=_("起始日期"))
    end = DateField(required=False, label=_("截止日期"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("end") or timezone.localdate()
        start = attrs.get("start") or dt.date(end.year, 1, 1)
        errors = parsing.period_errors(start, end)
        if errors:
            raise serializers.ValidationError({"start": errors})
        return {"org": attrs.get("org"), "start": start, "end": end}


class CountsSerializer(serializers.Serializer):
    due = serializers.IntegerField(label=_("应开展"))
    met = serializers.IntegerField(label=_("已落实"))
    missing = serializers.IntegerField(label=_("未落实"))
    pending = serializers.IntegerField(label=_("进行中"))
    rate = serializers.FloatField(allow_null=True, label=_("落实率(已落实 ÷ (已落实 + 未落实))"))


class ChildCountsSerializer(CountsSerializer):
    id = serializers.IntegerField(label=_("党组织 id"))
    name = serializers.CharField(label=_("名称"))
    kind = serializers.CharField(label=_("类型"))


class ObligationSerializer(serializers.Serializer):
    org = serializers.IntegerField(source="org_id", label=_("党组织 id"))
    org_name = serializers.CharField(label=_("党组织名称"))
    kind = serializers.CharField(label=_("会议类型"), help_text=KIND_HELP)
    kind_label = serializers.CharField(label=_("会议类型名称"))
    unit_start = DateField(source="unit.start", label=_("期间开始"))
    unit_end = DateField(source="unit.end", label=_("期间结束"))
    unit_label = serializers.CharField(source="unit.label", label=_("期间"))
    times = serializers.IntegerField(label=_("应开次数"))
    held = serializers.IntegerField(label=_("已开(计入)次数"))
    status = serializers.CharField(
        label=_("状态"), help_text=_("met 已落实、missing 未落实(期末未开够)、pending 进行中(当期尚未开够)")
    )
    due_soon = serializers.BooleanField(label=_("即将到期"))


class ComplianceSerializer(CountsSerializer):
    org = serializers.IntegerField(allow_null=True, label=_("党组织 id(空为您的全部范围)"))
    org_name = serializers.CharField(allow_null=True, label=_("党组织名称"))
    start = DateField(label=_("起始日期"))
    end = DateField(label=_("截止日期"))
    children = ChildCountsSerializer(many=True, label=_("下级党组织(各含全部下级)"))
    obligations = ObligationSerializer(many=True, label=_("逐项情况(仅党支部、党小组)"))


def _counts(c: selectors.ComplianceCounts) -> dict[str, Any]:
    return {
        "due": c.due,
        "met": c.met,
        "missing": c.missing,
        "pending": c.pending,
        "rate": None if c.rate is None else round(c.rate, 4),
    }


class ComplianceViewSet(ReportViewSet):
    """组织生活落实情况:某党组织(含全部下级)某期间应开展、已落实、未落实、进行中的次数与落实率。"""

    @extend_schema(
        summary=_("组织生活落实情况"),
        description=_(
            "按规则逐期(月、季、半年、年)统计。不给 org 时为您可见的全部党组织;"
            "不给 end 时为今天,不给 start 时为 end 所在年的 1 月 1 日。"
            "日期须在 1900-01-01 至 2100-12-31 之间,期间不超过 10 年。"
        ),
        parameters=period_parameters("org", _("党组织 id(不在您范围之内时返回 404)"), start="start", end="end"),
        responses={
            200: ComplianceSerializer,
            400: OpenApiResponse(description=_("输入有误:按字段给出中文说明。")),
            404: OpenApiResponse(description=_("党组织不存在或不在您的范围之内。")),
        },
    )
    def list(self, request: Request) -> Response:
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        args = query.validated_data
        node = party_selectors.org_get(api_user(request), args["org"]) if args["org"] else None
        report = selectors.compliance_report(api_user(request), node=node, start=args["start"], end=args["end"])
        body = {
            "org": node.pk if node else None,
            "org_name": node.name if node else None,
            "start": report.start,
            "end": report.end,
            **_counts(report.total),
            "children": [
                {"id": org.pk, "name": org.name, "kind": org.kind, **_counts(c)} for org, c in report.children
            ],
            "obligations": [cell for row in report.grid for cell in row.cells],
        }
        return Response(ComplianceSerializer(body).data)
