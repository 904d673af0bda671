"""The plan form offers the decision after the organisation: a town user sees no decision until an
organisation is picked, the form then fetches itself again (HTMX) and offers only that village's
"收益分配" decisions; a decision of another village is refused by the service in Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hongniudai.distribution import services

from .helpers import RECORD_DATE, YEAR, make_org, resolved_decision

pytestmark = pytest.mark.django_db


def test_the_decision_is_offered_after_the_organisation(town: Any) -> None:
    admin = town.users["admin"]
    xq = make_org(town.xuqiao.area, admin)
    make_org(town.fashuihe.area, admin)
    mine, theirs = resolved_decision(town.xuqiao.area), resolved_decision(town.fashuihe.area)
    mine.title, theirs.title = "徐桥村分红决议", "发水河村分红决议"
    mine.save(update_fields=["title"])
    theirs.save(update_fields=["title"])
    client = town.client_for("admin")
    url = reverse("distribution:plan_create")
    body = client.get(url).content.decode()
    assert "先选组织" in body and "分红决议" not in body
    assert f'hx-get="{url}"' in body and "[name=org]" in body  # the form fetches itself on a new org
    body = client.get(url, {"org": xq.pk, "year": "2019"}, HTTP_HX_REQUEST="true").content.decode()
    assert "徐桥村分红决议" in body and "发水河村分红决议" not in body
    assert 'value="2019"' in body  # what was typed stays
    assert "is-invalid" not in body  # a refetch is no submission: no errors shown


def test_a_decision_of_another_village_is_refused(town: Any) -> None:
    admin = town.users["admin"]
    org = make_org(town.xuqiao.area, admin)
    other = resolved_decision(town.fashuihe.area)
    with pytest.raises(ValidationError) as exc:
        services.create_plan(
            actor=admin, org=org, year=YEAR, surplus=Decimal("1000.00"), record_date=RECORD_DATE, decision=other
        )
    assert "本村" in str(exc.value)


def test_a_refetch_with_a_bad_organisation_is_no_error(town: Any) -> None:
    client = town.client_for("admin")
    for bad in ("abc", "-1", "9" * 30, "1.5"):
        response = client.get(reverse("distribution:plan_create"), {"org": bad, "year": bad})
        assert response.status_code == 200 and "先选组织" in response.content.decode()
