"""REST API of projects, service teams, liaison, blockers and site visits (issue 19); `ROUTES` is
registered by `hongniudai.api.urls`.

Reads come from the selectors (VIEW scope; out of scope is a 404); writes go through the services
(PROJECTS over the park or town: 403; validation: 400 with Chinese messages by field). A project's
progress is read-only: it follows its milestones. Amounts are yuan with two decimals, as strings."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from hongniudai.accounts.http import api_user
from hongniudai.accounts.models import User
from hongniudai.common.api import (
    RECORD,
    REGISTER,
    SET_UP,
    ChoiceLabelField,
    DateField,
    EditableRecordViewSet,
    IntegerField,
    RecordViewSet,
    ReportViewSet,
    ScopedPrimaryKeyRelatedField,
    ServiceSerializer,
    TextField,
    crud_schema,
)
from hongniudai.enterprises.interface import Enterprise
from hongniudai.places.models import AreaNode

from . import policy, selectors, selectors_blockers, services_blockers, services_projects, services_visits
from .models import Blocker, BlockerCategory, Liaison, Milestone, Project, ServiceTeam, SiteVisit

NOT_FOUND = OpenApiResponse(
    inline_serializer("ProjectsNotFound", {"detail": serializers.CharField()}),
    description=_("记录不存在或不在您的范围之内。"),
)
BAD = OpenApiResponse(description=_("输入有误:按字段给出中文说明。"))


def _amount(label: Any, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, label=label, **kwargs)


def _users(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=User, selector=selectors.users_for_choice, **kwargs)


PROJECT_PARAMETER = OpenApiParameter("project", OpenApiTypes.INT, description=_("只列该项目的(项目 id)"))
TEAM_PARAMETER = OpenApiParameter("team", OpenApiTypes.INT, description=_("只列该服务专班的(专班 id)"))


def _of(request: Request, qs: QuerySet[Any], **fields: str) -> QuerySet[Any]:
    """`qs` narrowed to the project or the team named by the query (`?project=<id>`, `?team=<id>`),
    so that a client follows a project to its visits and blockers without reading them all."""
    for param, field in fields.items():
        value = request.query_params.get(param, "")
        if value.isdigit():
            qs = qs.filter(**{field: int(value)})
    return qs


class _CreateGate:
    """Creating needs PROJECTS somewhere (403 before validation). Other writes look the record up
    first, so a record out of scope is a 404 for every method; the services refuse a write in
    scope without PROJECTS (403)."""

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)  # type: ignore[misc]
        if getattr(self, "action", None) == "create" and not policy.writes_projects(request.user):
            raise PermissionDenied(str(_("您没有登记项目服务信息的权限。")))


class _Records(_CreateGate, RecordViewSet):
    pass


class _Editable(_CreateGate, EditableRecordViewSet):
    pass


# ---- projects ---------------------------------------------------------------------------------


class ProjectRecordSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode,
        selector=selectors.project_nodes,
        label=_("所在园区或镇"),
        help_text=_("新建时必填;登记后不能更换。"),
    )
    owner = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        selector=selectors.enterprises_for_choice,
        allow_null=True,
        required=False,
        label=_("业主企业"),
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True, allow_null=True, label=_("业主企业名称"))
    leader = _users(allow_null=True, required=False, label=_("牵头领导"))
    team = ScopedPrimaryKeyRelatedField(
        model=ServiceTeam, selector=selectors.teams_for_choice, allow_null=True, required=False, label=_("服务专班")
    )
    location = serializers.JSONField(required=False, allow_null=True, label=_("位置(GeoJSON 点或多边形)"))
    planned_investment = _amount(_("计划投资(元)"), required=False)
    invested = _amount(_("累计完成投资(元)"), required=False)
    signed_on = DateField(required=False, allow_null=True, label=_("签约日期"))
    kind_label = ChoiceLabelField(source="kind", label=_("项目类型名称"))
    status_label = ChoiceLabelField(source="status", label=_("项目状态名称"))
    progress = serializers.SerializerMethodField(label=_("形象进度(%,按节点权重,只读)"))
    behind = serializers.BooleanField(read_only=True, label=_("进度滞后"))

    class Meta:
        model = Project
        fields = ["id", "area", *Project.EDITABLE, "owner_name", "kind_label", "status_label", "progress", "behind"]
        validators: list[Any] = []

    def get_progress(self, obj: Project) -> int:
        return selectors.progress(getattr(obj, "weight_done", None), getattr(obj, "weight_total", None))

    def create(self, validated_data: dict[str, Any]) -> Project:
        return services_projects.project_register(actor=self.actor, **validated_data)

    def update(self, instance: Project, validated_data: dict[str, Any]) -> Project:
        self.refuse_change(instance, validated_data, "area", _("项目登记后不能更换所在园区或镇。"))
        validated_data.pop("area", None)
        values = self.current(instance, validated_data, Project.EDITABLE)
        return services_projects.project_update(actor=self.actor, project=instance, **values)


@extend_schema_view(**crud_schema(pgettext_lazy("record", "项目"), verb=REGISTER, omit=("destroy",)))
class ProjectViewSet(_Editable):
    """项目:业主企业、承建单位、位置、投资、状态、牵头领导与服务专班;进度由节点权重得出,不能填写。"""

    serializer_class = ProjectRecordSerializer

    def get_queryset(self) -> QuerySet[Project]:
        if getattr(self, "swagger_fake_view", False):  # the schema: no calendar to read
            return Project.objects.none()
        return selectors.projects(api_user(self.request))


class ProjectMilestoneSerializer(ServiceSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, selector=selectors.projects_for_choice, label=_("项目"))
    weight = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, label=_("权重(正数)"))
    planned_on = DateField(label=_("计划完成日期"))
    done_on = DateField(required=False, allow_null=True, label=_("实际完成日期(完成后填写)"))

    class Meta:
        model = Milestone
        fields = ["id", "project", *Milestone.EDITABLE]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Milestone:
        return services_projects.milestone_add(actor=self.actor, **validated_data)

    def update(self, instance: Milestone, validated_data: dict[str, Any]) -> Milestone:
        self.refuse_change(instance, validated_data, "project", _("节点不能改属其他项目。"))
        values = self.current(instance, validated_data, Milestone.EDITABLE)
        return services_projects.milestone_update(actor=self.actor, milestone=instance, **values)


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "项目节点"), omit=("destroy",), list_parameters=[PROJECT_PARAMETER])
)
class MilestoneViewSet(_Editable):
    """项目节点:权重、计划与实际完成日期;填写实际完成日期即为完成,项目进度随之变化。"""

    serializer_class = ProjectMilestoneSerializer

    def get_queryset(self) -> QuerySet[Milestone]:
        qs = selectors.get_visible_queryset(api_user(self.request), Milestone.objects.select_related("project"))
        return _of(self.request, qs, project="project_id")


# ---- teams and liaison ------------------------------------------------------------------------


class ProjectTeamMemberSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id", label=_("用户 id"))
    name = TextField(source="user", label=_("姓名"))
    kind = serializers.CharField(label=_("身份"))


class ProjectTeamSerializer(ServiceSerializer):
    area = ScopedPrimaryKeyRelatedField(model=AreaNode, selector=selectors.project_nodes, label=_("所在园区或镇"))
    leader = _users(label=_("专班组长"))
    leader_name = TextField(source="leader", label=_("组长姓名"))
    members = ProjectTeamMemberSerializer(many=True, read_only=True, label=_("成员"))
    project_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("项目数"))

    class Meta:
        model = ServiceTeam
        fields = ["id", "area", "name", "leader", "leader_name", "note", "members", "project_count"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> ServiceTeam:
        return services_projects.team_set_up(actor=self.actor, **validated_data)


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "包联服务专班"), verb=SET_UP, omit=("destroy", "update", "partial_update"))
)
class TeamViewSet(_Records):
    """包联服务专班:组长、成员(干部、党建指导员、工作人员)及其服务的项目。"""

    serializer_class = ProjectTeamSerializer

    def get_queryset(self) -> QuerySet[ServiceTeam]:
        return selectors.teams(api_user(self.request)).prefetch_related("members__user")


class ProjectLiaisonSerializer(ServiceSerializer):
    user = _users(label=_("包联干部"))
    user_name = TextField(source="user", label=_("干部姓名"))
    project = ScopedPrimaryKeyRelatedField(
        model=Project, selector=selectors.projects_for_choice, allow_null=True, required=False, label=_("包项目")
    )
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise, selector=selectors.enterprises_for_choice, allow_null=True, required=False, label=_("包企业")
    )
    area = ScopedPrimaryKeyRelatedField(
        model=AreaNode, selector=selectors.project_nodes, required=False, write_only=True, label=_("包企业时:园区或镇")
    )
    since = DateField(label=_("包联开始日期"))
    until = DateField(read_only=True, allow_null=True, label=_("包联结束日期"))
    kind_label = ChoiceLabelField(source="kind", label=_("包联类型"))

    class Meta:
        model = Liaison
        fields = ["id", "user", "user_name", "kind", "kind_label", "project", "enterprise", "area", "since", "until"]
        read_only_fields = ["kind"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Liaison:
        return services_projects.liaison_set(actor=self.actor, **validated_data)


class ProjectLiaisonEndSerializer(serializers.Serializer):
    until = DateField(label=_("结束日期"))


@extend_schema_view(
    **crud_schema(pgettext_lazy("record", "包联"), verb=RECORD, omit=("destroy", "update", "partial_update"))
)
class LiaisonViewSet(_Records):
    """干部包联(包企业、包项目)。"""

    serializer_class = ProjectLiaisonSerializer

    def get_queryset(self) -> QuerySet[Liaison]:
        return selectors.liaisons(api_user(self.request))

    @extend_schema(
        summary=_("结束包联"),
        request=ProjectLiaisonEndSerializer,
        responses={200: ProjectLiaisonSerializer, 400: BAD, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        liaison = self.get_object()
        data = ProjectLiaisonEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services_projects.liaison_end(actor=api_user(request), liaison=liaison, until=data.validated_data["until"])
        return Response(self.get_serializer(self.get_queryset().get(pk=liaison.pk)).data)


# ---- blockers ---------------------------------------------------------------------------------


class ProjectBlockerCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = BlockerCategory
        fields = ["id", "town", "code", "name", "due_days"]


@extend_schema_view(list=extend_schema(summary=_("堵点类别列表")), retrieve=extend_schema(summary=_("堵点类别详情")))
class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """镇里的堵点类别(用工、场地平整、电杆迁改及水电、融资、审批、用地、环保、其他)及办理时限(工作日)。"""

    serializer_class = ProjectBlockerCategorySerializer

    def get_queryset(self) -> QuerySet[BlockerCategory]:
        return selectors_blockers.categories_for(api_user(self.request))


class ProjectBlockerSerializer(ServiceSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, selector=selectors.projects_for_choice, label=_("项目"))
    project_name = serializers.CharField(source="project.name", read_only=True, label=_("项目名称"))
    category = ScopedPrimaryKeyRelatedField(
        model=BlockerCategory, selector=selectors_blockers.categories_for, label=_("类别")
    )
    category_name = serializers.CharField(source="category.name", read_only=True, label=_("类别名称"))
    owner = _users(allow_null=True, required=False, label=_("责任人"))
    due_days = IntegerField(
        required=False,
        allow_null=True,
        write_only=True,
        min_value=1,
        max_value=250,
        label=_("办理时限(工作日,不填按类别)"),
    )
    status_label = ChoiceLabelField(source="status", label=_("状态名称"))

    class Meta:
        model = Blocker
        fields = [
            "id", "project", "project_name", "category", "category_name", "description", "contact_name",
            "owner_department", "owner", "due_days", "raised_at", "due_at", "status", "status_label", "level",
            "overdue_since", "evidence", "resolved_at", "signed_off_by", "signed_off_at", "working_days_blocked", "visit",
        ]  # fmt: skip
        read_only_fields = [
            "raised_at", "due_at", "status", "level", "overdue_since", "evidence", "resolved_at", "signed_off_by",
            "signed_off_at", "working_days_blocked", "visit",
        ]  # fmt: skip
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Blocker:
        return services_blockers.blocker_raise(actor=self.actor, **validated_data)


class ProjectBlockerStepSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, label=_("办理情况"))


class ProjectBlockerResolveSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=2000, required=False, allow_blank=True, label=_("解决情况"))
    file = serializers.FileField(required=False, label=_("佐证材料(照片或文档)"))


class ProjectBlockerEscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label=_("上报理由"))


def _blocker_action(summary: Any, request: Any = None) -> Any:
    return extend_schema(
        summary=summary,
        request=request,
        responses={
            200: ProjectBlockerSerializer,
            400: BAD,
            403: OpenApiResponse(description=_("无权操作。")),
            404: NOT_FOUND,
        },
    )


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "堵点难点问题"),
        verb=RECORD,
        omit=("destroy", "update", "partial_update"),
        list_parameters=[PROJECT_PARAMETER, TEAM_PARAMETER],
    )
)
class BlockerViewSet(_Records):
    """堵点难点问题:提出、办理、上报(专班→镇→县)、解决(须有佐证)与销号(专班组长)。"""

    serializer_class = ProjectBlockerSerializer

    def get_queryset(self) -> QuerySet[Blocker]:
        qs = selectors_blockers.blockers(api_user(self.request))
        return _of(self.request, qs, project="project_id", team="project__team_id")

    def _answer(self, blocker: Blocker) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=blocker.pk)).data)

    def _data(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @_blocker_action(_("登记办理情况"), ProjectBlockerStepSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: Any = None) -> Response:
        blocker = self.get_object()
        text = self._data(ProjectBlockerStepSerializer)["text"]
        return self._answer(services_blockers.blocker_step(actor=api_user(request), blocker=blocker, text=text))

    @_blocker_action(_("问题已解决(提交佐证)"), ProjectBlockerResolveSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        blocker = self.get_object()
        d = self._data(ProjectBlockerResolveSerializer)
        done = services_blockers.blocker_resolve(
            actor=api_user(request), blocker=blocker, evidence=d.get("evidence", ""), upload=d.get("file")
        )
        return self._answer(done)

    @_blocker_action(_("销号(专班组长)"))
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: Any = None) -> Response:
        blocker = self.get_object()
        return self._answer(services_blockers.blocker_sign_off(actor=api_user(request), blocker=blocker))

    @_blocker_action(_("上报(专班→镇→县)"), ProjectBlockerEscalateSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        blocker = self.get_object()
        reason = self._data(ProjectBlockerEscalateSerializer)["reason"]
        return self._answer(services_blockers.blocker_escalate(actor=api_user(request), blocker=blocker, reason=reason))


# ---- visits -----------------------------------------------------------------------------------


class ProjectFollowUpSerializer(serializers.Serializer):
    due_on = DateField(label=_("完成时限"))
    text = serializers.CharField(max_length=200, label=_("跟进事项"))


class ProjectVisitSerializer(ServiceSerializer):
    team = ScopedPrimaryKeyRelatedField(model=ServiceTeam, selector=selectors.teams_for_choice, label=_("服务专班"))
    visited_on = DateField(label=_("走访日期"))
    project = ScopedPrimaryKeyRelatedField(
        model=Project, selector=selectors.projects_for_choice, allow_null=True, required=False, label=_("走访项目")
    )
    enterprise = ScopedPrimaryKeyRelatedField(
        model=Enterprise,
        selector=selectors.enterprises_for_choice,
        allow_null=True,
        required=False,
        label=_("走访企业"),
    )
    follow_ups = ProjectFollowUpSerializer(many=True, required=False, write_only=True, label=_("跟进事项"))
    checkin_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("签到人数"))
    blocker_count = serializers.IntegerField(read_only=True, allow_null=True, label=_("发现问题数"))

    class Meta:
        model = SiteVisit
        fields = [
            "id", "team", "visited_on", "project", "enterprise", "people_met", "findings", "follow_ups",
            "checkin_count", "blocker_count",
        ]  # fmt: skip
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> SiteVisit:
        return services_visits.visit_record(actor=self.actor, **validated_data)


class ProjectCheckInSerializer(serializers.Serializer):
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, label=_("纬度"))
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, label=_("经度"))


class ProjectCheckInOutSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id", label=_("用户 id"))
    at = serializers.DateTimeField(label=_("签到时间"))


class ProjectRaiseBlockerSerializer(serializers.Serializer):
    category = ScopedPrimaryKeyRelatedField(
        model=BlockerCategory, selector=selectors_blockers.categories_for, label=_("类别")
    )
    description = serializers.CharField(max_length=2000, label=_("问题描述"))
    owner_department = serializers.CharField(max_length=50, required=False, allow_blank=True, label=_("责任部门"))
    due_days = IntegerField(required=False, allow_null=True, min_value=1, max_value=250, label=_("办理时限(工作日)"))


@extend_schema_view(
    **crud_schema(
        pgettext_lazy("record", "进解促走访"),
        verb=RECORD,
        omit=("destroy", "update", "partial_update"),
        list_parameters=[PROJECT_PARAMETER, TEAM_PARAMETER],
    )
)
class VisitViewSet(_Records):
    """进解促走访:专班、日期、走访对象、座谈对象、走访情况、跟进事项;签到与发现堵点。"""

    serializer_class = ProjectVisitSerializer

    def get_queryset(self) -> QuerySet[SiteVisit]:
        return _of(
            self.request, selectors_blockers.visits(api_user(self.request)), project="project_id", team="team_id"
        )

    @extend_schema(
        summary=_("走访签到"), request=ProjectCheckInSerializer,
        responses={200: ProjectCheckInOutSerializer, 400: BAD, 403: OpenApiResponse(description=_("非本专班成员。")), 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: Any = None) -> Response:
        visit = self.get_object()
        data = ProjectCheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = services_visits.visit_check_in(actor=api_user(request), visit=visit, **data.validated_data)
        return Response(ProjectCheckInOutSerializer(checkin).data)

    @extend_schema(
        summary=_("走访中发现堵点"), request=ProjectRaiseBlockerSerializer,
        responses={201: ProjectBlockerSerializer, 400: BAD, 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="raise-blocker")
    def raise_blocker(self, request: Request, pk: Any = None) -> Response:
        visit = self.get_object()
        data = ProjectRaiseBlockerSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        if visit.project is None:
            raise serializers.ValidationError({"project": [str(_("该走访未对应项目,不能登记堵点。"))]})
        blocker = services_blockers.blocker_raise(
            actor=api_user(request), project=visit.project, visit=visit, **data.validated_data
        )
        fresh = selectors_blockers.blockers(api_user(request)).get(pk=blocker.pk)
        return Response(ProjectBlockerSerializer(fresh, context=self.get_serializer_context()).data, status=201)


# ---- measures ---------------------------------------------------------------------------------


class ProjectMeasureRowSerializer(serializers.Serializer):
    name = serializers.CharField(allow_null=True, label=_("专班、类别或部门"))
    raised = serializers.IntegerField(label=_("发现"))
    solved = serializers.IntegerField(label=_("已解决(销号)"))
    mean_days = serializers.FloatField(allow_null=True, label=_("平均解决用时(工作日)"))
    overdue = serializers.IntegerField(label=_("逾期"))


class ProjectMeasuresSerializer(serializers.Serializer):
    totals = ProjectMeasureRowSerializer(label=_("合计"))
    by_team = ProjectMeasureRowSerializer(many=True, label=_("按专班"))
    by_category = ProjectMeasureRowSerializer(many=True, label=_("按类别"))
    by_department = ProjectMeasureRowSerializer(many=True, label=_("按责任部门"))


class MeasuresViewSet(ReportViewSet):
    """服务成效:堵点发现、解决、平均用时与逾期,按专班、类别与责任部门。"""

    @extend_schema(summary=_("服务成效"), responses={200: ProjectMeasuresSerializer})
    def list(self, request: Request) -> Response:
        m = selectors_blockers.measures(api_user(request))
        m["totals"] = {"name": None, **m["totals"]}
        return Response(ProjectMeasuresSerializer(m).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("projects", ProjectViewSet, "project"),
    ("project-milestones", MilestoneViewSet, "project-milestone"),
    ("project-teams", TeamViewSet, "project-team"),
    ("project-liaisons", LiaisonViewSet, "project-liaison"),
    ("project-blocker-categories", CategoryViewSet, "project-blocker-category"),
    ("project-blockers", BlockerViewSet, "project-blocker"),
    ("project-visits", VisitViewSet, "project-visit"),
    ("project-measures", MeasuresViewSet, "project-measures"),
]
