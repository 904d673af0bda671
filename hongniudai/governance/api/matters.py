"""Matters in the API: the list and a matter, reporting one, and the ladder (accept, escalate,
hand down, resolve, reopen, invite). The records of the work on a matter are `records`.

Reads come from `selectors` (the caller's scope applies: a matter out of scope answers 404 on
every route, exactly like a missing one); writes go through `services` (capability checks: 403;
validation: 400 with Chinese messages keyed by field). Parties appear by name and masked ID
number only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.api import UserBriefSerializer
from hongniudai.accounts.http import api_user
from hongniudai.accounts.models import User
from hongniudai.common.api import (
    ChoiceLabelField,
    DateFilter,
    IdFilter,
    ScopedPrimaryKeyRelatedField,
    instant_writer,
)
from hongniudai.common.choices import choice_label
from hongniudai.common.identity import mask_phone
from hongniudai.common.text import limit
from hongniudai.party.api import ResidentBriefSerializer
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode, Resident

from .. import selectors, services
from ..models import CategoryKind, Channel, Level, Matter, MatterStatus, Outcome, Urgency
from .categories import CategoryCodeField
from .common import BAD_REQUEST, FORBIDDEN, LEVEL_HELP, NOT_FOUND, SIGNALS
from .records import MatterRecordRoutes

# How `due_at` is written: one field for every row (building a field per row cost a tenth of a page).
DUE_AT = serializers.DateTimeField()


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
    parties = ResidentBriefSerializer(source="parties_shown", many=True, read_only=True, label=_("当事人"))
    invited = UserBriefSerializer(source="invited_shown", many=True, read_only=True, label=_("受邀参与人"))
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

    @extend_schema_field(serializers.ChoiceField(choices=SIGNALS))
    def get_signal(self, obj: Matter) -> str:
        return selectors.signal_of(obj)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))  # null once resolved
    def get_due_at(self, obj: Matter) -> str | None:
        due = selectors.due_of(obj)
        return DUE_AT.to_representation(due) if due else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_reporter_display(self, obj: Matter) -> str:
        if obj.reporter_name:
            return obj.reporter_name
        return str(obj.reporter) if obj.reporter_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_reporter_phone_masked(self, obj: Matter) -> str:
        return mask_phone(obj.reporter_phone)


@cache
def _coordinate() -> serializers.Field:
    """How `MatterSerializer` writes a longitude or latitude (a decimal as a string)."""
    return MatterSerializer().fields["lon"]


def listed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the matter list (`selectors.api_page`) written exactly as `MatterSerializer`
    writes each matter — the same keys in the same order, the same formats (a test holds the two
    equal). A serializer field per value was two thirds of the list's time."""
    write = ListedMatter()
    return [write(row) for row in rows]


class ListedMatter:
    """Writes one row of the matter list, the labels and the time zone looked up once per page."""

    def __init__(self) -> None:
        self.instant = instant_writer()
        self.coordinate = _coordinate().to_representation
        self.level, self.status, self.channel, self.outcome = (
            choice_label(Matter, name) for name in ("level", "status", "channel", "outcome")
        )

    def __call__(self, r: dict[str, Any]) -> dict[str, Any]:
        return {**self.what_and_where(r), **self.course(r)}

    def what_and_where(self, r: dict[str, Any]) -> dict[str, Any]:
        """From `id` to `due_at`: the matter, its place, its holder and handler, its state."""
        handler = r["handler"]
        return {
            "id": r["id"],
            "number": r["number"],
            "title": r["title"],
            "description": r["description"],
            "category": r["category"],
            "category_code": r["category__code"],
            "category_name": r["category__name"],
            "category_kind": r["category__kind"],
            "place": r["place"],
            "place_name": r["place__name"],
            "place_parent_name": r["place__parent__name"],
            "lon": None if r["lon"] is None else self.coordinate(r["lon"]),
            "lat": None if r["lat"] is None else self.coordinate(r["lat"]),
            "address": r["address"],
            "level": r["level"],
            "level_label": self.level(r["level"]),
            "area": r["area"],
            "area_name": r["area__name"],
            "handler": None
            if handler is None
            else {
                "id": handler,
                "username": r["handler__username"],
                "name": r["handler__display_name"] or r["handler__username"],
            },
            "status": r["status"],
            "status_label": self.status(r["status"]),
            "signal": r["signal"],
            "due_at": self.instant(r["due"]),
        }

    def course(self, r: dict[str, Any]) -> dict[str, Any]:
        """From `urgency` to `has_agreement`: who reported it, the parties, the course and the counts."""
        if r["reporter_name"]:
            reporter = r["reporter_name"]
        elif r["reporter"] is not None:
            reporter = r["reporter__display_name"] or r["reporter__username"]
        else:
            reporter = ""
        instant = self.instant
        return {
            "urgency": r["urgency"],
            "channel": r["channel"],
            "channel_label": self.channel(r["channel"]),
            "reporter_display": reporter,
            "reporter_phone_masked": mask_phone(r["reporter_phone"]),
            "parties": r["parties"],
            "other_parties": r["other_parties"],
            "attributes": r["attributes"],
            "invited": [
                {"id": u["id"], "username": u["username"], "name": u["display_name"] or u["username"]}
                for u in r["invited"]
            ],
            "reported_at": instant(r["reported_at"]),
            "level_since": instant(r["level_since"]),
            "accepted_at": instant(r["accepted_at"]),
            "accept_due_at": instant(r["accept_due_at"]),
            "settle_due_at": instant(r["settle_due_at"]),
            "resolved_at": instant(r["resolved_at"]),
            "resolved_level": r["resolved_level"],
            "outcome": r["outcome"],
            "outcome_label": self.outcome(r["outcome"]),
            "resolution": r["resolution"],
            "public_notes": r["public_notes"],
            "satisfaction": r["satisfaction"],
            "escalations": r["escalations"],
            "reopened": r["reopened"],
            "session_count": r["session_count"],
            "attachment_count": r["attachment_count"],
            "follow_up_count": r["follow_up_count"],
            "event_count": r["event_count"],
            "has_agreement": bool(r["has_agreement"]),
        }


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

    def matters(self, user: User) -> QuerySet[Matter]:
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
                return selectors.matters(user).none()
            kwargs["area"] = area
        return selectors.matters(user, **kwargs)


@extend_schema_view(
    list=extend_schema(summary=_("事项列表"), description=_("只含您范围内的事项;按上报时间倒序。")),
    retrieve=extend_schema(summary=_("事项详情"), responses={200: MatterSerializer, 404: NOT_FOUND}),
)
class MatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MatterRecordRoutes):
    """事项:上报、受理、上交、交办、办结、回访,以及走访调处、调解协议、附件和办理记录。"""

    serializer_class = MatterSerializer
    filterset_class = MatterFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Matter]:
        return selectors.with_details(selectors.matters(api_user(self.request)))

    def filter_queryset(self, queryset: QuerySet[Matter]) -> QuerySet[Matter]:
        if self.action != "list":
            return queryset
        return selectors.with_details(self.listed())

    def listed(self) -> QuerySet[Matter]:
        """The matters the list's query parameters ask for, in scope (400 on a bad parameter)."""
        filterset = MatterFilter(self.request.query_params, queryset=Matter.objects.none(), request=self.request)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return filterset.matters(api_user(self.request))

    def get_object(self) -> Matter:
        return selectors.matter_detail(api_user(self.request), int(self.kwargs["pk"]))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The page is cut as ids; its rows are then read as plain values, their relations joined
        # (`selectors.api_page`), and written as `MatterSerializer` writes a matter (`listed`).
        ids = selectors.ids_of(self.listed())
        page = self.paginate_queryset(ids)
        data = listed(selectors.api_page(page if page is not None else ids))
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)

    # -- helpers

    def answer(self, matter: Matter, code: int = status.HTTP_200_OK) -> Response:
        """The matter as it stands after the user's action."""
        fresh = selectors.matter_after_action(api_user(self.request), matter)
        return Response(MatterSerializer(fresh, context=self.get_serializer_context()).data, status=code)

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
        data = self.read_input(MatterReportSerializer)
        matter = services.report_matter(actor=api_user(request), channel=Channel.API, **data)
        return self.answer(matter, status.HTTP_201_CREATED)

    # -- the ladder

    @extend_schema(
        summary=_("受理"),
        request=NoteSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="accept", url_name="accept")
    def accept(self, request: Request, pk: str | None = None) -> Response:
        data = self.read_input(NoteSerializer)
        return self.answer(services.accept(actor=api_user(request), matter=self.url_matter(), note=data["note"]))

    @extend_schema(
        summary=_("上交上一级"),
        description=_("湾组 → 村组 → 村 → 镇,须说明理由。"),
        request=ReasonSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="escalate", url_name="escalate")
    def escalate(self, request: Request, pk: str | None = None) -> Response:
        data = self.read_input(ReasonSerializer)
        return self.answer(services.escalate(actor=api_user(request), matter=self.url_matter(), reason=data["reason"]))

    @extend_schema(
        summary=_("交办下级"),
        description=_("上级把事项交回发生地所在的下级单位(村、村组或湾组),须说明交办要求。"),
        request=HandDownSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="hand-down", url_name="hand-down")
    def hand_down(self, request: Request, pk: str | None = None) -> Response:
        matter = self.url_matter()
        data = self.read_input(HandDownSerializer)
        return self.answer(
            services.hand_down(actor=api_user(request), matter=matter, to=data["to"], reason=data["reason"])
        )

    @extend_schema(
        summary=_("办结"),
        description=_("记录办理结果;结果为“签订调解协议”时须先登记调解协议。"),
        request=ResolveSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="resolve", url_name="resolve")
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        matter = self.url_matter()
        data = self.read_input(ResolveSerializer)
        return self.answer(services.resolve(actor=api_user(request), matter=matter, **data))

    @extend_schema(
        summary=_("重新办理"),
        description=_("回访发现结果未保持时,已办结的事项回到办结它的层级重新办理。"),
        request=ReasonSerializer,
        responses={200: MatterSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="reopen", url_name="reopen")
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        matter = self.url_matter()
        data = self.read_input(ReasonSerializer)
        return self.answer(services.reopen(actor=api_user(request), matter=matter, reason=data["reason"]))

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
        matter = self.url_matter()
        if request.method == "GET":
            people = selectors.invitable_of(api_user(request), matter)
            return Response(InvitableSerializer(people, many=True).data)
        data = self.read_input(InviteSerializer)
        person = selectors.invitee_get(api_user(request), data["user"])
        if person is None:
            raise serializers.ValidationError({"user": [_("没有该人员。")]})
        return self.answer(services.invite(actor=api_user(request), matter=matter, user=person, note=data["note"]))
