"""The development API: cases (list, retrieve, create, steps), rules and the due list."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.development.models import DevelopmentCase, Stage
from tests import factories as f

from .conftest import D, open_case, walk_to
from .url_scope import fashuihe_case


def api(town, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(town.users[username])
    return client


def test_list_retrieve_and_filters_are_scoped(town, applicant):
    case = walk_to(town, open_case(town, applicant), "activist")
    other = fashuihe_case(town)
    client = api(town, "xuqiao")
    body = client.get(reverse("api:development-case-list")).json()
    assert [r["id"] for r in body["results"]] == [case.pk]
    row = body["results"][0]
    assert row["resident"]["name"] == "黄小明" and row["stage"] == "activist" and row["stage_label"] == "入党积极分子"
    assert [s["kind"] for s in row["steps"]] == ["apply", "talk", "activist"]
    assert client.get(reverse("api:development-case-list"), {"stage": "candidate"}).json()["count"] == 0
    assert client.get(reverse("api:development-case-list"), {"q": "hxm"}).json()["count"] == 1
    assert client.get(reverse("api:development-case-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:development-case-steps", args=[other.pk])).status_code == 404
    assert client.post(reverse("api:development-case-steps", args=[other.pk]), {}).status_code == 404
    admin = api(town, "admin")
    assert admin.get(reverse("api:development-case-list"), {"org": town.fashuihe.branch.pk}).json()["count"] == 1


def test_create_and_record_steps(town, applicant):
    client = api(town, "xuqiao")
    response = client.post(
        reverse("api:development-case-list"),
        {"resident_id": applicant.pk, "org": town.xuqiao.branch.pk, "applied_on": "2024-01-10"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    url = reverse("api:development-case-steps", args=[pk])
    response = client.post(url, {"kind": "talk", "on": "2024-03-01"}, format="json")
    assert response.status_code == 201
    talk = response.json()["steps"][-1]
    assert talk["kind"] == "talk" and talk["warnings"][0]["rule"] == "talk_within"
    response = client.post(url, {"kind": "candidate", "on": "2024-03-02"}, format="json")
    assert response.status_code == 400 and "activist" not in response.json()
    client.post(url, {"kind": "activist", "on": "2024-03-05"}, format="json")
    response = client.post(url, {"kind": "candidate", "on": "2025-01-05"}, format="json")
    assert response.status_code == 400
    assert "入党积极分子培养考察的最短时间" in str(response.json())
    timeline = client.get(url).json()
    assert [s["kind"] for s in timeline] == ["apply", "talk", "activist"]
    assert DevelopmentCase.objects.get(pk=pk).stage == Stage.ACTIVIST


def test_bad_input_is_400_never_500(town, applicant):
    client = api(town, "xuqiao")
    case = open_case(town, applicant)
    url = reverse("api:development-case-steps", args=[case.pk])
    for data in (
        {},
        {"kind": "fly", "on": "2024-01-20"},
        {"kind": "talk", "on": "yesterday"},
        {"kind": "apply", "on": "2024-01-20"},
    ):
        assert client.post(url, data, format="json").status_code == 400
    young = f.resident(town.xuqiao.household, "黄小丽", birth=D(2010, 1, 1))
    response = client.post(
        reverse("api:development-case-list"),
        {"resident_id": young.pk, "org": town.xuqiao.branch.pk, "applied_on": "2026-01-05"},
        format="json",
    )
    assert response.status_code == 400 and "申请入党的最低年龄" in str(response.json())
    response = client.post(
        reverse("api:development-case-list"),
        {"resident_id": young.pk, "org": town.fashuihe.branch.pk, "applied_on": "2026-01-05"},
        format="json",
    )
    assert response.status_code == 400  # a branch out of scope is like a missing one


def test_gridworker_may_not_write(town, applicant):
    client = api(town, "gridworker")
    response = client.post(
        reverse("api:development-case-list"),
        {"resident_id": applicant.pk, "org": town.xuqiao.branch.pk, "applied_on": "2024-01-10"},
        format="json",
    )
    assert response.status_code == 403
    assert not DevelopmentCase.objects.exists()


def test_rules_and_due(town, applicant):
    open_case(town, applicant)
    client = api(town, "xuqiao")
    rules = client.get(reverse("api:development-rule-list")).json()
    assert {r["code"] for r in rules} >= {"min_age", "activist_min_period"}
    assert all(not r["is_local"] for r in rules)
    from hongniudai.development import services_rules

    services_rules.save_local_rule(actor=town.users["admin"], code="talk_within", area=town.town, value=20, unit="days")
    in_force = client.get(reverse("api:development-rule-list"), {"org": town.xuqiao.branch.pk}).json()
    assert len(in_force) == 9
    talk = next(r for r in in_force if r["code"] == "talk_within")
    assert talk["is_local"] and talk["value"] == 20 and talk["area_name"] == "宋河镇"
    assert client.get(reverse("api:development-rule-list"), {"org": town.fashuihe.branch.pk}).json() == []
    due = client.get(reverse("api:development-due-list")).json()
    assert len(due) == 1 and due[0]["name"] == "黄小明" and due[0]["overdue"] and due[0]["due_on"] == "2024-01-30"
    assert api(town, "fashuihe").get(reverse("api:development-due-list")).json() == []
