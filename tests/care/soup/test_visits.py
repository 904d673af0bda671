"""Checking off a visit on the round's day; a welfare observation that needs action raises a matter
in the recipient's hamlet, whose centre household is told; the unreached are flagged to the
village once; a volunteer sees and checks off only their own visits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.care.soup import reminders, selectors, services, tasks
from hongniudai.care.soup.models import Observation, Outcome, SoupRound, SoupVisit
from hongniudai.governance.interface import Channel
from hongniudai.notifications.models import Notification
from hongniudai.party import services as party_services

from .conftest import SoupTown

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 19)


def _at(hour: int) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hour, 0, tzinfo=dt.UTC)  # 8 hours later in Shanghai


def _round(soup: SoupTown) -> SoupRound:
    return services.create_round(actor=soup.hmf, village=soup.village, day=DAY)


def _visit(soup: SoupTown, name: str) -> SoupVisit:
    return SoupVisit.objects.get(round=_round(soup), recipient__resident__name=name)


def _inbox(user: object) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("message", flat=True))


def test_a_welfare_observation_raises_a_matter_in_the_hamlet_and_tells_its_centre_household(soup: SoupTown) -> None:
    party_services.set_centre_household(
        actor=soup.admin,
        hamlet=soup.hamlet,
        member=soup.town.hemeifan.member,
        linked_households=[soup.town.hemeifan.household],
    )
    centre = soup.town.users["zhangshengfu"]
    before = len(_inbox(centre))
    visit = _visit(soup, "张老太")
    volunteer_user = soup.volunteer.user
    visit = services.check_off(
        actor=volunteer_user,
        visit=visit,
        outcome=Outcome.DELIVERED,
        observation=Observation.NO_HEATING,
        observation_note="炉子坏了,屋里很冷",
        needs_action=True,
        at=_at(2),
    )
    matter = visit.matter
    assert matter is not None
    assert (matter.place, matter.channel) == (soup.hamlet, Channel.SOUP_ROUND)
    assert "张老太" in matter.title and "取暖困难" in matter.title
    assert list(matter.parties.all()) == [visit.recipient.resident]
    told = _inbox(centre)[before:]
    assert len(told) == 1 and "张老太" in told[0]
    # Correcting the visit the same day raises no second matter.
    again = services.check_off(
        actor=volunteer_user,
        visit=visit,
        outcome=Outcome.DELIVERED,
        observation=Observation.NO_HEATING,
        observation_note="已通知家属",
        needs_action=True,
        at=_at(3),
    )
    assert again.matter_id == matter.pk
    assert len(_inbox(centre)) == before + 1


def test_an_observation_without_action_raises_nothing(soup: SoupTown) -> None:
    visit = services.check_off(
        actor=soup.hmf,
        visit=_visit(soup, "张老汉"),
        outcome=Outcome.DELIVERED,
        observation=Observation.UNWELL,
        observation_note="有点咳嗽",
        at=_at(2),
    )
    assert (visit.observation, visit.matter) == (Observation.UNWELL, None)
    assert visit.checked_by == soup.hmf and visit.checked_at == _at(2)


def test_check_off_refuses_bad_input_in_chinese(soup: SoupTown) -> None:
    visit = _visit(soup, "张老汉")
    with pytest.raises(ValidationError) as err:
        services.check_off(actor=soup.hmf, visit=visit, outcome="pending", at=_at(2))
    assert "请选择送汤结果" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.check_off(actor=soup.hmf, visit=visit, outcome=Outcome.DELIVERED, needs_action=True, at=_at(2))
    assert "关爱发现" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.check_off(actor=soup.hmf, visit=visit, outcome=Outcome.DELIVERED, at=_at(2) - dt.timedelta(days=1))
    assert "还未到" in str(err.value)
    assert SoupVisit.objects.get(pk=visit.pk).outcome == Outcome.PENDING


def test_the_unreached_are_flagged_to_the_village_once(soup: SoupTown) -> None:
    tell = soup.hmf
    visit = _visit(soup, "张老太")
    services.check_off(actor=soup.volunteer.user, visit=visit, outcome=Outcome.DELIVERED, at=_at(2))
    with time_machine.travel(_at(12), tick=False):  # 20:00 in Shanghai
        assert tasks.flag_unreached_recipients.call_local() == 1
        assert tasks.flag_unreached_recipients.call_local() == 0
        assert reminders.flag_unreached() == 0
    inbox = _inbox(tell)
    assert len(inbox) == 1
    assert "张老汉" in inbox[0] and "张老太" not in inbox[0] and "1 位" in inbox[0]
    assert _inbox(soup.town.users["fashuihe"]) == []  # 发水河村 had no round that day


def test_a_round_all_delivered_tells_nobody(soup: SoupTown) -> None:
    for v in SoupVisit.objects.filter(round=_round(soup)):
        services.check_off(actor=soup.hmf, visit=v, outcome=Outcome.DECLINED, at=_at(2))
    assert reminders.flag_unreached(today=DAY) == 0
    assert _inbox(soup.hmf) == []


def test_a_volunteer_sees_and_checks_off_only_their_own_visits(soup: SoupTown) -> None:
    _round(soup)
    services.create_round(actor=soup.admin, village=soup.town.fashuihe.area, day=DAY)
    mine = selectors.visits_for_volunteer(soup.volunteer.user)
    assert sorted(v.recipient.resident.name for v in mine) == ["张老太", "张老汉"]
    theirs = SoupVisit.objects.filter(round__village=soup.town.fashuihe.area).first()
    assert theirs is not None
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.visit_get(soup.volunteer.user, theirs.pk)
    with pytest.raises(PermissionDenied):
        services.check_off(actor=soup.volunteer.user, visit=theirs, outcome=Outcome.DELIVERED, at=_at(2))
    # The volunteer sees no list: the staff selectors give them nothing.
    assert not selectors.rounds(soup.volunteer.user).exists()
    assert not selectors.recipients(soup.volunteer.user).exists()
    # A visit given to someone else leaves the volunteer's page.
    visit = mine.first()
    assert visit is not None
    services.assign_visit(actor=soup.hmf, visit=visit, volunteer=None)
    assert selectors.visits_for_volunteer(soup.volunteer.user).count() == 1
