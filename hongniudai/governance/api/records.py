"""The records of the work on a matter in the API: visits and sessions, the mediation
agreement, follow-up visits, attachments (upload and download) and the timeline."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.api import UserBriefSerializer
from hongniudai.accounts.http import api_user
from hongniudai.common.api import ChoiceLabelField

from .. import selectors, services
from ..models import Agreement, Attachment, FollowUp, MatterEvent, MediationSession
from .common import BAD_REQUEST, FORBIDDEN, LEVEL_HELP, MESSAGE, NOT_FOUND, MatterRoutes


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
        fields = ["matter", *Agreement.EDITABLE, "created_at"]
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


class MatterRecordRoutes(MatterRoutes):
    """The routes of the records of the work on a matter (`MatterViewSet` has them)."""

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
        matter = self.url_matter()
        if request.method == "GET":
            rows = selectors.sessions_of(api_user(request), matter)
            return Response(SessionSerializer(rows, many=True).data)
        data = self.read_input(SessionSerializer)
        session = services.record_session(actor=api_user(request), matter=matter, **data)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary=_("调解协议"),
        request=None,
        responses={
            200: AgreementSerializer,
            404: OpenApiResponse(MESSAGE, description=_("尚无调解协议,或事项不在范围之内。")),
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
        matter = self.url_matter()
        if request.method == "GET":
            return Response(AgreementSerializer(selectors.agreement_get(api_user(request), matter.pk)).data)
        data = self.read_input(AgreementSerializer)
        existed = selectors.has_agreement(api_user(request), matter)
        agreement = services.sign_agreement(actor=api_user(request), matter=matter, **data)
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
        matter = self.url_matter()
        if request.method == "GET":
            return Response(FollowUpSerializer(selectors.follow_ups_of(api_user(request), matter), many=True).data)
        data = self.read_input(FollowUpSerializer)
        visit = services.follow_up(actor=api_user(request), matter=matter, **data)
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
        matter = self.url_matter()
        if request.method == "GET":
            return Response(AttachmentSerializer(selectors.attachments_of(api_user(request), matter), many=True).data)
        data = self.read_input(AttachmentUploadSerializer)
        attachment = services.add_attachment(actor=api_user(request), matter=matter, upload=data["file"])
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
        matter = self.url_matter()
        attachment = selectors.attachments_of(api_user(request), matter).filter(pk=int(attachment_id or 0)).first()
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
        matter = self.url_matter()
        return Response(EventSerializer(selectors.timeline(api_user(request), matter), many=True).data)
