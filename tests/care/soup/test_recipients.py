"""Recipients are proposed by the rules kept as data, with every reason met; the village reviews,
approves (who and when kept) and removes (the row stays, with why); a resident may be added by hand
with the reason typed in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.care.soup import services
from hongniudai.care.soup.models import RecipientStatus, RuleKind, SoupRecipient
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def _reasons(village: Any) -> dict[str, str]:
    return {p.resident.name: p.reason_text for p in services.evaluate_rules(village, today=TODAY)}


def test_the_rules_propose_residents_with_every_reason_met(town: Any) -> None:
    admin, hamlet = town.users["admin"], town.hemeifan.hamlet
    services.save_rule(actor=admin, area=town.town, kind=RuleKind.AGE, min_age=80)
    services.save_rule(actor=admin, area=town.town, kind=RuleKind.ALONE)
    services.save_rule(actor=admin, area=town.town, kind=RuleKind.DISABLED)
    services.save_rule(actor=admin, area=town.town, kind=RuleKind.FORMERLY_POOR)
    alone = f.resident(f.household(hamlet, "张家冲20号"), "独居老人", birth=dt.date(1940, 1, 1))
    poor = f.household(hamlet, "张家冲21号", is_formerly_poor=True)
    f.resident(poor, "脱贫户主", birth=dt.date(1970, 1, 1))
    f.resident(poor, "残疾儿子", birth=dt.date(1995, 1, 1), is_disabled=True)
    young = f.household(hamlet, "张家冲22号")
    f.resident(young, "青年甲", birth=dt.date(1990, 1, 1))
    f.resident(young, "青年乙", birth=dt.date(1992, 1, 1))
    assert _reasons(town.hemeifan.area) == {
        "张圣福": "独居",  # the fixture's head lives alone, aged 68
        "独居老人": "年满 80 周岁、独居",
        "脱贫户主": "脱贫户",
        "残疾儿子": "残疾人、脱贫户",
    }
    assert alone.pk


def test_a_village_rule_overrides_the_towns_of_the_same_kind(town: Any) -> None:
    admin = town.users["admin"]
    hamlet = town.hemeifan.hamlet
    hh = f.household(hamlet, "张家冲30号")
    f.resident(hh, "七十八岁", birth=dt.date(1948, 1, 1))
    f.resident(hh, "老伴", birth=dt.date(1990, 1, 1))
    services.save_rule(actor=admin, area=town.town, kind=RuleKind.AGE, min_age=80)
    assert "七十八岁" not in _reasons(town.hemeifan.area)
    services.save_rule(actor=town.users["hemeifan"], area=town.hemeifan.area, kind=RuleKind.AGE, min_age=75)
    assert _reasons(town.hemeifan.area)["七十八岁"] == "年满 75 周岁"
    assert "七十八岁" not in _reasons(town.xuqiao.area)  # other villages keep the town's
    # A village turns the criterion off for itself.
    services.save_rule(actor=town.users["hemeifan"], area=town.hemeifan.area, kind=RuleKind.AGE, is_active=False)
    assert _reasons(town.hemeifan.area) == {}


def test_a_village_cannot_keep_the_towns_rules(town: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.save_rule(actor=town.users["hemeifan"], area=town.town, kind=RuleKind.AGE, min_age=70)
    with pytest.raises(ValidationError) as err:
        services.save_rule(actor=town.users["admin"], area=town.town, kind=RuleKind.AGE, min_age=None)
    assert "周岁" in str(err.value)


def test_propose_approve_remove_and_add_by_hand(town: Any) -> None:
    admin, sec = town.users["admin"], town.users["hemeifan"]
    services.save_rule(actor=admin, area=town.town, kind=RuleKind.AGE, min_age=80)
    hh = f.household(town.hemeifan.hamlet, "张家冲40号")
    old = f.resident(hh, "老寿星", birth=dt.date(1930, 1, 1))
    f.resident(hh, "儿媳", birth=dt.date(1970, 1, 1))
    created = services.propose_recipients(actor=sec, village=town.hemeifan.area, today=TODAY)
    assert [(r.resident.name, r.reasons, r.status) for r in created] == [("老寿星", "年满 80 周岁", "proposed")]
    assert services.propose_recipients(actor=sec, village=town.hemeifan.area, today=TODAY) == []  # once
    row = services.approve_recipient(actor=sec, recipient=created[0])
    assert (row.status, row.decided_by, row.decided_at is not None) == (RecipientStatus.APPROVED, sec, True)
    with pytest.raises(ValidationError):
        services.remove_recipient(actor=sec, recipient=row, reason=" ")
    row = services.remove_recipient(actor=sec, recipient=row, reason="随子女进城居住")
    assert SoupRecipient.objects.get(pk=row.pk).removed_reason == "随子女进城居住"
    # The rules do not bring a removed resident back; the village does, by hand.
    assert services.propose_recipients(actor=sec, village=town.hemeifan.area, today=TODAY) == []
    back = services.add_recipient(actor=sec, resident=old, reason="回村居住,子女外出")
    assert (back.pk, back.status, back.reasons, back.by_hand) == (row.pk, "proposed", "回村居住,子女外出", True)
    with pytest.raises(ValidationError) as err:
        services.add_recipient(actor=sec, resident=old, reason="重复")
    assert "已在送汤名单上" in str(err.value)


def test_another_village_cannot_approve(town: Any) -> None:
    services.save_rule(actor=town.users["admin"], area=town.town, kind=RuleKind.ALONE)
    rows = services.propose_recipients(actor=town.users["hemeifan"], village=town.hemeifan.area, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.approve_recipient(actor=town.users["xuqiao"], recipient=rows[0])
    with pytest.raises(PermissionDenied):
        services.propose_recipients(actor=town.users["xuqiao"], village=town.hemeifan.area)
