"""The meetings list runs the same number of queries whatever the number of meetings, and shows
each meeting's attendance counted (present and absent)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.orglife import selectors

from .conftest import YEAR, hold

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches that are not per row (session save, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_meetings_list_query_count_does_not_grow_with_meetings(ol, admin_client):
    branch = ol.town.xuqiao.branch
    url = reverse("orglife:meeting_list")
    hold(branch, dt.date(YEAR, 1, 6), "member_meeting", absent=ol.members[1:2])
    small = _queries(admin_client, url)
    for day in range(7, 27):
        hold(branch, dt.date(YEAR, 1, day), "member_meeting", "party_lecture", topic=f"学习{day}")
    large = _queries(admin_client, url)
    assert large == small
    html = admin_client.get(url).content.decode()
    assert html.count("/orglife/meetings/") >= 21


def test_the_meetings_list_counts_who_attended_each_meeting(ol):
    branch = ol.town.xuqiao.branch
    meeting = hold(branch, dt.date(YEAR, 3, 3), "party_lecture", topic="三月党课", absent=ol.members[1:3])
    empty = hold(branch, dt.date(YEAR, 3, 4), "party_lecture", topic="四日党课")
    empty.attendance.all().delete()
    rows = {m.pk: (m.present_count, m.absent_count) for m in selectors.meetings(ol.admin)}
    present = meeting.attendance.filter(present=True).count()
    assert present >= 1 and rows[meeting.pk] == (present, 2)
    assert rows[empty.pk] == (0, 0)


def test_the_meetings_list_keeps_its_order_and_sorts_a_villages_few_on_sqlite(ol):
    t = ol.town
    for day in (3, 3, 9, 1):
        hold(t.xuqiao.branch, dt.date(YEAR, 2, day), "member_meeting")
    hold(t.xuqiao.group, dt.date(YEAR, 2, 3), "group_meeting")
    hold(t.fashuihe.branch, dt.date(YEAR, 2, 5), "member_meeting")
    for user in (ol.admin, t.users["xuqiao"]):
        rows = list(selectors.meetings(user).values_list("held_on", "pk"))
        assert len(rows) >= 5 and rows == sorted(rows, reverse=True)
    village = str(selectors.meetings(t.users["xuqiao"])[:50].query)
    town = str(selectors.meetings(ol.admin)[:50].query)
    if connection.vendor == "sqlite":
        # A village's meetings are found by its path and sorted; the town's walk the date index.
        assert '+"orglife_meeting"."held_on" DESC' in village
        assert '+"orglife_meeting"."held_on"' not in town
        assert "orglife_meeting_held_on" not in selectors.meetings(t.users["xuqiao"])[:50].explain()
    else:
        assert "+" not in village.split("ORDER BY", 1)[1]
