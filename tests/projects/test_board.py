"""The supervision board (督办) at any size: the oldest open blockers listed (at most
`BOARD_ROWS`), every open one counted by age and overdue in one aggregate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongniudai.projects import rows, selectors_blockers, services_blockers, services_projects
from hongniudai.projects.models import Blocker


def _raise(town: Any, park: dict[str, Any], days_ago: int, due_in_days: int = 10) -> Blocker:
    blocker = services_blockers.blocker_raise(
        actor=town.users["admin"], project=park["project"], category=park["category"], description=f"{days_ago} 天前"
    )
    now = timezone.now()
    Blocker.objects.filter(pk=blocker.pk).update(
        raised_at=now - dt.timedelta(days=days_ago, hours=1), due_at=now + dt.timedelta(days=due_in_days)
    )
    return blocker


@pytest.mark.django_db
def test_ages_and_overdue_count_every_open_blocker_while_the_rows_stop_at_the_cap(
    town: Any, park: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    Blocker.objects.filter(project=park["project"]).delete()
    for days in (0, 5, 6, 15, 16, 30, 31, 90):
        _raise(town, park, days)
    _raise(town, park, 40, due_in_days=-3)  # overdue
    monkeypatch.setattr(selectors_blockers, "BOARD_ROWS", 3)
    board = selectors_blockers.board(town.users["admin"], rows.BOARD_ROW_FIELDS)
    assert board["open"] == 9 and board["overdue"] == 1
    assert list(board["ages"].values()) == [2, 2, 2, 3]
    assert [b["age_days"] for b in rows.board_rows(board["rows"], board["now"])] == [90, 40, 31]  # the oldest first
    page = town.client_for("admin").get(reverse("projects:blocker_board")).content.decode()
    assert "列出最久未办结的 3 个(共 9 个)" in page


@pytest.mark.django_db
def test_the_measures_keep_two_teams_of_one_name_apart(town: Any, park: dict[str, Any]) -> None:
    admin = town.users["admin"]
    twin = services_projects.team_set_up(actor=admin, area=town.town, name=park["team"].name, leader=admin)
    project = services_projects.project_register(actor=admin, area=town.town, name="镇级项目", team=twin)
    services_blockers.blocker_raise(actor=admin, project=project, category=park["category"], description="缺电工")
    rows = [r for r in selectors_blockers.measures(admin)["by_team"] if r["name"] == park["team"].name]
    assert len(rows) == 2 and sorted(r["raised"] for r in rows) == [
        1,
        Blocker.objects.filter(project=park["project"]).count(),
    ]


def test_the_blocker_filters_category_options_are_read_as_a_list(town: Any, park: dict[str, Any]) -> None:
    """The board's and the list's category select: the town's categories, read once as a list (not
    by Django's ModelChoiceIterator, a server-side cursor on PostgreSQL), shown as before."""
    import re

    from hongniudai.projects.forms import BlockerFilterForm

    admin = town.users["admin"]
    with CaptureQueriesContext(connection) as ctx:
        str(BlockerFilterForm(user=admin)["category"])
    reads = [q["sql"] for q in ctx.captured_queries]
    assert len(reads) == 1 and "DECLARE" not in reads[0]  # one plain query (PostgreSQL: no cursor)
    options = "".join(f'<option value="{c.pk}">{c.name}</option>' for c in selectors_blockers.categories_for(admin))
    for name in ("projects:blocker_board", "projects:blocker_list"):
        page = town.client_for("admin").get(reverse(name)).content.decode()
        select = re.search(r'<select name="category"[^>]*>(.*?)</select>', page, re.S)
        assert select is not None
        assert re.sub(r"\s+", "", select.group(1)) == re.sub(
            r"\s+", "", f'<option value="" selected>全部类别</option>{options}'
        )


@pytest.mark.django_db
def test_the_boards_counts_are_one_grouped_query_as_the_separate_counts_gave_them(
    town: Any, park: dict[str, Any]
) -> None:
    from django.db.models import Count, F

    from hongniudai.projects.models import BlockerCategory

    admin = town.users["admin"]
    other = BlockerCategory.objects.filter(town=town.town).exclude(pk=park["category"].pk).first()
    assert other is not None
    for days, department, category in ((1, "", park["category"]), (9, "供电公司", other), (20, "供电公司", other)):
        blocker = _raise(town, park, days, due_in_days=-1 if days == 20 else 5)
        Blocker.objects.filter(pk=blocker.pk).update(owner_department=department, category=category)
    board = selectors_blockers.board(admin, rows.BOARD_ROW_FIELDS)
    open_qs = selectors_blockers.blockers(admin, open_only=True).order_by()
    by_category = list(open_qs.values(name=F("category__name")).annotate(n=Count("id")).order_by("-n", "name"))
    by_department = list(open_qs.values(name=F("owner_department")).annotate(n=Count("id")).order_by("-n", "name"))
    assert board["by_category"] == by_category and board["by_department"] == by_department
    assert board["open"] == open_qs.count() and sum(board["ages"].values()) == board["open"]
    assert board["overdue"] == open_qs.filter(selectors_blockers.overdue_q(board["now"])).count() >= 1
    with CaptureQueriesContext(connection) as ctx:
        selectors_blockers.board(admin, rows.BOARD_ROW_FIELDS)
    assert len(ctx.captured_queries) == 2  # the rows, and the counts grouped by category and department
