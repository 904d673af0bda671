"""One way to read ids, whole numbers and dates (common.parsing), and the pages that read their
query parameters with it: odd values are ignored or explained, never an error page."""

from __future__ import annotations

import datetime as dt

import pytest

from hongniudai.common import parsing

ODD_IDS = ["9" * 20, str(2**63), "10.5", "1e3", "²", "①", "-1", "0", " ", "1_000", "0x10"]


@pytest.mark.parametrize("raw", ODD_IDS)
def test_odd_ids_are_not_ids(raw):
    assert parsing.parse_id(raw) is None


def test_ids_and_whole_numbers():
    assert parsing.parse_id(" 42 ") == 42
    assert parsing.parse_id(str(2**63 - 1)) == 2**63 - 1
    assert parsing.parse_id(7) == 7 and parsing.parse_id(True) is None and parsing.parse_id(7.0) is None
    assert parsing.whole_number("-3") == -3 and parsing.whole_number("10.0") is None


@pytest.mark.parametrize(
    "raw", ["0000-00-00", "0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31", "2026-02-30", "x"]
)
def test_dates_outside_the_window_or_malformed_are_not_dates(raw):
    assert parsing.parse_date(raw) is None


def test_dates_inside_the_window():
    assert parsing.parse_date("1900-01-01") == dt.date(1900, 1, 1)
    assert parsing.parse_date("2100-12-31") == dt.date(2100, 12, 31)


def test_periods():
    d = dt.date
    assert parsing.period_errors(d(2016, 1, 1), d(2025, 12, 31)) == []
    assert parsing.period_errors(d(2026, 2, 1), d(2026, 1, 1)) == ["开始日期不能晚于结束日期。"]
    assert parsing.period_errors(d(2001, 1, 1), d(2025, 12, 31)) == ["统计时间跨度不能超过 10 年。"]


@pytest.mark.parametrize("field", [parsing.IntegerField(), parsing.IdField()])
@pytest.mark.parametrize("raw", ["10.5", "10.0", "1e3"])
def test_form_fields_refuse_fractions_in_chinese(field, raw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        field.clean(raw)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(caught.value.messages))


PAGES = [
    ("/places/", "node"),
    ("/places/areas/", "area"),
    ("/places/households/", "area"),
    ("/places/residents/", "area"),
    ("/places/residents/new/", "household"),
    ("/matters/", "area"),
    ("/matters/measures/", "area"),
    ("/orglife/", "org"),
    ("/orglife/meetings/add/", "org"),
    ("/party/members/", "org"),
    ("/audit/", "date_from"),
]


@pytest.mark.parametrize("raw", ["9" * 20, "²", "10.5", "0001-01-01"])
@pytest.mark.parametrize("path, name", PAGES)
def test_pages_never_fail_on_odd_parameters(town, path, name, raw):
    r = town.client_for("admin").get(path, {name: raw})
    assert r.status_code in (200, 302, 404), (path, name, raw, r.status_code)
