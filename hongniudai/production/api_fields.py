"""The fields, base serializer, viewset and filter the production API's endpoints share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from hongniudai.accounts.http import api_user
from hongniudai.collective.interface import EconomicOrg
from hongniudai.common.api import IdFilter, RecordViewSet, ScopedPrimaryKeyRelatedField
from hongniudai.enterprises.interface import Enterprise, counterparties

from . import policy, selectors


def yuan_field(label: Any, **kwargs: Any) -> serializers.DecimalField:
    """An amount in yuan (a Decimal(14, 2)); its sign and size are the service's to judge."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, label=label, **kwargs)


def kg_field(label: Any, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=3, label=label, **kwargs)


def org_field(label: Any = _("经营主体")) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=EconomicOrg,
        selector=lambda user: selectors.orgs_for_record(user),
        label=label,
        help_text=_("集体经济组织 id;只能选您可以登记的、已建账的组织。"),
    )


def enterprise_field(label: Any, **kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Enterprise, selector=counterparties, label=label, **kwargs)


class RecordedSerializer(serializers.ModelSerializer):
    """What every recorded event shows besides its own fields."""

    org_name = serializers.CharField(source="org.name", read_only=True, label=_("经营主体名称"))

    @property
    def actor(self) -> Any:
        return api_user(self.context["request"])


class Records(RecordViewSet):
    """List, read and record production's events (`common.api.RecordViewSet`): a user who records
    the economy nowhere is refused before any lookup."""

    may_write = policy.records_economy
    write_refusal = _("您没有登记集体经济信息的权限。")


class YearFilter(filters.FilterSet):
    org = IdFilter(field_name="org", label=_("经营主体 id"))
    year = filters.NumberFilter(method="filter_year", label=_("年度"))

    date_field = ""

    def filter_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        year = int(value)
        if not 1900 <= year <= 2200:
            return queryset.none()
        return queryset.filter(**{f"{self.date_field}__year": year})
