"""Notifying people and marking read: one inbox row per person, the outside senders after the commit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from hongniudai.notifications import selectors, services
from hongniudai.notifications.models import Notification
from hongniudai.places.models import AreaNode

ROOT = Path(__file__).resolve().parent.parent.parent


class Recording:
    sent: list[tuple[str, str]] = []

    def send(self, *, user: Any, message: str) -> None:
        Recording.sent.append((user.username, message))


class Broken:
    def send(self, *, user: Any, message: str) -> None:
        raise ConnectionError("SMS gateway down")


@pytest.fixture
def recording(settings: Any) -> list[tuple[str, str]]:
    settings.NOTIFICATION_SENDERS = [f"{__name__}.Broken", f"{__name__}.Recording"]
    Recording.sent = []
    return Recording.sent


def test_one_row_per_distinct_person_pointing_at_its_page(town):
    xuqiao, admin = town.users["xuqiao"], town.users["admin"]
    village = town.xuqiao.area
    count = services.notify(
        people=[xuqiao, None, admin, xuqiao], message="村" * 300, url="/places/areas/1/", target=village
    )
    assert count == 2
    rows = list(Notification.objects.order_by("user__username"))
    assert [r.user for r in rows] == [admin, xuqiao]
    for row in rows:
        assert len(row.message) == 255 and row.url == "/places/areas/1/" and row.read_at is None
        assert (row.target_type, row.target_id) == ("places.areanode", village.pk)
    assert list(selectors.about(AreaNode, [village.pk])) == list(Notification.objects.all())
    assert services.notify(people=[None], message="无人") == 0


def test_a_reminder_points_nowhere_and_is_about_nothing(town):
    services.notify(people=[town.users["xuqiao"]], message="支部党员大会即将到期")
    row = Notification.objects.get()
    assert (row.url, row.target_type, row.target_id) == ("", "", None)


def test_senders_run_after_the_commit_and_one_failing_stops_no_other(
    town, recording, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(people=[town.users["xuqiao"], town.users["admin"]], message="新事项待受理")
    assert recording == []  # nothing leaves before the inbox rows are committed
    for callback in callbacks:
        callback()
    assert sorted(recording) == [("admin", "新事项待受理"), ("xuqiao", "新事项待受理")]
    assert "notification sender Broken failed" in caplog.text


def test_nothing_is_sent_when_the_change_rolls_back(town, recording, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(people=[town.users["xuqiao"]], message="不会发出")
            raise RuntimeError
    assert callbacks == [] and recording == [] and not Notification.objects.exists()


def test_mark_read_touches_only_ones_own(town):
    xuqiao, admin = town.users["xuqiao"], town.users["admin"]
    services.notify(people=[xuqiao, admin], message="一")
    services.notify(people=[xuqiao, admin], message="二")
    mine = list(Notification.objects.filter(user=xuqiao).order_by("id"))
    theirs = list(Notification.objects.filter(user=admin).order_by("id"))
    assert services.mark_read(actor=xuqiao, ids=[mine[0].pk, theirs[0].pk]) == 1
    assert selectors.unread_count(xuqiao) == 1 and selectors.unread_count(admin) == 2
    assert services.mark_read(actor=xuqiao) == 1
    assert services.mark_read(actor=xuqiao) == 0  # read once, not again
    assert selectors.unread_count(xuqiao) == 0 and selectors.unread_count(admin) == 2


def _senders_setting(**env: str) -> list[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "NOTIFICATION_SENDERS"} | env
    probe = "import json; from hongniudai.settings import base; print(json.dumps(base.NOTIFICATION_SENDERS))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=full_env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_the_log_sender_is_the_default_and_the_environment_chooses_others():
    assert _senders_setting() == ["hongniudai.notifications.senders.LogSender"]
    assert _senders_setting(NOTIFICATION_SENDERS="a.SmsSender, b.WeChatSender") == ["a.SmsSender", "b.WeChatSender"]
