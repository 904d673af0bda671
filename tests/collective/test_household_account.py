"""A household's sub-account under 113 内部往来: opened the first time, numbered after the parent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hongniudai.collective.interface import INTERNAL, LABOUR_PAYABLE, household_account
from hongniudai.ledger import services as ledger
from hongniudai.ledger.models import Account, OrgKind
from tests.ledger.chart import CHART

pytestmark = pytest.mark.django_db


def test_a_household_account_opens_once_numbered_after_its_parent(economy, second_household):
    t, books = economy.town, economy.org.books
    first = household_account(actor=economy.xq, books=books, household=t.xuqiao.household, parent_code=INTERNAL)
    assert first.code == "1130001" and first.parent.code == "113"
    assert household_account(actor=economy.xq, books=books, household=t.xuqiao.household, parent_code=INTERNAL) == first
    second = household_account(actor=economy.xq, books=books, household=second_household, parent_code=INTERNAL)
    assert second.code == "1130002" and "徐二" in second.name
    wages = household_account(actor=economy.xq, books=books, household=second_household, parent_code=LABOUR_PAYABLE)
    assert wages.code == "2130001"
    assert Account.objects.filter(books=books, code__startswith="1130").count() == 2


def test_books_without_the_parent_account_are_refused(town):
    chart = [a for a in CHART if not a.code.startswith("113")]
    books = ledger.open_books(
        actor=town.users["xuqiao"],
        village=town.xuqiao.area,
        name="徐桥村经济合作社",
        kind=OrgKind.COOPERATIVE,
        opened_on=dt.date(2025, 1, 1),
        chart=chart,
    )
    with pytest.raises(ValidationError) as exc:
        household_account(actor=town.users["xuqiao"], books=books, household=town.xuqiao.household, parent_code="113")
    assert "账套中没有科目 113" in " ".join(exc.value.messages)
