"""REST API of the volunteers; `ROUTES` is registered by `hongniudai.api.urls`.

Reads come from `selectors`: staff within their VIEW scope, a signed-in volunteer their own
record, tasks, participations and hours only (anything else is a 404). Writes go through the
services (SERVICES over the area: 403; a rule broken: 400 with Chinese messages by field); a
volunteer logs their own hours and never confirms them. Phones are written in full and read
masked. Nothing is deleted through the API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.common.api import (
    RECORD,
    REGISTER,
    SET_UP,
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
    query_id,
)
from hongniudai.common.identity import mask_phone
from hongniudai.places.models import AreaNode, Resident

from . import policy, selectors, services, services_tasks
from .models import (
    HoursStatus,
    Participation,
    ParticipationStatus,
    ServiceHours,
    TaskKind,
    Volunteer,
    VolunteerTask,
    VolunteerTeam,
)

BAD_INPUT = OpenApiResponse(description=_("输入有误或不符合规则:按字段给出中文说明。"))
NOT_FOUND = OpenApiResponse(description=_("记录不存在或不在您的范围之内。"))
REFUSED = OpenApiResponse(description=_("无权进行此操作(如志愿者审核自己的时长)。"))


def _area_filter(queryset: QuerySet[Any], user: Any, value: int) -> QuerySet[Any]:
    area = policy.staff_scope(user).filter(AreaNode.objects.filter(pk=value)).first()
    return queryset.filter(area_path__startswith=area.path) if area else queryset.none()


class _Gate(WriteGateMixin):
    """Writes need SERVICES somewhere: a user without it gets 403 before any lookup."""

    may_write = policy.serves
    write_refusal = _("您没有登记志愿服务信息的权限。")


# ---- volunteers -------------------------------------------------------------------------------


class VolunteerSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=selectors.areas_for_choice, label=_("所属地区"), help_text=_("登记后不能更换。")
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("所属地区名称"))
    resident = ScopedPrimaryKeyRelatedField(
        model=Resident,
        selector=selectors.residents_for_choice,
        required=False,
        allow_null=True,
        label=_("本地居民"),
        help_text=_("本地居民填写居民 id(姓名取自居民信息);外来志愿者留空并填写姓名、手机号。登记后不能更换。"),
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=50, label=_("姓名"))
    phone = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=20,
        label=_("手机号"),
        help_text=_("只写入;读取时见 phone_masked。"),
    )
    phone_masked = serializers.SerializerMethodField(label=_("手机号(脱敏)"))
    team = ScopedPrimaryKeyRelatedField(
        model=VolunteerTeam, selector=selectors.teams_for_choice, required=False, allow_null=True, label=_("服务队")
    )
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True, label=_("服务队名称"))
    joined_on = DateField(label=_("注册日期"))
    year_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True, label=_("本年已确认服务时长(小时)")
    )

    class Meta:
        model = Volunteer
        fields = ["id", "area", "area_name", "resident", "name", "phone", "phone_masked", "skills", "team"]
        fields += ["team_name", "joined_on", "note", "is_active", "year_hours", "created_at"]
        read_only_fields = ["is_active", "created_at"]
        validators: list[Any] = []

    def get_phone_masked(self, obj: Volunteer) -> str:
        return mask_phone(obj.phone)

    def _fields(self, data: dict[str, Any], instance: Volunteer | None) -> dict[str, Any]:
        out = {}
        for name in Volunteer.EDITABLE:
            if name in data:
                out[name] = data[name]
            elif instance is not None:
                out[name] = getattr(instance, name)
        return out

    def create(self, validated_data: dict[str, Any]) -> Volunteer:
        area, resident = validated_data.pop("area"), validated_data.pop("resident", None)
        return services.register_volunteer(
            actor=self.actor, area=area, resident=resident, **self._fields(validated_data, None)
        )

    def update(self, instance: Volunteer, validated_data: dict[str, Any]) -> Volunteer:
        self.refuse_change(instance, validated_data, "area", _("志愿者登记后不能更换所属地区。"))
        self.refuse_change(instance, validated_data, "resident", _("志愿者登记后不能更换居民。"))
        return services.update_volunteer(actor=self.actor, volunteer=instance, **self._fields(validated_data, instance))


class VolunteerFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("姓名或拼音"))
    area = IdFilter(method="filter_area", label=_("地区 id(含下级)"))
    team = IdFilter(field_name="team_id", label=_("服务队 id"))
    skill = filters.CharFilter(field_name="skills", lookup_expr="icontains", label=_("技能包含"))
    is_active = filters.BooleanFilter(field_name="is_active", label=_("在册"))

    class Meta:
        model = Volunteer
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _area_filter(queryset, api_user(self.request), value)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "志愿者"), verb=REGISTER, omit=("destroy",)))
class VolunteerViewSet(_Gate, EditableRecordViewSet):
    """志愿者名册:本地居民或外来志愿者(手机号脱敏显示)、技能、服务队、本年已确认时长。志愿者本人只能看到自己。"""

    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilter

    def get_queryset(self) -> QuerySet[Volunteer]:
        return selectors.volunteers(api_user(self.request), year=_this_year())

    @extend_schema(
        summary=_("志愿者退出"), request=None, responses={200: VolunteerSerializer, 400: BAD_INPUT, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: Any = None) -> Response:
        volunteer = self.get_object()
        services.deactivate_volunteer(actor=api_user(request), volunteer=volunteer)
        return Response(self.get_serializer(self.get_queryset().get(pk=volunteer.pk)).data)


def _this_year() -> int:
    return timezone.localdate().year


# ---- teams ------------------------------------------------------------------------------------


class VolunteerTeamSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=selectors.areas_for_choice, label=_("所属地区"), help_text=_("成立后不能更换。")
    )
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("所属地区名称"))
    leader = ScopedPrimaryKeyRelatedField(
        model=Volunteer,
        selector=selectors.volunteers_for_choice,
        required=False,
        allow_null=True,
        label=_("队长(志愿者 id)"),
        help_text=_("须是本队在册队员;成立时不填。"),
    )
    leader_name = serializers.CharField(source="leader.name", read_only=True, allow_null=True, label=_("队长姓名"))
    member_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("在册队员数"))

    class Meta:
        model = VolunteerTeam
        fields = ["id", "area", "area_name", "name", "leader", "leader_name", "note", "member_count", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> VolunteerTeam:
        if validated_data.get("leader") is not None:
            raise serializers.ValidationError({"leader": [str(_("队长须是本队队员:请在成立后设定。"))]})
        return services.create_team(
            actor=self.actor,
            area=validated_data["area"],
            name=validated_data["name"],
            note=validated_data.get("note", ""),
        )

    def update(self, instance: VolunteerTeam, validated_data: dict[str, Any]) -> VolunteerTeam:
        self.refuse_change(instance, validated_data, "area", _("服务队成立后不能更换所属地区。"))
        return services.update_team(
            actor=self.actor, team=instance, **self.current(instance, validated_data, VolunteerTeam.EDITABLE)
        )


class AreaFilterSet(filters.FilterSet):
    area = IdFilter(method="filter_area", label=_("地区 id(含下级)"))

    def filter_area(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return _area_filter(queryset, api_user(self.request), value)


class VolunteerTeamFilter(AreaFilterSet):
    class Meta:
        model = VolunteerTeam
        fields: list[str] = []


@extend_schema_view(**crud_schema(pgettext_lazy("record", "志愿服务队"), verb=SET_UP, omit=("destroy",)))
class VolunteerTeamViewSet(_Gate, EditableRecordViewSet):
    """志愿服务队:所属地区、队长、在册队员数。"""

    serializer_class = VolunteerTeamSerializer
    filterset_class = VolunteerTeamFilter

    def get_queryset(self) -> QuerySet[VolunteerTeam]:
        return selectors.teams(api_user(self.request))


# ---- tasks ------------------------------------------------------------------------------------


class VolunteerTaskSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(model=AreaNode, selector=selectors.areas_for_choice, label=_("所属地区"))
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("所属地区名称"))
    kind_label = ChoiceLabelField(source="kind", label=_("任务类型名称"))
    needed = IntegerField(min_value=1, max_value=999, required=False, label=_("需要人数"))
    organiser_name = serializers.CharField(
        source="organiser.__str__", read_only=True, allow_null=True, label=_("组织人")
    )
    confirmed_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("已确认人数"))
    requested_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("报名待定人数"))

    class Meta:
        model = VolunteerTask
        fields = ["id", "area", "area_name", "kind", "kind_label", "title", "starts_at", "ends_at", "place"]
        fields += ["needed", "note", "organiser_name", "confirmed_count", "requested_count", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> VolunteerTask:
        return services_tasks.schedule_task(actor=self.actor, **validated_data)


class VolunteerTaskFilter(AreaFilterSet):
    kind = filters.ChoiceFilter(choices=TaskKind.choices, label=_("任务类型"))

    class Meta:
        model = VolunteerTask
        fields: list[str] = []


class AssignSerializer(serializers.Serializer):
    volunteers = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(model=Volunteer, selector=selectors.volunteers_for_choice),
        min_length=1,
        max_length=200,
        label=_("志愿者 id 列表"),
    )


# ---- participation ----------------------------------------------------------------------------


class ParticipationSerializer(ServiceSerializer):
    task = ScopedPrimaryKeyRelatedField(model=VolunteerTask, selector=selectors.tasks, label=_("任务"))
    task_title = serializers.CharField(source="task.title", read_only=True, label=_("任务名称"))
    starts_at = serializers.DateTimeField(source="task.starts_at", read_only=True, label=_("开始时间"))
    ends_at = serializers.DateTimeField(source="task.ends_at", read_only=True, label=_("结束时间"))
    volunteer = ScopedPrimaryKeyRelatedField(model=Volunteer, selector=selectors.volunteers, label=_("志愿者"))
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True, label=_("志愿者姓名"))
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))
    confirmed_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True, label=_("已确认时长")
    )
    pending_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True, label=_("待确认时长")
    )

    class Meta:
        model = Participation
        fields = ["id", "task", "task_title", "starts_at", "ends_at", "volunteer", "volunteer_name", "status"]
        fields += ["status_label", "requested_at", "confirmed_at", "done_at", "declined_at", "decline_reason"]
        fields += ["confirmed_hours", "pending_hours"]
        read_only_fields = ["status", "requested_at", "confirmed_at", "done_at", "declined_at", "decline_reason"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Participation:
        return services_tasks.request_participation(actor=self.actor, **validated_data)


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "志愿任务"), verb=RECORD, omit=("update", "partial_update", "destroy"))
)
class VolunteerTaskViewSet(_Gate, RecordViewSet):
    """志愿任务:爱心汤、夜间巡逻、志愿活动等,时间、地点、需要人数与已确认人数。志愿者本人只看到自己参与的任务。"""

    serializer_class = VolunteerTaskSerializer
    filterset_class = VolunteerTaskFilter

    def get_queryset(self) -> QuerySet[VolunteerTask]:
        return selectors.tasks(api_user(self.request))

    @extend_schema(
        summary=_("安排志愿者(直接确认)"),
        request=AssignSerializer,
        responses={200: ParticipationSerializer(many=True), 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        data = AssignSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        done = services_tasks.assign(actor=api_user(request), task=task, volunteers=data.validated_data["volunteers"])
        rows = selectors.participations(api_user(request)).filter(pk__in=[p.pk for p in done])
        return Response(ParticipationSerializer(rows, many=True, context=self.get_serializer_context()).data)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("原因"))


class ParticipationFilter(filters.FilterSet):
    task = IdFilter(field_name="task_id", label=_("任务 id"))
    volunteer = IdFilter(field_name="volunteer_id", label=_("志愿者 id"))
    status = filters.ChoiceFilter(choices=ParticipationStatus.choices, label=_("状态"))

    class Meta:
        model = Participation
        fields: list[str] = []


def _transition(summary: Any, request_body: Any = None) -> Any:
    return extend_schema(
        summary=summary, request=request_body, responses={200: ParticipationSerializer, 400: BAD_INPUT, 404: NOT_FOUND}
    )


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "任务参与"),
        record=pgettext_lazy("record", "报名"),
        verb=RECORD,
        omit=("update", "partial_update", "destroy"),
    )
)
class ParticipationViewSet(_Gate, RecordViewSet):
    """志愿者参与任务:报名 → 已确认 → 已完成,或已谢绝;顺序不对的变更以中文说明拒绝。"""

    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilter

    def get_queryset(self) -> QuerySet[Participation]:
        return selectors.participations(api_user(self.request))

    def _answer(self, p: Participation) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=p.pk)).data)

    @_transition(_("确认参与(报名 → 已确认)"))
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        return self._answer(
            services_tasks.confirm_participation(actor=api_user(request), participation=self.get_object())
        )

    @_transition(_("标记完成(已确认 → 已完成)"))
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        return self._answer(
            services_tasks.complete_participation(actor=api_user(request), participation=self.get_object())
        )

    @_transition(_("谢绝(报名或已确认 → 已谢绝)"), DeclineSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: Any = None) -> Response:
        p = self.get_object()
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data.get("reason", "")
        return self._answer(
            services_tasks.decline_participation(actor=api_user(request), participation=p, reason=reason)
        )


# ---- hours ------------------------------------------------------------------------------------


class ServiceHoursSerializer(ServiceSerializer):
    participation = ScopedPrimaryKeyRelatedField(
        model=Participation, selector=selectors.participations, label=_("任务参与 id")
    )
    volunteer = serializers.IntegerField(source="volunteer_id", read_only=True, label=_("志愿者"))
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True, label=_("志愿者姓名"))
    task_title = serializers.CharField(source="participation.task.title", read_only=True, label=_("任务名称"))
    day = DateField(required=False, label=_("服务日期"), help_text=_("默认任务开始当天。"))
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, label=_("时长(小时)"), help_text=_("大于 0,一天合计不超过 24。")
    )
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))

    class Meta:
        model = ServiceHours
        fields = ["id", "participation", "volunteer", "volunteer_name", "task_title", "day", "hours", "note"]
        fields += ["status", "status_label", "reason", "logged_at", "decided_at"]
        read_only_fields = ["status", "reason", "logged_at", "decided_at"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> ServiceHours:
        return services_tasks.log_hours(actor=self.actor, **validated_data)


class HoursRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=_("未通过原因"))


class ServiceHoursFilter(filters.FilterSet):
    task = IdFilter(field_name="participation__task_id", label=_("任务 id"))
    volunteer = IdFilter(field_name="volunteer_id", label=_("志愿者 id"))
    status = filters.ChoiceFilter(choices=HoursStatus.choices, label=_("状态"))

    class Meta:
        model = ServiceHours
        fields: list[str] = []


def _decision(summary: Any, request_body: Any = None) -> Any:
    return extend_schema(
        summary=summary,
        request=request_body,
        responses={200: ServiceHoursSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND},
    )


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "服务时长"), verb=RECORD, omit=("update", "partial_update", "destroy"))
)
class ServiceHoursViewSet(RecordViewSet):
    """服务时长:志愿者本人(或工作人员代为)登记,组织人确认或退回(写明原因);志愿者不能审核自己的时长,只有已确认的计入。"""

    serializer_class = ServiceHoursSerializer
    filterset_class = ServiceHoursFilter
    write_refusal = _("您没有登记服务时长的权限。")

    may_write = policy.logs_hours

    def get_queryset(self) -> QuerySet[ServiceHours]:
        return selectors.hours(api_user(self.request))

    def _answer(self, record: ServiceHours) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @_decision(_("确认服务时长"))
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        return self._answer(services_tasks.confirm_hours(actor=api_user(request), hours=self.get_object()))

    @_decision(_("退回服务时长"), HoursRejectSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        record = self.get_object()
        data = HoursRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services_tasks.reject_hours(actor=api_user(request), hours=record, reason=data.validated_data["reason"])
        )


# ---- ranking and my tasks ---------------------------------------------------------------------


class RankRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(label=_("名次"))
    volunteer_id = serializers.IntegerField(label=_("志愿者 id"))
    name = serializers.CharField(label=_("姓名"))
    area_name = serializers.CharField(label=_("所属地区"))
    team_name = serializers.CharField(label=_("服务队"))
    hours = serializers.DecimalField(max_digits=8, decimal_places=1, label=_("已确认时长(小时)"))
    tasks = serializers.IntegerField(label=_("完成任务数"))


class RankingQuerySerializer(serializers.Serializer):
    year = IntegerField(required=False, min_value=2000, max_value=2100)


class VolunteerRankingViewSet(viewsets.ViewSet):
    """志愿服务时长排行:某年度已确认时长,从多到少,相同并列。"""

    @extend_schema(
        summary=_("志愿服务时长排行"),
        parameters=[
            OpenApiParameter("year", int, description=str(_("年度(默认今年)"))),
            OpenApiParameter("area", int, description=str(_("地区 id(村或其上级;不在您的范围之内时无结果)"))),
        ],
        responses={200: RankRowSerializer(many=True), 400: BAD_INPUT},
    )
    def list(self, request: Request) -> Response:
        query = RankingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or _this_year()
        user = api_user(request)
        area_id = query_id(request, "area")
        area = None
        if area_id is not None:
            area = policy.staff_scope(user).filter(AreaNode.objects.filter(pk=area_id)).first()
            if area is None:
                return Response([])
        rows = selectors.ranking(user, year=year, area=area) if not policy.staff_scope(user).is_empty else []
        return Response(RankRowSerializer(rows, many=True).data)


class MyVolunteerTaskViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """我的志愿任务:登录的志愿者本人参与的任务与时长(未关联志愿者的账号为空)。"""

    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilter

    def get_queryset(self) -> QuerySet[Participation]:
        user = api_user(self.request)
        return selectors.participations(user).filter(volunteer__user_id=user.pk)


ROUTES: list[tuple[str, Any, str]] = [
    ("volunteers", VolunteerViewSet, "volunteer"),
    ("volunteer-teams", VolunteerTeamViewSet, "volunteer-team"),
    ("volunteer-tasks", VolunteerTaskViewSet, "volunteer-task"),
    ("volunteer-participations", ParticipationViewSet, "volunteer-participation"),
    ("volunteer-hours", ServiceHoursViewSet, "volunteer-hours"),
    ("volunteer-ranking", VolunteerRankingViewSet, "volunteer-ranking"),
    ("my-volunteer-tasks", MyVolunteerTaskViewSet, "my-volunteer-task"),
]
