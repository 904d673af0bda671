"""What the enterprise API modules share: the documented error responses and the user serializer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request

from hongniudai.accounts.http import api_user
from hongniudai.accounts.models import User
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode

_MESSAGE = inline_serializer("EnterpriseMessage", {"detail": serializers.CharField()})
BAD_REQUEST = OpenApiResponse(description=_("输入有误:按字段给出中文说明,未作任何改动。"))
NOT_FOUND = OpenApiResponse(_MESSAGE, description=_("记录不存在或不在您的范围之内。"))
FORBIDDEN = OpenApiResponse(_MESSAGE, description=_("记录可见,但您无权进行此操作。"))


def visible_area(request: Request, pk: int) -> AreaNode | None:
    """The area `pk` if the caller sees it, else None."""
    return place_selectors.areas(api_user(request)).filter(pk=pk).first()


class EnterpriseUserSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True, label=_("姓名"))

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields
