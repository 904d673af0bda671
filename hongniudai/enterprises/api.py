"""REST API of enterprise party work: enterprises, employments and the coverage summary here,
instructors and assignments in `api_instructors`, guidance visits in `api_visits`; `ROUTES`
(all of them) is registered by `hongniudai.api.urls`.

Reads come from `selectors` (the caller's scope applies; out of scope is a 404), writes go
through `services` (capability checks: 403; validation: 400 with messages keyed by field).
Phones leave only masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.api import UserBriefSerializer
from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    REGISTER,
    IdFilter,
    ReportViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceModelViewSet,
    ServiceSerializer,
    crud_schema,
    id_parameter,
    query_id,
)
from hongniudai.common.identity import mask_phone
from hongniudai.party import selectors as party_selectors
from hongniudai.party.models import Member, PartyOrg
from hongniudai.places import selectors as place_selectors
from hongniudai.places.api import visible_area
from hongniudai.places.models import AreaNode

from . import selectors, services
from .api_common import BAD_REQUEST, NOT_FOUND
from .api_instructors import InstructorAssignmentViewSet, InstructorViewSet
from .api_visits import GuidanceFollowUpViewSet, GuidanceVisitViewSet
from .models import (
    Coverage,
    Employment,
    Enterprise,
    Industry,
)

# ---- enterprises ----------------------------------------------------------------------------


class EnterpriseSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: place_selectors.areas(user), label=_("所在园区或村")
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("所在园区或村名称"))
    branch = ScopedPrimaryKeyRelatedField(
        model=PartyOrg,
        selector=lambda user: selectors.branches_for_enterprise_choice(user),
        allow_null=True,
        required=False,
        label=_("所属党支部"),
    )
    branch_name = serializers.CharField(
        source="branch.name", read_only=True, allow_null=True, label=_("所属党支部名称")
    )
    uscc = serializers.CharField(
        max_length=40, label=_("统一社会信用代码"), help_text=_("18 位,按 GB 32100 校验;空格去除,字母转大写")
    )
    contact_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, write_only=True, label=_("联系电话")
    )
    contact_phone_masked = serializers.SerializerMethodField(label=_("联系电话(脱敏)"))
    full_members = serializers.IntegerField(read_only=True, allow_null=True, label=_("正式党员数"))
    coverage = serializers.ChoiceField(choices=Coverage.choices, read_only=True, allow_null=True, label=_("覆盖情况"))
    coverage_label = serializers.SerializerMethodField(label=_("覆盖情况名称"))
    instructors = UserBriefSerializer(many=True, read_only=True, label=_("党建指导员"))

    class Meta:
        model = Enterprise
        read_only_fields = ["created_at", "updated_at"]
        # The editable fields (`Enterprise.EDITABLE`), then what the API shows besides them.
        fields = ["id", *Enterprise.EDITABLE, "area_name", "branch_name", "contact_phone_masked", "full_members"]
        fields += ["coverage", "coverage_label", "instructors", *read_only_fields]
        validators: list[Any] = []  # uniqueness and the USCC are checked by the services

    @extend_schema_field(OpenApiTypes.STR)
    def get_contact_phone_masked(self, obj: Enterprise) -> str:
        return mask_phone(obj.contact_phone)

    @extend_schema_field(OpenApiTypes.STR)
    def get_coverage_label(self, obj: Enterprise) -> str:
        value = getattr(obj, "coverage", None)
        return str(Coverage(value).label) if value in Coverage.values else ""

    def create(self, validated_data: dict[str, Any]) -> Enterprise:
        return services.create_enterprise(actor=self.actor, **validated_data)

    def update(self, instance: Enterprise, validated_data: dict[str, Any]) -> Enterprise:
        values = self.current(instance, validated_data, Enterprise.EDITABLE)
        return services.update_enterprise(actor=self.actor, enterprise=instance, **values)


class EnterpriseFilter(filters.FilterSet):
    area = IdFilter(method="filter_area", label=_("地区 id(含全部下级)"))
    industry = filters.ChoiceFilter(choices=Industry.choices, method="filter_industry", label=_("行业"))
    coverage = filters.ChoiceFilter(choices=Coverage.choices, method="filter_coverage", label=_("覆盖情况"))
    branch = IdFilter(method="filter_branch", label=_("党组织 id(含全部下级)"))
    is_active = filters.BooleanFilter(label=_("在营"))
    q = filters.CharFilter(method="filter_q", label=_("企业名称或统一社会信用代码"))

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[Enterprise], name: str, value: int) -> QuerySet[Enterprise]:
        area = visible_area(self.request, value)
        return queryset.filter(area__path__under=area.path) if area else queryset.none()

    def filter_industry(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(industry=value)

    def filter_coverage(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(coverage=value)

    def filter_branch(self, queryset: QuerySet[Enterprise], name: str, value: int) -> QuerySet[Enterprise]:
        org = party_selectors.orgs(api_user(self.request)).filter(pk=value).first()
        return queryset.filter(branch__path__under=org.path) if org else queryset.none()

    def filter_q(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return selectors.matching(queryset, value)


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "企业"),
        verb=REGISTER,
        described={"list": _("含正式党员数 full_members 与覆盖情况 coverage。")},
    )
)
class EnterpriseViewSet(ServiceModelViewSet):
    """企业名录:统一社会信用代码、行业、所在园区或村、所属党支部、覆盖情况(应建尽建)。"""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    delete_service = services.delete_enterprise
    delete_argument = "enterprise"

    def get_queryset(self) -> QuerySet[Enterprise]:
        return selectors.enterprises(api_user(self.request)).prefetch_related("instructors")


# ---- employments ----------------------------------------------------------------------------


class EmploymentSerializer(ServiceSerializer):
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise, selector=lambda user: selectors.enterprises_with_coverage(user), label=_("企业")
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label=_("企业名称"))
    member = ScopedPrimaryKeyRelatedField(
        model=Member, selector=lambda user: party_selectors.members(user), label=_("党员")
    )
    member_name = serializers.CharField(source="member.resident.name", read_only=True, label=_("党员姓名"))
    member_status = serializers.CharField(source="member.status", read_only=True, label=_("党员类别"))

    class Meta:
        model = Employment
        fields = ["id", "enterprise", "enterprise_name", "member", "member_name", "member_status", "position", "since"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Employment:
        return services.add_employment(actor=self.actor, **validated_data)


class EmploymentFilter(filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业 id"))

    class Meta:
        model = Employment
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("企业党员列表")),
    retrieve=extend_schema(summary=_("企业党员详情")),
    create=extend_schema(summary=_("登记党员在企业工作"), description=_("每名党员只登记一个工作单位。")),
    destroy=extend_schema(summary=_("移除企业党员")),
)
class EmploymentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """在企业工作的党员(党员的组织关系不因此改变)。"""

    serializer_class = EmploymentSerializer
    filterset_class = EmploymentFilter

    def get_queryset(self) -> QuerySet[Employment]:
        return selectors.employments(api_user(self.request))

    def perform_destroy(self, instance: Employment) -> None:
        services.remove_employment(actor=api_user(self.request), employment=instance)


# ---- coverage summary -----------------------------------------------------------------------


class EnterpriseCoverageRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, label=_("地区 id 或行业代码"))
    name = serializers.CharField(label=_("名称"))
    total = serializers.IntegerField(label=_("在营企业数"))
    covered = serializers.IntegerField(label=_("已覆盖"))
    gaps = serializers.IntegerField(label=_("缺口"))
    rate = serializers.FloatField(allow_null=True, label=_("覆盖率(0 到 1)"))
    counts = serializers.DictField(child=serializers.IntegerField(), label=_("按覆盖情况计数"))


class EnterpriseCoverageSummarySerializer(serializers.Serializer):
    area = serializers.IntegerField(allow_null=True, label=_("地区 id"))
    basis = serializers.CharField(label=_("依据"))
    overall = EnterpriseCoverageRowSerializer(label=_("合计"))
    by_area = EnterpriseCoverageRowSerializer(many=True, label=_("按园区、村"))
    by_industry = EnterpriseCoverageRowSerializer(many=True, label=_("按行业"))


def _row(row: selectors.CoverageRow) -> dict[str, Any]:
    return {
        "key": None if row.key is None else str(row.key),
        "name": row.label,
        "total": row.total,
        "covered": row.covered,
        "gaps": row.gaps,
        "rate": None if row.rate is None else round(row.rate, 4),
        "counts": {c.value: row.count(c.value) for c in Coverage},
    }


class CoverageSummaryViewSet(ReportViewSet):
    """企业党组织覆盖情况(应建尽建):合计、按园区和村、按行业。"""

    @extend_schema(
        summary=_("企业党组织覆盖情况"),
        description=_(
            "依据《中国共产党章程》第三十条:正式党员 3 人以上的企业应单独建立党支部,1 至 2 人的应单独建立"
            "或纳入联合党支部,暂无正式党员的应选派党建指导员。只计您范围内的在营企业;覆盖率为 0 到 1 之间"
            "的小数,没有企业时为 null。"
        ),
        parameters=[id_parameter("area", _("地区 id(不在您范围之内时返回 404)"))],
        responses={200: EnterpriseCoverageSummarySerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def list(self, request: Request) -> Response:
        pk = query_id(request, "area")
        area: AreaNode | None = place_selectors.area_get(api_user(request), pk) if pk is not None else None
        summary = selectors.coverage_summary(api_user(request), area=area)
        return Response(
            {
                "area": area.pk if area else None,
                "basis": str(selectors.COVERAGE_SOURCE),
                "overall": _row(summary.overall),
                "by_area": [_row(r) for r in summary.by_area],
                "by_industry": [_row(r) for r in summary.by_industry],
            }
        )


ROUTES: list[tuple[str, Any, str]] = [  # (prefix, viewset, basename)
    ("enterprises", EnterpriseViewSet, "enterprise"),
    ("employments", EmploymentViewSet, "employment"),
    ("instructors", InstructorViewSet, "instructor"),
    ("instructor-assignments", InstructorAssignmentViewSet, "instructor-assignment"),
    ("guidance-visits", GuidanceVisitViewSet, "guidance-visit"),
    ("guidance-follow-ups", GuidanceFollowUpViewSet, "guidance-follow-up"),
    ("enterprise-coverage", CoverageSummaryViewSet, "enterprise-coverage"),
]
