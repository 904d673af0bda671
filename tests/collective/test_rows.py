"""The collective's list pages show each row's cells (rendered from values by the rows' Jinja
templates): the name linking to the detail, the village, the label of the kind or subject, figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from hongniudai.collective import services
from hongniudai.collective.models import StepKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_organisations_list_shows_each_ones_cells(economy):
    xq = economy.xq
    hh = f.household(economy.town.xuqiao.hamlet, "徐桥村黄家湾9号", number="N9")
    f.resident(hh, "户主九", relation="head", birth=dt.date(1970, 1, 1))
    services.confirm_member(actor=xq, org=economy.org, household=hh, confirmed_on=dt.date(2024, 1, 2))
    services.record_shares(
        actor=xq,
        org=economy.org,
        household=hh,
        contribution="cash",
        shares=Decimal("2.5"),
        amount=Decimal(250),
        effective_on=dt.date(2024, 3, 1),
        reason="现金入股",
    )
    body = economy.town.client_for("xuqiao").get(reverse("collective:org_list")).content.decode()
    url = reverse("collective:org_detail", args=[economy.org.pk])
    assert f'<a href="{url}">徐桥村股份经济合作社</a>' in body
    assert "<td>徐桥村</td>" in body and "<td>股份经济合作社</td>" in body
    assert '<td class="text-end">1</td>' in body and '<td class="text-end">2.50</td>' in body


def test_the_decisions_list_shows_each_ones_cells_and_next_step(economy):
    client = economy.town.client_for("xuqiao")
    body = client.get(reverse("collective:decision_list")).content.decode()
    url = reverse("collective:decision_detail", args=[economy.decision.pk])
    assert f'<a href="{url}">组建合作社</a>' in body and "<td>徐桥村</td>" in body
    assert "<td>组建合作社</td>" in body  # the subject's label
    assert '<span class="badge text-bg-warning">待村党组织提议</span>' in body
    for i, kind in enumerate(StepKind.values):
        services.record_step(actor=economy.xq, decision=economy.decision, kind=kind, held_on=dt.date(2025, 3, 1 + i))
    body = client.get(reverse("collective:decision_list")).content.decode()
    assert '<span class="badge text-bg-success">六个环节已完成</span>' in body
