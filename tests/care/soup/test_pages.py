"""The soup pages as the village's staff and a volunteer use them: the list reviewed per hamlet,
rounds with who is still to be visited, check-off with a tap (HTMX) or with an observation, the
exports; a volunteer reaches only their own visits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hongniudai.care.soup import services
from hongniudai.care.soup.models import Outcome, RecipientStatus, SoupRecipient, SoupVisit

from .conftest import SoupTown

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 19)
NOON = dt.datetime(2026, 12, 19, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_staff_pages_answer_in_chinese(soup: SoupTown) -> None:
    client = _client(soup.hmf)
    round_ = services.create_round(actor=soup.hmf, village=soup.village, day=DAY)
    for name, args in [
        ("soup:round_list", []),
        ("soup:recipient_list", []),
        ("soup:rule_list", []),
        ("soup:rule_create", []),
        ("soup:recipient_create", []),
        ("soup:review", [soup.village.pk]),
        ("soup:round_create", [soup.village.pk]),
        ("soup:hamlet_volunteer", [soup.hamlet.pk]),
        ("soup:round_detail", [round_.pk]),
        ("soup:my_visits", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    body = client.get(reverse("soup:review", args=[soup.village.pk])).content.decode()
    assert "张家冲" in body and "张老太" in body and "年满 80 周岁" in body and "何志愿" in body
    body = client.get(reverse("soup:round_detail", args=[round_.pk])).content.decode()
    assert "还有 2 户待送" in body and "已送达" in body


def test_exports_of_the_lists(soup: SoupTown) -> None:
    client = _client(soup.hmf)
    services.create_round(actor=soup.hmf, village=soup.village, day=DAY)
    for name in ("soup:round_list", "soup:recipient_list"):
        response = client.get(reverse(name), {"export": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_remove_then_approve_through_the_pages(soup: SoupTown) -> None:
    client = _client(soup.hmf)
    row = SoupRecipient.objects.get(resident=soup.elders[0])
    url = reverse("soup:recipient_remove", args=[row.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "移除原因" in response.content.decode()
    assert client.post(url, {"reason": "已随子女进城"}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.removed_reason, row.decided_by) == (RecipientStatus.REMOVED, "已随子女进城", soup.hmf)
    response = client.post(reverse("soup:recipient_create"), {"resident": soup.elders[0].pk, "reason": "回村"})
    assert response.status_code == 302
    assert client.post(reverse("soup:recipient_approve", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.status == RecipientStatus.APPROVED


def test_a_volunteer_checks_off_with_a_tap_and_sees_only_their_visits(soup: SoupTown) -> None:
    services.create_round(actor=soup.hmf, village=soup.village, day=DAY)
    services.create_round(actor=soup.admin, village=soup.town.fashuihe.area, day=DAY)
    mine = SoupVisit.objects.filter(volunteer=soup.volunteer).order_by("id").first()
    theirs = SoupVisit.objects.filter(volunteer=soup.other_volunteer).first()
    assert mine is not None and theirs is not None
    with time_machine.travel(NOON, tick=False):
        client = _client(soup.volunteer.user)
        body = client.get(reverse("soup:my_visits")).content.decode()
        assert "张老太" in body and "张老汉" in body and "施奶奶" not in body
        response = client.post(
            reverse("soup:visit_check", args=[mine.pk]), {"outcome": "delivered"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200 and "已送达" in response.content.decode()
        mine.refresh_from_db()
        assert mine.outcome == Outcome.DELIVERED and mine.checked_by == soup.volunteer.user
        # Another volunteer's visit answers 404, as if it did not exist.
        for method in (client.get, client.post):
            assert method(reverse("soup:visit_check", args=[theirs.pk])).status_code == 404
        # Nothing else of the soup rounds.
        assert client.get(reverse("soup:recipient_list")).status_code == 403
        assert client.get(reverse("soup:round_detail", args=[mine.round_id])).status_code == 404
        assert client.get(reverse("soup:round_list")).status_code == 302


def test_an_observation_through_the_form_raises_a_matter(soup: SoupTown) -> None:
    services.create_round(actor=soup.hmf, village=soup.village, day=DAY)
    visit = SoupVisit.objects.filter(volunteer=soup.volunteer).order_by("id").first()
    assert visit is not None
    url = reverse("soup:visit_check", args=[visit.pk])
    with time_machine.travel(NOON, tick=False):
        client = _client(soup.volunteer.user)
        assert client.get(url).status_code == 200
        data = {
            "outcome": "delivered",
            "observation": "needs_help",
            "observation_note": "水管冻裂",
            "needs_action": "on",
        }
        response = client.post(url, data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.matter is not None and visit.matter.place == soup.hamlet


def test_bad_input_is_answered_in_chinese_not_500(soup: SoupTown) -> None:
    client = _client(soup.hmf)
    services.create_round(actor=soup.hmf, village=soup.village, day=DAY)
    visit = SoupVisit.objects.filter(round__village=soup.village).first()
    assert visit is not None
    with time_machine.travel(NOON, tick=False):
        client = _client(soup.hmf)
        response = client.post(
            reverse("soup:visit_check", args=[visit.pk]), {"outcome": "delivered", "observation": "other"}
        )
        assert response.status_code == 200 and "请写明情况" in response.content.decode()
        response = client.post(
            reverse("soup:visit_check", args=[visit.pk]), {"outcome": "bogus"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200 and "请选择送汤结果" in response.content.decode()
    client = _client(soup.hmf)
    response = client.post(reverse("soup:round_create", args=[soup.village.pk]), {"day": "2026-12-18"})
    assert response.status_code == 200 and "逢九" in response.content.decode()
    response = client.post(reverse("soup:rule_create"), {"area": soup.village.pk, "kind": "age", "min_age": "5"})
    assert response.status_code == 200 and "周岁" in response.content.decode()
