"""The alert endpoint of the camera platforms: `POST /api/v1/cameras/alerts/`, authenticated only by
`Authorization: Api-Key <key>` (a key a town administrator issued; session and token users are not
platforms), rate-limited per key. What an alert becomes is the service's (`alerts.receive_alert`);
this module reads the JSON body, refuses what is malformed before anything is written, and answers."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from . import alerts, services
from .models import CameraAlert, CameraPlatformKey

KEYWORD = b"api-key"


class CameraKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`: the platform whose key's digest is on record and not revoked.
    Any other scheme is not a platform (401)."""

    def authenticate(self, request: Request) -> tuple[Any, CameraPlatformKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("请求头应为 Authorization: Api-Key <密钥>。"))
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("平台密钥无效或已停用。")) from None
        key = services.active_key(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(_("平台密钥无效或已停用。"))
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return 'Api-Key realm="api"'


class CameraKeyScheme(OpenApiAuthenticationExtension):
    """Documents `CameraKeyAuthentication` in the OpenAPI schema."""

    target_class = CameraKeyAuthentication
    name = "cameraPlatformKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "视频平台密钥:请求头 `Authorization: Api-Key <密钥>`。密钥由镇管理员在“视频监控 › 平台密钥”签发,"
                "只显示一次;停用后返回 401。"
            ),
        }


class IsCameraPlatform(BasePermission):
    """Only a request authenticated by a platform key (else 401)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, CameraPlatformKey)


class CameraAlertThrottle(SimpleRateThrottle):
    """At most `WATCH_ALERT_RATE` alerts per platform key (e.g. "120/min"), then 429."""

    scope = "camera_alerts"

    def get_rate(self) -> str:
        return str(settings.WATCH_ALERT_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, CameraPlatformKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant WITH its offset; a naive one is refused, not guessed."""

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and timezone.is_naive(parsed):
                raise serializers.ValidationError(_("报警时间应带时区,如 2026-05-01T21:30:00+08:00。"))
        return super().to_internal_value(value)


class CameraAlertSerializer(serializers.Serializer):
    alert_id = serializers.CharField(
        max_length=100,
        label=gettext_lazy("报警编号"),
        help_text=gettext_lazy("平台的报警编号,在本镇唯一;重发同一编号不会重复立案。"),
    )
    camera_code = serializers.CharField(max_length=50, label=gettext_lazy("摄像机编号"))
    kind = serializers.CharField(
        max_length=40, label=gettext_lazy("报警类型代码"), help_text=gettext_lazy("本镇报警类型表中的代码。")
    )
    occurred_at = AwareDateTimeField(label=gettext_lazy("报警时间"), help_text=gettext_lazy("ISO 8601,须带时区偏移。"))
    snapshot = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        label=gettext_lazy("抓拍"),
        help_text=gettext_lazy("base64 编码的 JPEG,解码后不超过 WATCH_ALERT_SNAPSHOT_MAX_BYTES(默认 2 MB)。"),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=alerts.NOTE_MAX, label=gettext_lazy("备注")
    )


class CameraAlertAnswerSerializer(serializers.Serializer):
    matter_id = serializers.IntegerField(allow_null=True, label=gettext_lazy("事项 id"))
    pending_id = serializers.IntegerField(allow_null=True, label=gettext_lazy("待确认报警 id"))
    merged = serializers.BooleanField(label=gettext_lazy("并入已有事项或待确认报警"))


def _detail(name: str, description: Any, example: str) -> OpenApiResponse:
    return OpenApiResponse(
        inline_serializer(name, {"detail": serializers.CharField()}),
        description=description,
        examples=[OpenApiExample(name, value={"detail": example})],
    )


EXAMPLE_REQUEST = {
    "alert_id": "HK-20260501-000123",
    "camera_code": "SH-XQ-001",
    "kind": "straw-fire",
    "occurred_at": "2026-05-01T21:30:00+08:00",
    "snapshot": "/9j/4AAQSkZJRgABAQ…(base64)…/9k=",
    "note": "烟火识别置信度 0.93",
}


def answer(alert: CameraAlert) -> dict[str, Any]:
    return {"matter_id": alert.matter_id, "pending_id": alert.pending_id, "merged": alert.merged}


class CameraAlertView(APIView):
    authentication_classes = [CameraKeyAuthentication]
    permission_classes = [IsCameraPlatform]
    throttle_classes = [CameraAlertThrottle]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="camera_alerts_create",
        tags=["cameras"],
        summary=gettext_lazy("视频平台上报报警"),
        description=gettext_lazy(
            "视频平台以 `Authorization: Api-Key <密钥>` 上报一条报警。按本镇报警类型表:一般类型在摄像机所在村组立为事项"
            '(来源渠道“视频监控”,附抓拍),答 201 `{"matter_id": …}`;标记“先确认”的类型进入待确认队列,答 201 '
            '`{"pending_id": …, "matter_id": null}`,网格员确认后才立案(期限自确认时起算)。同一 alert_id 重发答 200,'
            "返回同一结果,不新建任何记录;同一摄像机同一类型在 WATCH_ALERT_MERGE_MINUTES(默认 30 分钟)内再次报警且事项"
            "仍未办结,并入该事项(时间线加一条记录和抓拍),答 200 与该 matter_id。未知摄像机 404,密钥错误或已停用 401,"
            "摄像机已撤除 403,请求体不合规(未知类型、无时区的时间、非 JPEG 或过大的抓拍)400,均不创建任何记录;超过频率"
            "限制 429。"
        ),
        request=CameraAlertSerializer,
        responses={
            201: OpenApiResponse(
                CameraAlertAnswerSerializer,
                description=gettext_lazy("新立事项,或进入待确认队列。"),
                examples=[
                    OpenApiExample("matter", value={"matter_id": 812, "pending_id": None, "merged": False}),
                    OpenApiExample("pending", value={"matter_id": None, "pending_id": 37, "merged": False}),
                ],
            ),
            200: OpenApiResponse(
                CameraAlertAnswerSerializer,
                description=gettext_lazy("重发的 alert_id(同一结果),或窗口内的重复报警并入未办结事项。"),
                examples=[OpenApiExample("merged", value={"matter_id": 812, "pending_id": None, "merged": True})],
            ),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=gettext_lazy("请求体不合规:按字段列出中文错误信息。"),
                examples=[
                    OpenApiExample("naive", value={"occurred_at": ["报警时间应带时区,如 2026-05-01T21:30:00+08:00。"]}),
                    OpenApiExample("snapshot", value={"snapshot": ["抓拍图片不是 JPEG 格式,已拒收。"]}),
                ],
            ),
            401: _detail(
                "CameraAlertUnauthorized", gettext_lazy("缺少、错误或已停用的平台密钥。"), "平台密钥无效或已停用。"
            ),
            403: _detail("CameraAlertForbidden", gettext_lazy("摄像机已撤除。"), "该摄像机已撤除,不再受理其报警。"),
            404: _detail(
                "CameraAlertNotFound", gettext_lazy("本镇没有该编号的摄像机。"), "本镇没有编号为“X”的摄像机。"
            ),
            429: _detail(
                "CameraAlertThrottled", gettext_lazy("超过该密钥的上报频率(WATCH_ALERT_RATE)。"), "请求超过了限速。"
            ),
        },
        examples=[OpenApiExample("alert", value=EXAMPLE_REQUEST, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        try:
            data = request.data
        except exceptions.ParseError:
            raise exceptions.ValidationError({"non_field_errors": [_("请求体不是有效的 JSON。")]}) from None
        serializer = CameraAlertSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        snapshot = alerts.decode_snapshot(values["snapshot"]) if values.get("snapshot") else None
        try:
            outcome = alerts.receive_alert(
                key=cast(CameraPlatformKey, request.auth),
                alert_id=values["alert_id"],
                camera_code=values["camera_code"],
                kind=values["kind"],
                occurred_at=values["occurred_at"],
                snapshot=snapshot,
                note=values.get("note", ""),
            )
        except alerts.CameraNotFound as exc:
            raise exceptions.NotFound(str(exc)) from None
        return Response(
            answer(outcome.alert), status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
        )
