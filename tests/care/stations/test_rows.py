"""The stations' list pages show each row's cells (rendered from values by the rows' Jinja
templates): the name linking to the detail, a choice's label, a figure, a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hongniudai.care.stations import orgs, services
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_stations_list_shows_each_ones_cells(town, stations):
    services.staff_add(actor=town.users["admin"], station=stations.xuqiao, name="王工作")
    body = town.client_for("admin").get(reverse("stations:station_list")).content.decode()
    url = reverse("stations:station_detail", args=[stations.xuqiao.pk])
    assert f'<a href="{url}">徐桥村便民服务站</a></td><td>徐桥村</td>' in body
    assert '<td class="text-end">1</td><td class="text-end">0</td>' in body


def test_the_requests_list_shows_each_ones_cells(town, stations):
    res = f.resident(f.household(town.xuqiao.hamlet), "张三", phone="13812345678")
    r = services.request_receive(
        actor=town.users["admin"], station=stations.xuqiao, item=stations.certificate, channel="walk_in", resident=res
    )
    body = town.client_for("admin").get(reverse("stations:request_list")).content.decode()
    url = reverse("stations:request_detail", args=[r.pk])
    assert f'<a href="{url}">证明开具</a>' in body
    assert "<td>张三(138****5678)</td>" in body and "13812345678" not in body
    received = timezone.localtime(r.received_at).strftime("%m-%d %H:%M")
    assert f"{received} · 来访</td>" in body
    assert timezone.localtime(r.deadline).strftime("%m-%d") + ' <span class="badge text-bg-' in body


def test_the_orgs_and_activities_lists_show_each_ones_cells(town, stations):
    admin = town.users["admin"]
    org = orgs.org_create(actor=admin, kind="womens_federation", area=town.xuqiao.area, name="徐桥村妇联")
    a = orgs.activity_record(actor=admin, org=org, title="健康讲座", held_on=dt.date(2026, 3, 1), participant_count=12)
    client = town.client_for("admin")
    body = client.get(reverse("stations:org_list")).content.decode()
    url = reverse("stations:org_detail", args=[org.pk])
    assert f'<a href="{url}">徐桥村妇联</a></td><td>妇联</td><td>徐桥村</td><td class="text-end">1</td>' in body
    body = client.get(reverse("stations:activity_list")).content.decode()
    url = reverse("stations:activity_detail", args=[a.pk])
    assert f'<tr><td>2026-03-01</td><td><a href="{url}">健康讲座</a></td>' in body
    assert '<td>徐桥村</td><td class="text-end">12</td>' in body
