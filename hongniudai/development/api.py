"""REST API of member development; `ROUTES` is registered by `hongniudai.api.urls`.

Cases: list, retrieve, create (the application) and `steps` (the timeline; POST records the
next step, checked against the rules in force at the branch). Rules: the rules in force for an
organisation, or every rule the user can see. Due: what is due next for each open case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common.api import (
    ChoiceLabelField,
    DateField,
    IdFilter,
    IntegerField,
    RereadMixin,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    id_parameter,
    query_id,
)
from hongniudai.common.text import limit
from hongniudai.party.api import ResidentBriefSerializer
from hongniudai.party.models import PartyOrg
from hongniudai.places.models import Resident

from . import selectors, services
from .models import DevelopmentCase, DevelopmentRule, DevelopmentStep, Stage, StepKind

BAD_REQUEST = OpenApiResponse(description=_("输入有误或不符合发展党员规则:按字段给出中文说明,未作任何改动。"))
FORBIDDEN = OpenApiResponse(description=_("档案可见,但您无权维护。"))
NOT_FOUND = OpenApiResponse(description=_("档案不存在或不在您的范围之内。"))


# ---- cases --------------------------------------------------------------------------------


class DevelopmentStepSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(source="kind", label=_("环节名称"))
    warnings = serializers.ListField(child=serializers.DictField(), read_only=True, label=_("提示"))

    class Meta:
        model = DevelopmentStep
        fields = ["id", "kind", "kind_label", "on", "note", "details", "warnings", "recorded_at"]
        read_only_fields = fields


class DevelopmentCaseSerializer(ServiceSerializer):
    resident = ResidentBriefSerializer(read_only=True, label=_("本人"))
    resident_id = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: selectors.residents_for_case_choice(user),
        write_only=True,
        label=_("居民 id"),
        help_text=_("在您权限范围内、尚不是党员且没有进行中档案的居民。"),
    )
    org = ScopedPrimaryKeyRelatedField(
        model=PartyOrg, selector=lambda user: selectors.branches_for_case(user), label=_("培养党支部")
    )
    org_name = serializers.CharField(source="org.name", read_only=True, label=_("培养党支部名称"))
    stage_label = ChoiceLabelField(source="stage", label=_("阶段名称"))
    note = serializers.CharField(
        max_length=limit(DevelopmentStep, "note"),
        write_only=True,
        required=False,
        allow_blank=True,
        label=_("情况说明"),
    )
    steps = DevelopmentStepSerializer(many=True, read_only=True, label=_("发展历程"))

    class Meta:
        model = DevelopmentCase
        fields = [
            "id",
            "resident",
            "resident_id",
            "org",
            "org_name",
            "stage",
            "stage_label",
            "applied_on",
            *DevelopmentCase.MILESTONES,
            "member",
            "note",
            "steps",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "stage",
            *DevelopmentCase.MILESTONES,
            "member",
            "created_at",
            "updated_at",
        ]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> DevelopmentCase:
        return services.open_case(
            actor=self.actor,
            resident=validated_data["resident_id"],
            org=validated_data["org"],
            applied_on=validated_data["applied_on"],
            note=validated_data.get("note", ""),
        )


class DevelopmentStepInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[c for c in StepKind.choices if c[0] != StepKind.APPLY], label=_("环节"))
    on = DateField(label=_("日期"))
    note = serializers.CharField(
        max_length=limit(DevelopmentStep, "note"), required=False, allow_blank=True, default="", label=_("情况说明")
    )
    training_days = IntegerField(required=False, allow_null=True, min_value=0, max_value=365, label=_("本次培训天数"))
    training_hours = IntegerField(required=False, allow_null=True, min_value=0, max_value=2000, label=_("本次培训学时"))
    extension_months = IntegerField(required=False, allow_null=True, min_value=1, max_value=12, label=_("延长月数"))
    end_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, label=_("终止或取消的原因")
    )


class DevelopmentCaseFilter(filters.FilterSet):
    stage = filters.ChoiceFilter(choices=Stage.choices, label=_("阶段"))
    org = IdFilter(method="filter_org", label=_("党组织 id(含全部下级)"))
    q = filters.CharFilter(method="filter_q", label=_("姓名、拼音首字母或完整身份证号"))

    class Meta:
        model = DevelopmentCase
        fields: list[str] = []

    def filter_org(self, queryset: QuerySet[DevelopmentCase], name: str, value: int) -> QuerySet[DevelopmentCase]:
        org = selectors.org_get_optional(api_user(self.request), value)
        return queryset.filter(org__path__under=org.path) if org else queryset.none()

    def filter_q(self, queryset: QuerySet[DevelopmentCase], name: str, value: str) -> QuerySet[DevelopmentCase]:
        return selectors.cases(api_user(self.request), q=value).filter(pk__in=queryset.values("pk"))


@extend_schema_view(
    list=extend_schema(summary=_("发展党员档案列表")),
    retrieve=extend_schema(summary=_("发展党员档案详情(含发展历程)")),
    create=extend_schema(
        summary=_("登记入党申请(建立发展档案)"),
        responses={201: DevelopmentCaseSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
)
class DevelopmentCaseViewSet(
    RereadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """发展党员档案:入党申请人 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员。"""

    serializer_class = DevelopmentCaseSerializer
    filterset_class = DevelopmentCaseFilter

    def get_queryset(self) -> QuerySet[DevelopmentCase]:
        return selectors.cases(api_user(self.request)).prefetch_related("steps")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if scope_for(api_user(request), Capability.EDIT_PARTY).is_empty:
            raise PermissionDenied(_("您没有维护发展党员信息的权限。"))
        return super().create(request, *args, **kwargs)

    @extend_schema(
        methods=["GET"],
        summary=_("发展历程"),
        responses={200: DevelopmentStepSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("登记下一环节"),
        description=_(
            "按当前阶段登记下一环节(谈话、确定积极分子、考察、确定发展对象、培训、支部大会、上级审批、"
            "延长预备期、转正、取消预备党员资格、终止培养)。不符合规则时返回 400 并说明所依据的规定;"
            "只需提示的规则写入该环节的 warnings。返回更新后的档案。"
        ),
        request=DevelopmentStepInputSerializer,
        responses={201: DevelopmentCaseSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    # The history comes whole, unpaginated (and the schema says so).
    @action(detail=True, methods=["get", "post"], url_path="steps", url_name="steps", pagination_class=None)
    def steps(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        if request.method == "GET":
            data = DevelopmentStepSerializer(case.steps.order_by("on", "id"), many=True).data
            return Response(data)
        form = DevelopmentStepInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.record_step(actor=api_user(request), case=case, **form.validated_data)
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


# ---- rules --------------------------------------------------------------------------------


class DevelopmentRuleSerializer(serializers.ModelSerializer):
    code_label = ChoiceLabelField(source="code", label=_("规则名称"))
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True, label=_("适用地区名称"))
    is_local = serializers.SerializerMethodField(label=_("是否本地规则"))

    class Meta:
        model = DevelopmentRule
        fields = [
            "id",
            "code",
            "code_label",
            "area",
            "area_name",
            "value",
            "unit",
            "severity",
            "source",
            "note",
            "is_local",
        ]
        read_only_fields = fields

    def get_is_local(self, obj: DevelopmentRule) -> bool:
        return obj.area_id is not None


@extend_schema_view(
    list=extend_schema(
        summary=_("发展党员规则"),
        description=_("给出 org 时为该党组织执行的规则(每项一条,本地从严规定优先);否则为默认规则及您可见的本地规则。"),
        parameters=[id_parameter("org", _("党组织 id"))],
    )
)
class DevelopmentRuleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """发展党员规则(规则即数据,各附依据)。"""

    serializer_class = DevelopmentRuleSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[DevelopmentRule]:
        return selectors.visible_rules(api_user(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pk = query_id(request, "org")
        if pk is not None:
            org = selectors.org_get_optional(api_user(request), pk)
            if org is None:
                return Response([])
            rows = [r.rule for r in selectors.rules_in_force(api_user(request), org)]
            return Response(self.get_serializer(rows, many=True).data)
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


# ---- due next -----------------------------------------------------------------------------


class DevelopmentDueItemSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case.pk", label=_("档案 id"))
    name = serializers.CharField(source="case.resident.name", label=_("姓名"))
    org = serializers.IntegerField(source="case.org_id", label=_("培养党支部 id"))
    org_name = serializers.CharField(source="case.org.name", label=_("培养党支部"))
    stage = serializers.CharField(source="case.stage", label=_("阶段"))
    what = serializers.CharField(label=_("下一步"))
    due_on = DateField(allow_null=True, label=_("日期"))
    overdue = serializers.BooleanField(label=_("已逾期"))
    note = serializers.CharField(label=_("说明"))
    rule = serializers.CharField(label=_("所依据的规则"))


@extend_schema_view(
    list=extend_schema(
        summary=_("发展党员待办"),
        description=_("每个进行中的档案下一步要做什么、何时到期,逾期的在前。"),
        parameters=[id_parameter("org", _("党组织 id(含全部下级)"))],
        responses=DevelopmentDueItemSerializer(many=True),
    )
)
class DevelopmentDueViewSet(viewsets.GenericViewSet):
    """发展党员待办(按党支部)。"""

    serializer_class = DevelopmentDueItemSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[DevelopmentCase]:
        return selectors.cases(api_user(self.request))

    def list(self, request: Request) -> Response:
        pk = query_id(request, "org")
        org = selectors.org_get_optional(api_user(request), pk) if pk is not None else None
        if pk is not None and org is None:
            return Response([])
        items = selectors.due_next(api_user(request), org)
        return Response(DevelopmentDueItemSerializer(items, many=True).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("development/cases", DevelopmentCaseViewSet, "development-case"),
    ("development/rules", DevelopmentRuleViewSet, "development-rule"),
    ("development/due", DevelopmentDueViewSet, "development-due"),
]
