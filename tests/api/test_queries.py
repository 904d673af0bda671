"""The number of queries of a list page does not grow with the number of rows."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniudai.party import services as party_services
from hongniudai.party.models import BranchType, CentreHousehold, Member, OrgKind
from hongniudai.places.models import AreaKind, Household, Resident
from tests import factories as f

ENDPOINTS = ["areas", "households", "residents", "party-orgs", "members", "centre-households"]


def _counts(client):
    out = {}
    for endpoint in ENDPOINTS:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/api/v1/{endpoint}/", {"page_size": 100})
        assert r.status_code == 200
        out[endpoint] = (len(ctx.captured_queries), r.json()["count"])
    return out


def _grow(town, n):
    admin = town.users["admin"]
    v = town.fashuihe
    for i in range(n):
        hh = f.household(v.hamlet, f"发水河村施家湾{i + 10}号", is_formerly_poor=bool(i % 2))
        res = f.resident(hh, f"施{i}号", birth=dt.date(1970, 1, 1) + dt.timedelta(days=i), phone="13912345678")
        branch = f.org(town.general_branch, f"第{i}党支部", OrgKind.BRANCH, v.area, branch_type=BranchType.ENTERPRISE)
        f.member(res, branch)
        hamlet = f.area(v.grid, f"新湾{i}", AreaKind.HAMLET)
        party_services.set_centre_household(actor=admin, hamlet=hamlet, member=v.member, linked_households=[hh])


def test_list_query_counts_do_not_grow_with_rows(town, api_for, centre_households):
    client = api_for("admin")
    client.get("/api/v1/areas/")  # the token's first use of the minute records it (one more query)
    small = _counts(client)
    assert Resident.objects.count() == 3 and Member.objects.count() == 3 and CentreHousehold.objects.count() == 3
    _grow(town, 27)
    assert Household.objects.count() == 30 and Resident.objects.count() == 30 and Member.objects.count() == 30
    assert CentreHousehold.objects.count() == 30
    large = _counts(client)
    for endpoint in ENDPOINTS:
        (q_small, rows_small), (q_large, rows_large) = small[endpoint], large[endpoint]
        assert rows_large >= rows_small + 27, endpoint
        assert q_large == q_small, f"{endpoint}: {q_small} queries for {rows_small} rows, {q_large} for {rows_large}"
