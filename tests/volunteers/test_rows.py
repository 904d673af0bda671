"""The volunteers' and tasks' list pages show each row's cells (rendered from values by the rows'
Jinja templates): the name linking to the detail, the kind's label, the hours, the start, the counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from hongniudai.volunteers import services, services_tasks

from .conftest import task_now

pytestmark = pytest.mark.django_db


def test_the_volunteers_and_tasks_lists_show_each_ones_cells(town, crew):
    admin, area = town.users["admin"], town.xuqiao.area
    team = services.create_team(actor=admin, area=area, name="红马甲服务队")
    v = services.register_volunteer(
        actor=admin, area=area, name="志愿者甲", phone="13800138000", team=team, joined_on=crew.li.joined_on
    )
    task = task_now(admin, area, "敬老院清扫", needed=4)
    (p,) = services_tasks.assign(actor=admin, task=task, volunteers=[v])
    services_tasks.confirm_hours(actor=admin, hours=services_tasks.log_hours(actor=admin, participation=p, hours="2.5"))
    client = town.client_for("admin")

    body = client.get(reverse("volunteers:volunteer_list")).content.decode()
    url = reverse("volunteers:volunteer_detail", args=[v.pk])
    assert f'<a href="{url}">志愿者甲</a>' in body
    assert "<td>—</td>" not in body.split(url)[1].split("</tr>")[0]
    assert "<td>红马甲服务队</td>" in body and '<td class="text-end">2.5' in body

    body = client.get(reverse("volunteers:task_list")).content.decode()
    url = reverse("volunteers:task_detail", args=[task.pk])
    starts = timezone.localtime(task.starts_at).strftime("%m-%d %H:%M")
    assert f'<a href="{url}">敬老院清扫</a></td><td>{task.get_kind_display()}</td>' in body
    assert f"<td>{starts}</td>" in body and '<td class="text-end">1/4</td>' in body


def test_the_hours_queue_shows_each_record_with_its_forms(town, crew):
    admin, area = town.users["admin"], town.xuqiao.area
    v = services.register_volunteer(
        actor=admin, area=area, name="志愿者乙", phone="13800138001", joined_on=crew.li.joined_on
    )
    task = task_now(admin, area, "助老送餐")
    (p,) = services_tasks.assign(actor=admin, task=task, volunteers=[v])
    h = services_tasks.log_hours(actor=admin, participation=p, hours="1.5", note="送餐三户")
    client = town.client_for("admin")
    url = reverse("volunteers:hours_queue")
    body = client.get(url).content.decode()
    row = body.split(f'<tr id="hours-{h.pk}">')[1].split("</tr>")[0]
    task_url = reverse("volunteers:task_detail", args=[task.pk])
    assert f'<td>志愿者乙</td><td><a href="{task_url}">助老送餐</a><div class="small text-muted">送餐三户</div>' in row
    assert f"<td>{h.day:%m-%d}</td>" in row and f'<td class="text-end">{h.hours}</td>' in row
    assert f'action="{reverse("volunteers:hours_confirm", args=[h.pk])}"' in row
    assert 'name="csrfmiddlewaretoken" value="' in row and f'name="next" value="{url}"' in row
    assert client.post(reverse("volunteers:hours_confirm", args=[h.pk]), {"next": url}).status_code == 302
    assert f'<tr id="hours-{h.pk}">' not in client.get(url).content.decode()
