"""REST API of guidance visits and their follow-ups (`ROUTES` in `enterprises.api`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.api import UserBriefSerializer
from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    DateField,
    IdFilter,
    RereadMixin,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    fresh,
)
from hongniudai.party import selectors as party_selectors
from hongniudai.party.models import PartyOrg

from . import selectors, services_visits
from .api_common import BAD_REQUEST, FORBIDDEN, NOT_FOUND
from .models import (
    CheckItem,
    Enterprise,
    GuidanceFollowUp,
    GuidanceVisit,
)

# ---- guidance visits ------------------------------------------------------------------------


class GuidanceFollowUpSerializer(serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True, default=False, label=_("已逾期"))
    closed_by = UserBriefSerializer(read_only=True, allow_null=True, label=_("办结人"))

    class Meta:
        model = GuidanceFollowUp
        fields = ["id", "visit", "description", "due_on", "overdue", "closed_on", "closing_note", "closed_by"]
        read_only_fields = fields


class GuidanceFollowUpInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200, label=_("整改事项"))
    due_on = DateField(label=_("整改期限"))


class GuidanceVisitSerializer(ServiceSerializer):
    instructor = UserBriefSerializer(read_only=True, label=_("指导员"))
    org = ScopedPrimaryKeyRelatedField(
        model=PartyOrg,
        selector=lambda user: party_selectors.orgs(user),
        allow_null=True,
        required=False,
        label=_("党支部"),
    )
    org_name = serializers.CharField(source="org.name", read_only=True, allow_null=True, label=_("党支部名称"))
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        selector=lambda user: selectors.enterprises_with_coverage(user),
        allow_null=True,
        required=False,
        label=_("企业"),
    )
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, allow_null=True, label=_("企业名称")
    )
    area: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True, label=_("所在地区"))
    checked = serializers.ListField(
        child=serializers.ChoiceField(choices=CheckItem.choices), required=False, label=_("检查内容")
    )
    follow_ups = GuidanceFollowUpSerializer(many=True, read_only=True, label=_("整改事项"))
    new_follow_ups = GuidanceFollowUpInputSerializer(
        many=True, write_only=True, required=False, label=_("整改事项"), help_text=_("登记时一并提出的整改事项")
    )
    open_follow_ups = serializers.IntegerField(read_only=True, allow_null=True, label=_("未完成整改事项数"))
    overdue_follow_ups = serializers.IntegerField(read_only=True, allow_null=True, label=_("逾期整改事项数"))

    class Meta:
        model = GuidanceVisit
        fields = [
            "id",
            "instructor",
            "org",
            "org_name",
            "enterprise",
            "enterprise_name",
            "area",
            "visited_on",
            "checked",
            "findings",
            "follow_ups",
            "new_follow_ups",
            "open_follow_ups",
            "overdue_follow_ups",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> GuidanceVisit:
        rows = [(r["description"], r["due_on"]) for r in validated_data.pop("new_follow_ups", [])]
        return services_visits.record_visit(actor=self.actor, follow_ups=rows, **validated_data)


class GuidanceVisitFilter(filters.FilterSet):
    org = IdFilter(method="filter_org", label=_("党组织 id(含全部下级)"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业 id"))
    instructor = IdFilter(field_name="instructor_id", label=_("指导员用户 id"))

    class Meta:
        model = GuidanceVisit
        fields: list[str] = []

    def filter_org(self, queryset: QuerySet[GuidanceVisit], name: str, value: int) -> QuerySet[GuidanceVisit]:
        org = party_selectors.orgs(api_user(self.request)).filter(pk=value).first()
        return queryset.filter(org__path__under=org.path) if org else queryset.none()


@extend_schema_view(
    list=extend_schema(summary=_("指导记录列表")),
    retrieve=extend_schema(summary=_("指导记录详情")),
    create=extend_schema(
        summary=_("登记指导记录"),
        description=_("指导党支部或(尚无党支部的)企业;企业已有党支部时记在该支部名下。"),
    ),
)
class GuidanceVisitViewSet(
    RereadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """党建指导员的指导记录:检查内容、发现的问题、整改事项。"""

    serializer_class = GuidanceVisitSerializer
    filterset_class = GuidanceVisitFilter

    def get_queryset(self) -> QuerySet[GuidanceVisit]:
        return selectors.visits(api_user(self.request)).prefetch_related("follow_ups__closed_by")


class CloseGuidanceFollowUpSerializer(serializers.Serializer):
    closing_note = serializers.CharField(max_length=200, label=_("完成情况"))
    closed_on = DateField(required=False, allow_null=True, label=_("完成日期"), help_text=_("留空为今天"))


class NewGuidanceFollowUpSerializer(GuidanceFollowUpInputSerializer):
    visit = ScopedPrimaryKeyRelatedField(
        model=GuidanceVisit, selector=lambda user: selectors.visits(user), label=_("指导记录")
    )


class GuidanceFollowUpFilter(filters.FilterSet):
    visit = IdFilter(field_name="visit_id", label=_("指导记录 id"))
    open = filters.BooleanFilter(field_name="closed_on", lookup_expr="isnull", label=_("仅未办结"))
    overdue = filters.BooleanFilter(field_name="overdue", label=_("已逾期"))

    class Meta:
        model = GuidanceFollowUp
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("整改事项列表")),
    retrieve=extend_schema(summary=_("整改事项详情")),
)
class GuidanceFollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """指导中提出的整改事项;由指导员或党支部维护人员办结。"""

    serializer_class = GuidanceFollowUpSerializer
    filterset_class = GuidanceFollowUpFilter

    def get_queryset(self) -> QuerySet[GuidanceFollowUp]:
        return selectors.follow_ups(api_user(self.request))

    @extend_schema(
        summary=_("添加整改事项"),
        request=NewGuidanceFollowUpSerializer,
        responses={201: GuidanceFollowUpSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        data = NewGuidanceFollowUpSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        d = data.validated_data
        item = services_visits.add_follow_up(
            actor=api_user(request), visit=d["visit"], description=d["description"], due_on=d["due_on"]
        )
        return Response(
            GuidanceFollowUpSerializer(fresh(self.get_queryset(), item)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("办结整改事项"),
        request=CloseGuidanceFollowUpSerializer,
        responses={200: GuidanceFollowUpSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="close", url_name="close")
    def close(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        data = CloseGuidanceFollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services_visits.close_follow_up(
            actor=api_user(request),
            follow_up=item,
            note=data.validated_data["closing_note"],
            closed_on=data.validated_data.get("closed_on"),
        )
        return Response(GuidanceFollowUpSerializer(fresh(self.get_queryset(), item)).data)
