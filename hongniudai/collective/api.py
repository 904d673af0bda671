"""REST API of the collective economy: decisions (四议两公开) and their steps, organisations (the
village's collective and the cooperatives it founds), members and the share register;
`ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (ECONOMY_VIEW scope; out of scope is a 404); writes go through
`services` (ECONOMY_WRITE: 403; validation: 400 with Chinese messages by field). Nothing is edited or
deleted here: a decision's steps, memberships and the register only grow (a membership ends)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common.api import (
    RECORD,
    REGISTER,
    ChoiceLabelField,
    DateField,
    IdFilter,
    IntegerField,
    RecordViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    crud_schema,
    fresh,
)
from hongniudai.ledger.interface import Books
from hongniudai.orglife.interface import Meeting
from hongniudai.places.models import AreaNode, Household

from . import policy, selectors, services
from .models import (
    ContributionKind,
    Decision,
    DecisionStep,
    DecisionSubject,
    EconomicOrg,
    Membership,
    ShareEntry,
    StepKind,
)

NO_EDIT = ("update", "partial_update", "destroy")  # entries are never edited nor deleted
NOT_FOUND = OpenApiResponse(description=_("记录不存在或不在您的范围之内。"))


class _Records(RecordViewSet):
    """Writes need ECONOMY_WRITE somewhere: a user without it gets 403 before any lookup."""

    may_write = policy.writes_economy
    write_refusal = _("您没有登记集体经济信息的权限。")


def _decisions(user: Any) -> QuerySet[Decision]:
    return selectors.decisions_for_choice(user)


def _orgs(user: Any) -> QuerySet[EconomicOrg]:
    return selectors.orgs_for_choice(user)


def _households(user: Any) -> QuerySet[Household]:
    return scope_for(user, Capability.ECONOMY_WRITE).filter(Household.objects.all())


def _meetings(user: Any) -> QuerySet[Meeting]:
    return scope_for(user).filter(Meeting.objects.all())


def _villages(user: Any) -> QuerySet[AreaNode]:
    return selectors.villages_for_choice(user)


def _books(user: Any) -> QuerySet[Books]:
    return selectors.books_for_choice(user)


def _shares_field(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


# ---- decisions ------------------------------------------------------------------------------


class StepSerializer(ServiceSerializer):
    kind = serializers.ChoiceField(choices=StepKind.choices, label=_("环节"))
    kind_label = ChoiceLabelField(source="kind", label=_("环节名称"))
    held_on = DateField(label=_("日期"))
    meeting = ScopedPrimaryKeyRelatedField(
        model=Meeting,
        selector=_meetings,
        allow_null=True,
        required=False,
        label=_("会议记录"),
        help_text=_("村党组织提议:本村党支部的支部委员会会议;党员大会审议:支部党员大会。其他环节不填。"),
    )
    attended = IntegerField(min_value=0, max_value=100000, allow_null=True, required=False, label=_("参会人数"))
    agreed = IntegerField(min_value=0, max_value=100000, allow_null=True, required=False, label=_("同意人数"))

    class Meta:
        model = DecisionStep
        fields = ["id", "kind", "kind_label", "held_on", "meeting", "attended", "agreed", "note", "recorded_at"]
        read_only_fields = ["recorded_at"]
        validators: list[Any] = []


class MissingStepSerializer(serializers.Serializer):
    kind = serializers.CharField(label=_("环节"))
    kind_label = serializers.CharField(label=_("环节名称"))


class DecisionSerializer(ServiceSerializer):
    village = ScopedPrimaryKeyRelatedField(model=AreaNode, selector=_villages, label=_("村"))
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村名"))
    subject = serializers.ChoiceField(choices=DecisionSubject.choices, label=_("事项类别"))
    subject_label = ChoiceLabelField(source="subject", label=_("事项类别名称"))
    steps = StepSerializer(many=True, read_only=True, label=_("已记录的环节"))
    missing_steps = serializers.SerializerMethodField(label=_("尚未完成的环节"))

    class Meta:
        model = Decision
        fields = ["id", "village", "village_name", "subject", "subject_label", "title", "content", "steps"]
        fields += ["missing_steps", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    @extend_schema_field(MissingStepSerializer(many=True))
    def get_missing_steps(self, obj: Decision) -> list[dict[str, str]]:
        return [{"kind": k, "kind_label": str(StepKind(k).label)} for k in selectors.decision_missing_steps(obj)]

    def create(self, validated_data: dict[str, Any]) -> Decision:
        return services.create_decision(actor=self.actor, **validated_data)


class DecisionFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("事项名称包含"))
    subject = filters.ChoiceFilter(choices=DecisionSubject.choices, label=_("事项类别"))

    class Meta:
        model = Decision
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet[Decision]:
        return queryset.filter(title__icontains=value.strip())


@extend_schema_view(**crud_schema(pgettext_lazy("record", "四议两公开事项"), verb=REGISTER, omit=NO_EDIT))
class DecisionViewSet(_Records):
    """村级重大事项(四议两公开):事项及其六个环节,按顺序记录。"""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self) -> QuerySet[Decision]:
        return selectors.decisions(api_user(self.request))

    @extend_schema(
        summary=_("记录四议两公开环节"),
        request=StepSerializer,
        responses={
            201: StepSerializer,
            400: OpenApiResponse(description=_("环节顺序、日期或会议记录有误(说明缺少哪个环节)。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def steps(self, request: Request, pk: Any = None) -> Response:
        decision = self.get_object()
        data = StepSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        step = services.record_step(actor=api_user(request), decision=decision, **data.validated_data)
        return Response(
            StepSerializer(step, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


# ---- organisations --------------------------------------------------------------------------


class OrgSerializer(ServiceSerializer):
    village = ScopedPrimaryKeyRelatedField(model=AreaNode, selector=_villages, label=_("村"))
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村名"))
    kind_label = ChoiceLabelField(source="kind", label=_("组织类型名称"))
    books = ScopedPrimaryKeyRelatedField(
        model=Books,
        selector=_books,
        allow_null=True,
        required=False,
        label=_("账套"),
        help_text=_("该村已有的账套;不填则按2023年会计制度新建。"),
    )
    founded_on = DateField(label=_("成立日期"))
    member_count = serializers.IntegerField(read_only=True, label=_("在册成员户"))
    total_shares = _shares_field(read_only=True, label=_("总股数"))
    cooperative_count = serializers.IntegerField(read_only=True, label=_("合作社数"))

    class Meta:
        model = EconomicOrg
        fields = ["id", "village", "village_name", "name", "kind", "kind_label", "founded_by", "decision", "books"]
        fields += ["credit_code", "founded_on", "business", "member_count", "total_shares", "cooperative_count"]
        read_only_fields = ["founded_by", "decision"]
        extra_kwargs = {"credit_code": {"max_length": 30}}
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> EconomicOrg:
        return services.register_collective(actor=self.actor, **validated_data)


class CooperativeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, label=_("合作社名称"))
    kind = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in services.COOPERATIVE_KINDS],
        label=_("合作社类型"),
    )
    decision = ScopedPrimaryKeyRelatedField(
        model=Decision, selector=_decisions, label=_("决策依据"), help_text=_("已审议并决议的“组建合作社”事项")
    )
    founded_on = DateField(label=_("成立日期"))
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, label=_("统一社会信用代码"))
    business = serializers.CharField(max_length=200, required=False, allow_blank=True, label=_("经营范围"))


class HoldingSerializer(serializers.Serializer):
    household = serializers.IntegerField(allow_null=True, label=_("持股户 id"), help_text=_("空为集体股"))
    household_name = serializers.CharField(label=_("持股人"))
    shares = _shares_field(label=_("股数"))
    share_of_total = serializers.DecimalField(max_digits=7, decimal_places=2, label=_("占比(%)"))


class HoldingsQuery(serializers.Serializer):
    on = DateField(required=False, label=_("截至日期"))


class OrgFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("名称包含"))

    class Meta:
        model = EconomicOrg
        fields: list[str] = ["kind"]

    def filter_q(self, queryset: QuerySet[EconomicOrg], name: str, value: str) -> QuerySet[EconomicOrg]:
        return queryset.filter(name__icontains=value.strip())


@extend_schema_view(**crud_schema(pgettext_lazy("record", "集体经济组织"), verb=REGISTER, omit=NO_EDIT))
class OrgViewSet(_Records):
    """村集体经济组织(每村一个)及其发起的合作社,各有账套。"""

    serializer_class = OrgSerializer
    filterset_class = OrgFilter

    def get_queryset(self) -> QuerySet[EconomicOrg]:
        return selectors.orgs(api_user(self.request))

    @extend_schema(
        summary=_("持股情况"),
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description=str(_("截至日期,默认全部登记")))],
        responses={
            200: HoldingSerializer(many=True),
            400: OpenApiResponse(description=_("日期有误。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def holdings(self, request: Request, pk: Any = None) -> Response:
        org = self.get_object()
        query = HoldingsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.share_holders(api_user(request), org, query.validated_data.get("on"))
        data = [
            {
                "household": r.household.pk if r.household else None,
                "household_name": str(r.household) if r.household else str(_("集体股")),
                "shares": r.shares,
                "share_of_total": r.share_of_total,
            }
            for r in rows
        ]
        return Response(HoldingSerializer(data, many=True).data)

    @extend_schema(
        summary=_("组建合作社"),
        request=CooperativeSerializer,
        responses={
            201: OrgSerializer,
            400: OpenApiResponse(description=_("决策依据未完成审议、决议,或其他输入有误。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], url_path="found-cooperative")
    def found_cooperative(self, request: Request, pk: Any = None) -> Response:
        founder = self.get_object()
        data = CooperativeSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        coop = services.found_cooperative(actor=api_user(request), founder=founder, **data.validated_data)
        body = OrgSerializer(fresh(self.get_queryset(), coop), context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


# ---- members --------------------------------------------------------------------------------


class MembershipSerializer(ServiceSerializer):
    org = ScopedPrimaryKeyRelatedField(model=EconomicOrg, selector=_orgs, label=_("组织"))
    household = ScopedPrimaryKeyRelatedField(model=Household, selector=_households, label=_("成员户"))
    household_name = serializers.CharField(source="household.__str__", read_only=True, label=_("户主或住址"))
    confirmed_on = DateField(label=_("确认日期"))
    decision = ScopedPrimaryKeyRelatedField(
        model=Decision, selector=_decisions, allow_null=True, required=False, label=_("确认依据")
    )

    class Meta:
        model = Membership
        fields = ["id", "org", "household", "household_name", "confirmed_on", "decision", "ended_on", "note"]
        read_only_fields = ["ended_on"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Membership:
        return services.confirm_member(actor=self.actor, **validated_data)


class EndMembershipSerializer(serializers.Serializer):
    ended_on = DateField(label=_("退出日期"))


class OrgIdFilter(filters.FilterSet):
    org = IdFilter(field_name="org", label=_("组织 id"))


class MembershipFilter(OrgIdFilter):
    class Meta:
        model = Membership
        fields: list[str] = []


@extend_schema_view(**crud_schema(pgettext_lazy("record", "集体经济组织成员"), verb=RECORD, omit=NO_EDIT))
class MembershipViewSet(_Records):
    """成员身份确认:本村农户,每户一次;退出后保留记录。"""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.memberships_all(api_user(self.request))

    @extend_schema(
        summary=_("成员退出"),
        request=EndMembershipSerializer,
        responses={
            200: MembershipSerializer,
            400: OpenApiResponse(description=_("退出日期有误,或已退出。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        membership = self.get_object()
        data = EndMembershipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.end_membership(actor=api_user(request), membership=membership, **data.validated_data)
        fresh_row = self.get_queryset().get(pk=membership.pk)
        return Response(MembershipSerializer(fresh_row, context=self.get_serializer_context()).data)


# ---- shares ---------------------------------------------------------------------------------


class ShareEntrySerializer(ServiceSerializer):
    org = ScopedPrimaryKeyRelatedField(model=EconomicOrg, selector=_orgs, label=_("组织"))
    household = ScopedPrimaryKeyRelatedField(
        model=Household,
        selector=_households,
        allow_null=True,
        required=False,
        label=_("持股户"),
        help_text=_("不填为集体股。"),
    )
    kind_label = ChoiceLabelField(source="kind", label=_("股份类别名称"))
    contribution = serializers.ChoiceField(choices=ContributionKind.choices, label=_("出资方式"))
    shares = _shares_field(label=_("股数"), help_text=_("增加为正,减少为负;最多两位小数。"))
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, label=_("出资金额(元)")
    )
    effective_on = DateField(label=_("生效日期"))
    decision = ScopedPrimaryKeyRelatedField(
        model=Decision, selector=_decisions, allow_null=True, required=False, label=_("决策依据")
    )

    class Meta:
        model = ShareEntry
        fields = ["id", "org", "household", "kind", "kind_label", "contribution", "shares", "amount"]
        fields += ["effective_on", "reason", "decision", "voucher", "recorded_at"]
        read_only_fields = ["kind", "voucher", "recorded_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> ShareEntry:
        validated_data.setdefault("household", None)
        return services.record_shares(actor=self.actor, **validated_data)


class ShareEntryFilter(OrgIdFilter):
    class Meta:
        model = ShareEntry
        fields: list[str] = []


@extend_schema_view(**crud_schema(pgettext_lazy("record", "股权登记"), verb=RECORD, omit=NO_EDIT))
class ShareEntryViewSet(_Records):
    """股权登记簿:按户(或集体股)登记股数增减,不修改、不删除;现金入股记入账套。"""

    serializer_class = ShareEntrySerializer
    filterset_class = ShareEntryFilter

    def get_queryset(self) -> QuerySet[ShareEntry]:
        return selectors.share_entries_all(api_user(self.request))


ROUTES: list[tuple[str, Any, str]] = [
    ("collective-decisions", DecisionViewSet, "collective-decision"),
    ("collective-orgs", OrgViewSet, "collective-org"),
    ("collective-members", MembershipViewSet, "collective-member"),
    ("collective-share-entries", ShareEntryViewSet, "collective-share-entry"),
]
