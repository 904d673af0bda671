"""The returnees' and businesses' lists read lean: the party-member mark as one probe per row shown
(the same marks as an EXISTS over the members gave, also as a filter), and the pagination count over
the returnees or businesses alone, without the joins of the row values."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.party.models import Member
from hongniudai.returnees import selectors
from hongniudai.returnees.models import Returnee

pytestmark = pytest.mark.django_db


def test_the_party_member_mark_is_the_members_record(town: Any, programme: Any) -> None:
    admin = town.users["admin"]
    old = dict(
        Returnee.objects.annotate(m=Exists(Member.objects.filter(resident=OuterRef("resident")))).values_list("pk", "m")
    )
    assert dict(selectors.returnees(admin).values_list("pk", "is_party_member")) == old
    assert old[programme.luo.pk] is True and old[programme.chen.pk] is False
    for mark in (True, False):
        assert {r.pk for r in selectors.returnees(admin, party_member=mark)} == {k for k, v in old.items() if v is mark}
    sql = str(selectors.returnees(admin).query)
    assert "EXISTS" not in sql.upper()  # an EXISTS in the select list is hashed over every member


@pytest.mark.parametrize(
    ("name", "table"),
    [("returnees:returnee_list", "returnees_returnee"), ("returnees:business_list", "returnees_business")],
)
def test_the_lists_count_their_rows_without_joining_the_rows_values(
    town: Any, programme: Any, name: str, table: str
) -> None:
    client = town.client_for("admin")
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse(name)).content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and table in q["sql"]]
    assert len(counts) == 1 and "JOIN" not in counts[0]
    assert "罗华清" in body
