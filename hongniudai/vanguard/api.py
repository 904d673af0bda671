"""REST API of vanguard posts and party activities; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (the caller's scope applies; out of scope is a 404), writes go
through `services` (capability checks: 403; validation: 400 with Chinese messages by field)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    RECORD,
    SET_UP,
    ChoiceLabelField,
    DateField,
    DateFilter,
    IdFilter,
    ScopedPrimaryKeyRelatedField,
    ServiceModelViewSet,
    ServiceSerializer,
    crud_schema,
)
from hongniudai.enterprises.interface import Enterprise
from hongniudai.party.models import Member, PartyOrg

from . import policy, selectors, services
from .models import Activity, ActivityKind, PostPlace, VanguardPost


class _EditCapabilityMixin:
    """Writes need EDIT_PARTY somewhere: a user without it gets 403 before any lookup."""

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD", "OPTIONS") and not policy.edits_party(api_user(request)):
            raise PermissionDenied(str(_("您没有维护党建信息的权限。")))


# ---- vanguard posts -----------------------------------------------------------------------


class VanguardPostSerializer(ServiceSerializer):
    member = ScopedPrimaryKeyRelatedField(
        model=Member,
        selector=lambda user: selectors.members_for_participants(user),
        label=_("党员"),
        help_text=_("新建时必填;建立后不能更换。"),
    )
    member_name = serializers.CharField(source="member.resident.name", read_only=True, label=_("党员姓名"))
    org_name = serializers.CharField(source="org.name", read_only=True, label=_("党支部名称"))
    place_kind_label = ChoiceLabelField(source="place_kind", label=_("岗位所在名称"))
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        selector=lambda user: selectors.enterprises_for_choice(user),
        allow_null=True,
        required=False,
        label=_("企业"),
        help_text=_("不填时,如该党员在企业任职,自动取其所在企业。"),
    )
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, allow_null=True, label=_("企业名称")
    )
    active = serializers.SerializerMethodField(label=_("在岗"))

    class Meta:
        model = VanguardPost
        read_only_fields = ["org", "created_at"]
        # The editable fields (`VanguardPost.EDITABLE`), then what is set once or shown besides them.
        fields = ["id", "member", "member_name", "org_name", *VanguardPost.EDITABLE, "place_kind_label"]
        fields += ["enterprise_name", "active", *read_only_fields]
        validators: list[Any] = []

    def get_active(self, obj: VanguardPost) -> bool:
        return selectors.is_active(obj)

    def create(self, validated_data: dict[str, Any]) -> VanguardPost:
        return services.create_post(actor=self.actor, **validated_data)

    def update(self, instance: VanguardPost, validated_data: dict[str, Any]) -> VanguardPost:
        member = validated_data.pop("member", None)
        if member is not None and member.pk != instance.member_id:
            raise serializers.ValidationError({"member": [str(_("先锋岗设立后不能更换党员。"))]})
        values = self.current(instance, validated_data, VanguardPost.EDITABLE)
        return services.update_post(actor=self.actor, post=instance, **values)


class EndPostSerializer(serializers.Serializer):
    until = DateField(required=False, allow_null=True, label=_("撤岗日期"), help_text=_("默认今天"))


class VanguardPostFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("党员姓名、拼音首字母或岗位名称"))
    place_kind = filters.ChoiceFilter(choices=PostPlace.choices, label=_("岗位所在"))
    org = IdFilter(method="filter_org", label=_("党组织 id(含全部下级)"))
    enterprise = IdFilter(method="filter_enterprise", label=_("企业 id"))
    state = filters.ChoiceFilter(
        method="filter_state",
        choices=[(selectors.ACTIVE, _("在岗")), (selectors.ENDED, _("已撤岗"))],
        label=_("状态"),
    )

    class Meta:
        model = VanguardPost
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[VanguardPost], name: str, value: str) -> QuerySet[VanguardPost]:
        return queryset.filter(selectors.post_search_q(value))

    def filter_org(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        org = selectors.visible_org(api_user(self.request), value)
        return queryset.filter(org__path__under=org.path) if org else queryset.none()

    def filter_enterprise(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        enterprise = selectors.enterprises_for_choice(api_user(self.request)).filter(pk=value).first()
        return queryset.filter(enterprise=enterprise) if enterprise else queryset.none()

    def filter_state(self, queryset: QuerySet[VanguardPost], name: str, value: str) -> QuerySet[VanguardPost]:
        return queryset.filter(selectors.post_state_q(value))


@extend_schema_view(**crud_schema(pgettext_lazy("record", "党员先锋岗"), verb=SET_UP))
class VanguardPostViewSet(_EditCapabilityMixin, ServiceModelViewSet):
    """党员先锋岗:党员在车间、项目或服务窗口设岗亮诺。"""

    serializer_class = VanguardPostSerializer
    filterset_class = VanguardPostFilter
    delete_service = services.delete_post
    delete_argument = "post"

    def get_queryset(self) -> QuerySet[VanguardPost]:
        return selectors.posts(api_user(self.request))

    @extend_schema(
        summary=_("撤销党员先锋岗"),
        request=EndPostSerializer,
        responses={
            200: VanguardPostSerializer,
            400: OpenApiResponse(description=_("撤岗日期有误,或已撤岗。")),
            404: OpenApiResponse(
                inline_serializer("VanguardNotFound", {"detail": serializers.CharField()}),
                description=_("先锋岗不存在或不在您的范围之内。"),
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        post = self.get_object()
        data = EndPostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.end_post(actor=api_user(request), post=post, until=data.validated_data.get("until"))
        fresh = self.get_queryset().get(pk=post.pk)
        return Response(VanguardPostSerializer(fresh, context=self.get_serializer_context()).data)


# ---- activities ---------------------------------------------------------------------------


class ActivitySerializer(ServiceSerializer):
    kind_label = ChoiceLabelField(source="kind", label=_("活动类型名称"))
    org = ScopedPrimaryKeyRelatedField(
        model=PartyOrg, selector=lambda user: selectors.orgs_for_filter(user), label=_("组织党支部")
    )
    org_name = serializers.CharField(source="org.name", read_only=True, label=_("组织党支部名称"))
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        selector=lambda user: selectors.enterprises_for_choice(user),
        allow_null=True,
        required=False,
        label=_("企业"),
    )
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, allow_null=True, label=_("企业名称")
    )
    participants = ScopedPrimaryKeyRelatedField(
        model=Member,
        selector=lambda user: selectors.members_for_participants(user),
        many=True,
        required=False,
        label=_("参加党员"),
        help_text=_("党员 id 列表;只列出您可见的党员。"),
    )
    member_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("参加党员数"))

    class Meta:
        model = Activity
        read_only_fields = ["created_at"]
        # The editable fields (`Activity.EDITABLE`), then what the API shows or takes besides them.
        fields = ["id", *Activity.EDITABLE, "kind_label", "org_name", "enterprise_name", "participants"]
        fields += ["member_count", *read_only_fields]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Activity:
        return services.create_activity(actor=self.actor, **validated_data)

    def update(self, instance: Activity, validated_data: dict[str, Any]) -> Activity:
        values = self.current(instance, validated_data, Activity.EDITABLE)
        if "participants" in validated_data:
            # Participants the caller cannot see stay as they are.
            participants = [*validated_data["participants"], *selectors.hidden_participants(self.actor, instance)]
        else:
            participants = selectors.recorded_participants(self.actor, instance)
        return services.update_activity(actor=self.actor, activity=instance, participants=participants, **values)


class ActivityFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("活动名称包含"))
    kind = filters.ChoiceFilter(choices=ActivityKind.choices, label=_("活动类型"))
    org = IdFilter(method="filter_org", label=_("党组织 id(含全部下级)"))
    enterprise = IdFilter(method="filter_enterprise", label=_("企业 id"))
    date_from = DateFilter(field_name="held_on", lookup_expr="gte", label=_("开始日期"))
    date_to = DateFilter(field_name="held_on", lookup_expr="lte", label=_("结束日期"))

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        return queryset.filter(title__icontains=value.strip())

    def filter_org(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        org = selectors.visible_org(api_user(self.request), value)
        return queryset.filter(org__path__under=org.path) if org else queryset.none()

    def filter_enterprise(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        enterprise = selectors.enterprises_for_choice(api_user(self.request)).filter(pk=value).first()
        return queryset.filter(enterprise=enterprise) if enterprise else queryset.none()


@extend_schema_view(**crud_schema(pgettext_lazy("record", "党建活动"), verb=RECORD))
class ActivityViewSet(_EditCapabilityMixin, ServiceModelViewSet):
    """党建活动:车间党日、党员夜校、技能比武、志愿服务等,及参加党员。"""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    delete_service = services.delete_activity
    delete_argument = "activity"

    def get_queryset(self) -> QuerySet[Activity]:
        user = api_user(self.request)
        return selectors.activities(user).prefetch_related(
            Prefetch("participants", queryset=selectors.members_for_participants(user).select_related(None).only("pk"))
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("vanguard-posts", VanguardPostViewSet, "vanguard-post"),
    ("party-activities", ActivityViewSet, "party-activity"),
]
