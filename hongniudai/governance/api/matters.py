"""REST API for source governance: matters and the ladder (accept, escalate, hand down, resolve,
reopen, invite), visits and sessions, the mediation agreement, follow-up visits, attachments,
the timeline, the categories and the measures.

Reads come from `selectors` (the caller's scope applies: a matter out of scope answers 404 on
every route, exactly like a missing one); writes go through `services` (capability checks: 403;
validation: 400 with Chinese messages keyed by field). Parties appear by name and masked ID
number only."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
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

from hongniudai.accounts.models import User
from hongniudai.common import parsing
from hongniudai.common.api import (
    ChoiceLabelField,
    DateField,
    DateFilter,
    IdField,
    IdFilter,
    ScopedPrimaryKeyRelatedField,
    id_parameter,
)
from hongniudai.common.text import limit
from hongniudai.party.api import ResidentBriefSerializer
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode, Resident

from .. import rollups, selectors, services
from ..calendar import Signal
from ..models import (
    Agreement,
    Attachment,
    Category,
    CategoryAttribute,
    CategoryKind,
    Channel,
    FollowUp,
    Level,
    Matter,
    MatterEvent,
    MatterStatus,
    MediationSession,
    Outcome,
    Urgency,
)

SIGNALS = [
    (Signal.GREEN, _("正常")),
    (Signal.YELLOW, _("临近时限")),
    (Signal.RED, _("已超时")),
    ("done", _("已办结")),
]
LEVEL_HELP = _("层级代码:hamlet 湾组、grid 村组、village 村、town 镇;无则为空")
_MESSAGE = inline_serializer("GovernanceMessage", {"detail": serializers.CharField()})
NOT_FOUND = OpenApiResponse(_MESSAGE, description=_("事项不存在或不在您的范围之内。"))
FORBIDDEN = OpenApiResponse(_MESSAGE, description=_("事项可见,但您无权办理(例如不是当前层级或上级的办理人)。"))
BAD_REQUEST = OpenApiResponse(description=_("输入有误:按字段给出中文说明,未作任何改动。"))


# ---- small pieces ---------------------------------------------------------------------------


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True, label=_("姓名"))

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields


class CategoryAttributeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CategoryAttribute
        fields = ["code", "description", "datatype", "required", "values", "order"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(source="kind", label=_("大类名称"))
    attributes = CategoryAttributeSerializer(many=True, read_only=True, label=_("附加问题"))

    class Meta:
        model = Category
        fields = ["id", "code", "name", "kind", "kind_label", "description", "keywords", "is_public", "attributes"]
        read_only_fields = fields


class CategoryCodeField(serializers.SlugRelatedField):
    """A category named by its code, among the active ones."""

    default_error_messages = {
        "does_not_exist": _("没有代码为“{value}”的事项类别。"),
        "invalid": _("事项类别代码无效。"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Category.objects.none())
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self) -> QuerySet[Category]:
        return selectors.categories()


# ---- matters --------------------------------------------------------------------------------


class MatterSerializer(serializers.ModelSerializer):
    """A matter as its handlers see it. Parties: name and masked ID number only."""

    category_code = serializers.CharField(source="category.code", read_only=True, label=_("类别代码"))
    category_name = serializers.CharField(source="category.name", read_only=True, label=_("类别名称"))
    category_kind = serializers.CharField(
        source="category.kind", read_only=True, label=_("大类"), help_text=_("同事项类别的 kind")
    )
    place_name = serializers.CharField(source="place.name", read_only=True, label=_("发生地名称"))
    place_parent_name = serializers.CharField(
        source="place.parent.name", read_only=True, allow_null=True, label=_("发生地上级名称")
    )
    level_label = ChoiceLabelField(source="level", label=_("当前层级名称"))
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("当前办理单位名称"))
    handler = UserBriefSerializer(read_only=True, allow_null=True, label=_("承办人"))
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    signal = serializers.SerializerMethodField(label=_("时限信号"))
    due_at = serializers.SerializerMethodField(label=_("当前期限"))
    channel_label = ChoiceLabelField(source="channel", label=_("来源渠道名称"))
    reporter_display = serializers.SerializerMethodField(label=_("反映人或上报人"))
    reporter_phone_masked = serializers.SerializerMethodField(label=_("反映人电话(脱敏)"))
    parties = ResidentBriefSerializer(many=True, read_only=True, label=_("当事人"))
    invited = UserBriefSerializer(many=True, read_only=True, label=_("受邀参与人"))
    # Declared so that the schema admits "" (not yet resolved): a model field made read-only
    # loses its allow_blank.
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True, label=_("办理结果"))
    outcome_label = ChoiceLabelField(source="outcome", label=_("办理结果名称"))
    resolved_level = serializers.CharField(read_only=True, label=_("化解层级"), help_text=LEVEL_HELP)
    session_count = serializers.IntegerField(read_only=True, label=_("走访调处次数"))
    attachment_count = serializers.IntegerField(read_only=True, label=_("附件数"))
    follow_up_count = serializers.IntegerField(read_only=True, label=_("回访次数"))
    event_count = serializers.IntegerField(read_only=True, label=_("办理记录数"))
    has_agreement = serializers.BooleanField(read_only=True, label=_("已签调解协议"))

    class Meta:
        model = Matter
        fields = [
            "id",
            "number",
            "title",
            "description",
            "category",
            "category_code",
            "category_name",
            "category_kind",
            "place",
            "place_name",
            "place_parent_name",
            "lon",
            "lat",
            "address",
            "level",
            "level_label",
            "area",
            "area_name",
            "handler",
            "status",
            "status_label",
            "signal",
            "due_at",
            "urgency",
            "channel",
            "channel_label",
            "reporter_display",
            "reporter_phone_masked",
            "parties",
            "other_parties",
            "attributes",
            "invited",
            "reported_at",
            "level_since",
            "accepted_at",
            "accept_due_at",
            "settle_due_at",
            "resolved_at",
            "resolved_level",
            "outcome",
            "outcome_label",
            "resolution",
            "public_notes",
            "satisfaction",
            "escalations",
            "reopened",
            "session_count",
            "attachment_count",
            "follow_up_count",
            "event_count",
            "has_agreement",
        ]
        read_only_fields = fields

    def _signal(self, obj: Matter) -> tuple[str, dt.datetime | None]:
        known: dict[int, tuple[str, dt.datetime | None]] = self.context.get("signals") or {}
        if obj.pk in known:
            return known[obj.pk]
        return selectors.signal_of(obj), selectors.due_of(obj)

    @extend_schema_field(serializers.ChoiceField(choices=SIGNALS))
    def get_signal(self, obj: Matter) -> str:
        return self._signal(obj)[0]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))  # null once resolved
    def get_due_at(self, obj: Matter) -> str | None:
        due = self._signal(obj)[1]
        return serializers.DateTimeField().to_representation(due) if due else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_reporter_display(self, obj: Matter) -> str:
        if obj.reporter_name:
            return obj.reporter_name
        return str(obj.reporter) if obj.reporter_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_reporter_phone_masked(self, obj: Matter) -> str:
        from hongniudai.common.identity import mask_phone

        return mask_phone(obj.reporter_phone)


class MatterReportSerializer(serializers.Serializer):
    """A new matter. Give the place (a hamlet or grid id) or a point (lon, lat) that lies in one."""

    category = CategoryCodeField(label=_("类别代码"), help_text=_("见 GET /api/v1/matter-categories/"))
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label=_("标题"))
    description = serializers.CharField(
        max_length=limit(Matter, "description"), required=False, allow_blank=True, default="", label=_("情况描述")
    )
    place = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: place_selectors.areas(user),
        required=False,
        allow_null=True,
        default=None,
        label=_("发生地(湾组或村组 id)"),
    )
    lon = serializers.DecimalField(
        max_digits=10,
        decimal_places=6,
        rounding=ROUND_HALF_UP,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
        default=None,
        label=_("经度"),
    )
    lat = serializers.DecimalField(
        max_digits=10,
        decimal_places=6,
        rounding=ROUND_HALF_UP,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
        default=None,
        label=_("纬度"),
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("地点"))
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL, label=_("紧急程度"))
    reporter_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", label=_("反映人")
    )
    reporter_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", label=_("反映人电话")
    )
    parties = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: place_selectors.residents(user),
        many=True,
        required=False,
        default=list,
        label=_("当事人(居民 id)"),
    )
    other_parties = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=_("其他当事人")
    )
    attributes = serializers.DictField(
        required=False, default=dict, label=_("附加信息"), help_text=_("按类别的附加问题作答:{代码: 答案}")
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", label=_("说明"))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="", label=_("理由"))


class HandDownSerializer(ReasonSerializer):
    to = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=lambda user: place_selectors.areas(user), label=_("交办给(村、村组或湾组 id)")
    )


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, label=_("办理结果"))
    resolution = serializers.CharField(
        max_length=limit(Matter, "resolution"), required=False, allow_blank=True, default="", label=_("办理情况")
    )
    public_notes = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="", label=_("公开办理说明")
    )


class InviteSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, label=_("被邀请人(用户 id)"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("说明"))


class SessionSerializer(serializers.ModelSerializer):
    recorded_by = UserBriefSerializer(read_only=True, allow_null=True, label=_("记录人"))

    class Meta:
        model = MediationSession
        fields = [
            "id",
            "held_on",
            "place",
            "participants",
            "legal_adviser_present",
            "summary",
            "agreed",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["id", "recorded_by", "created_at"]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["matter", "parties", "facts", "terms", "mediators", "signed_on", "signatures_noted", "created_at"]
        read_only_fields = ["matter", "created_at"]


class FollowUpSerializer(serializers.ModelSerializer):
    visited_by = UserBriefSerializer(read_only=True, allow_null=True, label=_("回访人"))
    satisfaction = serializers.IntegerField(label=_("满意度(1-5)"))

    class Meta:
        model = FollowUp
        fields = ["id", "visited_on", "held", "satisfaction", "note", "visited_by"]
        read_only_fields = ["id", "visited_by"]
        extra_kwargs = {"note": {"required": False, "allow_blank": True}}


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = UserBriefSerializer(read_only=True, allow_null=True, label=_("上传人"))
    download = serializers.SerializerMethodField(label=_("下载地址"))

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "download"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri-reference"})  # a path on this server
    def get_download(self, obj: Attachment) -> str:
        return reverse("api:matter-attachment-download", kwargs={"pk": obj.matter_id, "attachment_id": obj.pk})


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("文件"), help_text=_("照片(jpg、png、gif、webp)或文档(pdf、docx、xlsx)"))


class EventSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(source="kind", label=_("环节名称"))
    actor = UserBriefSerializer(read_only=True, allow_null=True, label=_("办理人"))
    from_level = serializers.CharField(read_only=True, label=_("原层级"), help_text=LEVEL_HELP)
    to_level = serializers.CharField(read_only=True, label=_("新层级"), help_text=LEVEL_HELP)

    class Meta:
        model = MatterEvent
        fields = ["id", "kind", "kind_label", "at", "actor", "from_level", "to_level", "note"]
        read_only_fields = fields


class InvitableSerializer(UserBriefSerializer):
    pass


class MatterFilter(filters.FilterSet):
    """The query parameters of the matter list; applied by `selectors.matters`."""

    q = filters.CharFilter(label=_("编号、标题、描述或其他当事人"))
    status = filters.ChoiceFilter(
        choices=[("open", _("未办结(待受理或办理中)")), *MatterStatus.choices], label=_("状态")
    )
    level = filters.ChoiceFilter(choices=Level.choices, label=_("当前层级"))
    category = filters.CharFilter(label=_("类别代码"))
    kind = filters.ChoiceFilter(choices=CategoryKind.choices, label=_("大类"))
    area = IdFilter(label=_("发生地所在地区 id(含全部下级)"))
    overdue = filters.BooleanFilter(label=_("只看超时"))
    reported_from = DateFilter(label=_("上报日期自"))
    reported_to = DateFilter(label=_("上报日期至"))

    class Meta:
        model = Matter
        fields: list[str] = []

    def matters(self, user: Any) -> QuerySet[Matter]:
        data = self.form.cleaned_data
        kwargs: dict[str, Any] = {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "level": data.get("level") or "",
            "kind": data.get("kind") or "",
            "overdue": data.get("overdue"),
            "reported_from": data.get("reported_from"),
            "reported_to": data.get("reported_to"),
        }
        if data.get("category"):
            category = selectors.categories(active_only=False).filter(code=data["category"].strip()).first()
            if category is None:
                raise serializers.ValidationError({"category": [_("没有该代码的事项类别。")]})
            kwargs["category"] = category
        if data.get("area"):
            area = place_selectors.areas(user).filter(pk=data["area"]).first()
            if area is None:
                return Matter.objects.none()
            kwargs["area"] = area
        return selectors.matters(user, **kwargs)


@extend_schema_view(
    list=extend_schema(summary=_("事项列表"), description=_("只含您范围内的事项;按上报时间倒序。")),
    retrieve=extend_schema(summary=_("事项详情"), responses={200: MatterSerializer, 404: NOT_FOUND}),
)
class MatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """事项:上报、受理、上交、交办、办结、回访,以及走访调处、调解协议、附件和办理记录。"""

    serializer_class = MatterSerializer
    filterset_class = MatterFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Matter]:
        return selectors.with_details(selectors.matters(self.request.user))

    def filter_queryset(self, queryset: QuerySet[Matter]) -> QuerySet[Matter]:
        if self.action != "list":
            return queryset
        filterset = MatterFilter(self.request.query_params, queryset=queryset, request=self.request)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return selectors.with_details(filterset.matters(self.request.user))

    def get_object(self) -> Matter:
        return selectors.matter_detail(self.request.user, int(self.kwargs["pk"]))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        signals = {r.matter.pk: (r.signal, r.due) for r in selectors.with_signals(rows)}
        serializer = MatterSerializer(rows, many=True, context={**self.get_serializer_context(), "signals": signals})
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    # -- helpers

    def _matter(self) -> Matter:
        """The matter of the URL, if the user may see it (else 404)."""
        return selectors.matter_get(self.request.user, int(self.kwargs["pk"]))

    def _answer(self, matter: Matter, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.matter_after_action(self.request.user, matter)
        return Response(MatterSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        form = serializer_class(data=self.request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return dict(form.validated_data)

    # -- report

    @extend_schema(
        summary=_("上报事项"),
        description=_(
            "经接口上报一件事项(来源渠道“接口”)。给出发生地(湾组或村组 id),或给出经纬度,由系统定位到所在的湾组或村组。"
            "事项先到湾组的党员中心户,该湾组没有中心户时到村组网格员。"
        ),
        request=MatterReportSerializer,
        responses={201: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        data = self._input(MatterReportSerializer)
        matter = services.report_matter(actor=request.user, channel=Channel.API, **data)
        return self._answer(matter, status.HTTP_201_CREATED)

    # -- the ladder

    @extend_schema(
        summary=_("受理"),
        request=NoteSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="accept", url_name="accept")
    def accept(self, request: Request, pk: str | None = None) -> Response:
        data = self._input(NoteSerializer)
        return self._answer(services.accept(actor=request.user, matter=self._matter(), note=data["note"]))

    @extend_schema(
        summary=_("上交上一级"),
        description=_("湾组 → 村组 → 村 → 镇,须说明理由。"),
        request=ReasonSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="escalate", url_name="escalate")
    def escalate(self, request: Request, pk: str | None = None) -> Response:
        data = self._input(ReasonSerializer)
        return self._answer(services.escalate(actor=request.user, matter=self._matter(), reason=data["reason"]))

    @extend_schema(
        summary=_("交办下级"),
        description=_("上级把事项交回发生地所在的下级单位(村、村组或湾组),须说明交办要求。"),
        request=HandDownSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="hand-down", url_name="hand-down")
    def hand_down(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        data = self._input(HandDownSerializer)
        return self._answer(services.hand_down(actor=request.user, matter=matter, to=data["to"], reason=data["reason"]))

    @extend_schema(
        summary=_("办结"),
        description=_("记录办理结果;结果为“签订调解协议”时须先登记调解协议。"),
        request=ResolveSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="resolve", url_name="resolve")
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        data = self._input(ResolveSerializer)
        return self._answer(services.resolve(actor=request.user, matter=matter, **data))

    @extend_schema(
        summary=_("重新办理"),
        description=_("回访发现结果未保持时,已办结的事项回到办结它的层级重新办理。"),
        request=ReasonSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="reopen", url_name="reopen")
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        data = self._input(ReasonSerializer)
        return self._answer(services.reopen(actor=request.user, matter=matter, reason=data["reason"]))

    @extend_schema(
        methods=["GET"],
        summary=_("可邀请的人员"),
        description=_("本村(及上级)的法律顾问、下沉干部和志愿者中尚未邀请的人员。"),
        request=None,
        responses={200: InvitableSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("邀请参与调处"),
        description=_("邀请村法律顾问等参与;被邀请人此后可查看该事项、记录走访和调解协议。"),
        request=InviteSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="invite",
        url_name="invite",
        filterset_class=None,
        pagination_class=None,
    )
    def invite(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        if request.method == "GET":
            people = selectors.invitable_of(request.user, matter)
            return Response(InvitableSerializer(people, many=True).data)
        data = self._input(InviteSerializer)
        person = next((u for u in selectors.invitable_of(request.user, matter) if u.pk == data["user"]), None)
        if person is None:
            person = matter.invited.filter(pk=data["user"]).first()  # already invited: the service says so
        if person is None:
            raise serializers.ValidationError({"user": [_("只能邀请本村及上级的法律顾问、下沉干部或志愿者。")]})
        return self._answer(services.invite(actor=request.user, matter=matter, user=person, note=data["note"]))

    # -- records of the work

    @extend_schema(
        methods=["GET"],
        summary=_("走访调处记录"),
        request=None,
        responses={200: SessionSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("记录走访或调处"),
        description=_("办理人或受邀参与人(如村法律顾问)记录一次走访或调处。"),
        request=SessionSerializer,
        responses={201: SessionSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="sessions",
        url_name="sessions",
        filterset_class=None,
        pagination_class=None,
    )
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        if request.method == "GET":
            rows = selectors.sessions_of(request.user, matter)
            return Response(SessionSerializer(rows, many=True).data)
        data = self._input(SessionSerializer)
        session = services.record_session(actor=request.user, matter=matter, **data)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary=_("调解协议"),
        request=None,
        responses={
            200: AgreementSerializer,
            404: OpenApiResponse(_MESSAGE, description=_("尚无调解协议,或事项不在范围之内。")),
        },
    )
    @extend_schema(
        methods=["PUT", "POST"],
        summary=_("登记或修改调解协议"),
        description=_("矛盾纠纷类事项的调解协议:当事人、纠纷事实、协议内容、调解人、签订日期、各方是否已签字。"),
        request=AgreementSerializer,
        responses={
            200: AgreementSerializer,
            201: AgreementSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["get", "put", "post"],
        url_path="agreement",
        url_name="agreement",
        filterset_class=None,
        pagination_class=None,
    )
    def agreement(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        if request.method == "GET":
            return Response(AgreementSerializer(selectors.agreement_get(request.user, matter.pk)).data)
        data = self._input(AgreementSerializer)
        existed = Agreement.objects.filter(matter=matter).exists()
        agreement = services.sign_agreement(actor=request.user, matter=matter, **data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(AgreementSerializer(agreement).data, status=code)

    @extend_schema(
        methods=["GET"],
        summary=_("回访记录"),
        request=None,
        responses={200: FollowUpSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("记录回访"),
        description=_("办结后回访:结果是否保持,反映人满意度(1-5)。结果保持时事项转为“已回访”。"),
        request=FollowUpSerializer,
        responses={201: FollowUpSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="follow-ups",
        url_name="follow-ups",
        filterset_class=None,
        pagination_class=None,
    )
    def follow_ups(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        if request.method == "GET":
            return Response(FollowUpSerializer(selectors.follow_ups_of(request.user, matter), many=True).data)
        data = self._input(FollowUpSerializer)
        visit = services.follow_up(actor=request.user, matter=matter, **data)
        return Response(FollowUpSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary=_("附件列表"),
        request=None,
        responses={200: AttachmentSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("上传附件"),
        description=_(
            "multipart/form-data,字段 file。只接受照片(jpg、png、gif、webp)和文档(pdf、docx、xlsx);"
            "内容与扩展名不符或超过大小上限的文件一律拒收(400)。"
        ),
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="attachments",
        url_name="attachments",
        filterset_class=None,
        pagination_class=None,
    )
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        if request.method == "GET":
            return Response(AttachmentSerializer(selectors.attachments_of(request.user, matter), many=True).data)
        data = self._input(AttachmentUploadSerializer)
        attachment = services.add_attachment(actor=request.user, matter=matter, upload=data["file"])
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("下载附件"),
        parameters=[
            OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("附件 id"))
        ],
        request=None,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description=_("附件文件")),
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>\d+)",
        url_name="attachment-download",
        filterset_class=None,
        pagination_class=None,
    )
    def attachment_download(self, request: Request, pk: str | None = None, attachment_id: str | None = None) -> Any:
        matter = self._matter()
        attachment = selectors.attachments_of(request.user, matter).filter(pk=int(attachment_id or 0)).first()
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except OSError:  # the record is there, the file is gone from storage
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        summary=_("办理记录(时间线)"),
        request=None,
        responses={200: EventSerializer(many=True), 404: NOT_FOUND},
    )
    @action(
        detail=True, methods=["get"], url_path="events", url_name="events", filterset_class=None, pagination_class=None
    )
    def events(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter()
        return Response(EventSerializer(selectors.timeline(request.user, matter), many=True).data)


# ---- categories ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("事项类别列表"), description=_("启用的事项类别及其附加问题(上报时按代码作答)。")),
    retrieve=extend_schema(summary=_("事项类别详情")),
)
class MatterCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """事项类别(维护的类别清单,每个类别即一项 Open311 服务)。"""

    serializer_class = CategorySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Category]:
        return selectors.categories().order_by("sort_order", "code")


# ---- measures -----------------------------------------------------------------------------


class ByLevelSerializer(serializers.Serializer):
    hamlet = serializers.IntegerField(label=_("湾组化解"))
    grid = serializers.IntegerField(label=_("村组化解"))
    village = serializers.IntegerField(label=_("村级化解"))
    town = serializers.IntegerField(label=_("镇级化解"))


class MeasuresSerializer(serializers.Serializer):
    area = serializers.IntegerField(allow_null=True, label=_("地区 id"), help_text=_("不限地区时为 null"))
    area_name = serializers.CharField(allow_null=True, label=_("地区名称"))
    start = DateField(label=_("起始日期"))
    end = DateField(label=_("截止日期"))
    reported = serializers.IntegerField(label=_("上报事项数"))
    settled = serializers.IntegerField(label=_("办结事项数"))
    open = serializers.IntegerField(label=_("未办结事项数"))
    overdue = serializers.IntegerField(label=_("超时事项数"))
    settled_hamlet = serializers.IntegerField(label=_("湾组化解数"))
    settled_village_or_below = serializers.IntegerField(label=_("村级及以下化解数"))
    hamlet_rate = serializers.FloatField(
        allow_null=True, label=_("小事不出湾率"), help_text=_("0 到 1 之间的小数;期间无办结事项时为 null")
    )
    village_rate = serializers.FloatField(
        allow_null=True, label=_("大事不出村率"), help_text=_("0 到 1 之间的小数;期间无办结事项时为 null")
    )
    mean_days = serializers.FloatField(allow_null=True, label=_("平均办结天数"))
    p90_days = serializers.FloatField(allow_null=True, label=_("90% 事项办结天数"))
    satisfaction = serializers.FloatField(allow_null=True, label=_("平均满意度(1-5)"))
    follow_ups = serializers.IntegerField(label=_("已回访评价数"))
    repeat_matters = serializers.IntegerField(label=_("重复事项数"))
    by_level = ByLevelSerializer(label=_("按化解层级的办结数"))


class MeasuresQuerySerializer(serializers.Serializer):
    area = IdField(required=False, label=_("地区 id"))
    start = DateField(required=False, label=_("起始日期"))
    end = DateField(required=False, label=_("截止日期"))

    def get_fields(self) -> dict[str, serializers.Field]:
        # The query parameters are called `from` and `to` (a keyword in Python).
        fields = super().get_fields()
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("to") or timezone.localdate()
        # By default the last twelve months from the first of a month, as the page's 近12个月:
        # whole months, which the rollup answers without counting the matters.
        start = attrs.get("from") or rollups.months_back(end, 11)
        errors = parsing.period_errors(start, end)
        if errors:
            raise serializers.ValidationError({"from": errors})
        return {"area": attrs.get("area"), "start": start, "end": end}


class ObjectSchema(AutoSchema):
    """The measures are one object, not a list (the viewset's `list` is its only route)."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


class MatterMeasuresViewSet(viewsets.ViewSet):
    """事项统计:上报、办结、未办结、超时,小事不出湾率、大事不出村率,办结用时,满意度,重复事项。"""

    schema = ObjectSchema()

    @extend_schema(
        summary=_("事项统计"),
        description=_(
            "某地区(按事项发生地,含全部下级)某期间的事项统计,只计您范围内的事项。"
            "不给 area 时为您可见的全部事项;不给 to 时为今天,不给 from 时为 to 之前一年。"
            "比率为 0 到 1 之间的小数,期间无办结事项时为 null。"
            "日期须在 1900-01-01 至 2100-12-31 之间,期间不超过 10 年。"
        ),
        parameters=[
            id_parameter("area", _("地区 id(不在您范围之内时返回 404)")),
            OpenApiParameter("from", OpenApiTypes.DATE, description=_("起始日期(含)")),
            OpenApiParameter("to", OpenApiTypes.DATE, description=_("截止日期(含)")),
        ],
        responses={
            200: MeasuresSerializer,
            400: BAD_REQUEST,
            404: OpenApiResponse(_MESSAGE, description=_("地区不存在或不在您的范围之内。")),
        },
    )
    def list(self, request: Request) -> Response:
        query = MeasuresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        args = query.validated_data
        node = None
        if args["area"] is not None:
            node = place_selectors.area_get(request.user, args["area"])
        m = selectors.measures(request.user, node=node, start=args["start"], end=args["end"])
        body = {
            "area": node.pk if node else None,
            "area_name": node.name if node else None,
            "start": m.start,
            "end": m.end,
            "reported": m.reported,
            "settled": m.settled,
            "open": m.open,
            "overdue": m.overdue,
            "settled_hamlet": m.settled_hamlet,
            "settled_village_or_below": m.settled_village_or_below,
            "hamlet_rate": _rounded(m.hamlet_rate, 4),
            "village_rate": _rounded(m.village_rate, 4),
            "mean_days": _rounded(m.mean_days, 2),
            "p90_days": _rounded(m.p90_days, 2),
            "satisfaction": _rounded(m.satisfaction, 2),
            "follow_ups": m.follow_ups,
            "repeat_matters": m.repeat_matters,
            "by_level": {level: m.by_level.get(level, 0) for level in Level.values},
        }
        return Response(MeasuresSerializer(body).data)
