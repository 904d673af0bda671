"""REST API of the soup rounds (爱心汤); `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (Capability.SERVICES scope, a volunteer's own visits; out of scope is
a 404); writes go through `services` (403 without the right over the village; 400 with Chinese
messages by field). Nothing is deleted: a recipient is removed with a reason and kept."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    ADD,
    CREATE,
    ChoiceLabelField,
    DateField,
    DateFilter,
    EditableRecordViewSet,
    IdField,
    IdFilter,
    IntegerField,
    RecordViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    WriteGateMixin,
    crud_schema,
    query_id,
)
from hongniudai.places.models import AreaNode, Resident
from hongniudai.volunteers.interface import Volunteer

from . import policy, selectors, services
from .models import (
    Observation,
    Outcome,
    RecipientStatus,
    SoupRecipient,
    SoupRound,
    SoupRule,
    SoupVisit,
)

NOT_FOUND = OpenApiResponse(
    inline_serializer("SoupNotFound", {"detail": serializers.CharField()}),
    description=_("记录不存在或不在您的范围之内。"),
)
REFUSAL = _("您没有管理爱心汤的权限。")


def _village_filter(queryset: QuerySet[Any], user: Any, value: int) -> QuerySet[Any]:
    village = selectors.villages_for_choice(user).filter(pk=value).first()
    return queryset.filter(area_path__under=village.path) if village else queryset.none()


class _Gate(WriteGateMixin):
    may_write = policy.serves
    write_refusal = REFUSAL


# ---- rules ------------------------------------------------------------------------------------


class SoupRuleSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: selectors.rule_areas(user),
        label=_("制定单位(镇或村 id)"),
        help_text=_("新建时必填;同一单位同一条件只有一条,再次提交即修改。"),
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("制定单位名称"))
    kind_label = ChoiceLabelField(source="kind", label=_("条件名称"))
    min_age = IntegerField(required=False, allow_null=True, label=_("年龄(周岁)"))

    class Meta:
        model = SoupRule
        fields = ["id", "area", "area_name", "kind", "kind_label", *SoupRule.EDITABLE, "updated_at"]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> SoupRule:
        return services.save_rule(actor=self.actor, **validated_data)

    def update(self, instance: SoupRule, validated_data: dict[str, Any]) -> SoupRule:
        self.refuse_change(instance, validated_data, "area", _("条件的制定单位不能更换。"))
        self.refuse_change(instance, validated_data, "kind", _("条件的类别不能更换。"))
        values = self.current(instance, validated_data, SoupRule.EDITABLE)
        return services.save_rule(actor=self.actor, area=instance.area, kind=instance.kind, **values)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "送汤对象条件"), verb=CREATE, omit=("destroy",)))
class SoupRuleViewSet(_Gate, EditableRecordViewSet):
    """爱心汤送汤对象条件(按镇制定,村可制定同类条件覆盖本村):年满规定年龄、独居、残疾人、脱贫户。"""

    serializer_class = SoupRuleSerializer

    def get_queryset(self) -> QuerySet[SoupRule]:
        return selectors.rules(api_user(self.request))


# ---- recipients -------------------------------------------------------------------------------


class SoupRecipientSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: selectors.residents_for_choice(user),
        label=_("居民 id"),
        help_text=_("人工添加时必填。"),
    )
    resident_name = serializers.CharField(source="resident.name", read_only=True, label=_("姓名"))
    village = serializers.IntegerField(source="village_id", read_only=True, label=_("村"))
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村名称"))
    hamlet = serializers.IntegerField(source="hamlet_id", read_only=True, label=_("湾组"))
    hamlet_name = serializers.CharField(source="hamlet.name", read_only=True, label=_("湾组名称"))
    reason = serializers.CharField(write_only=True, max_length=200, label=_("送汤原因(人工添加时填写)"))
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))

    class Meta:
        model = SoupRecipient
        fields = ["id", "resident", "resident_name", "village", "village_name", "hamlet", "hamlet_name"]
        fields += ["reasons", "reason", "by_hand", "status", "status_label", "proposed_at", "decided_at"]
        fields += ["removed_reason"]
        read_only_fields = ["reasons", "by_hand", "status", "proposed_at", "decided_at", "removed_reason"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> SoupRecipient:
        return services.add_recipient(actor=self.actor, **validated_data)


class ProposalSerializer(serializers.Serializer):
    resident = serializers.IntegerField(label=_("居民 id"))
    resident_name = serializers.CharField(label=_("姓名"))
    reasons = serializers.CharField(label=_("送汤原因"))


class ProposeSerializer(serializers.Serializer):
    village = IdField(label=_("村 id"))


class RemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=_("移除原因"))


class SoupRecipientFilter(filters.FilterSet):
    village = IdFilter(method="filter_village", label=_("村 id(或其上级地区 id)"))
    status = filters.ChoiceFilter(choices=RecipientStatus.choices, label=_("状态"))

    class Meta:
        model = SoupRecipient
        fields: list[str] = []

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _village_filter(queryset, api_user(self.request), value)


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "送汤对象"), verb=ADD, omit=("update", "partial_update", "destroy"))
)
class SoupRecipientViewSet(_Gate, RecordViewSet):
    """爱心汤送汤对象:按条件提出或人工添加(待审核),由村确认或移除(保留记录及原因)。"""

    serializer_class = SoupRecipientSerializer
    filterset_class = SoupRecipientFilter

    def get_queryset(self) -> QuerySet[SoupRecipient]:
        return selectors.recipients(api_user(self.request))

    def _answer(self, row: SoupRecipient) -> Response:
        fresh = self.get_queryset().get(pk=row.pk)
        return Response(SoupRecipientSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        summary=_("预览按条件提出的送汤对象"),
        parameters=[OpenApiParameter("village", {"type": "integer", "minimum": 1}, description=str(_("村 id")))],
        responses={200: ProposalSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("按条件提出送汤对象"),
        request=ProposeSerializer,
        responses={201: SoupRecipientSerializer(many=True), 400: OpenApiResponse(description=_("村有误。"))},
    )
    @action(detail=False, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def propose(self, request: Request) -> Response:
        user = api_user(request)
        if request.method == "GET":
            village_id = query_id(request, "village")
            village = selectors.villages_for_choice(user).filter(pk=village_id).first() if village_id else None
            rows = services.evaluate_rules(village) if village is not None else []
            data = [
                {"resident": p.resident.pk, "resident_name": p.resident.name, "reasons": p.reason_text} for p in rows
            ]
            return Response(ProposalSerializer(data, many=True).data)
        body = ProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        village = selectors.villages_for_choice(user).filter(pk=body.validated_data["village"]).first()
        if village is None:
            raise serializers.ValidationError({"village": [str(_("请选择您管辖范围内的村。"))]})
        created = services.propose_recipients(actor=user, village=village)
        fresh = self.get_queryset().filter(pk__in=[r.pk for r in created])
        return Response(SoupRecipientSerializer(fresh, many=True, context=self.get_serializer_context()).data, 201)

    @extend_schema(
        summary=_("确认送汤对象"),
        request=None,
        responses={
            200: SoupRecipientSerializer,
            400: OpenApiResponse(description=_("不是待审核状态。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        row = self.get_object()
        return self._answer(services.approve_recipient(actor=api_user(request), recipient=row))

    @extend_schema(
        summary=_("移除送汤对象"),
        request=RemoveSerializer,
        responses={
            200: SoupRecipientSerializer,
            400: OpenApiResponse(description=_("原因未填或已移除。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: Any = None) -> Response:
        row = self.get_object()
        body = RemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.remove_recipient(actor=api_user(request), recipient=row, **body.validated_data))


# ---- rounds -----------------------------------------------------------------------------------


class SoupRoundSerializer(ServiceSerializer):
    village = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: selectors.villages_for_choice(user), label=_("村")
    )
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村名称"))
    date = DateField(label=_("送汤日期"))
    visit_count = serializers.IntegerField(read_only=True, label=_("应送"))
    delivered_count = serializers.IntegerField(read_only=True, label=_("已送达"))
    pending_count = serializers.IntegerField(read_only=True, label=_("待送"))
    not_home_count = serializers.IntegerField(read_only=True, label=_("不在家"))
    declined_count = serializers.IntegerField(read_only=True, label=_("谢绝"))
    observation_count = serializers.IntegerField(read_only=True, label=_("关爱发现"))
    matter_count = serializers.IntegerField(read_only=True, label=_("转办事项"))

    class Meta:
        model = SoupRound
        fields = ["id", "village", "village_name", "date", "visit_count", "delivered_count", "pending_count"]
        fields += ["not_home_count", "declined_count", "observation_count", "matter_count", "created_at"]
        fields += ["flagged_at"]
        read_only_fields = ["created_at", "flagged_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> SoupRound:
        return services.create_round(actor=self.actor, village=validated_data["village"], day=validated_data["date"])


class SoupRoundFilter(filters.FilterSet):
    village = IdFilter(method="filter_village", label=_("村 id(或其上级地区 id)"))
    date_from = DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    date_to = DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = SoupRound
        fields: list[str] = []

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _village_filter(queryset, api_user(self.request), value)


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "送汤批次"),
        verb=CREATE,
        omit=("update", "partial_update", "destroy"),
        described={"create": _("逢九之日(或本镇设定的二月替代日)生成;同村同日只有一个批次,再次提交返回已有批次。")},
    )
)
class SoupRoundViewSet(_Gate, RecordViewSet):
    """爱心汤送汤批次:每村逢九(9 日、19 日、29 日)一次,由定时任务生成,统计送达情况。"""

    serializer_class = SoupRoundSerializer
    filterset_class = SoupRoundFilter

    def get_queryset(self) -> QuerySet[SoupRound]:
        return selectors.rounds(api_user(self.request))


# ---- visits -----------------------------------------------------------------------------------


class OutcomeField(serializers.ChoiceField):
    """A visit's outcome (its schema enum is `SoupOutcomeEnum`: SPECTACULAR_SETTINGS)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Outcome.choices, **kwargs)


class SoupVisitSerializer(serializers.ModelSerializer):
    round_date = serializers.DateField(source="round.date", read_only=True, label=_("送汤日期"))
    village_name = serializers.CharField(source="round.village.name", read_only=True, label=_("村名称"))
    hamlet_name = serializers.CharField(source="hamlet.name", read_only=True, label=_("湾组名称"))
    resident_name = serializers.CharField(source="recipient.resident.name", read_only=True, label=_("姓名"))
    address = serializers.CharField(source="recipient.resident.household.address", read_only=True, label=_("住址"))
    volunteer_name = serializers.CharField(
        source="volunteer.name", read_only=True, allow_null=True, label=_("送汤志愿者姓名")
    )
    outcome = OutcomeField(read_only=True, label=_("结果"))
    outcome_label = ChoiceLabelField(source="outcome", label=_("结果名称"))
    observation_label = ChoiceLabelField(source="observation", label=_("关爱发现名称"))
    matter_number = serializers.CharField(source="matter.number", read_only=True, allow_null=True, label=_("事项编号"))

    class Meta:
        model = SoupVisit
        fields = ["id", "round", "round_date", "village_name", "recipient", "hamlet", "hamlet_name"]
        fields += ["resident_name", "address", "volunteer", "volunteer_name", "outcome", "outcome_label"]
        fields += ["checked_at", "observation", "observation_label", "observation_note", "matter", "matter_number"]
        read_only_fields = fields


class CheckOffSerializer(serializers.Serializer):
    outcome = OutcomeField(label=_("送汤结果:已送达、不在家或谢绝(待送不可提交)"))
    observation = serializers.ChoiceField(
        choices=Observation.choices, required=False, allow_blank=True, default="", label=_("关爱发现")
    )
    observation_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, label=_("情况说明")
    )
    needs_action = serializers.BooleanField(required=False, default=False, label=_("需要转为事项"))


class VisitAssignSerializer(serializers.Serializer):
    volunteer = ScopedPrimaryKeyRelatedField(
        model=Volunteer,
        selector=lambda user: selectors.volunteers_for_choice(user),
        allow_null=True,
        label=_("送汤志愿者 id(空为不指定)"),
    )


class SoupVisitFilter(filters.FilterSet):
    round = IdFilter(field_name="round_id", label=_("批次 id"))
    outcome = filters.ChoiceFilter(choices=Outcome.choices, label=_("结果"))
    date = DateFilter(field_name="round__date", label=_("送汤日期"))

    class Meta:
        model = SoupVisit
        fields: list[str] = []


def _may_check(user: Any) -> bool:
    return policy.serves(user) or selectors.is_volunteer(user)


@extend_schema_view(
    list=extend_schema(summary=_("送汤记录列表(村干部看本村,志愿者看派给自己的)")),
    retrieve=extend_schema(summary=_("送汤记录详情")),
)
class SoupVisitViewSet(WriteGateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """爱心汤送汤记录:每批次每位送汤对象一条,志愿者登记送达、不在家或谢绝,及关爱发现。"""

    serializer_class = SoupVisitSerializer
    filterset_class = SoupVisitFilter
    may_write = _may_check
    write_refusal = _("您没有登记送汤结果的权限。")

    def get_queryset(self) -> QuerySet[SoupVisit]:
        return selectors.visits_visible(api_user(self.request))

    def _answer(self, visit: SoupVisit) -> Response:
        return Response(SoupVisitSerializer(self.get_queryset().get(pk=visit.pk)).data)

    @extend_schema(
        summary=_("登记送汤结果"),
        description=_("需要转为事项的关爱发现,在送汤对象所在湾组上报事项(来源:爱心汤),党员中心户会收到通知。"),
        request=CheckOffSerializer,
        responses={
            200: SoupVisitSerializer,
            400: OpenApiResponse(description=_("结果或关爱发现有误。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: Any = None) -> Response:
        visit = self.get_object()
        body = CheckOffSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.check_off(actor=api_user(request), visit=visit, **body.validated_data))

    @extend_schema(
        summary=_("改派送汤志愿者"),
        request=VisitAssignSerializer,
        responses={
            200: SoupVisitSerializer,
            400: OpenApiResponse(description=_("志愿者不是本村在册的。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        visit = self.get_object()
        body = VisitAssignSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return self._answer(services.assign_visit(actor=api_user(request), visit=visit, **body.validated_data))


ROUTES: list[tuple[str, Any, str]] = [
    ("soup-rules", SoupRuleViewSet, "soup-rule"),
    ("soup-recipients", SoupRecipientViewSet, "soup-recipient"),
    ("soup-rounds", SoupRoundViewSet, "soup-round"),
    ("soup-visits", SoupVisitViewSet, "soup-visit"),
]
