"""The inbox's notifications card and the navigation's badge, as the people who receive them see them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.governance.models import Matter
from hongniudai.notifications import selectors, services
from hongniudai.notifications.models import Notification

READ = reverse("notifications:read")
BADGE = reverse("notifications:badge")
INBOX = reverse("governance:inbox")


def test_the_urls_keep_the_paths_the_pages_always_used():
    assert (READ, BADGE) == ("/matters/notifications/read/", "/matters/notifications/badge/")


def test_a_matters_handler_is_notified_in_the_inbox_and_the_badge(gov, report):
    matter = report()
    zsf = gov.client_for("zhangshengfu")
    inbox = zsf.get(INBOX).content.decode()
    page = reverse("governance:matter_detail", kwargs={"pk": matter.pk})
    assert f'<a href="{page}">新事项待受理:{matter.title}</a>' in inbox
    assert ">1<" in zsf.get(BADGE).content.decode()
    note = Notification.objects.get(user=gov.users["zhangshengfu"])
    assert (note.url, note.target_type, note.target_id) == (page, "governance.matter", matter.pk)
    assert list(selectors.about(Matter, [matter.pk])) == [note]
    # The village secretary of another village hears nothing of it.
    xuqiao = gov.client_for("xuqiao")
    assert matter.title not in xuqiao.get(INBOX).content.decode()
    assert ">1<" not in xuqiao.get(BADGE).content.decode()


def test_marking_read_touches_only_ones_own(gov, report):
    matter = report()
    zsf = gov.client_for("zhangshengfu")
    note = Notification.objects.get(user=gov.users["zhangshengfu"])
    other = Notification.objects.create(user=gov.users["hemeifan"], message="别人的通知")
    response = zsf.post(READ, {"ids": [note.pk, other.pk], "next": INBOX})
    assert response.status_code == 302 and response["Location"] == INBOX
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None and other.read_at is None
    inbox = zsf.get(INBOX).content.decode()
    assert "新事项待受理" not in inbox and "已将 1 条通知标为已读。" in inbox
    assert matter.title in inbox  # the matter itself is still to do
    assert "<span></span>" in zsf.get(BADGE).content.decode()  # no count left


def test_mark_all_read_through_htmx_answers_the_card_again(gov, report):
    report("第一件")
    report("第二件")
    zsf = gov.client_for("zhangshengfu")
    response = zsf.post(READ, {"all": "1", "next": INBOX}, HTTP_HX_REQUEST="true")
    card = response.content.decode()
    assert response.status_code == 200 and 'id="notifications"' in card and "没有未读通知。" in card
    assert selectors.unread_count(gov.users["zhangshengfu"]) == 0


def test_the_card_lists_without_a_query_per_row(gov):
    zsf = gov.users["zhangshengfu"]
    client = gov.client_for("zhangshengfu")

    def queries(rows: int) -> int:
        Notification.objects.all().delete()
        services.notify(people=[zsf], message="提醒")
        for i in range(rows - 1):
            services.notify(people=[zsf], message=f"提醒{i}", url=f"/matters/{i + 1}/")
        client.get(reverse("accounts:me"))  # the session's save and the roles' caching happen here
        with CaptureQueriesContext(connection) as ctx:
            card = client.post(READ, {"ids": ["0"]}, HTTP_HX_REQUEST="true").content.decode()
        assert card.count('name="ids"') == rows
        return len(ctx.captured_queries)

    assert queries(2) == queries(12)


def test_a_message_about_nothing_is_plain_text(gov):
    services.notify(people=[gov.users["xuqiao"]], message="支部党员大会即将到期")
    inbox = gov.client_for("xuqiao").get(INBOX).content.decode()
    assert "支部党员大会即将到期" in inbox and ">支部党员大会即将到期</a>" not in inbox


def test_read_goes_back_only_to_a_page_of_ours(gov):
    client = gov.client_for("xuqiao")
    for unsafe in ("https://evil.example/", "//evil.example/x", ""):
        response = client.post(READ, {"all": "1", "next": unsafe})
        assert response.status_code == 302 and response["Location"] == reverse("home"), unsafe


def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(gov, client):
    services.notify(people=[gov.users["xuqiao"]], message="提醒")
    note = Notification.objects.get()
    for response in (client.get(BADGE), client.post(READ, {"all": "1"}), client.post(READ, {"ids": [note.pk]})):
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    note.refresh_from_db()
    assert note.read_at is None


def test_someone_elses_notification_is_out_of_reach(gov):
    """xuqiao names 张圣福's notification: it stays unread, and nothing of it shows."""
    services.notify(people=[gov.users["zhangshengfu"]], message="张家冲的事项", url="/matters/1/")
    note = Notification.objects.get()
    xuqiao = gov.client_for("xuqiao")
    assert xuqiao.get(READ).status_code == 405
    for method in ("put", "patch", "delete"):
        assert getattr(xuqiao, method)(READ).status_code == 405
    card = xuqiao.post(READ, {"ids": [note.pk]}, HTTP_HX_REQUEST="true").content.decode()
    assert "张家冲的事项" not in card
    response = xuqiao.post(READ, {"ids": [note.pk], "next": INBOX})
    assert response.status_code == 302
    assert "通知标为已读" not in xuqiao.get(INBOX).content.decode()  # nothing was marked
    note.refresh_from_db()
    assert note.read_at is None
    assert "张家冲的事项" not in xuqiao.get(INBOX).content.decode()
    assert "<span></span>" in xuqiao.get(BADGE).content.decode()
