"""The demo town's resident services (`hongniudai.demo.care`): a station in every village and
community with a quarter of requests, soup rounds only on dates with a 9 over three months, welfare
observations that raised matters (one open), volunteers with confirmed hours, the volunteer's own
account, the mass organisations' activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongniudai.accounts.models import User
from hongniudai.care.soup.models import Outcome, RecipientStatus, SoupRecipient, SoupRound, SoupVisit
from hongniudai.care.stations import selectors as station_selectors
from hongniudai.care.stations.models import MassActivity, MassOrg, ServiceRequest, ServiceStation
from hongniudai.demo.care import VOLUNTEER_USERNAME
from hongniudai.demo.data import TOWN_NAME
from hongniudai.governance.models import OPEN_STATUSES, Matter
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.volunteers import selectors as volunteer_selectors
from hongniudai.volunteers.models import HoursStatus, Participation, ServiceHours, Volunteer, VolunteerTask


def villages() -> list[AreaNode]:
    town = AreaNode.objects.get(kind=AreaKind.TOWN, name=TOWN_NAME)
    return list(AreaNode.objects.filter(path__startswith=town.path, kind=AreaKind.VILLAGE))


def test_every_village_and_community_has_a_station_with_a_quarter_of_requests(demo: str, db: Any) -> None:
    nodes = villages()
    assert any(v.is_community for v in nodes)
    with_station = set(ServiceStation.objects.values_list("village_id", flat=True))
    assert {v.pk for v in nodes} <= with_station
    today = timezone.localdate()
    for v in nodes:
        requests = ServiceRequest.objects.filter(village=v)
        assert requests.count() >= 5, v.name
        assert requests.filter(received_at__date__lt=today - dt.timedelta(days=60)).exists(), v.name
    everything = ServiceRequest.objects.all()
    assert not everything.filter(received_at__gt=timezone.now()).exists()
    assert everything.filter(home_service=True).exists()
    assert everything.exclude(satisfaction="").count() > everything.count() // 2
    admin = User.objects.get(username="admin")
    assert station_selectors.requests(admin, signal="red").count() >= 2  # a few overdue
    assert everything.filter(matter__isnull=False).count() == 1


def test_soup_rounds_fall_only_on_dates_with_a_9_over_three_months(demo: str, db: Any) -> None:
    today = timezone.localdate()
    days = set(SoupRound.objects.values_list("date", flat=True))
    assert days and all(d.day in (9, 19, 29) or (d.month == 2 and d.day == 28) for d in days)
    assert min(days) >= today - dt.timedelta(days=92)
    assert len(days) >= 8
    for v in villages():
        assert SoupRecipient.objects.filter(village=v, status=RecipientStatus.APPROVED).exists(), v.name
    past = SoupVisit.objects.filter(round__date__lt=today)
    assert not past.filter(outcome=Outcome.PENDING).exists()
    assert past.filter(outcome=Outcome.DELIVERED).count() > 0.85 * past.count()
    assert past.filter(outcome__in=(Outcome.NOT_HOME, Outcome.DECLINED)).exists()
    assert not past.filter(volunteer__isnull=True).exists()


def test_welfare_observations_raised_matters_one_still_open(demo: str, db: Any) -> None:
    visits = SoupVisit.objects.filter(matter__isnull=False).select_related("matter", "hamlet", "round")
    assert len(visits) >= 2
    matters = [v.matter for v in visits if v.matter is not None]
    assert sum(m.status in OPEN_STATUSES for m in matters) == 1
    for visit in visits:
        assert visit.matter is not None and visit.matter.place_id == visit.hamlet_id
        assert timezone.localtime(visit.matter.reported_at).date() == visit.round.date
    assert not Matter.objects.filter(reported_at__gt=timezone.now()).exists()


def test_volunteers_with_confirmed_hours_and_a_ranking(demo: str, db: Any) -> None:
    volunteers = Volunteer.objects.all()
    assert volunteers.filter(resident__isnull=True).exists() and volunteers.filter(resident__isnull=False).exists()
    assert not volunteers.filter(team__isnull=True).exists()
    assert ServiceHours.objects.filter(status=HoursStatus.CONFIRMED).count() > 100
    admin = User.objects.get(username="admin")
    xuqiao = AreaNode.objects.get(kind=AreaKind.VILLAGE, name="徐桥村")
    rows = volunteer_selectors.ranking(admin, year=timezone.localdate().year, area=xuqiao)
    assert rows and rows[0].hours > 0
    assert MassOrg.objects.filter(area__kind=AreaKind.TOWN).count() == 3
    activities = MassActivity.objects.all()
    assert activities.values("village").distinct().count() >= 3
    assert all(a.participant_count >= a.participants.count() > 0 for a in activities)


def test_the_volunteer_account_sees_only_its_own_tasks(demo: str, db: Any) -> None:
    user = User.objects.get(username=VOLUNTEER_USERNAME)
    volunteer = Volunteer.objects.get(user=user)
    own = set(Participation.objects.filter(volunteer=volunteer).values_list("task_id", flat=True))
    assert len(own) >= 5 and VolunteerTask.objects.exclude(pk__in=own).exists()
    assert set(volunteer_selectors.tasks(user).values_list("pk", flat=True)) == own
    assert SoupVisit.objects.filter(volunteer=volunteer).exists()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("volunteers:my_tasks"))
    assert page.status_code == 200
    other = VolunteerTask.objects.exclude(pk__in=own).first()
    assert other is not None
    assert client.get(reverse("volunteers:task_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("volunteers:volunteer_list")).status_code == 404
    assert client.get(reverse("soup:my_visits")).status_code == 200
    answer = client.get("/api/v1/my-volunteer-tasks/")
    if answer.status_code == 200:
        body = answer.json()
        rows = body["results"] if isinstance(body, dict) else body
        assert rows and all(row.get("volunteer", volunteer.pk) in (volunteer.pk, volunteer.name) for row in rows)
