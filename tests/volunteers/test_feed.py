"""The private calendar feed: confirmed tasks only, times in Asia/Shanghai, no session needed, a
token kept only as its digest, re-issued or revoked (then 404)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from hongniudai.volunteers import services, services_tasks
from hongniudai.volunteers.models import Volunteer

from .conftest import task_now

pytestmark = pytest.mark.django_db


def _feed(token: str):
    return Client().get(reverse("volunteers:feed", kwargs={"token": token}))


def test_feed_carries_the_confirmed_tasks_only(town, crew):
    actor = town.users["xuqiao"]
    services_tasks.assign(actor=actor, task=crew.soup, volunteers=[crew.huang])
    requested = task_now(actor, town.xuqiao.area, "只报名的活动")
    services_tasks.request_participation(actor=actor, task=requested, volunteer=crew.huang)
    declined = task_now(actor, town.xuqiao.area, "被谢绝的活动")
    p = services_tasks.request_participation(actor=actor, task=declined, volunteer=crew.huang)
    services_tasks.decline_participation(actor=actor, participation=p, reason="人满")
    token = services.issue_feed_token(actor=actor, volunteer=crew.huang)
    response = _feed(token)  # no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["爱心汤 · 爱心汤送汤"]
    start = events[0].decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert start == crew.soup.starts_at.replace(microsecond=0)
    assert str(events[0]["LOCATION"]) == "黄家湾"


def test_only_the_digest_is_kept_and_reissue_replaces(town, crew):
    token = services.issue_feed_token(actor=crew.huang_user, volunteer=crew.huang)  # the volunteer's own
    stored = Volunteer.objects.get(pk=crew.huang.pk).feed_digest
    assert token not in stored and len(stored) == 64
    again = services.issue_feed_token(actor=town.users["xuqiao"], volunteer=crew.huang)
    assert _feed(token).status_code == 404
    assert _feed(again).status_code == 200


def test_a_revoked_token_is_404(town, crew):
    token = services.issue_feed_token(actor=town.users["xuqiao"], volunteer=crew.huang)
    assert _feed(token).status_code == 200
    services.revoke_feed_token(actor=town.users["xuqiao"], volunteer=crew.huang)
    assert _feed(token).status_code == 404
    assert _feed("not-a-token").status_code == 404


def test_a_deactivated_volunteer_has_no_feed(town, crew):
    token = services.issue_feed_token(actor=town.users["xuqiao"], volunteer=crew.huang)
    services.deactivate_volunteer(actor=town.users["xuqiao"], volunteer=crew.huang)
    assert _feed(token).status_code == 404


def test_another_villages_staff_cannot_issue_a_feed(town, crew):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.issue_feed_token(actor=town.users["fashuihe"], volunteer=crew.huang)


def test_the_feed_url_is_shown_once_on_my_page(town, crew):
    services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[crew.huang])
    client = town.client_for("huang")
    response = client.post(reverse("volunteers:my_tasks"), {"action": "issue"})
    body = response.content.decode()
    assert "只显示这一次" in body
    found = re.search(r'value="https?://[^"/]+/volunteers/feed/([A-Za-z0-9_-]+)\.ics"', body)
    assert found is not None
    token = found.group(1)
    assert _feed(token).status_code == 200
    assert token not in client.get(reverse("volunteers:my_tasks")).content.decode()
    client.post(reverse("volunteers:my_tasks"), {"action": "revoke"})
    assert _feed(token).status_code == 404
