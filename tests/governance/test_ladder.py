"""The ladder and the 张家冲 story, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.governance import services
from hongniudai.governance.models import EventKind, Level, Matter, MatterStatus, Outcome
from hongniudai.notifications import selectors as notification_selectors


def _report(gov, actor="zhangshengfu", **kw):
    kw.setdefault("category", gov.forest)
    kw.setdefault("title", "山林界址纠纷")
    kw.setdefault("description", "李某忠与赵某发因山林界址多次扯皮,发生肢体冲突")
    kw.setdefault("channel", "centre_household")
    kw.setdefault("place", gov.hemeifan.hamlet)
    return services.report_matter(actor=gov.users[actor], **kw)


def test_zhangjiachong_story_is_settled_in_the_hamlet(gov):
    matter = _report(gov, parties=[gov.li, gov.zhao])
    assert matter.level == Level.HAMLET and matter.area == gov.hemeifan.hamlet
    assert notification_selectors.about(Matter, [matter.pk]).filter(user=gov.users["zhangshengfu"]).exists()
    zsf = gov.users["zhangshengfu"]
    services.accept(actor=zsf, matter=matter)
    services.invite(actor=zsf, matter=matter, user=gov.users["hmf_lawyer"])
    # The legal adviser sees the matter from then on, and records the visit with him.
    assert scope_for(gov.users["hmf_lawyer"]).filter(Matter.objects.all()).filter(pk=matter.pk).exists()
    services.record_session(
        actor=gov.users["hmf_lawyer"],
        matter=matter,
        held_on=timezone.localdate(),
        place="张家冲李某忠家",
        participants="张圣福、村法律顾问、李某忠、赵某发",
        summary="上门宣讲政策,反复做工作",
        agreed="双方同意按原界址",
        legal_adviser_present=True,
    )
    services.sign_agreement(
        actor=zsf,
        matter=matter,
        parties="李某忠、赵某发",
        facts="山林界址争议",
        terms="按1982年林权证界址为准,互不侵占",
        mediators="张圣福、村法律顾问",
        signed_on=timezone.localdate(),
        signatures_noted=True,
    )
    services.resolve(actor=zsf, matter=matter, outcome=Outcome.AGREEMENT, resolution="双方握手言和,签订调解协议")
    matter.refresh_from_db()
    assert matter.status == MatterStatus.RESOLVED and matter.resolved_level == Level.HAMLET
    services.follow_up(actor=zsf, matter=matter, visited_on=timezone.localdate(), held=True, satisfaction=5)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED and matter.satisfaction == 5
    kinds = list(matter.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.REPORT,
        EventKind.ACCEPT,
        EventKind.INVITE,
        EventKind.MEDIATE,
        EventKind.AGREEMENT,
        EventKind.RESOLVE,
        EventKind.FOLLOW_UP,
    ]


def _sees(gov, username, matter):
    return scope_for(gov.users[username]).filter(Matter.objects.filter(pk=matter.pk)).exists()


def test_escalation_climbs_and_the_hamlet_no_longer_sees_it(gov):
    # Reported by the village (not by 张圣福, whom a report of his own would keep showing him).
    matter = _report(gov, actor="hemeifan", channel="web")
    assert matter.level == Level.HAMLET and _sees(gov, "zhangshengfu", matter)
    services.escalate(actor=gov.users["zhangshengfu"], matter=matter, reason="双方不接受湾组调解")
    matter.refresh_from_db()
    assert matter.level == Level.GRID and matter.area == gov.hemeifan.grid and matter.escalations == 1
    assert not _sees(gov, "zhangshengfu", matter)
    assert _sees(gov, "hmf_grid", matter)
    with pytest.raises(PermissionDenied):
        services.accept(actor=gov.users["zhangshengfu"], matter=matter)
    services.escalate(actor=gov.users["hmf_grid"], matter=matter, reason="需村调委会")
    matter.refresh_from_db()
    assert matter.level == Level.VILLAGE
    # The village hands it back down to the hamlet.
    services.hand_down(actor=gov.users["hemeifan"], matter=matter, to=gov.hemeifan.hamlet, reason="请湾组继续做工作")
    matter.refresh_from_db()
    assert matter.level == Level.HAMLET and matter.status == MatterStatus.NEW
    assert _sees(gov, "zhangshengfu", matter)


def test_the_reporter_still_sees_an_escalated_matter_but_may_not_act(gov):
    matter = _report(gov)
    services.escalate(actor=gov.users["zhangshengfu"], matter=matter, reason="双方不接受湾组调解")
    matter.refresh_from_db()
    assert matter.level == Level.GRID and _sees(gov, "zhangshengfu", matter)
    assert not scope_for(gov.users["zhangshengfu"], Capability.HANDLE).covers(matter)
    with pytest.raises(PermissionDenied):
        services.accept(actor=gov.users["zhangshengfu"], matter=matter)


def test_escalation_needs_a_reason_and_stops_at_town(gov):
    matter = _report(gov)
    with pytest.raises(ValidationError):
        services.escalate(actor=gov.users["zhangshengfu"], matter=matter, reason=" ")
    admin = gov.users["admin"]
    for _ in range(3):
        services.escalate(actor=admin, matter=matter, reason="上交")
    matter.refresh_from_db()
    assert matter.level == Level.TOWN
    with pytest.raises(ValidationError):
        services.escalate(actor=admin, matter=matter, reason="上交")


def test_out_of_scope_users_cannot_act(gov):
    matter = _report(gov)
    with pytest.raises(PermissionDenied):
        services.accept(actor=gov.users["xuqiao"], matter=matter)
    assert not scope_for(gov.users["xuqiao"]).filter(Matter.objects.all()).exists()


def test_hamlet_without_centre_household_goes_to_the_grid(gov):
    matter = services.report_matter(
        actor=gov.users["xuqiao"],
        category=gov.hazard,
        title="危房",
        description="老屋墙体开裂",
        channel="web",
        place=gov.xuqiao.hamlet,
        attributes={"hazard_type": "building"},
    )
    assert matter.level == Level.GRID and matter.area == gov.xuqiao.grid
    assert notification_selectors.about(Matter, [matter.pk]).filter(user=gov.users["gridworker"]).exists()


def test_required_attribute_and_bad_option_are_refused(gov):
    for attrs in ({}, {"hazard_type": "volcano"}):
        with pytest.raises(ValidationError) as exc:
            services.report_matter(
                actor=gov.users["xuqiao"],
                category=gov.hazard,
                title="危房",
                description="墙体开裂",
                channel="web",
                place=gov.xuqiao.hamlet,
                attributes=attrs,
            )
        assert "attribute[hazard_type]" in exc.value.message_dict
    assert Matter.objects.count() == 0


def test_reopen_after_a_follow_up_that_did_not_hold(gov):
    zsf = gov.users["zhangshengfu"]
    matter = _report(gov)
    services.resolve(actor=zsf, matter=matter, outcome=Outcome.RECONCILED, resolution="和好")
    services.follow_up(actor=zsf, matter=matter, visited_on=timezone.localdate(), held=False, satisfaction=2)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.RESOLVED
    services.reopen(actor=zsf, matter=matter, reason="双方再次发生争执")
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW and matter.reopened == 1 and matter.resolved_level == ""


def test_agreement_outcome_needs_an_agreement(gov):
    matter = _report(gov)
    with pytest.raises(ValidationError):
        services.resolve(actor=gov.users["zhangshengfu"], matter=matter, outcome=Outcome.AGREEMENT, resolution="x")


def test_future_session_date_is_refused(gov):
    matter = _report(gov)
    with pytest.raises(ValidationError) as exc:
        services.record_session(
            actor=gov.users["zhangshengfu"],
            matter=matter,
            held_on=timezone.localdate() + dt.timedelta(days=2),
            place="x",
            participants="y",
            summary="z",
        )
    assert "held_on" in exc.value.message_dict
