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
    client.get(reverse("accounts:me"))  # the session's once-a-minute save; the user and roles cached
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


def test_filters_pick_by_search_and_list_no_node(town):
    """No list page ships the tree: the area and organisation filters are pickers (a hidden id and
    a search box); no option names an area or an organisation."""
    client = town.client_for("admin")
    for name in (n for n in PAGES if not n.endswith("_create")):
        page = client.get(reverse(name)).content.decode()
        for node in (town.xuqiao.hamlet, town.xuqiao.grid, town.xuqiao.branch, town.xuqiao.group):
            assert f'<option value="{node.pk}"' not in page, (name, node)
    assert "data-pick" in client.get(reverse("governance:matter_list")).content.decode()


def test_a_chosen_area_is_shown_by_its_names_and_still_filters(town):
    client = town.client_for("admin")
    hamlet = town.xuqiao.hamlet
    page = client.get(reverse("governance:matter_list"), {"area": hamlet.pk}).content.decode()
    assert f'name="area" value="{hamlet.pk}"' in page
    assert "东片区 › 徐桥村 › 5组 › 黄家湾" in page  # below the administrator's own town
    page = client.get(reverse("party:member_list"), {"org": town.xuqiao.group.pk}).content.decode()
    assert f'name="org" value="{town.xuqiao.group.pk}"' in page and "徐桥村5组党小组" in page
