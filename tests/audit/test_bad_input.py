"""The audit list reads its dates one way: an impossible or out-of-calendar date is ignored
(the list is shown unfiltered by it), never an error page."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "params",
    [{"date_from": "0000-00-00"}, {"date_to": "2026-02-30"}, {"date_from": "0001-01-01", "date_to": "9999-12-31"}],
)
def test_bad_dates_on_the_audit_list_are_not_an_error(town, params):
    r = town.client_for("admin").get("/audit/", params)
    assert r.status_code == 200
