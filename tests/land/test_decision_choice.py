"""The contract form offers the organisation and the decision after the village: a town user sees
no decision until a village is picked, the form then fetches itself again (HTMX) and offers only
that village's organisations and "土地流转" decisions; a decision of another village is refused by
the service in Chinese."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hongniudai.collective.interface import Decision, DecisionSubject

from .conftest import LandTown, contract


def _decision(village, title: str) -> Decision:
    return Decision.objects.create(
        village=village, area_path=village.path, subject=DecisionSubject.LAND_TRANSFER, title=title
    )


def test_the_decision_is_offered_after_the_village(lt: LandTown) -> None:
    _decision(lt.town.xuqiao.area, "徐桥村流转决议")
    _decision(lt.town.fashuihe.area, "发水河村流转决议")
    client = lt.town.client_for("admin")
    url = reverse("land:contract_create")
    body = client.get(url).content.decode()
    assert "先选村" in body and "流转决议" not in body
    assert f'hx-get="{url}"' in body and "[name=village]" in body  # the form fetches itself on a new village
    params = {"village": lt.town.xuqiao.area.pk, "number": "XQ-待定"}
    body = client.get(url, params, HTTP_HX_REQUEST="true").content.decode()
    assert "徐桥村流转决议" in body and "发水河村流转决议" not in body
    assert lt.coop.name in body and lt.fsh_collective.name not in body  # the village's organisations only
    assert 'value="XQ-待定"' in body and "is-invalid" not in body


def test_a_decision_of_another_village_is_refused(lt: LandTown) -> None:
    other = _decision(lt.town.fashuihe.area, "发水河村流转决议")
    with pytest.raises(ValidationError) as exc:
        contract(lt, decision=other)
    assert "本村" in str(exc.value)
