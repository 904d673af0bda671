"""Writes of projects, milestones, service teams and liaison. Each needs PROJECTS over the park or
town node the record hangs at, is atomic and writes one named audit event. A project's progress
is never written: it follows from its milestones (`selectors.progress`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.enterprises.interface import Enterprise
from hongniudai.places.models import AreaNode

from . import checks, events
from .models import (
    Liaison,
    LiaisonKind,
    MemberKind,
    Milestone,
    Project,
    ProjectKind,
    ProjectStatus,
    ServiceTeam,
    TeamMember,
)
from .policy import require
from .services_blockers import categories_ensure

# ---- projects ---------------------------------------------------------------------------------


class ProjectFields(TypedDict, total=False):
    """What registering or changing a project takes (`Project.EDITABLE`)."""

    name: Required[str]
    owner: Enterprise | None
    contractors: str
    location: Any
    planned_investment: Any
    invested: Any
    kind: str
    status: str
    leader: User | None
    team: ServiceTeam | None
    signed_on: dt.date | None
    note: str


def _checked_project(fields: ProjectFields, *, area_path: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": checks.text(fields["name"]),
        "owner": fields.get("owner"),
        "contractors": checks.text(fields.get("contractors")),
        "location": fields.get("location"),
        "planned_investment": fields.get("planned_investment") or Decimal(0),
        "invested": fields.get("invested") or Decimal(0),
        "kind": fields.get("kind") or ProjectKind.INDUSTRIAL,
        "status": fields.get("status") or ProjectStatus.SIGNED,
        "leader": fields.get("leader"),
        "team": fields.get("team"),
        "signed_on": fields.get("signed_on"),
        "note": checks.text(fields.get("note")),
    }
    check_lengths(Project, {k: data[k] for k in ("name", "contractors", "note")})
    errors: dict[str, Any] = {}
    if not data["name"]:
        errors["name"] = _("请填写项目名称。")
    if data["kind"] not in ProjectKind.values:
        errors["kind"] = _("请选择项目类型。")
    if data["status"] not in ProjectStatus.values:
        errors["status"] = _("请选择项目状态。")
    team = data["team"]
    if team is not None and not area_path.startswith(team.area_path) and not team.area_path.startswith(area_path):
        errors["team"] = _("服务专班须属于项目所在的园区或镇。")
    for name in ("planned_investment", "invested", "location"):
        try:
            data[name] = checks.location(data[name]) if name == "location" else checks.money(data[name], field=name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return data


def _project_snapshot(project: Project) -> audit.Snapshot:
    return audit.snapshot(project, ("area", *Project.EDITABLE))


@transaction.atomic
def project_register(*, actor: User, area: AreaNode, **fields: Unpack[ProjectFields]) -> Project:
    """Register a project at the park or the town (`area`)."""
    require(actor, Capability.PROJECTS, area)
    checks.project_node(area)
    data = _checked_project(fields, area_path=area.path)
    project = Project.objects.create(area=area, area_path=area.path, recorded_by=actor, **data)
    audit.record_create(
        actor=actor,
        action=events.PROJECT_REGISTERED,
        target=project,
        after=_project_snapshot(project),
        area_path=project.area_path,
    )
    return project


@transaction.atomic
def project_update(*, actor: User, project: Project, **fields: Unpack[ProjectFields]) -> Project:
    require(actor, Capability.PROJECTS, project)
    data = _checked_project(fields, area_path=project.area_path)
    before = _project_snapshot(project)
    model_update(project, fields=Project.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.PROJECT_UPDATED,
        target=project,
        before=before,
        after=_project_snapshot(project),
        area_path=project.area_path,
    )
    return project


# ---- milestones -------------------------------------------------------------------------------


def _checked_milestone(
    *, name: str, planned_on: dt.date | None, weight: Any, stage: str, done_on: dt.date | None
) -> dict[str, Any]:
    data: dict[str, Any] = {"name": checks.text(name), "stage": checks.text(stage)}
    check_lengths(Milestone, data)
    errors: dict[str, Any] = {}
    if not data["name"]:
        errors["name"] = _("请填写节点名称。")
    if planned_on is None:
        errors["planned_on"] = _("请填写计划完成日期。")
    try:
        data["weight"] = checks.weight(weight)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    data["planned_on"] = planned_on
    data["done_on"] = done_on
    return data


@transaction.atomic
def milestone_add(
    *,
    actor: User,
    project: Project,
    name: str,
    planned_on: dt.date | None,
    weight: Any = 1,
    stage: str = "",
    done_on: dt.date | None = None,
) -> Milestone:
    require(actor, Capability.PROJECTS, project)
    data = _checked_milestone(name=name, planned_on=planned_on, weight=weight, stage=stage, done_on=done_on)
    milestone = Milestone.objects.create(project=project, **data)
    audit.record_create(
        actor=actor,
        action=events.MILESTONE_ADDED,
        target=milestone,
        after=audit.snapshot(milestone, ("project", *Milestone.EDITABLE)),
        area_path=project.area_path,
    )
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor: User,
    milestone: Milestone,
    name: str,
    planned_on: dt.date | None,
    weight: Any,
    stage: str = "",
    done_on: dt.date | None = None,
) -> Milestone:
    """Change a milestone; giving it its actual date (`done_on`) marks it done."""
    require(actor, Capability.PROJECTS, milestone)
    data = _checked_milestone(name=name, planned_on=planned_on, weight=weight, stage=stage, done_on=done_on)
    before = audit.snapshot(milestone, Milestone.EDITABLE)
    model_update(milestone, fields=Milestone.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.MILESTONE_UPDATED,
        target=milestone,
        before=before,
        after=audit.snapshot(milestone, Milestone.EDITABLE),
        area_path=milestone.project.area_path,
    )
    return milestone


# ---- service teams ----------------------------------------------------------------------------


@transaction.atomic
def team_set_up(*, actor: User, area: AreaNode, name: str, leader: User, note: str = "") -> ServiceTeam:
    """Set up a service team (包联服务专班) at the park or the town; its leader is its first member."""
    require(actor, Capability.PROJECTS, area)
    checks.project_node(area)
    data = {"name": checks.text(name), "note": checks.text(note)}
    check_lengths(ServiceTeam, data)
    if not data["name"]:
        raise ValidationError({"name": _("请填写专班名称。")})
    if leader is None:
        raise ValidationError({"leader": _("请选择专班组长。")})
    team = ServiceTeam.objects.create(area=area, area_path=area.path, leader=leader, **data)
    categories_ensure(checks.town_of(area))
    TeamMember.objects.create(team=team, user=leader, kind=MemberKind.CADRE)
    audit.record_create(
        actor=actor,
        action=events.TEAM_SET_UP,
        target=team,
        after=audit.snapshot(team, ("area", *ServiceTeam.EDITABLE)),
        area_path=team.area_path,
    )
    return team


@transaction.atomic
def team_update(*, actor: User, team: ServiceTeam, name: str, leader: User, note: str = "") -> ServiceTeam:
    require(actor, Capability.PROJECTS, team)
    data: dict[str, Any] = {"name": checks.text(name), "note": checks.text(note)}
    check_lengths(ServiceTeam, data)
    if not data["name"]:
        raise ValidationError({"name": _("请填写专班名称。")})
    data["leader"] = leader
    before = audit.snapshot(team, ServiceTeam.EDITABLE)
    model_update(team, fields=ServiceTeam.EDITABLE, data=data)
    TeamMember.objects.get_or_create(team=team, user=leader, defaults={"kind": MemberKind.CADRE})
    audit.record_update(
        actor=actor,
        action=events.TEAM_UPDATED,
        target=team,
        before=before,
        after=audit.snapshot(team, ServiceTeam.EDITABLE),
        area_path=team.area_path,
    )
    return team


@transaction.atomic
def team_member_add(*, actor: User, team: ServiceTeam, user: User, kind: str = MemberKind.CADRE) -> TeamMember:
    require(actor, Capability.PROJECTS, team)
    if kind not in MemberKind.values:
        raise ValidationError({"kind": _("请选择成员身份。")})
    if TeamMember.objects.filter(team=team, user=user).exists():
        raise ValidationError({"user": _("%(name)s 已是该专班成员。") % {"name": user}})
    member = TeamMember.objects.create(team=team, user=user, kind=kind)
    audit.record(
        actor=actor,
        action=events.TEAM_MEMBER_ADDED,
        target=team,
        changes={"user": user.pk, "kind": kind},
        area_path=team.area_path,
    )
    return member


@transaction.atomic
def team_member_remove(*, actor: User, member: TeamMember) -> None:
    team = member.team
    require(actor, Capability.PROJECTS, team)
    if member.user_id == team.leader_id:
        raise ValidationError(_("不能移除专班组长;请先更换组长。"))
    audit.record(
        actor=actor,
        action=events.TEAM_MEMBER_REMOVED,
        target=team,
        changes={"user": member.user_id},
        area_path=team.area_path,
    )
    member.delete()


# ---- liaison ----------------------------------------------------------------------------------


@transaction.atomic
def liaison_set(
    *,
    actor: User,
    user: User,
    since: dt.date,
    project: Project | None = None,
    enterprise: Enterprise | None = None,
    area: AreaNode | None = None,
) -> Liaison:
    """A cadre takes charge of a project (包项目) or an enterprise (包企业). An enterprise's charge
    hangs at `area` (the park or the town giving it), a project's at the project."""
    if (project is None) == (enterprise is None):
        raise ValidationError(_("包联须指定一个项目或一家企业。"))
    if since is None:
        raise ValidationError({"since": _("请填写包联开始日期。")})
    if project is not None:
        require(actor, Capability.PROJECTS, project)
        kind, path = LiaisonKind.PROJECT, project.area_path
    else:
        if area is None:
            raise ValidationError({"area": _("请选择园区或镇。")})
        require(actor, Capability.PROJECTS, area)
        kind, path = LiaisonKind.ENTERPRISE, checks.project_node(area).path
    open_charge = Liaison.objects.filter(user=user, project=project, enterprise=enterprise, until__isnull=True)
    if open_charge.exists():
        raise ValidationError(_("该干部已在包联此对象。"))
    liaison = Liaison.objects.create(
        user=user, kind=kind, project=project, enterprise=enterprise, area_path=path, since=since
    )
    audit.record_create(
        actor=actor,
        action=events.LIAISON_SET,
        target=liaison,
        after=audit.snapshot(liaison, ("user", "kind", "project", "enterprise", "since")),
        area_path=path,
    )
    return liaison


@transaction.atomic
def liaison_end(*, actor: User, liaison: Liaison, until: dt.date) -> Liaison:
    require(actor, Capability.PROJECTS, liaison)
    if liaison.until is not None:
        raise ValidationError(_("该包联已结束。"))
    if until is None or until < liaison.since:
        raise ValidationError({"until": _("结束日期不能早于开始日期。")})
    liaison.until = until
    liaison.save(update_fields=["until"])
    audit.record(
        actor=actor, action=events.LIAISON_ENDED, target=liaison, changes={"until": until}, area_path=liaison.area_path
    )
    return liaison
