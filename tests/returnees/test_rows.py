"""The returnees' lists show each row's cells (rendered from values by the rows' Jinja templates):
the name linking to the detail, the village, the dates, the badges, the labels of the choices and
the counts."""

from __future__ import annotations

from django.urls import reverse


def test_the_returnees_list_shows_each_ones_cells(town, programme):
    body = town.client_for("xuqiao").get(reverse("returnees:returnee_list")).content.decode()
    url = reverse("returnees:returnee_detail", args=[programme.luo.pk])
    assert f'<a href="{url}">罗华清</a>' in body and "<td>2018-03-01</td>" in body and "<td>浙江宁波</td>" in body
    assert '<span class="badge text-bg-danger">党员</span>' in body  # 罗华清
    assert '<span class="badge text-bg-success">退役军人</span>' in body  # 陈磊
    assert '<td class="text-end">1</td>' in body  # one business each


def test_the_businesses_list_shows_each_ones_cells(town, programme):
    body = town.client_for("xuqiao").get(reverse("returnees:business_list")).content.decode()
    url = reverse("returnees:business_detail", args=[programme.pigs.pk])
    assert f'<a href="{url}">陈磊生猪养殖场</a><div class="small text-muted">存栏生猪 1 万头</div>' in body
    assert f'<a href="{reverse("returnees:returnee_detail", args=[programme.chen.pk])}">陈磊</a>' in body
    assert "<td>养殖</td>" in body and "<td>种植</td>" in body and "<td>经营中</td>" in body
    assert '<td class="text-end">3000000.00</td>' in body
    assert '<td class="text-end">1</td>' in body  # 黄小红, of a formerly poor household
