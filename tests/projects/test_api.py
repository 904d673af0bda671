"""The projects API: the same story as the pages (a visit raises a blocker, solved and signed off by
the leader, the measures change), progress read-only, Chinese 400s, 403 without PROJECTS, scoped
reads."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.projects import services_blockers, services_projects, services_visits

pytestmark = pytest.mark.django_db
API = "/api/v1/"


@pytest.fixture
def api_for(town: Any):
    def make(username: str) -> APIClient:
        key, _token = issue_token(actor=town.users[username])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def _rows(response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_projects_with_progress_read_only(town, park, api_for):
    admin = api_for("admin")
    [row] = _rows(admin.get(f"{API}projects/"))
    assert (row["name"], row["progress"], row["team"]) == ("年产5万吨精细化学品项目", 0, park["team"].pk)
    m = park["milestone"]
    r = admin.patch(f"{API}project-milestones/{m.pk}/", {"done_on": "2026-06-29"}, format="json")
    assert r.status_code == 200, r.content
    r = admin.patch(f"{API}projects/{row['id']}/", {"progress": 5, "invested": "1000.00"}, format="json")
    assert r.status_code == 200 and r.json()["progress"] == 100 and r.json()["invested"] == "1000.00"


def test_bad_input_is_a_chinese_400(town, park, api_for):
    r = api_for("admin").post(f"{API}projects/", {"area": town.park.pk, "name": "x", "invested": "-5"}, format="json")
    assert r.status_code == 400 and "负数" in str(r.json())
    r = api_for("admin").post(
        f"{API}projects/", {"area": town.park.pk, "name": "x", "location": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}},
        format="json",
    )  # fmt: skip
    assert r.status_code == 400 and "location" in r.json()


def test_writes_need_projects_and_reads_are_scoped(town, park, api_for):
    xuqiao = api_for("xuqiao")
    assert _rows(xuqiao.get(f"{API}projects/")) == []
    assert _rows(xuqiao.get(f"{API}project-blockers/")) == []
    assert xuqiao.get(f"{API}project-measures/").json()["totals"]["raised"] == 0
    r = xuqiao.post(f"{API}projects/", {"area": town.park.pk, "name": "x"}, format="json")
    assert r.status_code == 403


def test_a_visit_raises_a_blocker_solved_and_signed_off(town, park, api_for):
    cadre, leader = api_for("cadre"), api_for("leader")
    r = cadre.post(
        f"{API}project-visits/",
        {"team": park["team"].pk, "visited_on": "2026-03-04", "project": park["project"].pk, "findings": "缺资金",
         "follow_ups": [{"due_on": "2026-03-20", "text": "对接银行"}]},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    visit = r.json()["id"]
    r = leader.post(f"{API}project-visits/{visit}/check-in/", {"lat": "30.4", "lng": "114.9"}, format="json")
    assert r.status_code == 200, r.content
    r = cadre.post(
        f"{API}project-visits/{visit}/raise-blocker/",
        {"category": park["category"].pk, "description": "流动资金贷款 500 万元", "due_days": 5},
        format="json",
    )
    assert r.status_code == 201, r.content
    blocker = r.json()["id"]
    assert r.json()["visit"] == visit
    r = leader.post(f"{API}project-blockers/{blocker}/sign-off/", format="json")
    assert r.status_code == 400 and "佐证" in str(r.json())
    r = cadre.post(f"{API}project-blockers/{blocker}/step/", {"text": "已对接农商行"}, format="json")
    assert r.json()["status"] == "in_progress"
    r = cadre.post(f"{API}project-blockers/{blocker}/resolve/", {"evidence": "贷款已发放"}, format="json")
    assert r.json()["status"] == "resolved"
    assert cadre.post(f"{API}project-blockers/{blocker}/sign-off/", format="json").status_code == 403
    r = leader.post(f"{API}project-blockers/{blocker}/sign-off/", format="json")
    assert r.status_code == 200 and r.json()["status"] == "solved"
    m = leader.get(f"{API}project-measures/").json()
    assert (m["totals"]["raised"], m["totals"]["solved"]) == (2, 1)


def test_escalate_and_categories(town, park, api_for):
    cadre = api_for("cadre")
    cats = _rows(cadre.get(f"{API}project-blocker-categories/"))
    assert [c["name"] for c in cats][:2] == ["用工", "场地平整"]
    r = cadre.post(f"{API}project-blockers/{park['blocker'].pk}/escalate/", {"reason": "需镇协调"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "escalated_town"


def test_teams_and_liaisons(town, park, api_for):
    admin = api_for("admin")
    [team] = _rows(admin.get(f"{API}project-teams/"))
    assert sorted(m["kind"] for m in team["members"]) == ["cadre", "cadre"]
    r = admin.post(
        f"{API}project-liaisons/", {"user": town.users["cadre"].pk, "project": park["project"].pk, "since": "2026-02-01"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    r = admin.post(f"{API}project-liaisons/{r.json()['id']}/end/", {"until": "2026-01-01"}, format="json")
    assert r.status_code == 400


@pytest.mark.parametrize(
    "path", ["projects/", "project-blockers/", "project-visits/", "project-teams/", "project-liaisons/"]
)
def test_api_lists_run_a_constant_number_of_queries(town, park, api_for, path):
    admin = api_for("admin")
    admin.get(f"{API}{path}")
    with CaptureQueriesContext(connection) as few:
        admin.get(f"{API}{path}")
    actor = town.users["admin"]
    for i in range(4):
        p = services_projects.project_register(actor=actor, area=town.park, name=f"项目{i}", team=park["team"])
        services_blockers.blocker_raise(actor=actor, project=p, category=park["category"], description="x")
        services_visits.visit_record(
            actor=town.users["cadre"], team=park["team"], visited_on=park["visit"].visited_on, project=p
        )
        services_projects.liaison_set(actor=actor, user=town.users["cadre"], project=p, since=park["visit"].visited_on)
        team = services_projects.team_set_up(actor=actor, area=town.park, name=f"专班{i}", leader=actor)
        services_projects.team_member_add(actor=actor, team=team, user=town.users["cadre"])
    with CaptureQueriesContext(connection) as many:
        assert len(admin.get(f"{API}{path}").json()["results"]) >= 5
    assert len(many) == len(few)


def test_the_schema_names_the_project_and_team_filters(client):
    # A client generated from the schema can follow a project to its milestones, blockers and
    # visits only if the schema says these lists take `?project=` (and `?team=`).
    import yaml

    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]

    def params(path):
        return {p["name"]: p["schema"]["type"] for p in paths[path]["get"].get("parameters", [])}

    assert params("/api/v1/project-milestones/").get("project") == "integer"
    for path in ("/api/v1/project-blockers/", "/api/v1/project-visits/"):
        assert params(path).get("project") == "integer", path
        assert params(path).get("team") == "integer", path
