"""REST API of enterprise party work; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (the caller's scope applies; out of scope is a 404), writes go
through `services` (capability checks: 403; validation: 400 with messages keyed by field).
Phones leave only masked."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.models import User
from hongniudai.common.api import (
    DateField,
    IdFilter,
    RereadMixin,
    ScopedPrimaryKeyRelatedField,
    ServiceModelViewSet,
    ServiceSerializer,
    fresh,
    id_parameter,
    query_id,
)
from hongniudai.common.identity import mask_phone
from hongniudai.party import selectors as party_selectors
from hongniudai.party.models import Member, PartyOrg
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode

from . import selectors, services, services_instructors, services_visits
from .models import (
    CheckItem,
    Coverage,
    Employment,
    Enterprise,
    GuidanceFollowUp,
    GuidanceVisit,
    Industry,
    Instructor,
    InstructorAssignment,
)

_MESSAGE = inline_serializer("EnterpriseMessage", {"detail": serializers.CharField()})
BAD_REQUEST = OpenApiResponse(description=_("输入有误:按字段给出中文说明,未作任何改动。"))
NOT_FOUND = OpenApiResponse(_MESSAGE, description=_("记录不存在或不在您的范围之内。"))
FORBIDDEN = OpenApiResponse(_MESSAGE, description=_("记录可见,但您无权进行此操作。"))


def _visible_area(request: Request, pk: int) -> AreaNode | None:
    return place_selectors.areas(api_user(request)).filter(pk=pk).first()


class EnterpriseUserSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True, label=_("姓名"))

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields


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
    instructors = EnterpriseUserSerializer(many=True, read_only=True, label=_("党建指导员"))

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "uscc",
            "industry",
            "area",
            "area_name",
            "size",
            "address",
            "employees",
            "founded_on",
            "contact_name",
            "contact_phone",
            "contact_phone_masked",
            "branch",
            "branch_name",
            "is_active",
            "note",
            "full_members",
            "coverage",
            "coverage_label",
            "instructors",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
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
        names = (
            "name",
            "uscc",
            "industry",
            "area",
            "size",
            "address",
            "employees",
            "founded_on",
            "contact_name",
            "contact_phone",
            "branch",
            "is_active",
            "note",
        )
        return services.update_enterprise(
            actor=self.actor, enterprise=instance, **self.current(instance, validated_data, names)
        )


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
        area = _visible_area(self.request, value)
        return queryset.filter(area__path__under=area.path) if area else queryset.none()

    def filter_industry(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(industry=value)

    def filter_coverage(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(coverage=value)  # type: ignore[misc]  # an annotation

    def filter_branch(self, queryset: QuerySet[Enterprise], name: str, value: int) -> QuerySet[Enterprise]:
        org = party_selectors.orgs(api_user(self.request)).filter(pk=value).first()
        return queryset.filter(branch__path__under=org.path) if org else queryset.none()

    def filter_q(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(uscc__startswith=services.normalize_uscc(value)))


@extend_schema_view(
    list=extend_schema(summary=_("企业列表"), description=_("含正式党员数 full_members 与覆盖情况 coverage。")),
    retrieve=extend_schema(summary=_("企业详情")),
    create=extend_schema(summary=_("登记企业")),
    update=extend_schema(summary=_("修改企业")),
    partial_update=extend_schema(summary=_("修改企业(部分字段)")),
    destroy=extend_schema(summary=_("删除企业")),
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


# ---- instructors ----------------------------------------------------------------------------


class InstructorSerializer(ServiceSerializer):
    user = EnterpriseUserSerializer(read_only=True, label=_("用户"))
    username = serializers.CharField(write_only=True, required=False, max_length=150, label=_("用户名"))
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        style={"input_type": "password"},
        label=_("初始密码"),
        help_text=_("留空则暂不能登录"),
    )
    display_name = serializers.CharField(source="user.display_name", max_length=50, label=_("姓名"))
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: place_selectors.areas(user), required=False, label=_("管理镇")
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("管理镇名称"))
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, write_only=True, label=_("联系电话"))
    phone_masked = serializers.SerializerMethodField(label=_("联系电话(脱敏)"))
    open_follow_ups = serializers.IntegerField(read_only=True, allow_null=True, label=_("未完成整改事项数"))
    overdue_follow_ups = serializers.IntegerField(read_only=True, allow_null=True, label=_("逾期整改事项数"))
    current_assignments = serializers.IntegerField(read_only=True, allow_null=True, label=_("当前派驻数"))

    class Meta:
        model = Instructor
        fields = [
            "id",
            "user",
            "username",
            "password",
            "display_name",
            "area",
            "area_name",
            "work_unit",
            "phone",
            "phone_masked",
            "note",
            "open_follow_ups",
            "overdue_follow_ups",
            "current_assignments",
        ]
        validators: list[Any] = []

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone_masked(self, obj: Instructor) -> str:
        return mask_phone(obj.phone)

    def create(self, validated_data: dict[str, Any]) -> Instructor:
        errors: dict[str, list[str]] = {}
        for name, message in (("username", _("请填写用户名。")), ("area", _("请选择管理镇。"))):
            if not validated_data.get(name):
                errors[name] = [str(message)]
        if errors:
            raise serializers.ValidationError(errors)
        user_data = validated_data.pop("user", {})
        return services_instructors.create_instructor(
            actor=self.actor,
            username=validated_data["username"],
            password=validated_data.get("password") or None,
            display_name=user_data.get("display_name", ""),
            area=validated_data["area"],
            work_unit=validated_data.get("work_unit", ""),
            phone=validated_data.get("phone", ""),
            note=validated_data.get("note", ""),
        )

    def update(self, instance: Instructor, validated_data: dict[str, Any]) -> Instructor:
        for name in ("username", "password", "area"):
            if name in validated_data:
                raise serializers.ValidationError({name: [str(_("该项建立后不能在此修改。"))]})
        user_data = validated_data.pop("user", {})
        values = self.current(instance, validated_data, ("work_unit", "phone", "note"))
        return services_instructors.update_instructor(
            actor=self.actor,
            instructor=instance,
            display_name=user_data.get("display_name", instance.user.display_name),
            **values,
        )


@extend_schema_view(
    list=extend_schema(summary=_("党建指导员列表")),
    retrieve=extend_schema(summary=_("党建指导员详情")),
    create=extend_schema(summary=_("新增党建指导员"), description=_("同时建立其登录账号。")),
    update=extend_schema(summary=_("修改党建指导员")),
    partial_update=extend_schema(summary=_("修改党建指导员(部分字段)")),
)
class InstructorViewSet(
    RereadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """红色指导员:由镇选派,派驻到企业或党支部。"""

    serializer_class = InstructorSerializer

    def get_queryset(self) -> QuerySet[Instructor]:
        q = self.request.query_params.get("q", "") if self.action == "list" else ""
        return selectors.instructors(api_user(self.request), q=q)

    @extend_schema(parameters=[OpenApiParameter("q", OpenApiTypes.STR, description=_("姓名、用户名或工作单位"))])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class InstructorAssignmentSerializer(ServiceSerializer):
    instructor = ScopedPrimaryKeyRelatedField(
        model=Instructor,
        selector=lambda user: selectors.instructors(user),
        write_only=True,
        label=_("指导员 id"),
        help_text=_("党建指导员(/instructors/)的 id"),
    )
    instructor_user = EnterpriseUserSerializer(source="instructor", read_only=True, label=_("指导员"))
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
    org = ScopedPrimaryKeyRelatedField(
        model=PartyOrg,
        selector=lambda user: party_selectors.orgs(user),
        allow_null=True,
        required=False,
        label=_("党支部"),
    )
    org_name = serializers.CharField(source="org.name", read_only=True, allow_null=True, label=_("党支部名称"))
    since = DateField(required=False, allow_null=True, label=_("派驻日期"), help_text=_("留空为今天"))

    class Meta:
        model = InstructorAssignment
        fields = [
            "id",
            "instructor",
            "instructor_user",
            "enterprise",
            "enterprise_name",
            "org",
            "org_name",
            "since",
            "ended_on",
            "note",
        ]
        read_only_fields = ["ended_on"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> InstructorAssignment:
        return services_instructors.assign_instructor(actor=self.actor, **validated_data)


class InstructorAssignmentFilter(filters.FilterSet):
    instructor = IdFilter(field_name="instructor_id", label=_("指导员用户 id"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业 id"))
    org = IdFilter(field_name="org_id", label=_("党支部 id"))
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("仅当前派驻"))

    class Meta:
        model = InstructorAssignment
        fields: list[str] = []


class EndInstructorAssignmentSerializer(serializers.Serializer):
    ended_on = DateField(required=False, allow_null=True, label=_("结束日期"), help_text=_("留空为今天"))


@extend_schema_view(
    list=extend_schema(summary=_("指导员派驻列表")),
    retrieve=extend_schema(summary=_("指导员派驻详情")),
    create=extend_schema(
        summary=_("派驻指导员"),
        description=_("派驻到企业(授予查看该企业)或党支部(授予该支部的指导员角色);只选其一。"),
    ),
)
class InstructorAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """指导员派驻记录(含已结束的)。"""

    serializer_class = InstructorAssignmentSerializer
    filterset_class = InstructorAssignmentFilter

    def get_queryset(self) -> QuerySet[InstructorAssignment]:
        return selectors.assignments(api_user(self.request))

    @extend_schema(
        summary=_("结束派驻"),
        request=EndInstructorAssignmentSerializer,
        responses={200: InstructorAssignmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="end", url_name="end")
    def end(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        data = EndInstructorAssignmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services_instructors.end_assignment(
            actor=api_user(request), assignment=assignment, ended_on=data.validated_data.get("ended_on")
        )
        return Response(
            InstructorAssignmentSerializer(
                fresh(self.get_queryset(), assignment), context=self.get_serializer_context()
            ).data
        )


# ---- guidance visits ------------------------------------------------------------------------


class GuidanceFollowUpSerializer(serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True, default=False, label=_("已逾期"))
    closed_by = EnterpriseUserSerializer(read_only=True, allow_null=True, label=_("办结人"))

    class Meta:
        model = GuidanceFollowUp
        fields = ["id", "visit", "description", "due_on", "overdue", "closed_on", "closing_note", "closed_by"]
        read_only_fields = fields


class GuidanceFollowUpInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200, label=_("整改事项"))
    due_on = DateField(label=_("整改期限"))


class GuidanceVisitSerializer(ServiceSerializer):
    instructor = EnterpriseUserSerializer(read_only=True, label=_("指导员"))
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


class ObjectSchema(AutoSchema):
    """The summary is one object, not a list (the viewset's `list` is its only route)."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


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


class CoverageSummaryViewSet(viewsets.ViewSet):
    """企业党组织覆盖情况(应建尽建):合计、按园区和村、按行业。"""

    schema = ObjectSchema()

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
