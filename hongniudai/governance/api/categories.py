"""The categories of matters in the API: each one an Open311 service, with its extra questions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from hongniudai.common.api import ChoiceLabelField

from .. import selectors
from ..models import Category, CategoryAttribute


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
        kwargs.setdefault("queryset", selectors.categories().none())
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self) -> QuerySet[Category]:
        return selectors.categories()


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
