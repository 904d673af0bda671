"""The volunteer's private calendar (.ics, RFC 5545, the `icalendar` library): their confirmed
tasks, times in Asia/Shanghai (stored in UTC). The URL's token is the only key: no session."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Participation, Volunteer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def calendar_of(volunteer: Volunteer, participations: Iterable[Participation], *, host: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Hongniudai//volunteers//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("%(name)s的志愿任务") % {"name": volunteer.name})
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for p in participations:
        task = p.task
        event = Event()
        event.add("uid", f"volunteer-task-{task.pk}-{p.pk}@{host}")
        event.add("summary", f"{task.get_kind_display()} · {task.title}")
        event.add("dtstart", task.starts_at.astimezone(SHANGHAI))
        event.add("dtend", task.ends_at.astimezone(SHANGHAI))
        event.add("dtstamp", (p.confirmed_at or p.requested_at).astimezone(SHANGHAI))
        if task.place:
            event.add("location", task.place)
        if task.note:
            event.add("description", task.note)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
