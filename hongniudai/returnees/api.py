"""REST API of the returnee programme (归雁工程); `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors` (ECONOMY_VIEW scope; out of scope is a 404); writes go through
`services` (ECONOMY_WRITE over the village: 403; validation: 400 with Chinese messages by field).
Nothing is deleted through the API. Amounts are yuan with two decimals, as strings."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.scope import Capability
from hongniudai.common import parsing
from hongniudai.common.api import (
    RECORD,
    REGISTER,
    ChoiceLabelField,
    DateField,
    EditableRecordViewSet,
    IdFilter,
    IntegerField,
    RecordViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    WriteGateMixin,
    crud_schema,
)
from hongniudai.enterprises.interface import Enterprise, counterparties
from hongniudai.places.models import AreaNode, Resident
from hongniudai.places.selectors import resident_search_q

from . import policy, selectors, services
from .models import Business, BusinessKind, BusinessStatus, Employment, Returnee, Support, SupportKind, WageRecord


def _amount(label: Any, **kwargs: Any) -> serializers.DecimalField:
    """An amount in yuan: at most 12 digits before the point and 2 after (a Decimal(14, 2))."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, label=label, **kwargs)


def _village_filter(queryset: QuerySet[Any], user: Any, value: int, field: str = "village") -> QuerySet[Any]:
    village = selectors.villages_for_choice(user).filter(pk=value).first()
    return queryset.filter(**{field: village}) if village else queryset.none()


class YearFilter(filters.NumberFilter):
    """A year from 1900 to 2100 (a 400 in Chinese otherwise)."""

    field_class = parsing.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)

    def get_max_validator(self) -> None:
        return None


NOT_FOUND = OpenApiResponse(
    inline_serializer("ReturneesNotFound", {"detail": serializers.CharField()}),
    description=_("记录不存在或不在您的范围之内。"),
)


class _WriteGate(WriteGateMixin):
    """Writes need ECONOMY_WRITE somewhere: a user without it gets 403 before any lookup."""

    may_write = policy.writes_economy
    write_refusal = _("您没有登记归雁工程信息的权限。")


class _ReadCreateViewSet(_WriteGate, RecordViewSet):
    """List, read and record; what is recorded is corrected through its own action or not at all."""


class _ReadCreateUpdateViewSet(_WriteGate, EditableRecordViewSet):
    pass


# ---- returnees --------------------------------------------------------------------------------


class ReturneeSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=lambda user: selectors.residents_for_choice(user),
        label=_("居民"),
        help_text=_("新建时必填;登记后不能更换。"),
    )
    resident_name = serializers.CharField(source="resident.name", read_only=True, label=_("姓名"))
    village = serializers.IntegerField(source="village_id", read_only=True, label=_("村"))
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村名称"))
    is_party_member = serializers.BooleanField(read_only=True, label=_("党员"))
    is_veteran = serializers.BooleanField(source="resident.is_veteran", read_only=True, label=_("退役军人"))
    business_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("创办项目数"))
    returned_on = DateField(label=_("返乡日期"))

    class Meta:
        model = Returnee
        fields = ["id", "resident", "resident_name", "village", "village_name", *Returnee.EDITABLE]
        fields += ["is_party_member", "is_veteran", "business_count", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Returnee:
        return services.register_returnee(actor=self.actor, **validated_data)

    def update(self, instance: Returnee, validated_data: dict[str, Any]) -> Returnee:
        self.refuse_change(instance, validated_data, "resident", _("返乡能人登记后不能更换居民。"))
        values = self.current(instance, validated_data, Returnee.EDITABLE)
        return services.update_returnee(actor=self.actor, returnee=instance, **values)


class ReturneeFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("姓名或拼音首字母"))
    village = IdFilter(method="filter_village", label=_("村 id"))
    party_member = filters.BooleanFilter(method="filter_party_member", label=_("党员"))
    veteran = filters.BooleanFilter(field_name="resident__is_veteran", label=_("退役军人"))

    class Meta:
        model = Returnee
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(resident__in=Resident.objects.filter(resident_search_q(value)).values("pk"))

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _village_filter(queryset, api_user(self.request), value)

    def filter_party_member(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        return queryset if value is None else queryset.filter(is_party_member=value)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "返乡能人"), verb=REGISTER, omit=("destroy",)))
class ReturneeViewSet(_ReadCreateUpdateViewSet):
    """返乡能人(归雁工程):返乡日期、返乡前所在地、从事工作、技能;党员与退役军人身份取自居民与党员档案。"""

    serializer_class = ReturneeSerializer
    filterset_class = ReturneeFilter

    def get_queryset(self) -> QuerySet[Returnee]:
        return selectors.returnees(api_user(self.request))


# ---- businesses -------------------------------------------------------------------------------


class ReturneeBusinessSerializer(ServiceSerializer):
    founder = ScopedPrimaryKeyRelatedField(
        model=Returnee,
        selector=lambda user: selectors.returnees_for_choice(user),
        label=_("创办人(返乡能人 id)"),
        help_text=_("新建时必填;登记后不能更换。"),
    )
    founder_name = serializers.CharField(source="founder.resident.name", read_only=True, label=_("创办人姓名"))
    village = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=lambda user: selectors.villages_for_choice(user, Capability.ECONOMY_WRITE),
        required=False,
        label=_("所在村"),
        help_text=_("默认创办人所在村;登记后不能更换。"),
    )
    village_name = serializers.CharField(source="village.name", read_only=True, label=_("村名称"))
    kind_label = ChoiceLabelField(source="kind", label=_("产业类型名称"))
    status_label = ChoiceLabelField(source="status", label=_("经营状态名称"))
    investment = _amount(_("投资额(元)"), required=False, min_value=0)
    started_on = DateField(label=_("创办日期"))
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        selector=counterparties,
        allow_null=True,
        required=False,
        label=_("登记企业"),
    )
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, allow_null=True, label=_("登记企业名称")
    )
    employee_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("在岗务工人数"))
    household_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("带动户数"))
    poor_household_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("带动脱贫户数"))
    monitored_household_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("带动监测户数"))

    class Meta:
        model = Business
        fields = ["id", "founder", "founder_name", "village", "village_name", *Business.EDITABLE]
        fields += ["kind_label", "status_label", "enterprise_name", "employee_count", "household_count"]
        fields += ["poor_household_count", "monitored_household_count", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Business:
        return services.register_business(actor=self.actor, **validated_data)

    def update(self, instance: Business, validated_data: dict[str, Any]) -> Business:
        self.refuse_change(instance, validated_data, "founder", _("项目登记后不能更换创办人。"))
        self.refuse_change(instance, validated_data, "village", _("项目登记后不能更换所在村。"))
        values = self.current(instance, validated_data, Business.EDITABLE)
        return services.update_business(actor=self.actor, business=instance, **values)


class ReturneeBusinessFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("项目名称或创办人姓名"))
    village = IdFilter(method="filter_village", label=_("村 id"))
    founder = IdFilter(field_name="founder_id", label=_("创办人(返乡能人 id)"))
    kind = filters.ChoiceFilter(choices=BusinessKind.choices, label=_("产业类型"))
    status = filters.ChoiceFilter(choices=BusinessStatus.choices, label=_("经营状态"))

    class Meta:
        model = Business
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        founders = Resident.objects.filter(resident_search_q(value)).values("pk")
        return queryset.filter(Q(name__icontains=value) | Q(founder__resident__in=founders))

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _village_filter(queryset, api_user(self.request), value)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "返乡创业项目"), verb=REGISTER, omit=("destroy",)))
class ReturneeBusinessViewSet(_ReadCreateUpdateViewSet):
    """返乡创业项目:产业类型、投资额、登记企业、规模,及在岗务工人数、带动脱贫户数。"""

    serializer_class = ReturneeBusinessSerializer
    filterset_class = ReturneeBusinessFilter

    def get_queryset(self) -> QuerySet[Business]:
        return selectors.businesses(api_user(self.request))


# ---- employment -------------------------------------------------------------------------------


class ReturneeEmploymentSerializer(ServiceSerializer):
    business = ScopedPrimaryKeyRelatedField(
        model=Business, selector=lambda user: selectors.businesses_for_choice(user), label=_("项目")
    )
    business_name = serializers.CharField(source="business.name", read_only=True, label=_("项目名称"))
    resident = ScopedPrimaryKeyRelatedField(
        model=Resident, selector=lambda user: selectors.residents_for_employment(user), label=_("务工人员(居民 id)")
    )
    resident_name = serializers.CharField(source="resident.name", read_only=True, label=_("务工人员姓名"))
    household = serializers.IntegerField(source="household_id", read_only=True, label=_("所在户"))
    is_formerly_poor = serializers.BooleanField(source="household.is_formerly_poor", read_only=True, label=_("脱贫户"))
    is_monitored = serializers.BooleanField(source="household.is_monitored", read_only=True, label=_("监测户"))
    started_on = DateField(label=_("用工开始日期"))
    ended_on = DateField(required=False, allow_null=True, label=_("用工结束日期"))
    wages_total = _amount(_("累计工资(元)"), read_only=True, allow_null=True)

    class Meta:
        model = Employment
        fields = ["id", "business", "business_name", "resident", "resident_name", "household"]
        fields += ["is_formerly_poor", "is_monitored", "started_on", "ended_on", "job", "note", "wages_total"]
        fields += ["created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Employment:
        return services.employ_resident(actor=self.actor, **validated_data)


class EndReturneeEmploymentSerializer(serializers.Serializer):
    ended_on = DateField(label=_("用工结束日期"))


class ReturneeEmploymentFilter(filters.FilterSet):
    business = IdFilter(field_name="business_id", label=_("项目 id"))
    village = IdFilter(method="filter_village", label=_("村 id"))
    current = filters.BooleanFilter(method="filter_current", label=_("今天在岗"))

    class Meta:
        model = Employment
        fields: list[str] = []

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _village_filter(queryset, api_user(self.request), value, "business__village")

    def filter_current(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(selectors.in_force_q()) if value else queryset.exclude(selectors.in_force_q())


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "带动就业"), verb=RECORD, omit=("update", "partial_update", "destroy"))
)
class ReturneeEmploymentViewSet(_ReadCreateViewSet):
    """返乡创业项目的用工(带动就业):务工人员及其所在户(脱贫户、监测户取自户籍信息)、起止日期、岗位。"""

    serializer_class = ReturneeEmploymentSerializer
    filterset_class = ReturneeEmploymentFilter

    def get_queryset(self) -> QuerySet[Employment]:
        return selectors.employments(api_user(self.request))

    @extend_schema(
        summary=_("结束用工"),
        request=EndReturneeEmploymentSerializer,
        responses={
            200: ReturneeEmploymentSerializer,
            400: OpenApiResponse(description=_("结束日期有误,或用工已结束。")),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        employment = self.get_object()
        data = EndReturneeEmploymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.end_employment(
            actor=api_user(request), employment=employment, ended_on=data.validated_data["ended_on"]
        )
        fresh = self.get_queryset().get(pk=employment.pk)
        return Response(ReturneeEmploymentSerializer(fresh, context=self.get_serializer_context()).data)


# ---- wages ------------------------------------------------------------------------------------


class ReturneeWageSerializer(ServiceSerializer):
    employment = ScopedPrimaryKeyRelatedField(
        model=Employment, selector=lambda user: selectors.employments_for_choice(user), label=_("用工")
    )
    resident_name = serializers.CharField(source="employment.resident.name", read_only=True, label=_("务工人员姓名"))
    household = serializers.IntegerField(source="employment.household_id", read_only=True, label=_("所在户"))
    business = serializers.IntegerField(source="employment.business_id", read_only=True, label=_("项目"))
    year = IntegerField(min_value=1900, max_value=2100, label=_("年度"))
    amount = _amount(_("工资(元)"))

    class Meta:
        model = WageRecord
        fields = ["id", "employment", "resident_name", "household", "business", "year", "amount", "note"]
        fields += ["recorded_at"]
        read_only_fields = ["recorded_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> WageRecord:
        return services.record_wages(actor=self.actor, **validated_data)


class ReturneeWageFilter(filters.FilterSet):
    business = IdFilter(field_name="employment__business_id", label=_("项目 id"))
    employment = IdFilter(field_name="employment_id", label=_("用工 id"))
    household = IdFilter(field_name="employment__household_id", label=_("户 id"))
    year = YearFilter(field_name="year", label=_("年度"))

    class Meta:
        model = WageRecord
        fields: list[str] = []


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "务工工资"),
        verb=RECORD,
        omit=("update", "partial_update", "destroy"),
        described={"create": _("登记某一用工某年度的工资;该年度已登记的,以本次为准(更正)。")},
    )
)
class ReturneeWageViewSet(_ReadCreateViewSet):
    """返乡创业项目支付给务工人员的年度工资(元,两位小数)。"""

    serializer_class = ReturneeWageSerializer
    filterset_class = ReturneeWageFilter

    def get_queryset(self) -> QuerySet[WageRecord]:
        return selectors.wages(api_user(self.request))


# ---- support ----------------------------------------------------------------------------------


class ReturneeSupportSerializer(ServiceSerializer):
    returnee = ScopedPrimaryKeyRelatedField(
        model=Returnee,
        selector=lambda user: selectors.returnees_for_choice(user),
        required=False,
        label=_("返乡能人"),
        help_text=_("扶持返乡能人本人时填写;扶持项目时可不填(取项目创办人)。"),
    )
    returnee_name = serializers.CharField(source="returnee.resident.name", read_only=True, label=_("返乡能人姓名"))
    business = ScopedPrimaryKeyRelatedField(
        model=Business,
        selector=lambda user: selectors.businesses_for_choice(user),
        required=False,
        allow_null=True,
        label=_("项目"),
    )
    business_name = serializers.CharField(source="business.name", read_only=True, allow_null=True, label=_("项目名称"))
    kind_label = ChoiceLabelField(source="kind", label=_("扶持方式名称"))
    given_on = DateField(label=_("扶持日期"))
    amount = _amount(_("金额(元)"), required=False, allow_null=True)

    class Meta:
        model = Support
        fields = ["id", "returnee", "returnee_name", "business", "business_name", "kind", "kind_label"]
        fields += ["given_on", "amount", "given_by", "note", "village", "created_at"]
        read_only_fields = ["village", "created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Support:
        return services.record_support(actor=self.actor, **validated_data)


class ReturneeSupportFilter(filters.FilterSet):
    returnee = IdFilter(field_name="returnee_id", label=_("返乡能人 id"))
    business = IdFilter(field_name="business_id", label=_("项目 id"))
    village = IdFilter(method="filter_village", label=_("村 id"))
    kind = filters.ChoiceFilter(choices=SupportKind.choices, label=_("扶持方式"))

    class Meta:
        model = Support
        fields: list[str] = []

    def filter_village(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _village_filter(queryset, api_user(self.request), value)


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "扶持措施"), verb=RECORD, omit=("update", "partial_update", "destroy"))
)
class ReturneeSupportViewSet(_ReadCreateViewSet):
    """对返乡能人及其项目的扶持:贷款贴息、场地、技术培训、政策补贴等。"""

    serializer_class = ReturneeSupportSerializer
    filterset_class = ReturneeSupportFilter

    def get_queryset(self) -> QuerySet[Support]:
        return selectors.supports(api_user(self.request))


ROUTES: list[tuple[str, Any, str]] = [
    ("returnees", ReturneeViewSet, "returnee"),
    ("returnee-businesses", ReturneeBusinessViewSet, "returnee-business"),
    ("returnee-employments", ReturneeEmploymentViewSet, "returnee-employment"),
    ("returnee-wages", ReturneeWageViewSet, "returnee-wage"),
    ("returnee-supports", ReturneeSupportViewSet, "returnee-support"),
]
