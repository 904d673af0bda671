"""The project service lists show each row's cells (rendered from values by the rows' Jinja
templates): the name linking to the detail, a choice's label, the progress and the counts, a
user's name, a date, and a blocker overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hongniudai.projects import rows, services_blockers, services_projects
from hongniudai.projects.models import Blocker, BlockerStatus

pytestmark = pytest.mark.django_db


def _page(town: Any, name: str) -> str:
    return town.client_for("admin").get(reverse(f"projects:{name}")).content.decode()


def test_the_projects_list_shows_each_ones_cells(town: Any, park: dict[str, Any]) -> None:
    admin, project = town.users["admin"], park["project"]
    services_projects.milestone_add(
        actor=admin, project=project, name="开工", planned_on=dt.date(2026, 1, 1), done_on=dt.date(2026, 1, 2)
    )
    bare = services_projects.project_register(actor=admin, area=town.park, name="无专班<项目>")
    body = _page(town, "project_list")
    assert f'<a href="{reverse("projects:project_detail", args=[project.pk])}">年产5万吨精细化学品项目</a>' in body
    assert '<div class="small text-muted">宋河新材料有限公司</div>' in body and "<td>在建</td>" in body
    assert 'style="width: 33%">33%</div>' in body  # one of three weights done
    assert "<td>专班一</td>" in body and "<td>lizhuanban</td>" in body
    assert f'<a href="{reverse("projects:project_detail", args=[bare.pk])}">无专班&lt;项目&gt;</a>' in body
    assert "<td>—</td>\n      <td>—</td>" in body  # no team, no leader


def test_the_blockers_list_and_board_show_each_ones_cells(town: Any, park: dict[str, Any]) -> None:
    blocker = park["blocker"]
    due = timezone.now() - dt.timedelta(days=2)
    Blocker.objects.filter(pk=blocker.pk).update(due_at=due, raised_at=timezone.now() - dt.timedelta(days=3, hours=1))
    link = f'<a href="{reverse("projects:blocker_detail", args=[blocker.pk])}">用工 · 缺少电焊工 20 名</a>'
    listed = _page(town, "blocker_list")
    assert link in listed and "<td>镇人社中心</td><td>待处理</td>" in listed
    assert f'<td>{timezone.localtime(due):%Y-%m-%d} <span class="badge text-bg-danger">逾期</span></td>' in listed
    board = _page(town, "blocker_board")
    assert '<tr class="table-danger">' in board and link in board
    assert '<td class="text-end">3</td><td>待处理 <span class="badge text-bg-danger">逾期</span></td>' in board


def test_the_visits_teams_and_liaisons_lists_show_each_ones_cells(town: Any, park: dict[str, Any]) -> None:
    admin = town.users["admin"]
    services_projects.liaison_set(
        actor=admin, user=town.users["cadre"], project=park["project"], area=town.park, since=dt.date(2026, 2, 3)
    )
    visits = _page(town, "visit_list")
    assert f'<a href="{reverse("projects:visit_detail", args=[park["visit"].pk])}">2026-03-02</a>' in visits
    assert '<td>年产5万吨精细化学品项目</td><td class="text-end">1</td><td class="text-end">0</td>' in visits
    teams = _page(town, "team_list")
    team_url = reverse("projects:team_detail", args=[park["team"].pk])
    assert f'<a href="{team_url}">专班一</a></td><td>lizhuanban</td><td class="text-end">2</td>' in teams
    liaisons = _page(town, "liaison_list")
    assert (
        "<td>lizhuanban</td><td>包企业</td>" in liaisons
        and "<td>宋河新材料有限公司</td><td>2026-01-01</td>" in liaisons
    )
    project_url = reverse("projects:project_detail", args=[park["project"].pk])
    assert f'<td><a href="{project_url}">年产5万吨精细化学品项目</a></td><td>2026-02-03</td>' in liaisons
    end_url = reverse("projects:liaison_end", args=[park["liaison"].pk])
    assert f'<form method="post" action="{end_url}"><input type="hidden" name="csrfmiddlewaretoken"' in liaisons


def test_the_measures_tables_show_each_rows_figures(town: Any, park: dict[str, Any]) -> None:
    admin = town.users["admin"]
    services_blockers.blocker_raise(
        actor=admin, project=park["project"], category=park["category"], description="缺电工"
    )
    Blocker.objects.filter(project=park["project"]).update(status=BlockerStatus.SOLVED, working_days_blocked=3)
    Blocker.objects.filter(owner_department="").update(working_days_blocked=4)
    body = _page(town, "measures")
    team = '<tr><td>专班一</td><td class="text-end">2</td><td class="text-end">2</td><td class="text-end">3.5</td>'
    assert team in body
    assert (
        '<tr><td>未指定</td><td class="text-end">1</td><td class="text-end">1</td><td class="text-end">4.0</td>' in body
    )


def test_a_mean_is_rounded_half_up_to_a_tenth_as_floatformat_does() -> None:
    assert [rows.one_place(v) for v in (None, 0, 2.25, 3.0, 2.04)] == ["—", "0.0", "2.3", "3.0", "2.0"]
