"""The measures of matters in the API: one object for an area and a period."""

from __future__ import annotations

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
from hongniudai.places import selectors as place_selectors

from .. import rollups, selectors
from ..models import Level
from .common import BAD_REQUEST, MESSAGE


class ByLevelSerializer(serializers.Serializer):
    hamlet = serializers.IntegerField(label=_("湾组化解"))
    grid = serializers.IntegerField(label=_("村组化解"))
    village = serializers.IntegerField(label=_("村级化解"))
    town = serializers.IntegerField(label=_("镇级化解"))


class MeasuresSerializer(serializers.Serializer):
    area = serializers.IntegerField(allow_null=True, label=_("地区 id"), help_text=_("不限地区时为 null"))
    area_name = serializers.CharField(allow_null=True, label=_("地区名称"))
    start = DateField(label=_("起始日期"))
    end = DateField(label=_("截止日期"))
    reported = serializers.IntegerField(label=_("上报事项数"))
    settled = serializers.IntegerField(label=_("办结事项数"))
    open = serializers.IntegerField(label=_("未办结事项数"))
    overdue = serializers.IntegerField(label=_("超时事项数"))
    settled_hamlet = serializers.IntegerField(label=_("湾组化解数"))
    settled_village_or_below = serializers.IntegerField(label=_("村级及以下化解数"))
    hamlet_rate = serializers.FloatField(
        allow_null=True, label=_("小事不出湾率"), help_text=_("0 到 1 之间的小数;期间无办结事项时为 null")
    )
    village_rate = serializers.FloatField(
        allow_null=True, label=_("大事不出村率"), help_text=_("0 到 1 之间的小数;期间无办结事项时为 null")
    )
    mean_days = serializers.FloatField(allow_null=True, label=_("平均办结天数"))
    p90_days = serializers.FloatField(allow_null=True, label=_("90% 事项办结天数"))
    satisfaction = serializers.FloatField(allow_null=True, label=_("平均满意度(1-5)"))
    follow_ups = serializers.IntegerField(label=_("已回访评价数"))
    repeat_matters = serializers.IntegerField(label=_("重复事项数"))
    by_level = ByLevelSerializer(label=_("按化解层级的办结数"))


class MeasuresQuerySerializer(serializers.Serializer):
    area = IdField(required=False, label=_("地区 id"))
    start = DateField(required=False, label=_("起始日期"))
    end = DateField(required=False, label=_("截止日期"))

    def get_fields(self) -> dict[str, serializers.Field]:
        # The query parameters are called `from` and `to` (a keyword in Python).
        fields = super().get_fields()
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("to") or timezone.localdate()
        # By default the last twelve months from the first of a month, as the page's 近12个月:
        # whole months, which the rollup answers without counting the matters.
        start = attrs.get("from") or rollups.months_back(end, 11)
        errors = parsing.period_errors(start, end)
        if errors:
            raise serializers.ValidationError({"from": errors})
        return {"area": attrs.get("area"), "start": start, "end": end}


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


class MatterMeasuresViewSet(ReportViewSet):
    """事项统计:上报、办结、未办结、超时,小事不出湾率、大事不出村率,办结用时,满意度,重复事项。"""

    @extend_schema(
        summary=_("事项统计"),
        description=_(
            "某地区(按事项发生地,含全部下级)某期间的事项统计,只计您范围内的事项。"
            "不给 area 时为您可见的全部事项;不给 to 时为今天,不给 from 时为 to 之前一年。"
            "比率为 0 到 1 之间的小数,期间无办结事项时为 null。"
            "日期须在 1900-01-01 至 2100-12-31 之间,期间不超过 10 年。"
        ),
        parameters=period_parameters("area", _("地区 id(不在您范围之内时返回 404)"), start="from", end="to"),
        responses={
            200: MeasuresSerializer,
            400: BAD_REQUEST,
            404: OpenApiResponse(MESSAGE, description=_("地区不存在或不在您的范围之内。")),
        },
    )
    def list(self, request: Request) -> Response:
        user = api_user(request)
        query = MeasuresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        args = query.validated_data
        node = None
        if args["area"] is not None:
            node = place_selectors.area_get(user, args["area"])
        m = selectors.measures(user, node=node, start=args["start"], end=args["end"])
        body = {
            "area": node.pk if node else None,
            "area_name": node.name if node else None,
            "start": m.start,
            "end": m.end,
            "reported": m.reported,
            "settled": m.settled,
            "open": m.open,
            "overdue": m.overdue,
            "settled_hamlet": m.settled_hamlet,
            "settled_village_or_below": m.settled_village_or_below,
            "hamlet_rate": _rounded(m.hamlet_rate, 4),
            "village_rate": _rounded(m.village_rate, 4),
            "mean_days": _rounded(m.mean_days, 2),
            "p90_days": _rounded(m.p90_days, 2),
            "satisfaction": _rounded(m.satisfaction, 2),
            "follow_ups": m.follow_ups,
            "repeat_matters": m.repeat_matters,
            "by_level": {level: m.by_level.get(level, 0) for level in Level.values},
        }
        return Response(MeasuresSerializer(body).data)
