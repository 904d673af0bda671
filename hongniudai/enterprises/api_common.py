"""What the enterprise API modules share: the documented error responses. (Users are named by
`accounts.api.UserBriefSerializer`, areas looked up by `places.api.visible_area`.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

_MESSAGE = inline_serializer("EnterpriseMessage", {"detail": serializers.CharField()})
BAD_REQUEST = OpenApiResponse(description=_("输入有误:按字段给出中文说明,未作任何改动。"))
NOT_FOUND = OpenApiResponse(_MESSAGE, description=_("记录不存在或不在您的范围之内。"))
FORBIDDEN = OpenApiResponse(_MESSAGE, description=_("记录可见,但您无权进行此操作。"))
