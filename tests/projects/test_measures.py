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
