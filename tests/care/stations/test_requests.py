"""A request's deadline, signal, outcome and satisfaction, as a station clerk and the resident notice them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.models import AuditEvent
from hongniudai.care.stations import selectors, services
from hongniudai.care.stations.models import RequestOutcome, RequestStatus, ServiceRequest, StepKind
from hongniudai.governance.interface import Channel, Signal, signal
from hongniudai.governance.models import Category

from .conftest import BJ, FRIDAY

pytestmark = pytest.mark.django_db


def _receive(town, stations, *, item=None, at=FRIDAY, **kw) -> ServiceRequest:
    return services.request_receive(
        actor=town.users["xuqiao"],
        station=stations.xuqiao,
        item=item or stations.certificate,
        channel="walk_in",
        resident=kw.pop("resident", town.xuqiao.head),
        received_at=at,
        **kw,
    )


@time_machine.travel(FRIDAY, tick=False)
def test_a_friday_request_with_one_working_day_is_due_monday(town, stations):
    request = _receive(town, stations)
    assert request.limit_days == 1
    assert request.deadline.astimezone(BJ) == dt.datetime(2026, 3, 9, 23, 59, 59, tzinfo=BJ)
    assert request.area_path == town.xuqiao.hamlet.path
    assert [s.kind for s in selectors.request_steps(request)] == [StepKind.ACCEPTED]
    assert AuditEvent.objects.filter(action="care_request_received", target_id=str(request.pk)).exists()


@time_machine.travel(FRIDAY, tick=False)
def test_a_limit_changed_later_does_not_move_an_earlier_request(town, stations):
    earlier = _receive(town, stations, item=stations.insurance, at=FRIDAY - dt.timedelta(days=7))
    services.item_set_limit(actor=town.users["admin"], item=stations.insurance, days=10, valid_from=dt.date(2026, 3, 2))
    earlier.refresh_from_db()
    assert earlier.limit_days == 3
    # Fri 27 Feb + 3 working days: Sat 28 Feb (a Spring Festival make-up working day), Mon 2, Tue 3 March.
    assert earlier.deadline.astimezone(BJ).date() == dt.date(2026, 3, 3)
    # Recorded late for a day before the change: the old limit; today's request: the new one.
    late = _receive(town, stations, item=stations.insurance, at=FRIDAY - dt.timedelta(days=6))
    assert late.limit_days == 3
    new = _receive(town, stations, item=stations.insurance)
    assert new.limit_days == 10
    stations.insurance.refresh_from_db()
    assert stations.insurance.time_limit == 10
    assert [(lim.days, lim.valid_until) for lim in stations.insurance.limits.order_by("valid_from")] == [
        (3, dt.date(2026, 3, 2)),
        (10, None),
    ]


def test_signals_turn_yellow_on_the_deadline_day_and_red_after(town, stations):
    with time_machine.travel(FRIDAY, tick=False):
        request = _receive(town, stations)
    cases = [
        (FRIDAY, Signal.GREEN),
        (dt.datetime(2026, 3, 9, 9, 0, tzinfo=BJ), Signal.YELLOW),
        (dt.datetime(2026, 3, 10, 9, 0, tzinfo=BJ), Signal.RED),
    ]
    for now, expected in cases:
        with time_machine.travel(now, tick=False):
            row = selectors.requests(town.users["xuqiao"], now=now).get(pk=request.pk)
            assert row.signal == expected == signal(now, request.deadline)
            assert list(selectors.requests(town.users["xuqiao"], signal=expected, now=now)) == [row]


@time_machine.travel(FRIDAY, tick=False)
def test_satisfaction_only_after_completion(town, stations):
    request = _receive(town, stations)
    secretary = town.users["xuqiao"]
    with pytest.raises(ValidationError, match="服务办结后才能登记满意度"):
        services.request_rate(actor=secretary, request=request, satisfaction="satisfied")
    with pytest.raises(ValidationError, match="请写明理由"):
        services.request_complete(actor=secretary, request=request, outcome=RequestOutcome.REFUSED)
    services.request_complete(actor=secretary, request=request, outcome=RequestOutcome.DONE, note="已开具")
    rated = services.request_rate(actor=secretary, request=request, satisfaction="satisfied")
    assert rated.satisfaction == "satisfied" and rated.status == RequestStatus.CLOSED
    with pytest.raises(ValidationError, match="已登记满意度"):
        services.request_rate(actor=secretary, request=request, satisfaction="dissatisfied")
    with pytest.raises(ValidationError, match="已办结"):
        services.request_add_step(actor=secretary, request=request, kind="note", note="再来")


@time_machine.travel(FRIDAY, tick=False)
def test_a_resident_of_another_village_or_an_out_of_scope_clerk_is_refused(town, stations):
    with pytest.raises(ValidationError, match="不属于该服务站"):
        _receive(town, stations, resident=town.hemeifan.head)
    with pytest.raises(PermissionDenied):
        services.request_receive(
            actor=town.users["xuqiao"],
            station=stations.fashuihe,
            item=stations.certificate,
            channel="phone",
            person_name="过路人",
        )
    assert ServiceRequest.objects.count() == 0


@time_machine.travel(FRIDAY, tick=False)
def test_someone_not_registered_gives_a_name_and_a_valid_phone(town, stations):
    with pytest.raises(ValidationError) as exc:
        _receive(town, stations, resident=None, person_phone="123")
    assert set(exc.value.message_dict) == {"person_name", "person_phone"}
    request = _receive(town, stations, resident=None, person_name="李大爷", person_phone="13800001111")
    assert request.area_path == stations.xuqiao.area_path


@time_machine.travel(FRIDAY, tick=False)
def test_a_request_becomes_a_matter_in_the_residents_hamlet(town, stations):
    request = _receive(town, stations, description="与邻居因排水沟起争执")
    matter = services.request_to_matter(
        actor=town.users["xuqiao"],
        request=request,
        category=Category.objects.get(code="dispute-neighbour"),
        description="黄文华与邻居因排水沟起争执,需调解。",
    )
    request.refresh_from_db()
    assert matter.place == town.xuqiao.hamlet
    assert matter.channel == Channel.SERVICE_STATION
    assert matter.get_channel_display() == "便民服务站"
    assert request.matter == matter
    assert request.status == RequestStatus.CLOSED and request.outcome == RequestOutcome.REFERRED
    assert [s.kind for s in selectors.request_steps(request)][-1] == StepKind.TO_MATTER
    with pytest.raises(ValidationError):
        services.request_to_matter(
            actor=town.users["xuqiao"],
            request=request,
            category=Category.objects.get(code="dispute-neighbour"),
            description="再转一次",
        )
