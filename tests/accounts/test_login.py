import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongniudai.audit import actions as AuditAction
from hongniudai.audit.models import AuditEvent
from tests.conftest import PASSWORD


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_pages_need_login(db):
    response = Client().get(reverse("places:resident_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_login_and_failures_are_audited(town):
    client = Client()
    assert _login(client, "xuqiao", "wrong-password").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, target_repr="xuqiao").count() == 1
    response = _login(client, "xuqiao", PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=town.users["xuqiao"]).exists()


def test_lockout_after_repeated_failures(town):
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "xuqiao", "wrong-password")
    response = _login(client, "xuqiao", PASSWORD)
    assert response.status_code == 200
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_expires(town):
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "xuqiao", "wrong-password")
    # Age the failures past the lock-out window (the audit table is append-only, so go via SQL).
    old = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS + 60)
    AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).values("id")  # evaluate lazily
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET at = %s WHERE action = %s", [old, AuditAction.LOGIN_FAILED])
    assert _login(client, "xuqiao", PASSWORD).status_code == 302


def test_idle_timeout_is_thirty_minutes_from_last_request(town, monkeypatch):
    """The session expires 30 minutes after the last request; it is written at most once a minute."""
    from django.contrib.sessions.models import Session

    from hongniudai.accounts import middleware

    assert settings.SESSION_COOKIE_AGE == 1800
    client = Client()
    assert _login(client, "xuqiao", PASSWORD).status_code == 302
    clock = [1_900_000_000]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client.get("/bench/floor/")
    key = client.cookies["sessionid"].value
    first = Session.objects.get(session_key=key).expire_date
    client.get("/bench/floor/")
    assert Session.objects.get(session_key=key).expire_date == first  # no write within the minute
    clock[0] += 61
    client.get("/bench/floor/")
    later = Session.objects.get(session_key=key).expire_date
    assert later > first
    assert abs((later - timezone.now()).total_seconds() - 1800) < 5


def test_open_redirect_is_refused(town):
    client = Client()
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/", {"username": "xuqiao", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("password", ["short", "12345678901", "password123"])
def test_weak_passwords_are_refused(db, password):
    from django.core.exceptions import ValidationError

    from hongniudai.accounts.services import create_user

    with pytest.raises(ValidationError):
        create_user(actor=None, username="newuser", password=password)
