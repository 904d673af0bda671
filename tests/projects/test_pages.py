"""The pages, as the town administrator and as a team member on a phone: follow a project to its
team, visits and blockers; record a visit that raises a blocker; solve it and sign it off; see the
measures change. Lists keep a constant number of queries; the calendar feed parses and a revoked
address is a 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from hongniudai.projects import services_projects
from hongniudai.projects.models import Blocker, BlockerStatus

from .records import park_records

pytestmark = pytest.mark.django_db


def test_my_teams_first_on_the_landing_page(town, park):
    body = town.client_for("leader").get(reverse("projects:home")).content.decode()
    assert body.index("我的专班") < body.index("专班一") < body.index("已解决堵点")
    assert "宋河新材料有限公司" in body  # the liaison enterprise


def test_a_cadre_signs_in_to_my_teams(town, park):
    response = town.client_for("leader").get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:home")
    assert "项目服务" in response.content.decode()  # the menu heading
    assert "项目服务" not in town.client_for("xuqiao").get("/", follow=True).content.decode()


def test_follow_a_project_to_its_team_visits_and_blockers(town, park, admin_client):
    page = admin_client.get(reverse("projects:project_detail", args=[park["project"].pk])).content.decode()
    for seen in ("专班一", "缺少电焊工", "2026-03-02", "主体厂房封顶", "企业党建"):
        assert seen in page
    team = admin_client.get(reverse("projects:team_detail", args=[park["team"].pk])).content.decode()
    assert "年产5万吨精细化学品项目" in team and "wangganbu" in team


def test_a_visit_on_a_phone_raises_a_blocker_solved_and_signed_off(town, park):
    cadre, leader = town.client_for("cadre"), town.client_for("leader")
    form = leader.get(reverse("projects:visit_create") + f"?project={park['project'].pk}")
    assert form.status_code == 200 and 'name="viewport"' in form.content.decode()
    response = cadre.post(
        reverse("projects:visit_create"),
        {
            "team": park["team"].pk,
            "visited_on": "2026-03-04",
            "project": park["project"].pk,
            "people_met": "项目经理",
            "findings": "电杆影响施工",
            "blocker_category": park["category"].pk,
            "blocker_description": "厂区内 3 根电杆需迁改",
            "blocker_department": "镇供电所",
        },
    )
    assert response.status_code == 302
    blocker = Blocker.objects.get(description="厂区内 3 根电杆需迁改")
    url = reverse("projects:blocker_detail", args=[blocker.pk])
    # Sign-off refused without evidence: nothing changes.
    leader.post(reverse("projects:blocker_sign_off", args=[blocker.pk]))
    blocker.refresh_from_db()
    assert blocker.status == BlockerStatus.OPEN
    cadre.post(reverse("projects:blocker_resolve", args=[blocker.pk]), {"evidence": "供电所已迁改"})
    cadre.post(reverse("projects:blocker_sign_off", args=[blocker.pk]))  # not the leader
    blocker.refresh_from_db()
    assert blocker.status == BlockerStatus.RESOLVED
    assert "只有该项目服务专班的组长可以销号" in cadre.get(url).content.decode()
    leader.post(reverse("projects:blocker_sign_off", args=[blocker.pk]))
    blocker.refresh_from_db()
    assert blocker.status == BlockerStatus.SOLVED
    measures = leader.get(reverse("projects:measures")).content.decode()
    assert "已解决 1 个" in measures


def test_pages_answer(town, park, admin_client):
    for name in ("home", "project_list", "team_list", "liaison_list", "blocker_list", "blocker_board", "visit_list",
                 "measures", "project_create", "team_create", "liaison_create", "visit_create"):  # fmt: skip
        assert admin_client.get(reverse(f"projects:{name}")).status_code == 200, name
    for name, what in (("blocker_detail", "blocker"), ("visit_detail", "visit"), ("milestone_edit", "milestone"),
                       ("blocker_create", "project"), ("project_edit", "project")):  # fmt: skip
        assert admin_client.get(reverse(f"projects:{name}", args=[park[what].pk])).status_code == 200, name


def test_a_form_error_is_chinese_and_saves_nothing(town, park, admin_client):
    response = admin_client.post(
        reverse("projects:project_create"),
        {"area": town.park.pk, "name": "新项目", "kind": "industrial", "status": "signed", "invested": "1.005"},
    )
    assert response.status_code == 200 and "金额最多保留两位小数" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["project_list", "blocker_list", "visit_list", "team_list", "liaison_list", "blocker_board"]
)
def test_lists_export_to_excel(town, park, admin_client, name):
    response = admin_client.get(reverse(f"projects:{name}"), {"export": "xlsx"})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    cells = {
        c for row in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True) for c in row
    }
    assert cells & {"年产5万吨精细化学品项目", "专班一", "宋河新材料有限公司"}


def _more(town, n):
    admin, records = town.users["admin"], park_records(town)
    for i in range(n):
        p = services_projects.project_register(actor=admin, area=town.park, name=f"项目{i}", team=records["team"])
        services_projects.milestone_add(actor=admin, project=p, name="开工", planned_on=dt.date(2026, 1, 1))


@pytest.mark.parametrize("name", ["project_list", "blocker_list", "visit_list", "team_list", "blocker_board"])
def test_lists_run_a_constant_number_of_queries(town, park, admin_client, name):
    url = reverse(f"projects:{name}")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    _more(town, 5)
    from hongniudai.projects import services_blockers

    for p in list(park["team"].projects.all())[:5]:
        services_blockers.blocker_raise(
            actor=town.users["admin"], project=p, category=park["category"], description="x"
        )
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few), name


def test_the_team_calendar_parses_and_a_revoked_address_is_404(town, park):
    leader = town.client_for("leader")
    leader.post(reverse("projects:calendar_token", args=[park["team"].pk]))
    page = leader.get(reverse("projects:team_detail", args=[park["team"].pk])).content.decode()
    token = page.split("/projects/feed/")[1].split(".ics")[0]
    anonymous = town.client_for("xuqiao")
    anonymous.logout()
    response = anonymous.get(reverse("projects:calendar_feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["进解促走访:年产5万吨精细化学品项目"]
    assert events[0].decoded("dtstart") == dt.date(2026, 3, 2)
    leader.post(reverse("projects:calendar_token", args=[park["team"].pk]), {"revoke": "1"})
    assert anonymous.get(reverse("projects:calendar_feed", args=[token])).status_code == 404
    assert anonymous.get(reverse("projects:calendar_feed", args=["guess"])).status_code == 404


def test_a_village_secretary_sees_no_park_project(town, park):
    xuqiao = town.client_for("xuqiao")
    assert "年产5万吨" not in xuqiao.get(reverse("projects:project_list")).content.decode()
    assert xuqiao.get(reverse("projects:project_detail", args=[park["project"].pk])).status_code == 404
    assert xuqiao.get(reverse("projects:project_create")).status_code == 403
