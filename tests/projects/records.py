"""The park's records for the projects tests and the URL walk: a chemical firm in 宋河精细化工产业园,
its project 年产 5 万吨精细化学品项目 served by 专班一 (led by 李专班, with 王干部), one milestone,
one blocker, one visit with a follow-up and a liaison."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hongniudai.accounts.models import Role
from tests import factories as f


def park_records(town: Any) -> dict[str, Any]:
    records = getattr(town, "_project_records", None)
    if records is not None:
        return records
    from hongniudai.projects import services_blockers, services_projects, services_visits
    from hongniudai.projects.models import BlockerCategory

    admin = town.users["admin"]
    leader = f.user("lizhuanban", Role.PROJECT_CADRE, area=town.park)
    cadre = f.user("wangganbu", Role.PROJECT_CADRE, area=town.park)
    other = f.user("zhaoganbu", Role.PROJECT_CADRE, area=town.park)
    town.users.update({"leader": leader, "cadre": cadre, "other": other})
    firm = f.enterprise(town.park, "宋河新材料有限公司", "91420704MA4KXXXX1X", industry="fine_chemicals")
    team = services_projects.team_set_up(actor=admin, area=town.park, name="专班一", leader=leader)
    services_projects.team_member_add(actor=admin, team=team, user=cadre)
    project = services_projects.project_register(
        actor=admin,
        area=town.park,
        name="年产5万吨精细化学品项目",
        owner=firm,
        planned_investment=Decimal("500000000.00"),
        kind="industrial",
        status="building",
        leader=leader,
        team=team,
    )
    milestone = services_projects.milestone_add(
        actor=admin, project=project, name="主体厂房封顶", planned_on=dt.date(2026, 6, 30), weight=2
    )
    category = BlockerCategory.objects.get(town=town.town, code="labour")
    blocker = services_blockers.blocker_raise(
        actor=cadre, project=project, category=category, description="缺少电焊工 20 名", owner_department="镇人社中心"
    )
    visit = services_visits.visit_record(
        actor=cadre,
        team=team,
        visited_on=dt.date(2026, 3, 2),
        project=project,
        people_met="项目经理",
        findings="施工正常",
        follow_ups=[{"due_on": dt.date(2026, 3, 20), "text": "对接供电所"}],
    )
    liaison = services_projects.liaison_set(actor=admin, user=leader, enterprise=firm, area=town.park,
                                            since=dt.date(2026, 1, 1))  # fmt: skip
    records = {
        "firm": firm,
        "team": team,
        "project": project,
        "milestone": milestone,
        "category": category,
        "blocker": blocker,
        "visit": visit,
        "follow_up": visit.follow_ups.get(),
        "liaison": liaison,
        "member": team.members.get(user=cadre),
    }
    town._project_records = records
    return records
