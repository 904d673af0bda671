"""REST API of instructors (党建指导员) and their assignments (`ROUTES` in `enterprises.api`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.api import UserBriefSerializer
from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    ADD,
    DateField,
    IdFilter,
    RereadMixin,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    crud_schema,
    fresh,
)
from hongniudai.common.identity import mask_phone
from hongniudai.party import selectors as party_selectors
from hongniudai.party.models import PartyOrg
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode

from . import selectors, services_instructors
from .api_common import BAD_REQUEST, FORBIDDEN, NOT_FOUND
from .models import (
    Enterprise,
    Instructor,
    InstructorAssignment,
)

# ---- instructors ----------------------------------------------------------------------------


class InstructorSerializer(ServiceSerializer):
    user = UserBriefSerializer(read_only=True, label=_("用户"))
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
        values = self.current(instance, validated_data, Instructor.EDITABLE)
        return services_instructors.update_instructor(
            actor=self.actor,
            instructor=instance,
            display_name=user_data.get("display_name", instance.user.display_name),
            **values,
        )


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "党建指导员"),
        verb=ADD,
        described={"create": _("同时建立其登录账号。")},
        omit=("destroy",),
    )
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
    instructor_user = UserBriefSerializer(source="instructor", read_only=True, label=_("指导员"))
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
