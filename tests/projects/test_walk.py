"""Issue 19's "Done when", walked end to end: as the town administrator and as a team member on a
phone (375 px: the viewport is set, every table scrolls inside its own box, the forms pick by
search), follow a project from its page to its team, visits and blockers; record a visit that
raises a blocker and check in; solving is refused without evidence, the sign-off by anyone but the
team leader; the measures change. Then the same through the API."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.projects import services_blockers, services_projects, services_visits
from hongniudai.projects.models import Blocker, BlockerStatus, CheckIn, SiteVisit

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def _page(client: Client, url: str) -> str:
    """A page as a phone shows it: answered, with the viewport set and no table wider than the screen."""
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert 'name="viewport" content="width=device-width' in body, url
    tables = body.count("<table")
    assert body.count("table-responsive") >= tables, (url, "a table without its scrolling box")
    return body


def _follow(client: Client, body: str, url: str) -> str:
    """Follow a link the page holds (a newcomer clicks; nothing is typed into the address bar)."""
    assert f'href="{url}' in body, url
    return _page(client, url)


def _solved(client: Client) -> int:
    found = re.search(r"已解决\s*(\d+)\s*个", _page(client, reverse("projects:measures")))
    assert found, "the measures say how many blockers were solved"
    return int(found.group(1))


def _walk_pages(town: Any, park: dict[str, Any], who: str) -> None:
    client = town.client_for(who)
    project, team = park["project"], park["team"]
    listing = _page(client, reverse("projects:project_list"))
    detail = _follow(client, listing, reverse("projects:project_detail", args=[project.pk]))
    team_page = _follow(client, detail, reverse("projects:team_detail", args=[team.pk]))
    assert project.name in team_page and "wangganbu" in team_page
    _follow(client, detail, reverse("projects:visit_detail", args=[park["visit"].pk]))
    blocker_page = _follow(client, detail, reverse("projects:blocker_detail", args=[park["blocker"].pk]))
    assert "缺少电焊工" in blocker_page
    form = _follow(client, detail, reverse("projects:visit_create") + f"?project={project.pk}")
    assert "data-pick" in form and f'name="project" value="{project.pk}"' in form  # picked, not listed


def _visit_raising_a_blocker(cadre: Client, park: dict[str, Any], description: str) -> Blocker:
    response = cadre.post(
        reverse("projects:visit_create"),
        {
            "team": park["team"].pk,
            "visited_on": "2026-03-04",
            "project": park["project"].pk,
            "people_met": "项目经理",
            "findings": "电杆影响施工",
            "blocker_category": park["category"].pk,
            "blocker_description": description,
            "blocker_department": "镇供电所",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    visit = SiteVisit.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert "发现问题 1 个" in _page(cadre, response["Location"])
    return Blocker.objects.get(visit=visit, description=description)


def test_done_when_walked_on_the_pages_and_through_the_api(town: Any, park: dict[str, Any]) -> None:
    for who in ("admin", "cadre"):
        _walk_pages(town, park, who)
    admin, cadre, leader = (town.client_for(u) for u in ("admin", "cadre", "leader"))
    solved = _solved(admin)
    blocker = _visit_raising_a_blocker(cadre, park, "厂区内 3 根电杆需迁改")
    url = reverse("projects:blocker_detail", args=[blocker.pk])
    # The leader checks in on the visit from their phone (the recorder already has).
    leader.post(reverse("projects:visit_check_in", args=[blocker.visit_id]), {"lat": "30.401", "lng": "114.801"})
    assert CheckIn.objects.filter(visit=blocker.visit_id).count() == 2
    # Solving without evidence is refused; so is a sign-off before it is solved.
    refused = cadre.post(reverse("projects:blocker_resolve", args=[blocker.pk]), {"evidence": ""}, follow=True)
    assert "请填写解决情况或上传佐证材料" in refused.content.decode()
    leader.post(reverse("projects:blocker_sign_off", args=[blocker.pk]))
    blocker.refresh_from_db()
    assert blocker.status == BlockerStatus.OPEN
    cadre.post(reverse("projects:blocker_resolve", args=[blocker.pk]), {"evidence": "供电所已迁改"})
    cadre.post(reverse("projects:blocker_sign_off", args=[blocker.pk]))  # a member, not the leader
    assert "只有该项目服务专班的组长可以销号" in _page(cadre, url)
    leader.post(reverse("projects:blocker_sign_off", args=[blocker.pk]))
    assert "已销号" in _page(leader, url)
    assert _solved(admin) == _solved(cadre) == solved + 1
    _walk_api(town, park)


def _api(town: Any, username: str) -> APIClient:
    key, _token = issue_token(actor=town.users[username])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content.decode()[:2000]
    return response.json()


def _another_project(town: Any, park: dict[str, Any]) -> None:
    """A second project of the team, with its own visit and blocker: the project's lists are its own."""
    admin, cadre = town.users["admin"], town.users["cadre"]
    other = services_projects.project_register(actor=admin, area=town.park, name="园区道路", team=park["team"])
    services_blockers.blocker_raise(actor=cadre, project=other, category=park["category"], description="缺少路基材料")
    services_visits.visit_record(actor=cadre, team=park["team"], visited_on=dt.date(2026, 3, 3), project=other)


def _walk_api(town: Any, park: dict[str, Any]) -> None:
    project = park["project"]
    _another_project(town, park)
    for who in ("admin", "cadre"):
        api = _api(town, who)
        row = _ok(api.get(f"{API}projects/{project.pk}/"))
        team = _ok(api.get(f"{API}project-teams/{row['team']}/"))
        assert team["name"] == "专班一"
        visits = _ok(api.get(f"{API}project-visits/", {"project": project.pk}))["results"]
        blockers = _ok(api.get(f"{API}project-blockers/", {"project": project.pk}))["results"]
        assert visits and {v["project"] for v in visits} == {project.pk}
        assert blockers and {b["project"] for b in blockers} == {project.pk}
    cadre, leader = _api(town, "cadre"), _api(town, "leader")
    before = _ok(leader.get(f"{API}project-measures/"))["totals"]["solved"]
    visit = _ok(
        cadre.post(
            f"{API}project-visits/",
            {"team": park["team"].pk, "visited_on": "2026-03-05", "project": project.pk, "findings": "缺资金"},
            format="json",
        ),
        201,
    )["id"]
    _ok(leader.post(f"{API}project-visits/{visit}/check-in/", {"lat": "30.4", "lng": "114.8"}, format="json"))
    blocker = _ok(
        cadre.post(
            f"{API}project-visits/{visit}/raise-blocker/",
            {"category": park["category"].pk, "description": "流动资金贷款 500 万元"},
            format="json",
        ),
        201,
    )["id"]
    refused = cadre.post(f"{API}project-blockers/{blocker}/resolve/", {"evidence": ""}, format="json")
    assert refused.status_code == 400 and "佐证" in str(refused.json())
    assert leader.post(f"{API}project-blockers/{blocker}/sign-off/", format="json").status_code == 400
    _ok(cadre.post(f"{API}project-blockers/{blocker}/resolve/", {"evidence": "贷款已发放"}, format="json"))
    assert cadre.post(f"{API}project-blockers/{blocker}/sign-off/", format="json").status_code == 403
    assert _ok(leader.post(f"{API}project-blockers/{blocker}/sign-off/", format="json"))["status"] == "solved"
    assert _ok(leader.get(f"{API}project-measures/"))["totals"]["solved"] == before + 1
