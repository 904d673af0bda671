"""REST API for party organisations, members and centre households: serializers, filters, viewsets.

Reads come from `selectors` (the caller's scope applies; out of scope is a 404), writes go
through `services` (capability checks: 403; validation: 400 with messages keyed by field)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request

from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    IdFilter,
    QuickRead,
    RereadMixin,
    ScopedPrimaryKeyRelatedField,
    ServiceModelViewSet,
    ServiceSerializer,
    TreeFilterSet,
    crud_schema,
)
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident

from . import selectors, services
from .models import BranchType, CentreHousehold, Member, MemberStatus, OrgKind, PartyOrg, Post


def visible_org(request: Request, pk: int) -> PartyOrg | None:
    """The organisation `pk` if the user may see it, else None (a filter on it then matches nothing)."""
    return selectors.orgs(api_user(request)).filter(pk=pk).first()


# ---- organisations ------------------------------------------------------------------------


class PartyOrgSerializer(ServiceSerializer):
    parent = ScopedPrimaryKeyRelatedField(  # type: ignore[assignment]  # the field, not Field.parent
        model=PartyOrg,
        selector=lambda user: selectors.orgs(user),
        allow_null=True,
        required=False,
        label=_("上级党组织"),
    )
    parent_name = serializers.CharField(
        source="parent.name", read_only=True, allow_null=True, label=_("上级党组织名称")
    )
    kind_label = serializers.CharField(read_only=True, label=_("类型名称"))
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: place_selectors.areas(user), label=_("所在地区")
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("所在地区名称"))
    member_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("党员数"))

    class Meta:
        model = PartyOrg
        read_only_fields = ["depth", "path"]
        # The editable fields (`PartyOrg.EDITABLE`), then what is set once or shown besides them.
        fields = ["id", "parent", "parent_name", *PartyOrg.EDITABLE, "kind", "kind_label", "area_name"]
        fields += ["member_count", *read_only_fields]
        validators: list[Any] = []  # uniqueness and the tree rules are checked by the services

    def create(self, validated_data: dict[str, Any]) -> PartyOrg:
        return services.create_org(actor=self.actor, **validated_data)

    def update(self, instance: PartyOrg, validated_data: dict[str, Any]) -> PartyOrg:
        self.refuse_change(instance, validated_data, "parent", _("党组织建立后不能改换上级。"))
        self.refuse_change(instance, validated_data, "kind", _("党组织建立后不能修改类型。"))
        values = self.current(instance, validated_data, PartyOrg.EDITABLE)
        return services.update_org(actor=self.actor, org=instance, **values)


class PartyOrgFilter(TreeFilterSet):
    kind = filters.ChoiceFilter(choices=OrgKind.choices, label=_("类型"))
    branch_type = filters.ChoiceFilter(choices=BranchType.choices, label=_("支部类别"))
    parent = IdFilter(method="filter_parent", label=_("上级党组织 id(直接下级)"))
    within = IdFilter(method="filter_within", label=_("党组织 id(含全部下级)"))

    class Meta:
        model = PartyOrg
        fields: list[str] = []

    def visible_node(self, pk: int) -> PartyOrg | None:
        return visible_org(self.request, pk)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "党组织")))
class PartyOrgViewSet(ServiceModelViewSet):
    """党组织树(镇党委、片区大总支、党支部、党小组等)。"""

    serializer_class = PartyOrgSerializer
    filterset_class = PartyOrgFilter
    delete_service = services.delete_org
    delete_argument = "org"

    def get_queryset(self) -> QuerySet[PartyOrg]:
        return selectors.orgs(api_user(self.request))


# ---- members ------------------------------------------------------------------------------


class ResidentBriefSerializer(QuickRead, serializers.ModelSerializer):
    """The resident behind a member record: name and the masked ID number only."""

    class Meta:
        model = Resident
        fields = ["id", "name", "id_masked"]
        read_only_fields = fields


class MemberSerializer(QuickRead, ServiceSerializer):
    resident = ResidentBriefSerializer(read_only=True, label=_("居民"))
    resident_id = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: place_selectors.residents(user),
        write_only=True,
        required=False,
        label=_("居民 id"),
        help_text=_("新建时必填;建立后不能更换。"),
    )
    org = ScopedPrimaryKeyRelatedField(
        model=PartyOrg, selector=lambda user: selectors.orgs(user), label=_("所在党支部")
    )
    org_name = serializers.CharField(source="org.name", read_only=True, label=_("所在党支部名称"))
    party_group = ScopedPrimaryKeyRelatedField(
        model=PartyOrg,
        selector=lambda user: selectors.orgs(user, kind=OrgKind.PARTY_GROUP),
        allow_null=True,
        required=False,
        label=_("党小组"),
    )
    party_group_name = serializers.CharField(
        source="party_group.name", read_only=True, allow_null=True, label=_("党小组名称")
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "resident",
            "resident_id",
            *Member.EDITABLE,
            "org_name",
            "party_group_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Member:
        resident = validated_data.pop("resident_id", None)
        if resident is None:
            raise serializers.ValidationError({"resident_id": [_("请选择居民。")]})
        return services.create_member(actor=self.actor, resident=resident, **validated_data)

    def update(self, instance: Member, validated_data: dict[str, Any]) -> Member:
        resident = validated_data.pop("resident_id", None)
        if resident is not None and resident.pk != instance.resident_id:
            raise serializers.ValidationError({"resident_id": [_("党员档案建立后不能更换居民。")]})
        values = self.current(instance, validated_data, Member.EDITABLE)
        return services.update_member(actor=self.actor, member=instance, **values)


class MemberFilter(filters.FilterSet):
    org = IdFilter(method="filter_org", label=_("党组织 id(含全部下级及党小组)"))
    status = filters.ChoiceFilter(choices=MemberStatus.choices, label=_("党员类别"))
    post = filters.ChoiceFilter(choices=[c for c in Post.choices if c[0]], label=_("党内职务"))
    q = filters.CharFilter(method="filter_q", label=_("姓名、拼音首字母或完整身份证号"))

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_org(self, queryset: QuerySet[Member], name: str, value: int) -> QuerySet[Member]:
        org = visible_org(self.request, value)
        if org is None:
            return queryset.none()
        return queryset.filter(org__path__under=org.path) | queryset.filter(party_group=org)

    def filter_q(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        return queryset.filter(selectors.members_matching(value))


# The columns a page of members reads (`MemberSerializer`'s fields and what they need).
LISTED_MEMBER = (
    *("id", "resident_id", "org_id", "party_group_id", "status", "joined_on", "full_on", "post", "note"),
    *("created_at", "updated_at", "resident__name", "resident__id_masked", "org__name", "party_group__name"),
)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "党员"), record=pgettext_lazy("record", "党员档案")))
class MemberViewSet(ServiceModelViewSet):
    """党员。居民信息只含姓名与脱敏身份证号。"""

    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    delete_service = services.delete_member
    delete_argument = "member"

    def get_queryset(self) -> QuerySet[Member]:
        members = selectors.members(api_user(self.request))
        if self.action != "list":
            return members
        # A page of the list reads what its rows show: not the resident's household and hamlet, their
        # ciphered ID number or the organisations' other columns (a third of the list's time).
        return members.select_related(None).select_related("resident", "org", "party_group").only(*LISTED_MEMBER)


# ---- centre households --------------------------------------------------------------------


class CentreHouseholdSerializer(ServiceSerializer):
    hamlet = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: place_selectors.areas(user, kind=AreaKind.HAMLET), label=_("湾组")
    )
    hamlet_name = serializers.CharField(source="hamlet.name", read_only=True, label=_("湾组名称"))
    member = ScopedPrimaryKeyRelatedField(model=Member, selector=lambda user: selectors.members(user), label=_("党员"))
    member_name = serializers.CharField(source="member.resident.name", read_only=True, label=_("党员姓名"))
    linked_households = ScopedPrimaryKeyRelatedField(
        model=Household,
        selector=lambda user: place_selectors.households(user),
        many=True,
        required=False,
        label=_("联系户"),
    )
    linked_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("联系户数"))

    class Meta:
        model = CentreHousehold
        fields = ["id", "hamlet", "hamlet_name", "member", "member_name", "linked_households", "linked_count", "since"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> CentreHousehold:
        return services.set_centre_household(actor=self.actor, **validated_data)


class CentreHouseholdFilter(filters.FilterSet):
    area = IdFilter(method="filter_area", label=_("地区 id(含全部下级)"))

    class Meta:
        model = CentreHousehold
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[CentreHousehold], name: str, value: int) -> QuerySet[CentreHousehold]:
        area = place_selectors.areas(api_user(self.request)).filter(pk=value).first()
        return queryset.filter(hamlet__path__under=area.path) if area else queryset.none()


@extend_schema_view(
    list=extend_schema(summary=_("党员中心户列表")),
    retrieve=extend_schema(summary=_("党员中心户详情")),
    create=extend_schema(
        summary=_("设定党员中心户"),
        description=_("指定某湾组的党员中心户及其联系户;该湾组已有中心户时予以替换。"),
    ),
    destroy=extend_schema(summary=_("撤销党员中心户")),
)
class CentreHouseholdViewSet(
    RereadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """党员中心户:一名党员负责一个湾组,联系若干户。"""

    serializer_class = CentreHouseholdSerializer
    filterset_class = CentreHouseholdFilter

    def get_queryset(self) -> QuerySet[CentreHousehold]:
        user = api_user(self.request)
        return selectors.centre_households(user).prefetch_related(
            Prefetch("linked_households", queryset=place_selectors.households(user).select_related(None).only("pk"))
        )

    def perform_destroy(self, instance: CentreHousehold) -> None:
        services.remove_centre_household(actor=api_user(self.request), centre=instance)
