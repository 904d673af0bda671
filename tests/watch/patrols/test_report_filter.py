"""The daily reports' campaign filter (issue 14) offers the campaigns the user sees, latest first, by
name, read by one plain query (no count of each one's grids, no server-side cursor); a campaign the
user does not see is refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.watch.patrols import selectors, services

from .conftest import at

pytestmark = pytest.mark.django_db


def _options(page: str) -> list[tuple[str, str]]:
    select = page.split('name="campaign"')[1].split("</select>")[0]
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)


def _campaign(pt, name: str, village):
    with time_machine.travel(at(dt.date(2026, 9, 21), 9), tick=False):
        return services.campaign_set_up(
            actor=pt.users["admin"],
            area=pt.town,
            areas=[village],
            kind="straw_burning",
            name=name,
            starts_on=dt.date(2026, 11, 1),
            ends_on=dt.date(2026, 11, 10),
            deadline_hour=18,
        )


def test_the_campaign_filter_offers_the_campaigns_the_user_sees_latest_first(pt):
    _campaign(pt, "何梅畈村冬季巡查", pt.hemeifan.area)
    for who in ("admin", "xuqiao", "hemeifan"):
        page = pt.client_for(who).get(reverse("patrols:report_list")).content.decode()
        seen = [(str(c.pk), c.name) for c in selectors.campaigns(pt.users[who])]
        assert _options(page) == [("", "全部专项巡查"), *seen], who
    xuqiao = [
        name for _pk, name in _options(pt.client_for("xuqiao").get(reverse("patrols:report_list")).content.decode())
    ]
    assert "何梅畈村冬季巡查" not in xuqiao and "2026年秋季秸秆禁烧" in xuqiao


def test_a_campaign_out_of_scope_is_refused_and_one_in_scope_filters(pt):
    other = _campaign(pt, "何梅畈村冬季巡查", pt.hemeifan.area)
    client = pt.client_for("xuqiao")
    page = client.get(reverse("patrols:report_list"), {"campaign": other.pk}).content.decode()
    assert "invalid-feedback" in page
    page = client.get(reverse("patrols:report_list"), {"campaign": pt.campaign.pk}).content.decode()
    assert "invalid-feedback" not in page and f'<option value="{pt.campaign.pk}" selected>' in page


def test_the_campaign_filter_reads_one_query_however_many_campaigns(pt):
    client = pt.client_for("admin")
    url = reverse("patrols:report_list")
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    options = [q["sql"] for q in ctx.captured_queries if 'FROM "watch_campaign" ' in q["sql"]]
    assert options and all("COUNT" not in sql and "DECLARE" not in sql for sql in options)  # names only
    for i in range(4):
        _campaign(pt, f"冬季巡查{i}", pt.fashuihe.area)
    assert count() == before
