"""The organisations' figures (current members, total shares, cooperatives founded) behind their list:
kept by every service that changes them, equal to what a rebuild computes and to counting the
memberships, the share register and the cooperatives themselves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.collective import rollups, selectors, services
from hongniudai.collective.models import EconomicOrg, Membership, OrgKind, ShareEntry

from .conftest import collective_of, resolved_decision

pytestmark = pytest.mark.django_db


def _kept() -> list[tuple[int, int, Decimal, int]]:
    return sorted(
        EconomicOrg.objects.values_list("pk", "members_now", "shares_total", "cooperatives_founded")  # type: ignore[misc]
    )


def _counted(org: EconomicOrg) -> tuple[int, Decimal, int]:
    """The figures as the list computed them before they were kept: counted from the rows."""
    shares = ShareEntry.objects.filter(org=org).aggregate(s=Sum("shares"))["s"] or Decimal(0)
    return (
        Membership.objects.filter(org=org, ended_on__isnull=True).count(),
        shares,
        EconomicOrg.objects.filter(founded_by=org).count(),
    )


def _shares(economy, household, shares: str, org: EconomicOrg | None = None) -> None:
    services.record_shares(
        actor=economy.xq,
        org=org or economy.org,
        household=household,
        contribution="allotted",
        shares=Decimal(shares),
        effective_on=dt.date(2024, 3, 1),
        reason="折股量化",
    )


def test_the_services_keep_each_organisations_figures_as_counted_and_as_rebuilt(economy, second_household):
    t, xq, org = economy.town, economy.xq, economy.org
    other = collective_of(t, "fashuihe")
    first = services.confirm_member(actor=xq, org=org, household=t.xuqiao.household, confirmed_on=dt.date(2024, 2, 1))
    services.confirm_member(actor=xq, org=org, household=second_household, confirmed_on=dt.date(2024, 2, 1))
    _shares(economy, t.xuqiao.household, "10.5")
    _shares(economy, second_household, "4")
    _shares(economy, None, "20")
    _shares(economy, t.xuqiao.household, "-0.5")
    services.end_membership(actor=xq, membership=first, ended_on=dt.date(2025, 1, 1))
    coop = services.found_cooperative(
        actor=xq,
        founder=org,
        decision=resolved_decision(t),
        name="徐桥村高粱种植合作社",
        kind=OrgKind.SHAREHOLDING_COOPERATIVE,
        founded_on=dt.date(2025, 4, 1),
    )
    _shares(economy, None, "3", org=coop)

    admin = t.users["admin"]
    listed = {o.pk: (o.member_count, o.total_shares, o.cooperative_count) for o in selectors.orgs(admin)}
    assert listed[org.pk] == _counted(org) == (1, Decimal("34.00"), 1)
    assert listed[coop.pk] == _counted(coop) == (0, Decimal("3.00"), 0)
    assert listed[other.pk] == _counted(other) == (0, Decimal(0), 0)
    kept = _kept()
    rollups.rebuild()
    assert _kept() == kept


def test_the_list_its_export_and_the_api_show_the_kept_figures(economy):
    t, xq, org = economy.town, economy.xq, economy.org
    services.confirm_member(actor=xq, org=org, household=t.xuqiao.household, confirmed_on=dt.date(2024, 2, 1))
    _shares(economy, t.xuqiao.household, "2.5")
    body = t.client_for("xuqiao").get(reverse("collective:org_list")).content.decode()
    assert '<td class="text-end">1</td>' in body and '<td class="text-end">2.50</td>' in body
    api = APIClient()
    api.force_authenticate(xq)
    row = api.get(reverse("api:collective-org-detail", args=[org.pk])).json()
    assert (row["member_count"], row["total_shares"], row["cooperative_count"]) == (1, "2.50", 0)


def test_a_bulk_writer_brings_the_figures_up_to_date_with_a_rebuild(economy):
    hh = economy.town.xuqiao.household
    Membership.objects.create(org=economy.org, household=hh, confirmed_on=dt.date(2024, 2, 1))  # around the services
    assert EconomicOrg.objects.get(pk=economy.org.pk).members_now == 0
    rollups.rebuild()
    assert EconomicOrg.objects.get(pk=economy.org.pk).members_now == 1
