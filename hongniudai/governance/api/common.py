"""What the routes of the governance API share: the documented answers, the brief form of a
user, and the base of the routes on one matter (the matter of the URL, read through `selectors`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers, viewsets

from hongniudai.accounts.http import api_user

from .. import selectors
from ..calendar import Signal
from ..models import Matter

SIGNALS = [
    (Signal.GREEN, _("正常")),
    (Signal.YELLOW, _("临近时限")),
    (Signal.RED, _("已超时")),
    ("done", _("已办结")),
]
LEVEL_HELP = _("层级代码:hamlet 湾组、grid 村组、village 村、town 镇;无则为空")
MESSAGE = inline_serializer("GovernanceMessage", {"detail": serializers.CharField()})
NOT_FOUND = OpenApiResponse(MESSAGE, description=_("事项不存在或不在您的范围之内。"))
FORBIDDEN = OpenApiResponse(MESSAGE, description=_("事项可见,但您无权办理(例如不是当前层级或上级的办理人)。"))
BAD_REQUEST = OpenApiResponse(description=_("输入有误:按字段给出中文说明,未作任何改动。"))


class MatterRoutes(viewsets.GenericViewSet):
    """Routes on one matter: the matter of the URL (404 out of scope), input read by a serializer."""

    def url_matter(self) -> Matter:
        """The matter of the URL, if the user may see it (else 404)."""
        return selectors.matter_get(api_user(self.request), int(self.kwargs["pk"]))

    def read_input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """The request's data, validated by `serializer_class` (400 with its errors)."""
        form = serializer_class(data=self.request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return dict(form.validated_data)
