"""A service team's visits as an iCalendar feed (`icalendar`): one all-day event per visit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import ServiceTeam, SiteVisit


def team_calendar(team: ServiceTeam, visits: Iterable[SiteVisit]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Hongniudai//projects//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{team.name} · 进解促走访")
    stamp = timezone.now()
    for visit in visits:
        event = Event()
        where = visit.project.name if visit.project else (visit.enterprise.name if visit.enterprise else "")
        event.add("uid", f"projects-visit-{visit.pk}@{getattr(settings, 'HND_HOST', 'hongniudai')}")
        event.add("dtstamp", stamp)
        event.add("dtstart", visit.visited_on)
        event.add("dtend", visit.visited_on + dt.timedelta(days=1))
        event.add("summary", f"进解促走访:{where}")
        if visit.findings:
            event.add("description", visit.findings)
        cal.add_component(event)
    return cal.to_ical()
