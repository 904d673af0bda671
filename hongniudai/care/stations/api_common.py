"""What the service-station API modules share: the documented error responses, the write gate
(SERVICES somewhere, else 403 before any lookup) and the area filter."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from hongniudai.common.api import EditableRecordViewSet, RecordViewSet, WriteGateMixin
from hongniudai.places import selectors as place_selectors

from . import policy

NOT_FOUND = OpenApiResponse(
    inline_serializer("StationsNotFound", {"detail": serializers.CharField()}),
    description=_("记录不存在或不在您的范围之内。"),
)
BAD_REQUEST = OpenApiResponse(description=_("输入有误(按字段给出中文说明)。"))


class WriteGate(WriteGateMixin):
    """Writes need SERVICES somewhere: a user without it gets 403 before any lookup."""

    may_write = policy.records_services
    write_refusal = _("您没有登记便民服务的权限。")


class ReadCreate(WriteGate, RecordViewSet):
    pass


class ReadCreateUpdate(WriteGate, EditableRecordViewSet):
    pass


def village_q(queryset: QuerySet[Any], user: Any, value: int, field: str = "area_path") -> QuerySet[Any]:
    """Rows under the area `value`, none when the user does not see that area."""
    try:
        node = place_selectors.area_get(user, value)
    except Http404:
        return queryset.none()
    return queryset.filter(**{f"{field}__under": node.path})
