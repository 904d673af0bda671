"""Out-of-scope targets for the distribution URLs, merged into tests/test_url_scoping.py: 发水河村's
approved plan (xuqiao must get 404 for it, admin must reach it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def fashuihe_plan(town: Any) -> Any:
    """发水河村's approved plan (20% reserve, 50,000 to three households), made once per test."""
    plan = getattr(town, "_distribution_plan", None)
    if plan is None:
        from tests.distribution.helpers import approved_plan

        plan = approved_plan(town, "fashuihe", town.fashuihe)
        town._distribution_plan = plan
    return plan


def _item(town: Any) -> dict[str, Any]:
    return {"pk": fashuihe_plan(town).items.order_by("id").first().pk}


def _dividend(town: Any) -> dict[str, Any]:
    return {"pk": fashuihe_plan(town).dividends.order_by("id").first().pk}


def _payout(town: Any) -> dict[str, Any]:
    from hongniudai.distribution import services
    from tests.distribution.helpers import PAID_ON

    dividend = fashuihe_plan(town).dividends.order_by("id").last()
    payout = getattr(dividend, "payout", None) or services.record_payout(
        actor=town.users["fashuihe"], dividend=dividend, paid_on=PAID_ON
    )
    return {"pk": payout.pk}


def _plan(town: Any) -> dict[str, Any]:
    return {"pk": fashuihe_plan(town).pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "distribution:plan_detail": _plan,
    "distribution:plan_edit": _plan,
    "distribution:plan_delete": _plan,
    "distribution:plan_approve": _plan,
    "distribution:item_add": _plan,
    "distribution:item_edit": _item,
    "distribution:item_delete": _item,
    "distribution:dividend_pay": _dividend,
    "api:distribution-plan-detail": _plan,
    "api:distribution-plan-approve": _plan,
    "api:distribution-item-detail": _item,
    "api:distribution-dividend-detail": _dividend,
    "api:distribution-payout-detail": _payout,
}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
