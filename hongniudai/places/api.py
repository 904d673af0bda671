"""REST API for the area tree, households and residents: serializers, filters, viewsets.

Reads come from `selectors` (so the caller's scope applies; an out-of-scope record is a 404),
writes go through `services` (which check capabilities: 403, and validate: 400)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    ChoiceLabelField,
    IdFilter,
    QuickRead,
    ScopedPrimaryKeyRelatedField,
    ServiceModelViewSet,
    ServiceSerializer,
    TreeFilterSet,
    crud_schema,
)
from hongniudai.common.identity import mask_phone
from hongniudai.common.text import limit

from . import selectors, services
from .models import AreaKind, AreaNode, Household, RegistrationReview, Resident, ReviewStatus, Sex, elderly_cutoff


def visible_area(request: Request, pk: int) -> AreaNode | None:
    """The area `pk` if the user may see it, else None (then a filter on it matches nothing)."""
    return selectors.areas(api_user(request)).filter(pk=pk).first()


# ---- areas --------------------------------------------------------------------------------


class AreaSerializer(ServiceSerializer):
    parent = ScopedPrimaryKeyRelatedField(  # type: ignore[assignment]  # the field, not Field.parent
        model=AreaNode,
        selector=lambda user: selectors.areas(user),
        allow_null=True,
        required=False,
        label=_("上级"),
    )
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, label=_("上级名称"))
    kind_label = serializers.CharField(read_only=True, label=_("类型名称"))
    geometry = serializers.JSONField(required=False, allow_null=True, label=_("位置(GeoJSON)"))

    class Meta:
        model = AreaNode
        fields = [
            "id",
            "parent",
            "parent_name",
            "name",
            "kind",
            "kind_label",
            "is_community",
            "code",
            "geometry",
            "sort_order",
            "depth",
            "path",
        ]
        read_only_fields = ["depth", "path"]
        validators: list[Any] = []  # uniqueness and the tree rules are checked by the services

    def create(self, validated_data: dict[str, Any]) -> AreaNode:
        return services.create_area(actor=self.actor, **validated_data)

    def update(self, instance: AreaNode, validated_data: dict[str, Any]) -> AreaNode:
        self.refuse_change(instance, validated_data, "parent", _("地区建立后不能改换上级。"))
        self.refuse_change(instance, validated_data, "kind", _("地区建立后不能修改类型。"))
        values = self.current(instance, validated_data, AreaNode.EDITABLE)
        return services.update_area(actor=self.actor, area=instance, **values)


class AreaFilter(TreeFilterSet):
    kind = filters.ChoiceFilter(choices=AreaKind.choices, label=_("类型"))
    parent = IdFilter(method="filter_parent", label=_("上级地区 id(直接下级)"))
    within = IdFilter(method="filter_within", label=_("地区 id(含全部下级)"))

    class Meta:
        model = AreaNode
        fields: list[str] = []

    def visible_node(self, pk: int) -> AreaNode | None:
        return visible_area(self.request, pk)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "地区")))
class AreaViewSet(ServiceModelViewSet):
    """地区树(县、镇、片区、村、村组、湾组、园区)。"""

    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    delete_service = services.delete_area
    delete_argument = "area"

    def get_queryset(self) -> QuerySet[AreaNode]:
        return selectors.areas(api_user(self.request))


# ---- households ---------------------------------------------------------------------------


class HouseholdSerializer(QuickRead, ServiceSerializer):
    hamlet = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: selectors.areas(user, kind=AreaKind.HAMLET), label=_("湾组")
    )
    hamlet_name = serializers.CharField(source="hamlet.name", read_only=True, label=_("湾组名称"))
    grid_name = serializers.CharField(source="hamlet.parent.name", read_only=True, allow_null=True, label=_("村组名称"))
    head = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: selectors.residents(user),
        allow_null=True,
        required=False,
        label=_("户主"),
    )
    head_name = serializers.CharField(source="head.name", read_only=True, allow_null=True, label=_("户主姓名"))
    member_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("成员数"))

    class Meta:
        model = Household
        fields = [
            "id",
            "hamlet",
            "hamlet_name",
            "grid_name",
            "number",
            "address",
            "head",
            "head_name",
            "is_formerly_poor",
            "is_monitored",
            "note",
            "member_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Household:
        if validated_data.pop("head", None) is not None:
            raise serializers.ValidationError({"head": [_("请先建立住户并登记成员,再指定户主。")]})
        return services.create_household(actor=self.actor, **validated_data)

    def update(self, instance: Household, validated_data: dict[str, Any]) -> Household:
        values = self.current(instance, validated_data, Household.EDITABLE)
        return services.update_household(actor=self.actor, household=instance, **values)


class HouseholdFilter(filters.FilterSet):
    area = IdFilter(method="filter_area", label=_("地区 id(含全部下级)"))
    formerly_poor = filters.BooleanFilter(field_name="is_formerly_poor", label=_("脱贫户"))
    monitored = filters.BooleanFilter(field_name="is_monitored", label=_("监测户"))
    q = filters.CharFilter(method="filter_q", label=_("住址、户编号或户主姓名"))

    class Meta:
        model = Household
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[Household], name: str, value: int) -> QuerySet[Household]:
        area = visible_area(self.request, value)
        return queryset.filter(hamlet__path__under=area.path) if area else queryset.none()

    def filter_q(self, queryset: QuerySet[Household], name: str, value: str) -> QuerySet[Household]:
        value = value.strip()
        return queryset.filter(Q(address__icontains=value) | Q(number=value) | Q(head__name__icontains=value))


# The columns a page of households reads (`HouseholdSerializer`'s fields and what they need).
LISTED_HOUSEHOLD = (
    *("id", "hamlet_id", "number", "address", "head_id", "is_formerly_poor", "is_monitored", "note"),
    *("created_at", "updated_at", "hamlet__name", "hamlet__parent_id", "hamlet__parent__name", "head__name"),
)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "住户")))
class HouseholdViewSet(ServiceModelViewSet):
    """住户。"""

    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter
    delete_service = services.delete_household
    delete_argument = "household"

    def get_queryset(self) -> QuerySet[Household]:
        households = selectors.households(api_user(self.request))
        if self.action != "list":
            return households
        # A page of the list reads what its rows show (not the areas' outlines, the head's ID number).
        return households.only(*LISTED_HOUSEHOLD)


# ---- residents ----------------------------------------------------------------------------


class ResidentSerializer(QuickRead, ServiceSerializer):
    """A resident. The ID number is accepted on write and never returned: reads carry `id_masked`
    only (the whole number: `POST /residents/{id}/reveal-id/`). The phone is returned masked."""

    household = ScopedPrimaryKeyRelatedField(
        model=Household, selector=lambda user: selectors.households(user), label=_("所在户")
    )
    household_address = serializers.CharField(source="household.address", read_only=True, label=_("住址"))
    hamlet_name = serializers.CharField(source="household.hamlet.name", read_only=True, label=_("湾组"))
    id_number = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=18,
        trim_whitespace=True,
        label=_("身份证号"),
        help_text=_("只写:新建时必填;修改时留空则保留原号码。"),
    )
    sex = serializers.ChoiceField(
        choices=Sex.choices,
        required=False,
        allow_blank=True,
        label=_("性别"),
        help_text=_("可不填:由身份证号第 17 位确定;填写时须与身份证号相符。"),
    )
    phone = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=20,
        label=_("手机号"),
        help_text=_("只写;省略则保留原号码,空字符串则清除。"),
    )
    phone_masked = serializers.SerializerMethodField(label=_("手机号(脱敏)"))
    age = serializers.SerializerMethodField(label=_("年龄"))
    elderly = serializers.BooleanField(source="is_elderly", read_only=True, label=_("老年人(60 周岁及以上)"))

    class Meta:
        model = Resident
        fields = [
            "id",
            "household",
            "household_address",
            "hamlet_name",
            "name",
            "id_number",
            "id_masked",
            "sex",
            "age",
            "elderly",
            "phone",
            "phone_masked",
            "relation",
            "is_veteran",
            "is_returnee",
            "is_disabled",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id_masked", "created_at", "updated_at"]
        validators: list[Any] = []

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone_masked(self, obj: Resident) -> str:
        return mask_phone(obj.phone)

    def get_age(self, obj: Resident) -> int:
        return obj.age()

    def create(self, validated_data: dict[str, Any]) -> Resident:
        validated_data.setdefault("id_number", "")
        return services.create_resident(actor=self.actor, **validated_data)

    def update(self, instance: Resident, validated_data: dict[str, Any]) -> Resident:
        values = self.current(instance, validated_data, Resident.EDITABLE)
        return services.update_resident(
            actor=self.actor,
            resident=instance,
            id_number=validated_data.get("id_number", ""),
            sex=validated_data.get("sex") or "",
            **values,
        )


class RevealedIdSerializer(serializers.Serializer):
    id_number = serializers.CharField(label=_("完整身份证号"))


class ResidentFilter(filters.FilterSet):
    area = IdFilter(method="filter_area", label=_("地区 id(含全部下级)"))
    q = filters.CharFilter(method="filter_q", label=_("姓名、拼音首字母或完整身份证号"))
    elderly = filters.BooleanFilter(method="filter_elderly", label=_("老年人(60 周岁及以上)"))
    veteran = filters.BooleanFilter(field_name="is_veteran", label=_("退役军人"))
    returnee = filters.BooleanFilter(field_name="is_returnee", label=_("返乡能人"))
    disabled = filters.BooleanFilter(field_name="is_disabled", label=_("残疾人"))
    sex = filters.ChoiceFilter(choices=Sex.choices, label=_("性别"))

    class Meta:
        model = Resident
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[Resident], name: str, value: int) -> QuerySet[Resident]:
        area = visible_area(self.request, value)
        return queryset.filter(household__hamlet__path__under=area.path) if area else queryset.none()

    def filter_q(self, queryset: QuerySet[Resident], name: str, value: str) -> QuerySet[Resident]:
        return queryset.filter(selectors.resident_search_q(value))

    def filter_elderly(self, queryset: QuerySet[Resident], name: str, value: bool) -> QuerySet[Resident]:
        cutoff = elderly_cutoff()
        return queryset.filter(birth_date__lte=cutoff) if value else queryset.filter(birth_date__gt=cutoff)


# The columns a page of residents reads (`ResidentSerializer`'s fields and what they need).
LISTED_RESIDENT = (
    *("id", "household_id", "name", "id_masked", "sex", "birth_date", "phone", "relation"),
    *("is_veteran", "is_returnee", "is_disabled", "note", "created_at", "updated_at"),
    *("household__address", "household__hamlet_id", "household__hamlet__name"),
)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "居民")))
class ResidentViewSet(ServiceModelViewSet):
    """居民。身份证号只以脱敏形式返回。"""

    serializer_class = ResidentSerializer
    filterset_class = ResidentFilter
    delete_service = services.delete_resident
    delete_argument = "resident"

    def get_queryset(self) -> QuerySet[Resident]:
        residents = selectors.residents(api_user(self.request))
        if self.action != "list":
            return residents
        # A page of the list reads what its rows show: not the grid above the hamlet, the ciphered
        # ID number, the pinyin or the hamlet's outline (a quarter of the list's time).
        return residents.select_related(None).select_related("household__hamlet").only(*LISTED_RESIDENT)

    @extend_schema(
        summary=_("查看完整身份证号"),
        description=_("仅对在该居民所在范围内有“查看完整身份证号”权限的用户返回完整号码;每次查看都记入审计日志。"),
        request=None,
        responses={200: RevealedIdSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="reveal-id", filterset_class=None)
    def reveal_id(self, request: Request, pk: str | None = None) -> Response:
        resident = self.get_object()
        number = services.reveal_id_number(actor=api_user(request), resident=resident)
        return Response({"id_number": number}, headers={"Cache-Control": "no-store"})


# ---- registrations the town reviews -------------------------------------------------------


class RegistrationReviewSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    relation_label = ChoiceLabelField(source="relation", label=_("与户主关系名称"))
    household_address = serializers.CharField(source="household.address", read_only=True, label=_("申请登记到的住址"))
    household_hamlet = serializers.CharField(
        source="household.hamlet.name", read_only=True, label=_("申请登记到的湾组")
    )
    resident_name = serializers.CharField(source="resident.name", read_only=True, label=_("已登记居民姓名"))
    resident_id_masked = serializers.CharField(source="resident.id_masked", read_only=True, label=_("身份证号(脱敏)"))
    resident_hamlet = serializers.CharField(
        source="resident.household.hamlet.name", read_only=True, label=_("现登记的湾组")
    )
    requested_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        read_only=True, label=_("申请人")
    )
    decided_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True, label=_("审核人"))

    class Meta:
        model = RegistrationReview
        fields = [
            "id",
            "status",
            "status_label",
            "name",
            "relation",
            "relation_label",
            "household",
            "household_address",
            "household_hamlet",
            "resident",
            "resident_name",
            "resident_id_masked",
            "resident_hamlet",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=limit(RegistrationReview, "reason"), label=_("驳回理由"))


class RegistrationReviewFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("状态"))

    class Meta:
        model = RegistrationReview
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary=_("登记审核申请列表"),
        description=_("村里登记的居民已在别处登记时提交的审核申请;只有镇管理员(可管理地区者)能看到和处理。"),
    ),
    retrieve=extend_schema(summary=_("登记审核申请详情")),
)
class RegistrationReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """登记审核申请。"""

    serializer_class = RegistrationReviewSerializer
    filterset_class = RegistrationReviewFilter

    def get_queryset(self) -> QuerySet[RegistrationReview]:
        return selectors.registration_reviews(api_user(self.request), status=None)

    @extend_schema(
        summary=_("同意迁入"),
        description=_("该居民从现登记的住户迁入申请的住户;两地人口统计随之更新,记入审计日志。"),
        request=None,
        responses={200: RegistrationReviewSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        services.approve_registration_review(actor=api_user(request), review=review)
        return Response(RegistrationReviewSerializer(self.get_queryset().get(pk=review.pk)).data)

    @extend_schema(
        summary=_("驳回"),
        request=RejectSerializer,
        responses={200: RegistrationReviewSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reject_registration_review(
            actor=api_user(request), review=review, reason=body.validated_data["reason"]
        )
        return Response(RegistrationReviewSerializer(self.get_queryset().get(pk=review.pk)).data)
