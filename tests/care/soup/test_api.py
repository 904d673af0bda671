"""The soup rounds through the API: rules, recipients (propose, approve, remove), rounds, visits
(check off with an observation), scoped; a volunteer reaches only their own visits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from hongniudai.care.soup import services
from hongniudai.care.soup.models import RecipientStatus, SoupRecipient, SoupVisit
from tests import factories as f

from .conftest import SoupTown

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 19)
NOON = dt.datetime(2026, 12, 19, 4, 0, tzinfo=dt.UTC)


def _api(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_rules_and_the_list_through_the_api(soup: SoupTown) -> None:
    api = _api(soup.hmf)
    response = api.post("/api/v1/soup-rules/", {"area": soup.village.pk, "kind": "age", "min_age": 75}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kind_label"] == "年满规定年龄"
    response = api.post("/api/v1/soup-rules/", {"area": soup.town.town.pk, "kind": "alone"}, format="json")
    assert response.status_code == 400  # the town is not the village's to rule
    f.resident(f.household(soup.hamlet, "张家冲50号"), "七十七", birth=dt.date(1949, 1, 1))
    preview = api.get("/api/v1/soup-recipients/propose/", {"village": soup.village.pk}).json()
    assert {"resident_name": "七十七", "reasons": "年满 75 周岁"}.items() <= preview[-1].items()
    response = api.post("/api/v1/soup-recipients/propose/", {"village": soup.village.pk}, format="json")
    assert response.status_code == 201 and [r["resident_name"] for r in response.json()] == ["七十七"]
    pk = response.json()[0]["id"]
    response = api.post(f"/api/v1/soup-recipients/{pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == RecipientStatus.APPROVED
    response = api.post(f"/api/v1/soup-recipients/{pk}/remove/", {"reason": ""}, format="json")
    assert response.status_code == 400
    response = api.post(f"/api/v1/soup-recipients/{pk}/remove/", {"reason": "搬走了"}, format="json")
    assert response.status_code == 200 and response.json()["removed_reason"] == "搬走了"
    # Another village proposes nothing here.
    other = _api(soup.town.users["xuqiao"])
    assert (
        other.post("/api/v1/soup-recipients/propose/", {"village": soup.village.pk}, format="json").status_code == 400
    )
    assert other.get("/api/v1/soup-recipients/propose/", {"village": soup.village.pk}).json() == []


def test_rounds_and_check_off_through_the_api(soup: SoupTown) -> None:
    api = _api(soup.hmf)
    response = api.post("/api/v1/soup-rounds/", {"village": soup.village.pk, "date": "2026-12-18"}, format="json")
    assert response.status_code == 400 and "逢九" in response.content.decode()
    response = api.post("/api/v1/soup-rounds/", {"village": soup.village.pk, "date": "2026-12-19"}, format="json")
    assert response.status_code == 201 and response.json()["visit_count"] == 2
    volunteer = _api(soup.volunteer.user)
    visits = volunteer.get("/api/v1/soup-visits/").json()["results"]
    assert sorted(v["resident_name"] for v in visits) == ["张老太", "张老汉"]
    with time_machine.travel(NOON, tick=False):
        response = volunteer.post(
            f"/api/v1/soup-visits/{visits[0]['id']}/check/",
            {"outcome": "delivered", "observation": "unwell", "observation_note": "发烧", "needs_action": True},
            format="json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["matter_number"]
    # The volunteer reaches no other list, and not another village's visit.
    assert volunteer.get("/api/v1/soup-rounds/").json()["results"] == []
    assert volunteer.post("/api/v1/soup-rounds/", {"village": soup.village.pk, "date": "2026-12-29"}).status_code == 403
    services.create_round(actor=soup.admin, village=soup.town.fashuihe.area, day=DAY)
    theirs = SoupVisit.objects.filter(round__village=soup.town.fashuihe.area).first()
    assert theirs is not None
    assert volunteer.get(f"/api/v1/soup-visits/{theirs.pk}/").status_code == 404
    assert volunteer.post(f"/api/v1/soup-visits/{theirs.pk}/check/", {"outcome": "delivered"}).status_code == 404


def test_a_visit_given_to_another_volunteer(soup: SoupTown) -> None:
    services.create_round(actor=soup.hmf, village=soup.village, day=DAY)
    visit = SoupVisit.objects.filter(round__village=soup.village).first()
    assert visit is not None
    api = _api(soup.hmf)
    response = api.post(
        f"/api/v1/soup-visits/{visit.pk}/assign/", {"volunteer": soup.other_volunteer.pk}, format="json"
    )
    assert response.status_code == 400  # 发水河村's volunteer is out of scope for 何梅畈村
    response = api.post(f"/api/v1/soup-visits/{visit.pk}/assign/", {"volunteer": None}, format="json")
    assert response.status_code == 200 and response.json()["volunteer"] is None
    assert SoupRecipient.objects.filter(village=soup.village).count() == 2
