"""The inbox's rows move from governance to notifications (governance migration 0006) and back.

The copy functions run against governance's old table, rebuilt for the test from the migration
state before 0006, inside the test's transaction (both databases roll DDL back)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from hongniudai.notifications import services
from hongniudai.notifications.models import Notification

move = importlib.import_module("hongniudai.governance.migrations.0006_move_notifications")
BEFORE = [("governance", "0005_text_limits"), ("notifications", "0001_initial")]


@pytest.fixture
def old_apps(db: Any) -> Any:
    """The apps as they were before the move, with governance's notification table back."""
    apps = MigrationLoader(connection).project_state(BEFORE).apps
    Old = apps.get_model("governance", "Notification")
    editor = connection.schema_editor(atomic=False)  # not entered: SQLite refuses that inside a transaction
    editor.deferred_sql = []  # PostgreSQL's foreign keys come after the table
    sql, params = editor.table_sql(Old)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for statement in editor.deferred_sql:
            cursor.execute(str(statement))
    return apps  # the test's rollback drops the table again


def test_rows_move_with_their_dates_pointing_at_the_matter_page(gov, report, old_apps):
    matter = report()
    Notification.objects.all().delete()
    Old = old_apps.get_model("governance", "Notification")
    zsf, xuqiao = gov.users["zhangshengfu"], gov.users["xuqiao"]
    sent = timezone.make_aware(dt.datetime(2025, 3, 1, 9, 30))
    read = sent + dt.timedelta(hours=2)
    Old.objects.create(user_id=zsf.pk, matter_id=matter.pk, message="新事项待受理")
    Old.objects.create(user_id=xuqiao.pk, matter_id=None, message="支部党员大会即将到期")
    Old.objects.filter(matter_id=matter.pk).update(created_at=sent, read_at=read)

    move.copy_forward(old_apps, connection.schema_editor(atomic=False))

    about_matter, reminder = Notification.objects.order_by("id")
    page = reverse("governance:matter_detail", kwargs={"pk": matter.pk})
    assert (about_matter.user, about_matter.message, about_matter.url) == (zsf, "新事项待受理", page)
    assert (about_matter.target_type, about_matter.target_id) == ("governance.matter", matter.pk)
    assert (about_matter.created_at, about_matter.read_at) == (sent, read)
    assert (reminder.user, reminder.message, reminder.read_at) == (xuqiao, "支部党员大会即将到期", None)
    assert (reminder.url, reminder.target_type, reminder.target_id) == ("", "", None)
    # Unread again, the moved row shows in the inbox as the old one did: linked to the matter.
    Notification.objects.filter(pk=about_matter.pk).update(read_at=None)
    inbox = gov.client_for("zhangshengfu").get(reverse("governance:inbox")).content.decode()
    assert f'<a href="{page}">新事项待受理</a>' in inbox


def test_rows_go_back_when_the_move_is_undone(gov, report, old_apps):
    matter = report()  # 张圣福 is told of it
    gone = report("已删除的事项")
    services.notify(people=[gov.users["xuqiao"]], message="关于地区的通知", target=gov.xuqiao.area)
    Notification.objects.filter(target_id=gone.pk, target_type="governance.matter").update(target_id=10**9)

    move.copy_backward(old_apps, connection.schema_editor(atomic=False))

    Old = old_apps.get_model("governance", "Notification")
    rows = list(Old.objects.order_by("id").values_list("user_id", "matter_id", "message"))
    assert rows == [
        (gov.users["zhangshengfu"].pk, matter.pk, f"新事项待受理:{matter.title}"),
        (gov.users["zhangshengfu"].pk, None, "新事项待受理:已删除的事项"),
        (gov.users["xuqiao"].pk, None, "关于地区的通知"),
    ]
    assert not Notification.objects.exists()
