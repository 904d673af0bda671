"""The land API: scoped reads, writes through the services, 400 with Chinese messages (never 500)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hongniudai.land.models import InstalmentStatus, RentInstalment

from .conftest import YEAR, LandTown, contract

pytestmark = pytest.mark.django_db

BASE = "/api/v1/land"


def test_parcels_are_scoped_and_registered_with_chinese_errors(lt: LandTown, api_for) -> None:  # type: ignore[no-untyped-def]
    api = api_for("xuqiao")
    rows = api.get(f"{BASE}/parcels/").json()["results"]
    assert sorted(r["name"] for r in rows) == ["1号田", "2号田", "3号田"]
    assert api_for("fashuihe").get(f"{BASE}/parcels/").json()["results"] == []
    assert api_for("fashuihe").get(f"{BASE}/parcels/{lt.parcels[0].pk}/").status_code == 404
    bad = api.post(f"{BASE}/parcels/", {"household": lt.households[0].pk, "name": "负地", "registered_area": "-1"})
    assert bad.status_code == 400
    assert bad.json()["registered_area"] == ["面积必须大于零。"]
    ok = api.post(
        f"{BASE}/parcels/",
        {"household": lt.households[0].pk, "name": "新田", "registered_area": "2.5", "kind": "garden", "grade": 2},
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["kind_label"] == "园地"
    assert api.patch(f"{BASE}/parcels/{ok.json()['id']}/", {"measured_area": "2.40"}).json()["measured_area"] == "2.40"


def test_contracts_parcels_and_the_enterprise_s_rent(lt: LandTown, api_for) -> None:  # type: ignore[no-untyped-def]
    api = api_for("xuqiao")
    payload = {
        "village": lt.town.xuqiao.area.pk,
        "org": lt.collective.pk,
        "enterprise": lt.enterprise.pk,
        "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR + 1}-12-31",
        "rent_per_mu": "800.00",
        "signed_on": f"{YEAR}-01-01",
        "due_month": 3,
    }
    created = api.post(f"{BASE}/contracts/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["decision_missing"] is True and body["transferee_name"] == "徐桥米业有限公司"
    url = f"{BASE}/contracts/{body['id']}/"
    too_much = api.post(f"{url}parcels/", {"parcel": lt.parcels[0].pk, "area": "3.5"}, format="json")
    assert too_much.status_code == 400 and "最多还能流转" in too_much.json()["area"][0]
    for p in lt.parcels:
        assert api.post(f"{url}parcels/", {"parcel": p.pk, "area": "1"}, format="json").status_code == 200
    receipt = api.post(f"{url}receive/", {"received_on": f"{YEAR}-02-01", "amount": "10000.00"}, format="json")
    assert receipt.status_code == 200, receipt.json()
    assert receipt.json()["voucher"]
    bad = api.post(f"{url}receive/", {"received_on": f"{YEAR}-02-01", "amount": "1.001"}, format="json")
    assert bad.status_code == 400
    payments = api.get(f"{BASE}/payments/", {"contract": body["id"]}).json()["results"]
    assert [p["amount"] for p in payments] == ["10000.00"]
    assert api_for("fashuihe").get(url).status_code == 404


def test_paying_an_instalment(lt: LandTown, api_for) -> None:  # type: ignore[no-untyped-def]
    c = contract(lt)
    api = api_for("xuqiao")
    rows = api.get(f"{BASE}/instalments/", {"contract": c.pk, "status": "due"}).json()["results"]
    assert len(rows) == 9 and rows[0]["amount"] == "800.00"
    paid = api.post(f"{BASE}/instalments/{rows[0]['id']}/pay/", {"paid_on": f"{YEAR}-03-01"}, format="json")
    assert paid.status_code == 200, paid.json()
    assert RentInstalment.objects.get(pk=rows[0]["id"]).status == InstalmentStatus.PAID
    again = api.post(f"{BASE}/instalments/{rows[0]['id']}/pay/", {"paid_on": f"{YEAR}-03-01"}, format="json")
    assert again.status_code == 400
    assert api.post(f"{BASE}/instalments/{rows[1]['id']}/pay/", {"paid_on": "soon"}, format="json").status_code == 400
    officer = api_for("xq_officer")
    assert officer.get(f"{BASE}/instalments/{rows[1]['id']}/").status_code == 200
    assert officer.post(f"{BASE}/instalments/{rows[1]['id']}/pay/", {"paid_on": f"{YEAR}-03-01"}).status_code == 403
    assert Decimal(api.get(f"{BASE}/contracts/{c.pk}/").json()["rent_per_mu"]) == Decimal(800)


def test_the_collective_s_own_land_through_the_api(lt: LandTown, api_for) -> None:  # type: ignore[no-untyped-def]
    api = api_for("xuqiao")
    payload = {
        "village": lt.town.xuqiao.area.pk,
        "org": lt.collective.pk,
        "enterprise": lt.enterprise.pk,
        "collective_area": "-2",
        "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR + 1}-12-31",
        "rent_per_mu": "800.00",
        "signed_on": f"{YEAR}-01-01",
        "due_month": 3,
    }
    refused = api.post(f"{BASE}/contracts/", payload, format="json")
    assert refused.status_code == 400 and "不能为负" in refused.json()["collective_area"][0]
    created = api.post(f"{BASE}/contracts/", {**payload, "collective_area": "2"}, format="json")
    assert created.status_code == 201 and created.json()["collective_area"] == "2.00"
    url = f"{BASE}/contracts/{created.json()['id']}/"
    receipt = api.post(f"{url}receive/", {"received_on": f"{YEAR}-02-01", "amount": "1600.00"}, format="json")
    assert receipt.status_code == 200, receipt.json()
    payments = api.get(f"{BASE}/payments/", {"contract": created.json()["id"]}).json()["results"]
    assert [(p["amount"], p["kept"]) for p in payments] == [("1600.00", "1600.00")]
