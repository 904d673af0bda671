"""The volunteers' API: scoped reads, a volunteer sees only their own, phones masked, hours never
confirmed by the volunteer, transitions in order with Chinese messages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hongniudai.volunteers import services, services_tasks
from hongniudai.volunteers.models import HoursStatus, Volunteer

from .conftest import task_now

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _results(response) -> list:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_register_an_outsider_and_read_the_phone_masked(town):
    client = api(town.users["xuqiao"])
    response = client.post(
        "/api/v1/volunteers/",
        {"area": town.xuqiao.area.pk, "name": "王芳", "phone": "13912345678", "joined_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone_masked"] == "139****5678" and "phone" not in body
    listing = client.get("/api/v1/volunteers/").content.decode()
    assert "13912345678" not in listing and "139****5678" in listing
    bad = client.post(
        "/api/v1/volunteers/",
        {"area": town.xuqiao.area.pk, "name": "赵六", "phone": "1391234", "joined_on": "2025-01-01"},
        format="json",
    )
    assert bad.status_code == 400 and "11 位数字" in bad.content.decode()
    assert not Volunteer.objects.filter(name="赵六").exists()


def test_out_of_scope_volunteer_is_404(town, crew):
    client = api(town.users["xuqiao"])
    assert client.get(f"/api/v1/volunteers/{crew.shi.pk}/").status_code == 404
    assert client.get(f"/api/v1/volunteer-tasks/{crew.shi_task.pk}/").status_code == 404
    names = [v["name"] for v in _results(client.get("/api/v1/volunteers/"))]
    assert sorted(names) == ["李明", "黄文华"]


def test_a_volunteer_sees_only_their_own_through_the_api(town, crew):
    other = task_now(town.users["xuqiao"], town.xuqiao.area, "敬老院打扫")
    services_tasks.assign(actor=town.users["xuqiao"], task=other, volunteers=[crew.li])
    mine = services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[crew.huang])[0]
    client = api(crew.huang_user)
    assert [v["name"] for v in _results(client.get("/api/v1/volunteers/"))] == ["黄文华"]
    assert client.get(f"/api/v1/volunteers/{crew.li.pk}/").status_code == 404
    assert [t["title"] for t in _results(client.get("/api/v1/volunteer-tasks/"))] == ["爱心汤送汤"]
    assert client.get(f"/api/v1/volunteer-tasks/{other.pk}/").status_code == 404
    assert _results(client.get("/api/v1/volunteer-teams/")) == []
    assert [p["id"] for p in _results(client.get("/api/v1/volunteer-participations/"))] == [mine.pk]
    assert [p["id"] for p in _results(client.get("/api/v1/my-volunteer-tasks/"))] == [mine.pk]
    assert client.get("/api/v1/volunteer-ranking/").json() == []
    li_p = crew.li.participations.get()
    assert client.get(f"/api/v1/volunteer-participations/{li_p.pk}/").status_code == 404
    # They may not change the registry.
    response = client.post(
        "/api/v1/volunteers/",
        {"area": town.xuqiao.area.pk, "name": "x", "phone": "13912345678", "joined_on": "2025-01-01"},
    )
    assert response.status_code == 403


def test_a_volunteer_logs_but_cannot_confirm_their_own_hours(town, crew):
    mine = services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[crew.huang])[0]
    client = api(crew.huang_user)
    response = client.post("/api/v1/volunteer-hours/", {"participation": mine.pk, "hours": "3.5"}, format="json")
    assert response.status_code == 201, response.content
    hours_id = response.json()["id"]
    refused = client.post(f"/api/v1/volunteer-hours/{hours_id}/confirm/")
    assert refused.status_code == 403
    assert "不能审核自己的服务时长" in refused.content.decode()
    # Nor as the village secretary whose account is that volunteer's.
    services.link_account(actor=town.users["admin"], volunteer=crew.huang, user=town.users["xuqiao"])
    assert api(town.users["xuqiao"]).post(f"/api/v1/volunteer-hours/{hours_id}/confirm/").status_code == 403
    assert crew.huang.hours.get().status == HoursStatus.PENDING
    ok = api(town.users["admin"]).post(f"/api/v1/volunteer-hours/{hours_id}/confirm/")
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"


def test_reject_needs_a_reason_and_keeps_it(town, crew):
    p = services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[crew.li])[0]
    logged = services_tasks.log_hours(actor=town.users["xuqiao"], participation=p, hours="2")
    client = api(town.users["admin"])
    assert client.post(f"/api/v1/volunteer-hours/{logged.pk}/reject/", {}, format="json").status_code == 400
    response = client.post(f"/api/v1/volunteer-hours/{logged.pk}/reject/", {"reason": "未到岗"}, format="json")
    assert response.status_code == 200 and response.json()["reason"] == "未到岗"


def test_transitions_out_of_order_are_refused_in_chinese(town, crew):
    client = api(town.users["xuqiao"])
    response = client.post(
        "/api/v1/volunteer-participations/", {"task": crew.soup.pk, "volunteer": crew.li.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    refused = client.post(f"/api/v1/volunteer-participations/{pid}/complete/")
    assert refused.status_code == 400
    assert "只有“已确认”的参与可以标记完成,当前为“报名”" in refused.content.decode()
    assert client.post(f"/api/v1/volunteer-participations/{pid}/confirm/").json()["status"] == "confirmed"
    assert client.post(f"/api/v1/volunteer-participations/{pid}/complete/").json()["status"] == "done"
    again = client.post(f"/api/v1/volunteer-participations/{pid}/decline/", {"reason": "x"}, format="json")
    assert again.status_code == 400 and "当前为“已完成”" in again.content.decode()


def test_tasks_assign_and_ranking(town, crew):
    client = api(town.users["xuqiao"])
    response = client.post(
        "/api/v1/volunteer-tasks/",
        {
            "area": town.xuqiao.area.pk,
            "kind": "activity",
            "title": "清洁家园",
            "starts_at": "2026-01-10T09:00:00+08:00",
            "ends_at": "2026-01-10T12:00:00+08:00",
            "needed": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    task_id = response.json()["id"]
    assigned = client.post(
        f"/api/v1/volunteer-tasks/{task_id}/assign/", {"volunteers": [crew.li.pk, crew.huang.pk]}, format="json"
    )
    assert assigned.status_code == 200 and {p["status"] for p in assigned.json()} == {"confirmed"}
    p = crew.li.participations.get(task_id=task_id)
    logged = services_tasks.log_hours(actor=town.users["xuqiao"], participation=p, hours="3")
    services_tasks.confirm_hours(actor=town.users["admin"], hours=logged)
    rows = client.get("/api/v1/volunteer-ranking/", {"year": 2026, "area": town.xuqiao.area.pk}).json()
    assert [(r["rank"], r["name"], r["hours"]) for r in rows] == [(1, "李明", "3.0")]
    assert client.get("/api/v1/volunteer-ranking/", {"area": town.fashuihe.area.pk}).json() == []
