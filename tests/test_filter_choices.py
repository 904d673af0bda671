"""The filter and choice lists of the list pages read a fixed number of queries, however many
areas and branches a county has (each option's label needs no query of its own)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.party.models import BranchType, OrgKind
from hongniudai.places.models import AreaKind
from tests import factories as f

PAGES = (
    "enterprises:coverage",
    "enterprises:enterprise_list",
    "governance:matter_list",
    "governance:measures",
    "development:case_list",
    "vanguard:post_list",
    "vanguard:activity_create",
    "orglife:meeting_list",
    "party:member_list",
)


def _queries(client: Any, name: str) -> int:
    client.get(reverse("bench_floor"))  # the session's once-a-minute save
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name)).status_code == 200
    return len(ctx.captured_queries)


def _villages(town: Any, prefix: str, n: int) -> None:
    """`n` more villages (every other one a community) with their branches."""
    for i in range(n):
        village = f.area(town.district, f"{prefix}{i}", AreaKind.VILLAGE, is_community=bool(i % 2))
        f.org(town.general_branch, f"{prefix}{i}党支部", OrgKind.BRANCH, village, branch_type=BranchType.VILLAGE)


@pytest.mark.parametrize("name", PAGES)
def test_filter_lists_do_not_cost_a_query_per_option(town, name):
    client = town.client_for("admin")
    _villages(town, "新村", 2)
    before = _queries(client, name)
    _villages(town, "又一村", 5)
    assert _queries(client, name) == before


def test_a_long_area_filter_offers_whole_levels_and_deeper_areas_still_filter(town, monkeypatch):
    """A county's filter would list every hamlet; it stops at the deepest whole level that fits,
    and a hamlet reached from the area tree (`?area=`) still filters the list."""
    from hongniudai.common import tree
    from hongniudai.places import selectors

    client = town.client_for("admin")
    url = reverse("governance:matter_list")
    hamlet = town.xuqiao.hamlet
    assert f'value="{hamlet.pk}"' in client.get(url).content.decode()
    monkeypatch.setattr(tree, "FILTER_MAX_OPTIONS", 6)  # town, district, 3 villages fit; grids do not
    offered = list(selectors.areas_for_filter(town.users["admin"]))
    assert town.xuqiao.area in offered and town.xuqiao.grid not in offered and hamlet not in offered
    page = client.get(url).content.decode()
    assert f'value="{town.xuqiao.area.pk}"' in page and f'value="{hamlet.pk}"' not in page
    chosen = client.get(url, {"area": hamlet.pk}).content.decode()  # the chosen one stays offered
    assert f'value="{hamlet.pk}" selected' in chosen
    monkeypatch.setattr(tree, "FILTER_MAX_OPTIONS", 1)  # the top level is always offered
    assert [a.kind for a in selectors.areas_for_filter(town.users["admin"])] == [AreaKind.TOWN]


def test_a_long_organisation_filter_offers_whole_levels_and_keeps_the_chosen_one(town, monkeypatch):
    from hongniudai.common import tree

    client = town.client_for("admin")
    url = reverse("party:member_list")
    branch, group = town.xuqiao.branch, town.xuqiao.group
    assert f'value="{group.pk}"' in client.get(url).content.decode()
    monkeypatch.setattr(tree, "FILTER_MAX_OPTIONS", 5)  # committee, general branch, 3 branches
    page = client.get(url).content.decode()
    assert f'value="{branch.pk}"' in page and f'value="{group.pk}"' not in page
    chosen = client.get(url, {"org": group.pk}).content.decode()
    assert f'value="{group.pk}" selected' in chosen
