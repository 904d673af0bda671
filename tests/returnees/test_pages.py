"""The pages of the returnee programme, as a village secretary uses them on a phone: lists with
their filters and Excel export, a business with its workers and the formerly poor households they
come from, the forms and their Chinese refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from hongniudai.returnees import services
from hongniudai.returnees.models import Business, Employment, Returnee, Support, WageRecord
from tests import factories as f


def test_menu_and_lists(town, programme):
    client = town.client_for("xuqiao")
    home = client.get(reverse("returnees:returnee_list"))
    assert home.status_code == 200
    body = home.content.decode()
    assert "归雁工程" in body and "罗华清" in body and "陈磊" in body and "施华成" not in body
    assert "党员" in body and "退役军人" in body
    only_members = client.get(reverse("returnees:returnee_list"), {"party_member": "1"}).content.decode()
    assert "罗华清" in only_members and "陈磊" not in only_members
    businesses = client.get(reverse("returnees:business_list")).content.decode()
    assert "陈磊生猪养殖场" in businesses and "施家湾鱼苗繁育场" not in businesses


def test_exports_are_excel(town, programme):
    client = town.client_for("xuqiao")
    for name in ("returnees:returnee_list", "returnees:business_list", "returnees:measures"):
        response = client.get(reverse(name), {"export": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_business_page_shows_workers_and_formerly_poor_households(town, programme):
    services.record_wages(
        actor=town.users["admin"], employment=programme.worker_job, year=2024, amount=Decimal("24000.50")
    )
    body = town.client_for("xuqiao").get(reverse("returnees:business_detail", args=[programme.pigs.pk])).content
    text = body.decode()
    assert "黄小红" in text and "脱贫户" in text and "24000.50" in text and "存栏生猪 1 万头" in text


def test_a_grid_worker_reads_but_does_not_write(town, programme):
    client = town.client_for("gridworker")
    assert client.get(reverse("returnees:returnee_detail", args=[programme.luo.pk])).status_code == 200
    assert client.get(reverse("returnees:returnee_create")).status_code == 403


def test_register_a_returnee_and_a_business_through_the_pages(town):
    client = town.client_for("xuqiao")
    res = f.resident(f.household(town.xuqiao.hamlet), "马星", is_veteran=True)
    picker = client.get(reverse("returnees:resident_options"), {"resident_q": "马星"}).content.decode()
    assert f'value="{res.pk}"' in picker
    response = client.post(
        reverse("returnees:returnee_create"),
        {"resident": res.pk, "returned_on": "2020-05-01", "came_from": "江苏苏州", "skills": "水产养殖"},
    )
    returnee = Returnee.objects.get(resident=res)
    assert response.status_code == 302 and response["Location"] == returnee.get_absolute_url()
    again = client.post(
        reverse("returnees:returnee_create"), {"resident": res.pk, "returned_on": "2020-05-01", "came_from": "x"}
    )
    assert "已登记为返乡能人" in again.content.decode()
    response = client.post(
        reverse("returnees:business_create"),
        {
            "founder": returnee.pk,
            "name": "马星渔场",
            "kind": "breeding",
            "started_on": "2020-06-01",
            "investment": "500000.005",
            "status": "operating",
        },
    )
    assert "两位小数" in response.content.decode()
    assert not Business.objects.filter(name="马星渔场").exists()
    client.post(
        reverse("returnees:business_create"),
        {
            "founder": returnee.pk,
            "name": "马星渔场",
            "kind": "breeding",
            "started_on": "2020-06-01",
            "investment": "500000",
            "status": "operating",
        },
    )
    assert Business.objects.get(name="马星渔场").investment == Decimal("500000.00")


def test_employ_record_wages_end_and_support_through_the_pages(town, programme):
    client = town.client_for("xuqiao")
    pigs = programme.pigs
    response = client.post(
        reverse("returnees:employment_create", args=[pigs.pk]),
        {"resident": programme.worker.pk, "started_on": "2021-01-01"},
    )
    assert "重叠" in response.content.decode()
    response = client.post(
        reverse("returnees:employment_create", args=[pigs.pk]),
        {"resident": town.xuqiao.head.pk, "started_on": "2021-01-01", "ended_on": "2020-12-01"},
    )
    assert "不能早于开始日期" in response.content.decode()
    job = programme.worker_job
    response = client.post(reverse("returnees:wage_create", args=[job.pk]), {"year": "2024", "amount": "-5"})
    assert "大于零" in response.content.decode()
    response = client.post(reverse("returnees:wage_create", args=[job.pk]), {"year": "2024", "amount": "30000.10"})
    assert response.status_code == 302
    assert WageRecord.objects.get(employment=job, year=2024).amount == Decimal("30000.10")
    response = client.post(reverse("returnees:employment_end", args=[job.pk]), {"ended_on": "2024-12-31"})
    assert response.status_code == 302
    assert Employment.objects.get(pk=job.pk).ended_on == dt.date(2024, 12, 31)
    response = client.post(
        reverse("returnees:business_support_create", args=[pigs.pk]),
        {"kind": "loan_interest", "given_on": "2020-03-01", "amount": "50000", "given_by": "宋河镇政府"},
    )
    assert response.status_code == 302
    assert Support.objects.get(business=pigs).returnee == programme.chen
    measures = client.get(reverse("returnees:measures"), {"year": "2024"}).content.decode()
    assert "徐桥村" in measures and "30000.10" in measures and "50000.00" in measures


def test_pages_work_with_english_off_and_measures_year_bad(town, programme):
    client = town.client_for("xuqiao")
    assert client.get(reverse("returnees:measures"), {"year": "abc"}).status_code == 200


def test_every_form_opens_for_the_secretary(town, programme):
    client = town.client_for("xuqiao")
    urls = [
        reverse("returnees:returnee_create") + "?resident_q=黄",
        reverse("returnees:returnee_edit", args=[programme.luo.pk]),
        reverse("returnees:returnee_support_create", args=[programme.luo.pk]),
        reverse("returnees:business_create") + f"?founder={programme.luo.pk}",
        reverse("returnees:business_edit", args=[programme.pigs.pk]),
        reverse("returnees:employment_create", args=[programme.pigs.pk]) + "?resident_q=黄",
        reverse("returnees:business_support_create", args=[programme.pigs.pk]),
        reverse("returnees:employment_end", args=[programme.worker_job.pk]),
        reverse("returnees:wage_create", args=[programme.worker_job.pk]),
        reverse("returnees:returnee_detail", args=[programme.luo.pk]),
        reverse("returnees:resident_options") + "?for=employ&resident_q=黄",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'name="viewport"' in response.content.decode() or "option" in response.content.decode()


def test_the_secretary_of_another_village_cannot_open_the_forms(town, programme):
    client = town.client_for("fashuihe")
    assert client.get(reverse("returnees:business_edit", args=[programme.pigs.pk])).status_code == 404
    assert client.get(reverse("returnees:returnee_create")).status_code == 200  # his own villagers
