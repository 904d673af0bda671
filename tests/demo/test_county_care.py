"""The county generator's resident services (`hongniudai.demo.county_care`, stage "services") at a
tiny scale, generated once for the module around a minimal 宋河镇 (rolled back at the end): a
station per village with a quarter of requests, soup recipients by the rules and three months of
rounds on dates with a 9 with their visits, volunteers with confirmed hours, the mass
organisations; and on an existing county nothing is written twice."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hongniudai.care.soup.models import RecipientStatus, SoupRecipient, SoupRound, SoupVisit
from hongniudai.care.stations.models import MassActivity, MassOrg, RequestStatus, ServiceRequest, ServiceStation
from hongniudai.demo.county import TOWN_NAMES
from hongniudai.demo.county_domains import STAGES, add_missing_domains
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.volunteers.models import HoursStatus, Participation, ServiceHours, Volunteer, VolunteerTask
from tests import factories as f

SCALE = "0.01"
MODELS = (
    ServiceStation,
    ServiceRequest,
    SoupRecipient,
    SoupRound,
    SoupVisit,
    Volunteer,
    VolunteerTask,
    Participation,
    ServiceHours,
    MassOrg,
    MassActivity,
)


@pytest.fixture(scope="module")
def county(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        root = f.area(None, "鄂州县", AreaKind.COUNTY, code="420704")
        f.area(root, "宋河镇", AreaKind.TOWN)
        out = io.StringIO()
        call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def towns() -> list[AreaNode]:
    return list(AreaNode.objects.filter(kind=AreaKind.TOWN, name__in=TOWN_NAMES).order_by("sort_order"))


def villages() -> list[AreaNode]:
    return list(AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=towns()[0].path))


def test_the_stage_is_registered_and_reported(county: str, db: Any) -> None:
    assert [s.key for s in STAGES].count("services") == 1
    assert "便民服务" in county


def test_a_station_in_every_village_with_a_quarter_of_requests(county: str, db: Any) -> None:
    nodes = villages()
    assert nodes
    assert set(ServiceStation.objects.values_list("village_id", flat=True)) >= {v.pk for v in nodes}
    today = timezone.localdate()
    requests = ServiceRequest.objects.filter(village__in=nodes)
    assert requests.count() >= 5 * len(nodes)
    assert not requests.filter(received_at__date__lt=today - dt.timedelta(days=92)).exists()
    assert not requests.filter(received_at__gt=timezone.now()).exists()
    assert not requests.filter(deadline__lt=timezone.now() - dt.timedelta(days=400)).exists()
    closed = requests.filter(status=RequestStatus.CLOSED)
    assert closed.exists() and not closed.filter(completed_at__isnull=True).exists()
    assert not closed.annotate(n=Count("steps")).filter(n__lt=2).exists()
    assert not requests.filter(matter__isnull=False).exists()
    for r in requests.select_related("station")[:50]:
        assert r.area_path.startswith(r.station.area_path) and r.deadline > r.received_at


def test_soup_rounds_on_dates_with_a_9_with_their_visits(county: str, db: Any) -> None:
    nodes = villages()
    recipients = SoupRecipient.objects.filter(village__in=nodes)
    assert recipients.exists() and not recipients.exclude(status=RecipientStatus.APPROVED).exists()
    assert not recipients.filter(reasons="").exists()
    rounds = SoupRound.objects.filter(village__in=nodes)
    days = set(rounds.values_list("date", flat=True))
    assert len(days) >= 8
    assert all(d.day in (9, 19, 29) or (d.month == 2 and d.day == 28) for d in days)
    assert min(days) >= timezone.localdate() - dt.timedelta(days=92)
    visits = SoupVisit.objects.filter(round__in=rounds)
    assert visits.count() == len(days) * recipients.count()  # every village with recipients, every day
    assert not visits.filter(matter__isnull=False).exists()
    assert not visits.filter(volunteer__isnull=True).exists()
    for round_ in rounds[:5]:
        assert VolunteerTask.objects.filter(source_id=round_.pk, kind="soup_round").count() == 1


def test_volunteers_with_confirmed_hours_and_mass_organisations(county: str, db: Any) -> None:
    town = towns()[0]
    volunteers = Volunteer.objects.filter(area_path__startswith=town.path)
    assert volunteers.exists() and not volunteers.filter(team__isnull=True).exists()
    hours = ServiceHours.objects.filter(area_path__startswith=town.path)
    assert hours.exists() and not hours.exclude(status=HoursStatus.CONFIRMED).exists()
    for h in hours.select_related("participation__task")[:50]:
        assert h.participation.volunteer_id == h.volunteer_id
        assert h.day == timezone.localtime(h.participation.task.starts_at).date()
    assert MassOrg.objects.filter(area=town).count() == 3
    assert MassActivity.objects.filter(area_path__startswith=town.path).values("village").distinct().count() > 1


def test_an_existing_county_gets_nothing_twice(county: str, db: Any) -> None:
    before = [m.objects.count() for m in MODELS]
    written = add_missing_domains(
        towns(), scale=float(SCALE), seed=7, now=timezone.localtime(), progress=lambda s: None
    )
    assert written == {}
    call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=io.StringIO())
    assert [m.objects.count() for m in MODELS] == before
