"""Every soup list reads a fixed number of queries whatever its rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.care.soup import selectors, services
from tests import factories as f

from .conftest import SoupTown

pytestmark = pytest.mark.django_db
DAYS = [dt.date(2026, 11, 9), dt.date(2026, 11, 19), dt.date(2026, 11, 29), dt.date(2026, 12, 9)]


def _grow(soup: SoupTown, n: int, start: int) -> None:
    for i in range(start, start + n):
        hh = f.household(soup.hamlet, f"张家冲{100 + i}号", is_formerly_poor=True)
        f.resident(hh, f"老人{i}", birth=dt.date(1930, 1, 1))
    services.propose_recipients(actor=soup.hmf, village=soup.village, today=dt.date(2026, 12, 1))
    services.approve_proposed(actor=soup.hmf, village=soup.village)
    services.create_round(actor=soup.hmf, village=soup.village, day=DAYS[start % len(DAYS)])
    for day in DAYS:
        services.create_round(actor=soup.hmf, village=soup.village, day=day)


@pytest.mark.parametrize(
    ("name", "who", "api"),
    [
        ("soup:round_list", "hmf", False),
        ("soup:recipient_list", "hmf", False),
        ("soup:rule_list", "hmf", False),
        ("soup:my_visits", "volunteer", False),
        ("api:soup-rule-list", "hmf", True),
        ("api:soup-recipient-list", "hmf", True),
        ("api:soup-round-list", "hmf", True),
        ("api:soup-visit-list", "hmf", True),
        ("api:soup-visit-list", "volunteer", True),
    ],
)
def test_list_queries_do_not_grow_with_rows(soup: SoupTown, name: str, who: str, api: bool) -> None:
    user = soup.volunteer.user if who == "volunteer" else soup.hmf
    client: Client | APIClient
    if api:
        client = APIClient()
        client.force_authenticate(user)
    else:
        client = Client()
        client.force_login(user)
    url = reverse(name)
    _grow(soup, 1, start=0)
    client.get(url)  # warm the caches (sessions, menus)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    _grow(soup, 4, start=1)
    assert count() == before


def test_the_review_page_reads_a_fixed_number_of_queries(soup: SoupTown) -> None:
    client = Client()
    client.force_login(soup.hmf)
    url = reverse("soup:review", args=[soup.village.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    before = len(ctx.captured_queries)
    _grow(soup, 4, start=1)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) == before


def test_the_round_page_reads_a_fixed_number_of_queries(soup: SoupTown) -> None:
    round_ = services.create_round(actor=soup.hmf, village=soup.village, day=dt.date(2026, 12, 9))
    client = Client()
    client.force_login(soup.hmf)
    url = reverse("soup:round_detail", args=[round_.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    before = len(ctx.captured_queries)
    _grow(soup, 4, start=1)  # more recipients, and their visits added to the round
    assert services.create_round(actor=soup.hmf, village=soup.village, day=dt.date(2026, 12, 9)).visits.count() == 6
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) == before


def test_the_rounds_list_walks_its_order_index(soup: SoupTown) -> None:
    """Every village's round of a date shares it: the list's order comes from its index, so only the
    page's rounds have their visits counted (not all of a date's rounds, to sort them)."""
    _grow(soup, 2, 0)
    rounds = selectors.rounds(soup.admin)
    rows = list(rounds.values_list("date", "area_path", "pk"))
    assert len(rows) >= 4 and rows == sorted(rows, key=lambda r: (-r[0].toordinal(), r[1], r[2]))
    if connection.vendor == "sqlite":
        plan = rounds[:50].explain()
        assert "care_soup_round_list_order" in plan and "TEMP B-TREE" not in plan


def test_the_rounds_list_counts_only_its_page_s_visits_in_one_grouped_query(soup: SoupTown) -> None:
    """The list cuts its page on the rounds alone (counted without the villages' join), then counts
    the page's visits in one grouped query: the same figures as `rounds` (the export's, the API's)."""
    _grow(soup, 2, start=0)
    visits = list(services.create_round(actor=soup.hmf, village=soup.village, day=DAYS[0]).visits.all())
    visits[0].outcome = "delivered"
    visits[0].save(update_fields=["outcome"])
    client = Client()
    client.force_login(soup.hmf)
    url = reverse("soup:round_list")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode()
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sqls if "care_soupvisit" in s and "(SELECT COUNT(" in s]
    assert [s for s in sqls if s.startswith("SELECT COUNT(*)") and "care_soupround" in s and "places_areanode" not in s]
    fields = ("visit_count", "delivered_count", "pending_count", "not_home_count", "matter_count")
    expected = {r["id"]: {k: r[k] for k in fields} for r in selectors.rounds(soup.hmf).values("id", *fields)}
    ids = list(expected)
    assert selectors.round_figures(ids) == expected
    assert any(v["delivered_count"] == 1 for v in expected.values())
    assert body.count('<td class="text-end">') >= 5 * len(ids)
