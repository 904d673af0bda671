"""Parcels, contracts and rent through the services: the rules a village's secretary meets, and the
money in the books (an enterprise's rent split by area, every household's 内部往来 cleared)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hongniudai.land import rent, selectors, services
from hongniudai.land.interface import rent_kept_by_collective, rent_paid_to_households
from hongniudai.land.models import ContractStatus, InstalmentStatus, RentInstalment
from hongniudai.ledger import services as ledger
from hongniudai.ledger.integrity import faults
from hongniudai.ledger.models import Voucher

from .conftest import YEAR, LandTown, contract, parcel

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# ---- parcels ------------------------------------------------------------------------------


def test_a_negative_or_zero_area_is_refused_in_chinese(lt: LandTown) -> None:
    for area in ("-1", "0"):
        with pytest.raises(ValidationError) as exc:
            parcel(lt.xq, lt.households[0], "坏地", area)
        assert _errors(exc)["registered_area"] == ["面积必须大于零。"]
    with pytest.raises(ValidationError) as exc:
        parcel(lt.xq, lt.households[0], "坏地", "1.005")
    assert "两位小数" in _errors(exc)["registered_area"][0]


def test_a_parcel_takes_its_household_s_village(lt: LandTown) -> None:
    assert lt.parcels[0].village == lt.town.xuqiao.area
    assert lt.parcels[0].area_path == lt.town.xuqiao.area.path


def test_another_village_s_secretary_cannot_register_a_parcel_here(lt: LandTown) -> None:
    with pytest.raises(PermissionDenied):
        parcel(lt.town.users["fashuihe"], lt.households[0], "他村地", "1")


def _square(lng: float, lat: float, side: float) -> str:
    ring = [[lng, lat], [lng + side, lat], [lng + side, lat + side], [lng, lat + side], [lng, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_a_polygon_is_checked_for_validity_and_area(lt: LandTown) -> None:
    # ~0.0003° square at 30°N ≈ 29 m × 33 m ≈ 960 m² ≈ 1.44 mu
    ok = parcel(lt.xq, lt.households[0], "画了边界", "1.5", polygon=_square(114.8, 30.4, 0.0003))
    assert ok.polygon
    bowtie = json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]})
    with pytest.raises(ValidationError) as exc:
        parcel(lt.xq, lt.households[0], "自相交", "1", polygon=bowtie)
    assert "有效的多边形" in _errors(exc)["polygon"][0]
    with pytest.raises(ValidationError) as exc:
        parcel(lt.xq, lt.households[0], "太大", "1", polygon=_square(114.8, 30.4, 0.01))
    assert "相差过大" in _errors(exc)["polygon"][0]
    with pytest.raises(ValidationError) as exc:
        parcel(lt.xq, lt.households[0], "不是JSON", "1", polygon="{oops")
    assert "GeoJSON" in _errors(exc)["polygon"][0]


# ---- contracts ----------------------------------------------------------------------------


def test_a_contract_lays_out_each_household_s_rent(lt: LandTown) -> None:
    c = contract(lt, areas=("1", "1.5", "2.25"))
    rows = list(RentInstalment.objects.filter(contract=c).order_by("due_on", "household_id"))
    assert len(rows) == 9  # three years, three households
    assert [r.amount for r in rows[:3]] == [Decimal("800.00"), Decimal("1200.00"), Decimal("1800.00")]
    assert {r.due_on for r in rows} == {dt.date(YEAR, 3, 1), dt.date(YEAR + 1, 3, 1), dt.date(YEAR + 2, 3, 1)}


def test_more_than_two_decimals_in_the_rent_is_refused(lt: LandTown) -> None:
    with pytest.raises(ValidationError) as exc:
        contract(lt, rent_per_mu=Decimal("800.005"))
    assert "两位小数" in _errors(exc)["rent_per_mu"][0]


def test_a_transfer_beyond_the_parcel_s_area_is_refused(lt: LandTown) -> None:
    with pytest.raises(ValidationError) as exc:
        contract(lt, areas=("3.01",))
    assert "最多还能流转 3.00 亩" in _errors(exc)["area"][0]
    with pytest.raises(ValidationError) as exc:
        contract(lt, areas=("-0.5",))
    assert _errors(exc)["area"] == ["面积必须大于零。"]


def test_the_measured_area_bounds_transfers_when_known(lt: LandTown) -> None:
    p = parcel(lt.xq, lt.households[0], "实测小", "2", measured_area=Decimal("1.8"))
    with pytest.raises(ValidationError):
        services.create_contract(
            actor=lt.xq,
            village=lt.town.xuqiao.area,
            org=lt.coop,
            starts_on=dt.date(YEAR, 1, 1),
            ends_on=dt.date(YEAR, 12, 31),
            rent_per_mu=Decimal(500),
            signed_on=dt.date(YEAR, 1, 1),
            parcels=[(p, Decimal("1.9"))],
        )


def test_overlapping_active_transfers_may_not_exceed_the_parcel(lt: LandTown) -> None:
    contract(lt, areas=("2.6",))
    with pytest.raises(ValidationError) as exc:
        contract(lt, areas=("0.5",), starts_on=dt.date(YEAR + 2, 6, 1), ends_on=dt.date(YEAR + 4, 5, 31))
    assert "同期其他合同已流转 2.60 亩,本合同最多还能流转 0.40 亩" in _errors(exc)["area"][0]
    # Not overlapping in time: the whole parcel again.
    contract(lt, areas=("3",), starts_on=dt.date(YEAR + 3, 1, 1), ends_on=dt.date(YEAR + 5, 12, 31))
    # The same period, within what is left.
    contract(lt, areas=("0.4",))


def test_an_ended_contract_frees_its_land(lt: LandTown) -> None:
    first = contract(lt, areas=("3",))
    services.end_contract(actor=lt.xq, contract=first, status=ContractStatus.TERMINATED)
    assert not RentInstalment.objects.filter(contract=first).exists()
    contract(lt, areas=("3",))


def test_an_enterprise_needs_the_village_collective_not_a_cooperative(lt: LandTown) -> None:
    with pytest.raises(ValidationError) as exc:
        contract(lt, enterprise=True, org=lt.coop)
    assert "代为收付" in _errors(exc)["org"][0]
    with pytest.raises(ValidationError) as exc:
        contract(lt, org=lt.fsh_collective)
    assert "不是本村" in _errors(exc)["org"][0]


def test_a_contract_s_document_is_checked_and_kept_under_a_random_name(lt: LandTown) -> None:
    pdf = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")
    c = services.create_contract(
        actor=lt.xq,
        village=lt.town.xuqiao.area,
        org=lt.coop,
        starts_on=dt.date(YEAR, 1, 1),
        ends_on=dt.date(YEAR, 12, 31),
        rent_per_mu=Decimal(500),
        signed_on=dt.date(YEAR, 1, 1),
        document=pdf,
    )
    assert c.document_name == "合同.pdf"
    assert "合同" not in c.document.name
    fake = SimpleUploadedFile("合同.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.update_contract(actor=lt.xq, contract=c, document=fake)


# ---- money --------------------------------------------------------------------------------


def test_a_cooperative_accrues_then_pays_each_household(lt: LandTown) -> None:
    c = contract(lt)
    first = RentInstalment.objects.filter(contract=c).order_by("due_on", "household_id").first()
    assert first is not None
    payment = rent.pay_instalment(actor=lt.xq, instalment=first, paid_on=dt.date(YEAR, 3, 5))
    first.refresh_from_db()
    assert first.status == InstalmentStatus.PAID
    accrual = first.voucher
    assert accrual is not None
    assert sorted((line.account.code[:3], line.debit_fen, line.credit_fen) for line in accrual.lines.all()) == [
        ("113", 0, 80000),
        ("511", 80000, 0),
    ]
    assert payment.voucher is not None
    assert sorted((line.account.code[:3], line.debit_fen, line.credit_fen) for line in payment.voucher.lines.all()) == [
        ("102", 0, 80000),
        ("113", 80000, 0),
    ]
    assert payment.voucher.source == f"land.rentpayment:{payment.pk}"
    with pytest.raises(ValidationError):
        rent.pay_instalment(actor=lt.xq, instalment=first, paid_on=dt.date(YEAR, 3, 6))
    assert faults(lt.coop.books) == []


def test_an_enterprise_s_rent_is_split_exactly_and_every_household_clears(lt: LandTown) -> None:
    c = contract(lt, enterprise=True, areas=("1", "1", "1"))
    receipt = rent.receive_rent(actor=lt.xq, contract=c, received_on=dt.date(YEAR, 2, 20), amount=Decimal("10000.00"))
    lines = sorted(receipt.voucher.lines.all(), key=lambda line: line.account.code)
    assert [(line.account.code[:3], line.debit_fen, line.credit_fen) for line in lines] == [
        ("102", 1000000, 0),
        ("113", 0, 333334),
        ("113", 0, 333333),
        ("113", 0, 333333),
    ]
    owed = {b.household.pk: b.owed for b in selectors.internal_balances(lt.town.xuqiao.area, lt.xq)}
    assert sorted(owed.values()) == [Decimal("3333.33"), Decimal("3333.33"), Decimal("3333.34")]
    assert sum(owed.values()) == Decimal("10000.00")


def test_paying_everyone_clears_every_internal_account(lt: LandTown) -> None:
    c = contract(lt, enterprise=True, areas=("1", "0.5", "0.75"))
    year = rent.year_rent(c, YEAR)
    assert year == Decimal("1800.00")
    rent.receive_rent(actor=lt.xq, contract=c, received_on=dt.date(YEAR, 2, 20), amount=year)
    due = RentInstalment.objects.filter(contract=c, due_on__year=YEAR)
    owed = {b.household.pk: b.owed for b in selectors.internal_balances(lt.town.xuqiao.area, lt.xq)}
    assert owed == {i.household_id: i.amount for i in due}
    for instalment in due:
        rent.pay_instalment(actor=lt.xq, instalment=instalment, paid_on=dt.date(YEAR, 3, 2))
    balances = selectors.internal_balances(lt.town.xuqiao.area, lt.xq)
    assert len(balances) == 3
    assert all(b.owed == 0 for b in balances)
    assert faults(lt.books) == []
    rows = rent_paid_to_households(None, lt.town.xuqiao.area, YEAR)
    assert sorted(r.amount for r in rows) == [Decimal("400.00"), Decimal("600.00"), Decimal("800.00")]
    assert all(Voucher.objects.filter(pk=r.voucher_id).exists() for r in rows)
    assert rent_paid_to_households(lt.town.users["fashuihe"], lt.town.xuqiao.area, YEAR) == []


def test_a_closed_month_refuses_the_payment_and_saves_nothing(lt: LandTown) -> None:
    c = contract(lt, enterprise=True)
    for month in (1, 2):
        ledger.close_period(actor=lt.town.users["admin"], books=lt.books, year=YEAR, month=month)
    with pytest.raises(ValidationError):
        rent.receive_rent(actor=lt.xq, contract=c, received_on=dt.date(YEAR, 2, 20), amount=Decimal("100.00"))
    assert not c.payments.exists()


def test_bad_amounts_are_refused(lt: LandTown) -> None:
    c = contract(lt, enterprise=True)
    for amount, message in (("0", "大于零"), ("-5", "大于零"), ("1.001", "两位小数")):
        with pytest.raises(ValidationError) as exc:
            rent.receive_rent(actor=lt.xq, contract=c, received_on=dt.date(YEAR, 2, 20), amount=Decimal(amount))
        assert message in _errors(exc)["amount"][0]


def test_the_schedule_keeps_what_money_touched_when_laid_out_again(lt: LandTown) -> None:
    c = contract(lt, areas=("1",))
    first = RentInstalment.objects.filter(contract=c).order_by("due_on").first()
    assert first is not None
    rent.pay_instalment(actor=lt.xq, instalment=first, paid_on=dt.date(YEAR, 3, 1))
    services.update_contract(actor=lt.xq, contract=c, rent_per_mu=Decimal("900.00"))
    amounts = list(RentInstalment.objects.filter(contract=c).order_by("due_on").values_list("amount", "status"))
    assert amounts == [
        (Decimal("800.00"), InstalmentStatus.PAID),
        (Decimal("900.00"), InstalmentStatus.DUE),
        (Decimal("900.00"), InstalmentStatus.DUE),
    ]


def test_rent_beyond_what_the_books_hold_is_refused_not_a_crash(lt: LandTown) -> None:
    huge = parcel(lt.xq, lt.households[0], "大片", "9999999999.99")
    with pytest.raises(ValidationError) as exc:
        services.create_contract(
            actor=lt.xq,
            village=lt.town.xuqiao.area,
            org=lt.coop,
            starts_on=dt.date(YEAR, 1, 1),
            ends_on=dt.date(YEAR, 12, 31),
            rent_per_mu=Decimal("999999.00"),
            signed_on=dt.date(YEAR, 1, 1),
            parcels=[(huge, Decimal("9999999999.99"))],
        )
    assert "记账上限" in _errors(exc)["rent_per_mu"][0]


def test_a_parcel_s_area_may_not_fall_below_what_is_transferred_at_once(lt: LandTown) -> None:
    p = lt.parcels[0]
    contract(lt, areas=("2",), ends_on=dt.date(YEAR, 12, 31))
    contract(lt, areas=("2.5",), starts_on=dt.date(YEAR + 1, 1, 1), ends_on=dt.date(YEAR + 1, 12, 31))
    services.update_parcel(actor=lt.xq, parcel=p, measured_area=Decimal("2.5"))  # 2.5 at most at a time
    with pytest.raises(ValidationError) as exc:
        services.update_parcel(actor=lt.xq, parcel=p, measured_area=Decimal("2.4"))
    assert "已占用 2.50 亩" in _errors(exc)["registered_area"][0]


def test_the_rent_of_the_collective_s_own_land_is_kept_as_its_income(lt: LandTown) -> None:
    """3 mu of the households' land and 2 mu the collective holds itself (机动地), leased to an
    enterprise at 800 a mu: of the 4,000.00 the enterprise pays, 2,400.00 is owed on to the
    households and 1,600.00 is the collective's income (501 经营收入)."""
    c = contract(lt, enterprise=True, collective_area=Decimal("2"))
    assert rent.year_rent(c, YEAR) == Decimal("4000.00")
    receipt = rent.receive_rent(actor=lt.xq, contract=c, received_on=dt.date(YEAR, 2, 20), amount=Decimal("4000.00"))
    assert receipt.kept == Decimal("1600.00")
    lines = sorted(receipt.voucher.lines.all(), key=lambda line: (line.account.code, line.credit_fen))
    assert [(line.account.code[:3], line.debit_fen, line.credit_fen) for line in lines] == [
        ("102", 400000, 0),
        ("113", 0, 80000),
        ("113", 0, 80000),
        ("113", 0, 80000),
        ("501", 0, 160000),
    ]
    kept = rent_kept_by_collective(lt.town.xuqiao.area, YEAR)
    assert [(k.org_id, k.amount, k.voucher_id) for k in kept] == [
        (lt.collective.pk, Decimal("1600.00"), receipt.voucher_id)
    ]
    assert rent_kept_by_collective(lt.town.xuqiao.area, YEAR - 1) == []


def test_only_an_enterprise_s_contract_may_lease_the_collective_s_own_land(lt: LandTown) -> None:
    for area, enterprise, message in (("-1", True, "不能为负"), ("1.005", True, "两位小数"), ("2", False, "企业")):
        with pytest.raises(ValidationError) as exc:
            contract(lt, enterprise=enterprise, collective_area=Decimal(area))
        assert message in _errors(exc)["collective_area"][0]
