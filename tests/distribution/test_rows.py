"""The distribution plans list shows each plan's cells (rendered from values by the rows' Jinja
template): the organisation linking to the plan, the year, the surplus, the record date, the number
of items and the state as a coloured badge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from hongniudai.distribution import services
from tests.distribution.helpers import RECORD_DATE, YEAR, approved_plan, resolved_decision

pytestmark = pytest.mark.django_db


def test_the_plans_list_shows_each_ones_cells(town: Any) -> None:
    approved = approved_plan(town, "xuqiao", town.xuqiao)
    client = town.client_for("xuqiao")
    body = client.get(reverse("distribution:plan_list")).content.decode()
    url = reverse("distribution:plan_detail", args=[approved.pk])
    assert f'<a href="{url}">{approved.org.name}</a>' in body and f"<td>{YEAR}</td>" in body
    assert '<td class="text-end">100000.00</td>' in body
    assert f'<td class="d-none d-sm-table-cell">{RECORD_DATE.isoformat()}</td>' in body
    assert '<td class="d-none d-sm-table-cell">2</td>' in body  # its two items
    assert '<span class="badge text-bg-danger">已批准</span>' in body
    draft = services.create_plan(
        actor=town.users["xuqiao"],
        org=approved.org,
        year=YEAR - 1,
        surplus=Decimal("1234.50"),
        record_date=RECORD_DATE.replace(year=YEAR - 1),
        decision=resolved_decision(town.xuqiao.area),
    )
    body = client.get(reverse("distribution:plan_list")).content.decode()
    assert reverse("distribution:plan_detail", args=[draft.pk]) in body and "1234.50" in body
    assert '<span class="badge text-bg-secondary">草拟</span>' in body
