"""The measures page (服务成效): the same figures as one aggregate over the blockers gives, its
visit counts as the page listed them, and a fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Avg, Count, Q
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongniudai.projects import selectors_blockers, services_blockers
from hongniudai.projects.models import Blocker, BlockerStatus

pytestmark = pytest.mark.django_db


def _old_totals(user: Any) -> dict[str, Any]:
    """The totals as the page computed them before: one aggregate over the user's blockers."""
    from hongniudai.accounts.scope import Capability, scope_for

    return (
        scope_for(user, Capability.VIEW)
        .filter(Blocker.objects.all())
        .aggregate(
            raised=Count("id"),
            solved=Count("id", filter=Q(status=BlockerStatus.SOLVED)),
            mean_days=Avg("working_days_blocked", filter=Q(status=BlockerStatus.SOLVED)),
            overdue=Count("id", filter=selectors_blockers.overdue_q(timezone.now())),
        )
    )


def _raise(town: Any, park: dict[str, Any], n: int) -> list[Blocker]:
    return [
        services_blockers.blocker_raise(
            actor=town.users["admin"],
            project=park["project"],
            category=park["category"],
            description=f"堵点{i}",
        )
        for i in range(n)
    ]


def test_the_totals_are_the_teams_rows_added_up_as_one_aggregate_gives_them(town: Any, park: dict[str, Any]) -> None:
    admin = town.users["admin"]
    blockers = _raise(town, park, 8)
    for days, b in zip((3, 4, 4), blockers, strict=False):
        Blocker.objects.filter(pk=b.pk).update(status=BlockerStatus.SOLVED, working_days_blocked=days)
    Blocker.objects.filter(pk=blockers[5].pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    m = selectors_blockers.measures(admin)
    old = _old_totals(admin)
    assert {k: m["totals"][k] for k in ("raised", "solved", "overdue")} == {
        k: old[k] for k in ("raised", "solved", "overdue")
    }
    assert m["totals"]["mean_days"] == pytest.approx(old["mean_days"])
    assert selectors_blockers.measure_totals(admin) == old
    with CaptureQueriesContext(connection) as ctx:
        selectors_blockers.measures(admin)
    assert len(ctx.captured_queries) == 3  # one grouped query per table, none for the totals


def test_no_blockers_total_nothing(town: Any) -> None:
    m = selectors_blockers.measures(town.users["xuqiao"])
    assert (
        m["totals"] == _old_totals(town.users["xuqiao"]) == {"raised": 0, "solved": 0, "mean_days": None, "overdue": 0}
    )


def test_the_visit_counts_read_as_the_page_listed_them(town: Any, park: dict[str, Any]) -> None:
    admin = town.users["admin"]
    frequency = selectors_blockers.visit_frequency(admin)
    assert frequency["by_team"] and frequency["by_member"]
    old = Template(
        '<ul class="list-unstyled small">{% for r in by_team %}<li>{{ r.name }}:{{ r.n }}</li>{% endfor %}</ul>'
        '|<ul class="list-unstyled small">{% for r in by_member %}<li>{{ r.full|default:r.name }}:{{ r.n }}</li>'
        "{% endfor %}</ul>"
    ).render(Context(frequency))
    body = town.client_for("admin").get(reverse("projects:measures")).content.decode()
    for part in old.split("|"):
        assert part in body


def test_the_measures_page_reads_as_many_queries_for_few_blockers_as_for_many(town: Any, park: dict[str, Any]) -> None:
    client = town.client_for("admin")
    url = reverse("projects:measures")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _raise(town, park, 8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_landing_page_reads_the_totals_in_one_aggregate(town: Any, park: dict[str, Any]) -> None:
    client = town.client_for("admin")
    client.get(reverse("projects:home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("projects:home")).status_code == 200
    assert sum('FROM "projects_blocker"' in q["sql"] for q in ctx.captured_queries) == 1


def _town_with_a_team(town: Any, name: str, short: str, blockers: int = 1) -> Any:
    """Another town of the county with a team, its project, `blockers` blockers and one visit."""
    from decimal import Decimal

    from hongniudai.accounts.models import Role
    from hongniudai.places.models import AreaKind
    from hongniudai.projects import services_projects, services_visits
    from hongniudai.projects.models import BlockerCategory
    from tests import factories as f

    county = town.users.get("county") or f.user("county", Role.TOWN_ADMIN, area=town.county)
    town.users["county"] = county
    other = f.area(town.county, name, AreaKind.TOWN)
    leader = f.user(f"{short}leader", Role.PROJECT_CADRE, area=other)
    team = services_projects.team_set_up(actor=county, area=other, name=f"{name}专班", leader=leader)
    firm = f.enterprise(other, f"{name}机械有限公司", f"91420704MA4K{short.upper()[:4]:X<4}1X")
    project = services_projects.project_register(
        actor=county,
        area=other,
        name=f"{name}机械项目",
        owner=firm,
        planned_investment=Decimal("1000000.00"),
        kind="industrial",
        status="building",
        leader=leader,
        team=team,
    )
    services_blockers.categories_ensure(other)
    category = BlockerCategory.objects.get(town=other, code="labour")
    for i in range(blockers):
        services_blockers.blocker_raise(actor=county, project=project, category=category, description=f"缺工{i}")
    services_visits.visit_record(
        actor=leader, team=team, visited_on=timezone.localdate() - dt.timedelta(days=3), project=project,
        people_met="厂长", findings="正常",
    )  # fmt: skip
    return other


def test_a_county_sees_the_teams_and_the_visits_added_up_per_town_each_linking_to_its_own(
    town: Any, park: dict[str, Any]
) -> None:
    other = _town_with_a_team(town, "杨叶镇", "yy", blockers=3)
    url = reverse("projects:measures")
    body = town.client_for("county").get(url).content.decode()
    assert f'href="{url}?area={town.town.pk}">宋河镇</a>' in body
    assert f'href="{url}?area={other.pk}">杨叶镇</a>' in body
    assert "专班一" not in body and "杨叶镇专班" not in body  # the teams are behind their town
    # The town's row is its teams' added up: what the town's own admin sees as its totals.
    own = selectors_blockers.measures(town.users["admin"])["totals"]
    row = (
        f'宋河镇</a> <span class="small text-muted">1 个专班</span></td><td class="text-end">{own["raised"]}</td>'
        f'<td class="text-end">{own["solved"]}</td><td class="text-end">—</td><td class="text-end">{own["overdue"]}</td>'
    )
    assert row in body
    assert '杨叶镇</a> <span class="text-muted">1 人</span>:1</li>' in body
    totals = selectors_blockers.measures(town.users["county"])["totals"]
    assert totals["raised"] == own["raised"] + 3


def test_a_towns_measures_list_its_teams_and_members_as_the_towns_own_page_does(
    town: Any, park: dict[str, Any]
) -> None:
    _town_with_a_team(town, "杨叶镇", "yy", blockers=3)
    url = reverse("projects:measures")
    drilled = town.client_for("county").get(url, {"area": town.town.pk}).content.decode()
    own = town.client_for("admin").get(url).content.decode()
    start, end = '<h2 class="h6">按专班</h2>', "</body>"
    assert drilled[drilled.index(start) : drilled.index(end)] == own[own.index(start) : own.index(end)]
    assert "杨叶镇" not in drilled[drilled.index(start) :]


def test_a_countys_measures_read_as_many_queries_for_two_towns_as_for_three(town: Any, park: dict[str, Any]) -> None:
    _town_with_a_team(town, "杨叶镇", "yy")
    client = town.client_for("county")
    url = reverse("projects:measures")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _town_with_a_team(town, "太和镇", "th", blockers=4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def _added_up_per_town(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Rows of teams or members added up per town, as the page added them up before: how many
    rows (`count`) and the sums of `keys`."""
    sums: dict[str, dict[str, Any]] = {}
    for r in rows:
        s = sums.setdefault(r["town"], {"count": 0, **dict.fromkeys(keys, 0)})
        s["count"] += 1
        for key in keys:
            s[key] += r[key] or 0
    return sums


def test_a_countys_towns_are_its_teams_and_members_rows_added_up_by_the_database(
    town: Any, park: dict[str, Any]
) -> None:
    from decimal import Decimal

    from hongniudai.projects import services_projects

    other = _town_with_a_team(town, "杨叶镇", "yy", blockers=3)
    county = town.users["county"]
    # A second team of the same town, and a project with no team (its blockers count as one row).
    team = services_projects.team_set_up(actor=county, area=other, name="杨叶镇二组", leader=county)
    lone = services_projects.project_register(
        actor=county, area=other, name="无专班项目", owner=park["project"].owner,
        planned_investment=Decimal("1.00"), kind="industrial", status="building",
    )  # fmt: skip
    from hongniudai.projects.models import BlockerCategory

    for project, category in (
        (lone, BlockerCategory.objects.get(town=other, code="labour")),
        (park["project"], park["category"]),
    ):
        services_blockers.blocker_raise(actor=county, project=project, category=category, description="缺电")
    solved = Blocker.objects.filter(project=lone).first()
    assert solved is not None
    Blocker.objects.filter(pk=solved.pk).update(status=BlockerStatus.SOLVED, working_days_blocked=6)
    assert team.pk
    m, frequency = selectors_blockers.measures(county), selectors_blockers.visit_frequency(county)
    keys = ("raised", "solved", "solved_days", "overdue")
    page = selectors_blockers.measures_page(county)
    assert page["per_town"] is True
    assert {r["town"]: {k: r[k] or 0 for k in ("count", *keys)} for r in page["m"]["by_team"]} == (
        _added_up_per_town(m["by_team"], keys)
    )
    for key in ("by_team", "by_member"):
        rows = page["frequency"][key]
        assert {r["town"]: {"count": r["count"], "n": r["n"]} for r in rows} == (
            _added_up_per_town(frequency[key], ("n",))
        )
    assert page["m"]["totals"] == m["totals"]
    assert {k: page["m"][k] for k in ("by_category", "by_department")} == {
        k: m[k] for k in ("by_category", "by_department")
    }


def test_a_scope_within_one_town_reads_its_rows_at_once(town: Any, park: dict[str, Any]) -> None:
    _town_with_a_team(town, "杨叶镇", "yy")
    admin = town.users["admin"]
    with CaptureQueriesContext(connection) as ctx:
        page = selectors_blockers.measures_page(admin)
    assert len(ctx.captured_queries) == 5  # the three measures and the two visit counts, no towns
    assert page["per_town"] is False
    assert page["m"] == selectors_blockers.measures(admin)
    assert page["frequency"] == selectors_blockers.visit_frequency(admin)


def test_a_county_with_every_row_in_one_town_lists_them(town: Any, park: dict[str, Any]) -> None:
    from hongniudai.accounts.models import Role
    from tests import factories as f

    county = f.user("county", Role.TOWN_ADMIN, area=town.county)
    page = selectors_blockers.measures_page(county)
    assert page["per_town"] is False
    assert page["m"]["by_team"] == selectors_blockers.measures(county)["by_team"]
    assert page["frequency"] == selectors_blockers.visit_frequency(county)
    drilled = selectors_blockers.measures_page(county, area=town.town)
    assert drilled["per_town"] is False and drilled["m"]["totals"] == page["m"]["totals"]
