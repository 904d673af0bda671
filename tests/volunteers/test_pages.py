"""The volunteers' pages: staff see the registry; a signed-in volunteer sees their own tasks and
nothing else; phones are masked; hours are confirmed by the organiser only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hongniudai.volunteers import services, services_tasks
from hongniudai.volunteers.models import HoursStatus, ParticipationStatus, Volunteer

from .conftest import task_now

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return response.content.decode()


def test_staff_pages_answer(town, crew, xuqiao_client):
    p = services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[crew.li])[0]
    for name, args in (
        ("volunteers:volunteer_list", []),
        ("volunteers:volunteer_detail", [crew.li.pk]),
        ("volunteers:volunteer_edit", [crew.li.pk]),
        ("volunteers:volunteer_create", []),
        ("volunteers:volunteer_account", [crew.li.pk]),
        ("volunteers:volunteer_certificate", [crew.li.pk]),
        ("volunteers:team_list", []),
        ("volunteers:team_create", []),
        ("volunteers:task_list", []),
        ("volunteers:task_create", []),
        ("volunteers:task_detail", [crew.soup.pk]),
        ("volunteers:task_participant", [crew.soup.pk]),
        ("volunteers:participation_hours", [p.pk]),
        ("volunteers:hours_queue", []),
        ("volunteers:ranking", []),
        ("volunteers:my_tasks", []),
        ("volunteers:my_certificate", []),
    ):
        response = xuqiao_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        if name == "volunteers:volunteer_list":
            assert "李明" in _body(response) and "施华成" not in _body(response)


def test_phone_is_masked_on_pages_and_export(crew, xuqiao_client):
    for url in (
        reverse("volunteers:volunteer_detail", args=[crew.li.pk]),
        reverse("volunteers:volunteer_edit", args=[crew.li.pk]),
    ):
        body = _body(xuqiao_client.get(url))
        assert "13800138000" not in body
        assert "138****8000" in body
    response = xuqiao_client.get(reverse("volunteers:volunteer_list"), {"export": "xlsx"})
    assert response.status_code == 200
    from tests.test_url_scoping import _body as xlsx_body

    text = xlsx_body(response)
    assert "李明" in text and "13800138000" not in text and "138****8000" in text


def test_register_an_outsider_through_the_page(town, xuqiao_client):
    url = reverse("volunteers:volunteer_create")
    data = {"area": town.xuqiao.area.pk, "name": "王芳", "phone": "139", "joined_on": "2025-01-01"}
    response = xuqiao_client.post(url, data)
    assert response.status_code == 200
    assert "手机号应为以 1 开头的 11 位数字" in _body(response)
    assert not Volunteer.objects.filter(name="王芳").exists()
    response = xuqiao_client.post(url, {**data, "phone": "139 1234 5678"})
    assert response.status_code == 302
    assert Volunteer.objects.get(name="王芳").phone == "13912345678"


def test_register_a_resident_picked_by_typing(town, xuqiao_client):
    response = xuqiao_client.post(
        reverse("volunteers:volunteer_create"),
        {"area": town.xuqiao.area.pk, "resident": town.xuqiao.head.pk, "joined_on": "2025-01-01"},
    )
    assert response.status_code == 302
    assert Volunteer.objects.get(resident=town.xuqiao.head).name == "黄文华"


def test_a_volunteer_sees_only_their_own_tasks(town, crew):
    other = task_now(town.users["xuqiao"], town.xuqiao.area, "敬老院打扫")
    services_tasks.assign(actor=town.users["xuqiao"], task=other, volunteers=[crew.li])
    mine = services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[crew.huang])[0]
    client = town.client_for("huang")
    body = _body(client.get(reverse("volunteers:my_tasks")))
    assert "爱心汤送汤" in body and "敬老院打扫" not in body
    for name, args in (
        ("volunteers:volunteer_list", []),
        ("volunteers:volunteer_detail", [crew.li.pk]),
        ("volunteers:volunteer_detail", [crew.huang.pk]),
        ("volunteers:team_list", []),
        ("volunteers:task_list", []),
        ("volunteers:task_detail", [other.pk]),
        ("volunteers:task_detail", [crew.soup.pk]),
        ("volunteers:hours_queue", []),
        ("volunteers:ranking", []),
        ("volunteers:volunteer_create", []),
        ("volunteers:volunteer_certificate", [crew.li.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, (name, args)
    li_p = crew.li.participations.get()
    assert client.get(reverse("volunteers:participation_hours", args=[li_p.pk])).status_code == 404
    assert client.post(reverse("volunteers:participation_confirm", args=[mine.pk])).status_code == 404
    # Their own hours they log themselves.
    response = client.post(
        reverse("volunteers:participation_hours", args=[mine.pk]),
        {"day": mine.task.starts_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat(), "hours": "2.5"},
    )
    assert response.status_code == 302
    assert mine.hours.get().hours == 2.5


def test_a_volunteer_cannot_confirm_their_own_hours_on_the_page(town, crew):
    p = services_tasks.assign(actor=town.users["xuqiao"], task=crew.soup, volunteers=[crew.huang])[0]
    logged = services_tasks.log_hours(actor=crew.huang_user, participation=p, hours="3")
    client = town.client_for("huang")
    assert client.post(reverse("volunteers:hours_confirm", args=[logged.pk])).status_code == 404
    # The village secretary who is that volunteer: refused too, and the queue never offers it.
    services.link_account(actor=town.users["admin"], volunteer=crew.huang, user=town.users["xuqiao"])
    secretary = town.client_for("xuqiao")
    assert "爱心汤送汤" not in _body(secretary.get(reverse("volunteers:hours_queue")))
    assert secretary.post(reverse("volunteers:hours_confirm", args=[logged.pk])).status_code == 403
    logged.refresh_from_db()
    assert logged.status == HoursStatus.PENDING
    admin = town.client_for("admin")
    assert "爱心汤送汤" in _body(admin.get(reverse("volunteers:hours_queue")))
    admin.post(reverse("volunteers:hours_confirm", args=[logged.pk]))
    logged.refresh_from_db()
    assert logged.status == HoursStatus.CONFIRMED


def test_out_of_order_transition_shows_a_chinese_message(town, crew, xuqiao_client):
    p = services_tasks.request_participation(actor=town.users["xuqiao"], task=crew.soup, volunteer=crew.li)
    response = xuqiao_client.post(reverse("volunteers:participation_complete", args=[p.pk]), follow=True)
    assert "只有“已确认”的参与可以标记完成" in _body(response)
    p.refresh_from_db()
    assert p.status == ParticipationStatus.REQUESTED


def test_certificate_shows_confirmed_hours(town, crew, xuqiao_client):
    from .test_services import serve

    serve(town, crew.li, dt.date(2025, 6, 1), "4", title="防汛巡堤")
    serve(town, crew.li, dt.date(2025, 7, 1), "3", confirm=False, title="未确认的活动")
    body = _body(xuqiao_client.get(reverse("volunteers:volunteer_certificate", args=[crew.li.pk]), {"year": 2025}))
    assert "志愿服务证明" in body and "防汛巡堤" in body and "未确认的活动" not in body
    assert "<strong>4.0</strong>" in body
    assert "@media print" in body


def test_a_volunteer_lands_on_their_tasks(town, crew):
    response = town.client_for("huang").get("/")
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:my_tasks")


def test_lists_show_nothing_of_another_village(town, crew, xuqiao_client):
    services.create_team(actor=town.users["fashuihe"], area=town.fashuihe.area, name="发水河村巡逻队")
    services_tasks.assign(actor=town.users["fashuihe"], task=crew.shi_task, volunteers=[crew.shi])
    admin = town.client_for("admin")
    for name in (
        "volunteers:volunteer_list",
        "volunteers:team_list",
        "volunteers:task_list",
        "volunteers:hours_queue",
        "volunteers:ranking",
    ):
        url = reverse(name)
        for params in ({}, {"export": "xlsx"}):
            from tests.test_url_scoping import _body as body_of

            mine = body_of(xuqiao_client.get(url, params))
            assert "施华成" not in mine and "发水河村巡逻" not in mine and "发水河村巡逻队" not in mine, name
    assert "施华成" in _body(admin.get(reverse("volunteers:volunteer_list")))
    assert "发水河村巡逻" in _body(admin.get(reverse("volunteers:task_list")))


def test_linking_an_account_the_user_may_not_grant_says_why(town, crew):
    from hongniudai.accounts.models import Role
    from tests import factories as f

    f.user("outsider", Role.VILLAGE_SECRETARY, area=town.fashuihe.area)
    response = town.client_for("xuqiao").post(
        reverse("volunteers:volunteer_account", args=[crew.li.pk]), {"username": "outsider"}
    )
    assert response.status_code == 200
    crew.li.refresh_from_db()
    assert crew.li.user is None
    response = town.client_for("admin").post(
        reverse("volunteers:volunteer_account", args=[crew.li.pk]), {"username": "nobody"}
    )
    assert "没有这个账号" in response.content.decode()


def test_a_volunteer_prints_their_own_certificate(town, crew):
    from .test_services import serve

    serve(town, crew.huang, dt.date(2025, 6, 1), "5", title="爱心汤六月")
    client = town.client_for("huang")
    body = _body(client.get(reverse("volunteers:my_certificate"), {"year": 2025}))
    assert "黄文华" in body and "爱心汤六月" in body and "<strong>5.0</strong>" in body
    assert client.get(reverse("volunteers:volunteer_certificate", args=[crew.huang.pk])).status_code == 404


def test_a_volunteer_s_page_leads_to_today_s_soup_check_off(town, crew):
    """On a phone the volunteer lands on their tasks: today's soup visits are one tap away."""
    body = _body(town.client_for("huang").get(reverse("volunteers:my_tasks")))
    assert f'href="{reverse("soup:my_visits")}"' in body
