"""The collective's pages: lists with their Excel exports, a decision's steps as a timeline with the
missing ones named, the forms and their refusals, a household found by search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from hongniudai.accounts.models import Role
from hongniudai.collective import services
from hongniudai.collective.models import ContributionKind, EconomicOrg, Membership, ShareEntry, StepKind
from tests import factories as f

from .conftest import resolved_decision

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_the_lists_and_their_exports(economy):
    client = economy.town.client_for("xuqiao")
    for name in ("collective:org_list", "collective:decision_list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "集体经济组织" in _text(response) and "四议两公开" in _text(response)
        export = client.get(reverse(name), {"export": "xlsx"})
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "徐桥村股份经济合作社" in _text(client.get(reverse("collective:org_list")))
    for name in ("collective:member_list", "collective:share_register"):
        assert client.get(reverse(name, args=[economy.org.pk])).status_code == 200
        assert client.get(reverse(name, args=[economy.org.pk]), {"export": "xlsx"}).status_code == 200


def test_the_menu_offers_the_collective_economy(economy):
    body = _text(economy.town.client_for("gridworker").get(reverse("collective:org_list")))
    assert "集体经济" in body and reverse("collective:decision_list") in body
    assert reverse("collective:org_create") not in body  # a grid worker reads only


def test_a_decision_page_names_the_missing_steps_and_refuses_a_step_out_of_order(economy):
    client = economy.town.client_for("xuqiao")
    url = reverse("collective:decision_detail", args=[economy.decision.pk])
    body = _text(client.get(url))
    assert "尚未完成的环节" in body and "党员大会审议" in body
    response = client.post(
        reverse("collective:decision_step", args=[economy.decision.pk]),
        {"kind": StepKind.REVIEW, "held_on": "2025-03-01"},
    )
    assert response.status_code == 200
    assert "请先记录“村党组织提议”“村两委会议商议”" in _text(response)
    response = client.post(
        reverse("collective:decision_step", args=[economy.decision.pk]),
        {"kind": StepKind.PROPOSE, "held_on": "2025-03-01", "attended": "7", "agreed": "7"},
    )
    assert response.status_code == 302
    body = _text(client.get(url))
    assert "参会 7 人,同意 7 人" in body


def test_creating_a_decision_through_the_page(town):
    client = town.client_for("xuqiao")
    response = client.post(
        reverse("collective:decision_create"),
        {"village": town.xuqiao.area.pk, "subject": "project", "title": "村集体光伏项目"},
    )
    assert response.status_code == 302
    assert "村集体光伏项目" in _text(client.get(response["Location"]))


def test_registering_the_collective_through_the_page(town):
    client = town.client_for("xuqiao")
    data = {
        "village": town.xuqiao.area.pk,
        "name": "徐桥村股份经济合作社",
        "kind": "shareholding_collective",
        "founded_on": "2024-01-01",
        "credit_code": "123",
    }
    response = client.post(reverse("collective:org_create"), data)
    assert response.status_code == 200 and "统一社会信用代码“123”无效" in _text(response)
    data["credit_code"] = ""
    response = client.post(reverse("collective:org_create"), data)
    assert response.status_code == 302
    assert EconomicOrg.objects.get().books is not None


def test_founding_a_cooperative_through_the_page(economy):
    client = economy.town.client_for("xuqiao")
    url = reverse("collective:cooperative_create", args=[economy.org.pk])
    data = {"name": "徐桥村高粱合作社", "kind": "shareholding_cooperative", "founded_on": "2025-04-01"}
    response = client.post(url, {**data, "decision": economy.decision.pk})
    assert response.status_code == 200 and "尚未完成“党员大会审议”“村民(代表)会议决议”" in _text(response)
    response = client.post(url, {**data, "decision": resolved_decision(economy.town).pk})
    assert response.status_code == 302
    body = _text(client.get(reverse("collective:org_detail", args=[economy.org.pk])))
    assert "徐桥村高粱合作社" in body


def test_a_member_is_picked_by_search(economy, second_household):
    client = economy.town.client_for("xuqiao")
    url = reverse("collective:member_create", args=[economy.org.pk])
    assert "徐二" not in _text(client.get(url))  # nothing offered before a search
    assert "徐二" in _text(client.get(url, {"household_q": "徐二"}))
    options = client.get(
        reverse("collective:household_options", args=[economy.org.pk]), {"household_q": "徐二", "for": "member"}
    )
    assert "徐二" in _text(options) and "施华成" not in _text(options)
    response = client.post(url, {"household": second_household.pk, "confirmed_on": "2024-02-01"})
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert "徐二" in _text(client.get(reverse("collective:member_list", args=[economy.org.pk])))
    response = client.post(reverse("collective:member_end", args=[membership.pk]), {"ended_on": "2023-01-01"})
    assert "退出日期不能早于确认日期" in _text(response)


def test_the_share_register_page(economy):
    t, client = economy.town, economy.town.client_for("xuqiao")
    services.confirm_member(
        actor=economy.xq, org=economy.org, household=t.xuqiao.household, confirmed_on=dt.date(2024, 1, 2)
    )
    url = reverse("collective:share_create", args=[economy.org.pk])
    data = {
        "household": t.xuqiao.household.pk,
        "contribution": ContributionKind.CASH,
        "shares": "10",
        "amount": "1000",
        "effective_on": "2024-03-01",
        "reason": "现金入股",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "shares": "-11", "contribution": ContributionKind.ALLOTTED, "amount": ""})
    assert response.status_code == 200 and "持股不足" in _text(response)
    body = _text(client.get(reverse("collective:share_register", args=[economy.org.pk])))
    assert "黄文华" in body or str(t.xuqiao.household) in body
    assert "10.00" in body and "100.00%" in body
    entry = ShareEntry.objects.get()
    assert entry.voucher is not None and entry.amount == Decimal("1000.00")


def test_readers_do_not_write_and_other_villages_are_404(economy):
    grid = economy.town.client_for("gridworker")
    assert grid.get(reverse("collective:decision_create")).status_code == 403
    district = Client()
    district.force_login(f.user("dongpian", Role.DISTRICT_SECRETARY, area=economy.town.district))
    assert district.get(reverse("collective:org_detail", args=[economy.org.pk])).status_code == 200
    assert district.get(reverse("collective:member_create", args=[economy.org.pk])).status_code == 403
    response = district.post(reverse("collective:decision_step", args=[economy.decision.pk]), {"kind": "propose"})
    assert response.status_code == 403
    other = economy.town.client_for("hemeifan")
    assert other.get(reverse("collective:org_detail", args=[economy.org.pk])).status_code == 404
    assert other.get(reverse("collective:decision_detail", args=[economy.decision.pk])).status_code == 404
    assert "徐桥村股份经济合作社" not in _text(other.get(reverse("collective:org_list")))


def test_the_voucher_of_a_cash_contribution_links_back_to_the_register(economy):
    t = economy.town
    services.confirm_member(
        actor=economy.xq, org=economy.org, household=t.xuqiao.household, confirmed_on=dt.date(2024, 1, 2)
    )
    entry = services.record_shares(
        actor=economy.xq,
        org=economy.org,
        household=t.xuqiao.household,
        contribution=ContributionKind.CASH,
        shares=Decimal(3),
        amount=Decimal(300),
        effective_on=dt.date(2024, 3, 1),
        reason="现金入股",
    )
    body = _text(t.client_for("xuqiao").get(reverse("ledger:voucher_detail", args=[entry.voucher_id])))
    assert entry.get_absolute_url().split("#")[0] in body


def test_the_register_shows_one_holders_history(economy, second_household):
    t, client = economy.town, economy.town.client_for("xuqiao")
    for hh in (t.xuqiao.household, second_household):
        services.confirm_member(actor=economy.xq, org=economy.org, household=hh, confirmed_on=dt.date(2024, 1, 2))
        services.record_shares(
            actor=economy.xq,
            org=economy.org,
            household=hh,
            contribution=ContributionKind.ALLOTTED,
            shares=Decimal(4),
            effective_on=dt.date(2024, 3, 1),
            reason=f"{hh.pk}号户折股",
        )
    url = reverse("collective:share_register", args=[economy.org.pk])
    body = _text(client.get(url, {"holder": second_household.pk}))
    assert f"{second_household.pk}号户折股" in body and f"{t.xuqiao.household.pk}号户折股" not in body
    assert client.get(url, {"holder": "collective"}).status_code == 200
    assert client.get(url, {"holder": "x"}).status_code == 200
