"""One log line per event: huey's and Django's loggers write through the project's one console
handler (not their own as well), and a refused request (403, 404) is a line, not a traceback."""

from __future__ import annotations

import io
import logging

import pytest
from django.urls import reverse


@pytest.fixture
def console():
    """What the project's console handler prints, while the test runs."""
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert len(handlers) == 1
    stream = io.StringIO()
    old = handlers[0].setStream(stream)
    yield stream
    handlers[0].setStream(old)


def _lines(stream: io.StringIO, text: str) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if text in line]


def test_a_huey_line_is_printed_once(console):
    logging.getLogger("huey").info("任务 probe 已执行")
    logging.getLogger("huey.consumer").info("worker probe")
    assert len(_lines(console, "任务 probe 已执行")) == 1
    assert len(_lines(console, "worker probe")) == 1
    # run_huey adds its own handler only to a "huey" logger without one.
    assert logging.getLogger("huey").handlers


@pytest.mark.parametrize("debug", [False, True])
def test_a_refused_request_is_one_line_without_a_traceback(town, console, settings, debug):
    settings.DEBUG = debug
    assert town.client_for("xuqiao").get(reverse("audit:list")).status_code == 403
    assert len(_lines(console, "Forbidden")) == 1
    assert "Traceback" not in console.getvalue()


def test_a_server_error_keeps_its_traceback(console):
    try:
        raise RuntimeError("probe failure")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /probe/", exc_info=True, extra={"status_code": 500}
        )
    assert len(_lines(console, "Internal Server Error: /probe/")) == 1
    assert "Traceback" in console.getvalue() and "probe failure" in console.getvalue()
