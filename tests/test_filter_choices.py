"""The filter and choice lists of the list pages read a fixed number of queries, however many
areas and branches a county has (each option's label needs no query of its own)."""

import re
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

# The collective economy's lists and forms (issue 16): villages, households, residents, enterprises and
# organisations are picked by search there too.
ECONOMY_PAGES = (
    "collective:decision_list",
    "collective:decision_create",
    "collective:org_list",
    "collective:org_create",
    "land:parcel_list",
    "land:parcel_create",
    "land:contract_list",
    "land:contract_create",
    "land:internal_accounts",
    "production:planting_list",
    "production:planting_create",
    "production:work_list",
    "production:work_create",
    "production:payment_create",
    "production:contract_list",
    "production:contract_create",
    "production:processing_create",
    "production:sale_list",
    "production:sale_create",
    "production:income",
    "distribution:plan_list",
    "distribution:plan_create",
    "returnees:returnee_list",
    "returnees:business_list",
    "returnees:business_create",
)

# Resident services (issue 17): stations, soup rounds, volunteers; their forms pick stations,
# organisations, volunteers and teams by search (tests/care/test_form_options.py counts the options).
CARE_PAGES = (
    "stations:station_list",
    "stations:request_list",
    "stations:request_create",
    "stations:activity_list",
    "stations:activity_create",
    "soup:recipient_list",
    "soup:round_list",
    "volunteers:volunteer_list",
    "volunteers:task_list",
    "volunteers:task_create",
)


def _queries(client: Any, name: str) -> int:
    client.get(reverse("accounts:me"))  # the session's once-a-minute save; the user and roles cached
    client.get(reverse(name))  # the page's own caches in the process (the measures' histogram sums)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name)).status_code == 200
    return len(ctx.captured_queries)


def _villages(town: Any, prefix: str, n: int) -> None:
    """`n` more villages (every other one a community) with their branches."""
    for i in range(n):
        village = f.area(town.district, f"{prefix}{i}", AreaKind.VILLAGE, is_community=bool(i % 2))
        f.org(town.general_branch, f"{prefix}{i}党支部", OrgKind.BRANCH, village, branch_type=BranchType.VILLAGE)


@pytest.mark.parametrize("name", PAGES + ECONOMY_PAGES + CARE_PAGES)
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


def _economy(town: Any) -> None:
    """Each village with its collective economic organisation and books, an enterprise in the town."""
    from hongniudai.enterprises.models import Enterprise
    from tests.production.conftest import make_org

    for village in (town.xuqiao, town.fashuihe):
        make_org(village.area, f"{village.area.name}股份经济合作社")
    Enterprise.objects.create(
        name="宋河酒业有限公司", uscc="91420704MA4ZY0009A", industry="liquor_food", area=town.park
    )


@pytest.mark.parametrize("name", ECONOMY_PAGES)
def test_the_economy_pages_pick_and_list_no_village_household_or_enterprise(town, name):
    """A county's villages, households, enterprises and organisations are no <option>s of the economy's
    filters and forms: each is a search-and-pick."""
    from hongniudai.collective.models import EconomicOrg
    from hongniudai.enterprises.models import Enterprise

    _economy(town)
    client = town.client_for("admin")
    page = client.get(reverse(name)).content.decode()
    named = [town.xuqiao.area, town.fashuihe.area, town.xuqiao.head, *Enterprise.objects.all()]
    named += [*EconomicOrg.objects.all()]
    for row in named:
        assert not re.search(rf'<option value="{row.pk}"[^>]*>[^<]*{row.name}', page), (name, row)
    # a household's option is labelled by its head
    assert not re.search(rf'<option value="{town.xuqiao.household.pk}"[^>]*>[^<]*黄文华', page), name


# The projects' forms and filters (issue 19): cadres, service teams and projects are picked by search.
PROJECT_PAGES = (
    ("projects:project_list", False),
    ("projects:project_create", False),
    ("projects:team_create", False),
    ("projects:liaison_create", False),
    ("projects:blocker_list", False),
    ("projects:blocker_board", False),
    ("projects:visit_list", False),
    ("projects:visit_create", False),
    ("projects:member_add", "team"),
    ("projects:blocker_create", "project"),
)


def _many_projects(town: Any, n: int) -> dict[str, Any]:
    """`n` cadres on the park, `n` service teams and `n` projects (written as they stand)."""
    from hongniudai.accounts.models import Role
    from hongniudai.projects.models import Project, ServiceTeam
    from tests.projects.records import park_records

    records = park_records(town)
    for i in range(n):
        cadre = f.user(f"cadre{i:02d}", Role.PROJECT_CADRE, area=town.park)
        team = ServiceTeam.objects.create(name=f"专班{i:02d}", area=town.park, area_path=town.park.path, leader=cadre)
        Project.objects.create(name=f"项目{i:02d}", area=town.park, area_path=town.park.path, team=team)
    return records


@pytest.mark.parametrize(("name", "arg"), PROJECT_PAGES)
def test_the_projects_pages_pick_cadres_teams_and_projects(town, name, arg):
    records = _many_projects(town, 25)
    client = town.client_for("admin")
    args = [records[arg].pk] if arg else []
    page = client.get(reverse(name, args=args)).content.decode()
    options = re.findall(r"<option ", page)
    assert len(options) <= 20, (name, len(options))  # statuses, kinds, the town's categories
    assert not re.search(r"<option [^>]*>[^<]*(专班\d\d|项目\d\d|cadre\d\d)", page), name


def test_the_projects_pickers_answer_a_few_in_scope(town):
    _many_projects(town, 25)
    admin = town.client_for("admin")
    found = admin.get(reverse("projects:team_pick"), {"team__q": "专班1"}).content.decode()
    assert "专班10" in found and "专班19" in found and "专班20" not in found
    assert admin.get(reverse("projects:cadre_pick"), {"q": "cadre"}).content.decode().count("data-pick-id") <= 20
    assert "项目07" in admin.get(reverse("projects:project_pick"), {"q": "项目07"}).content.decode()
    outsider = town.client_for("xuqiao")  # a village secretary sees no park team, project or cadre
    for name, q in (
        ("projects:team_pick", "专班"),
        ("projects:project_pick", "项目"),
        ("projects:cadre_pick", "cadre"),
    ):
        assert not re.search(r"专班\d\d|项目\d\d|cadre\d\d", outsider.get(reverse(name), {"q": q}).content.decode())
