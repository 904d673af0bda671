"""The daily notice of overdue requests: each request past its deadline tells its handler (and,
without one, whoever recorded it) once a day at most (a `RequestReminder` row per request and day)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.notifications import services as notifications

from . import selectors
from .models import RequestReminder, ServiceRequest


def _tell(request: ServiceRequest, today: dt.date) -> bool:
    people = [request.handler] if request.handler_id else [request.recorded_by]
    message = _("服务申请“%(r)s”已超过办理期限(%(d)s),请尽快办理。") % {
        "r": request,
        "d": timezone.localtime(request.deadline).strftime("%Y-%m-%d"),
    }
    try:
        with transaction.atomic():
            _row, created = RequestReminder.objects.get_or_create(request=request, day=today)
            if created:
                notifications.notify(people=people, message=message, url=request.get_absolute_url(), target=request)
    except IntegrityError:  # another run told them at the same moment
        return False
    return created


def send_overdue_notices(*, now: dt.datetime | None = None) -> int:
    """Run daily by huey: tell the handler of each open request past its deadline, once a day per
    request however often it runs. Returns how many were told."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    told_today = set(RequestReminder.objects.filter(day=today).values_list("request_id", flat=True))
    sent = 0
    for request in selectors.red_requests(now).select_related("recorded_by").order_by("id"):
        if request.pk not in told_today:
            sent += _tell(request, today)
    return sent
