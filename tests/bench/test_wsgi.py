"""The benchmark's WSGI entry (`bench/wsgi.py`): the bare view costs Django alone, the rest is the
project as served."""

from __future__ import annotations

import io
import sys
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from bench import wsgi


def call(path: str, cookie: str = "") -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    # As Django's test client does: the start and end of a request must not close the test's
    # connection (inside the test's transaction; PostgreSQL would then refuse every later query).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = wsgi.application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()  # type: ignore[attr-defined]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body


def test_the_bare_view_answers_without_the_database_a_session_or_a_user(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        status, headers, body = call(wsgi.BARE_PATH)
    assert status == "200 OK" and body == b"ok"
    assert "Set-Cookie" not in headers and "Vary" not in headers  # no session, no language middleware


def test_every_other_url_goes_through_the_project_with_its_middleware(town):
    status, headers, _body = call("/bench/floor/")
    assert status.startswith("302") and "/accounts/login/" in headers["Location"]
    client = Client()
    client.force_login(town.users["gridworker"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, headers, body = call("/bench/floor/", cookie)
    assert status == "200 OK" and body == b"ok"
    assert headers["X-Frame-Options"] == "DENY"
