"""REST API of the mass organisations and their activities (`api.ROUTES` registers the viewsets)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    RECORD,
    ChoiceLabelField,
    DateField,
    DateFilter,
    IdFilter,
    IntegerField,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    crud_schema,
)
from hongniudai.places.models import AreaNode, Resident

from . import orgs, selectors
from .api_common import ReadCreateUpdate, village_q
from .models import MassActivity, MassOrg, MassOrgKind, ServiceStation

# ---- mass organisations -----------------------------------------------------------------------


class MassOrgSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: selectors.areas_for_org(user),
        label=_("所在镇(村)"),
        help_text=_("新建时必填;之后不能更换。"),
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("所在镇(村)名称"))
    kind_label = ChoiceLabelField(source="kind", label=_("类别名称"))
    activity_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("活动次数"))

    class Meta:
        model = MassOrg
        fields = ["id", "kind", "kind_label", "area", "area_name", *MassOrg.EDITABLE, "activity_count"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> MassOrg:
        return orgs.org_create(actor=self.actor, **validated_data)

    def update(self, instance: MassOrg, validated_data: dict[str, Any]) -> MassOrg:
        self.refuse_change(instance, validated_data, "kind", _("群团组织不能更换类别。"))
        self.refuse_change(instance, validated_data, "area", _("群团组织不能更换所在镇(村)。"))
        values = self.current(instance, validated_data, MassOrg.EDITABLE)
        return orgs.org_update(actor=self.actor, org=instance, **values)


class MassOrgFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=MassOrgKind.choices, label=_("类别"))
    area = IdFilter(method="filter_area", label=_("地区 id"))

    class Meta:
        model = MassOrg
        fields: list[str] = []

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return village_q(queryset, api_user(self.request), value)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "群团组织"), verb=RECORD, omit=("destroy",)))
class MassOrgViewSet(ReadCreateUpdate):
    """群团组织:工会、共青团、妇联,设在镇或村(社区)。"""

    serializer_class = MassOrgSerializer
    filterset_class = MassOrgFilter

    def get_queryset(self) -> QuerySet[MassOrg]:
        return selectors.orgs(api_user(self.request))


class MassActivitySerializer(ServiceSerializer):
    org = ScopedPrimaryKeyRelatedField(
        model=MassOrg, selector=lambda user: selectors.orgs_for_choice(user), label=_("群团组织")
    )
    org_name = serializers.CharField(source="org.name", read_only=True, label=_("组织名称"))
    village_name = serializers.CharField(source="village.name", read_only=True, allow_null=True, label=_("村名称"))
    station = ScopedPrimaryKeyRelatedField(
        model=ServiceStation,
        selector=lambda user: selectors.stations_for_choice(user),
        required=False,
        allow_null=True,
        label=_("服务站"),
    )
    held_on = DateField(label=_("活动日期"))
    participant_count = IntegerField(min_value=0, max_value=orgs.MAX_PARTICIPANTS, required=False, label=_("参加人数"))
    participants = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: selectors.residents_for_activity(user),
        many=True,
        required=False,
        label=_("参加居民 id"),
    )
    photo_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("照片数"))

    class Meta:
        model = MassActivity
        fields = ["id", "org", "org_name", "village", "village_name", *MassActivity.EDITABLE, "participants"]
        fields += ["photo_count"]
        read_only_fields = ["village"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> MassActivity:
        return orgs.activity_record(actor=self.actor, **validated_data)

    def update(self, instance: MassActivity, validated_data: dict[str, Any]) -> MassActivity:
        self.refuse_change(instance, validated_data, "org", _("活动不能更换组织。"))
        validated_data.pop("org", None)
        values = self.current(instance, validated_data, MassActivity.EDITABLE)
        return orgs.activity_update(
            actor=self.actor, activity=instance, participants=validated_data.get("participants"), **values
        )


class MassActivityFilter(filters.FilterSet):
    org = IdFilter(field_name="org_id", label=_("组织 id"))
    kind = filters.ChoiceFilter(field_name="org__kind", choices=MassOrgKind.choices, label=_("组织类别"))
    village = IdFilter(method="filter_village", label=_("地区 id"))
    held_from = DateFilter(field_name="held_on", lookup_expr="gte", label=_("活动日期自"))
    held_to = DateFilter(field_name="held_on", lookup_expr="lte", label=_("活动日期至"))

    class Meta:
        model = MassActivity
        fields: list[str] = []

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return village_q(queryset, api_user(self.request), value)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "群团活动"), verb=RECORD, omit=("destroy",)))
class MassActivityViewSet(ReadCreateUpdate):
    """群团组织在村(社区)开展的活动:日期、地点、服务站、参加人数与参加居民、照片数。"""

    serializer_class = MassActivitySerializer
    filterset_class = MassActivityFilter

    def get_queryset(self) -> QuerySet[MassActivity]:
        named = Prefetch("participants", queryset=Resident.objects.only("id"))
        return selectors.activities(api_user(self.request)).prefetch_related(named)
