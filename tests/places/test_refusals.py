"""Writes the database refuses are explained, through the API and the pages, and change nothing:
a resident with a member-development case is not deleted."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.audit.models import AuditEvent
from hongniudai.development import services as development_services
from hongniudai.places.models import Resident
from tests import factories as f

CJK = re.compile(r"[\u4e00-\u9fff]")


def token_client(user):
    key, _token = issue_token(actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def applicant_with_a_case(town):
    resident = f.resident(town.xuqiao.household, "黄小明", birth=dt.date(2000, 5, 6))
    development_services.open_case(
        actor=town.users["xuqiao"], resident=resident, org=town.xuqiao.branch, applied_on=dt.date(2024, 1, 10)
    )
    return resident


def test_the_api_refuses_to_delete_a_resident_with_a_development_case(town):
    resident = applicant_with_a_case(town)
    client = token_client(town.users["admin"])
    events = AuditEvent.objects.count()
    r = client.delete(f"/api/v1/residents/{resident.pk}/")
    assert r.status_code == 409, (r.status_code, r.content[:300])
    assert CJK.search(r.json()["detail"]) and "发展" in r.json()["detail"], r.json()
    assert Resident.objects.filter(pk=resident.pk).exists()
    assert AuditEvent.objects.count() == events


def test_the_page_refuses_to_delete_a_resident_with_a_development_case(town):
    resident = applicant_with_a_case(town)
    events = AuditEvent.objects.count()
    client = town.client_for("admin")
    r = client.post(reverse("places:resident_delete", args=[resident.pk]))
    assert r.status_code == 302 and r.url == reverse("places:resident_detail", args=[resident.pk])
    texts = [str(m) for m in get_messages(r.wsgi_request)]
    assert any("不能删除" in t and "发展" in t for t in texts), texts
    assert Resident.objects.filter(pk=resident.pk).exists()
    assert AuditEvent.objects.count() == events


def test_a_page_that_does_not_catch_a_refusal_of_the_database_shows_a_chinese_409(town, admin_client, monkeypatch):
    """Pages outside the shared form flow (here revealing an ID number) meet an IntegrityError as a
    409 page saying nothing was changed, not a 500."""
    from django.db import IntegrityError

    from hongniudai.places import services as place_services

    def refuse(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(place_services, "reveal_id_number", refuse)
    resident = f.resident(town.xuqiao.household, "黄小明", birth=dt.date(2000, 5, 6))
    response = admin_client.post(reverse("places:resident_reveal_id", args=[resident.pk]))
    assert response.status_code == 409
    body = response.content.decode()
    assert "冲突" in body and "未作任何更改" in body


def test_the_household_form_shows_a_refusal_of_the_database_on_the_form(town, admin_client, monkeypatch):
    """The household edit page uses the shared form flow: a refusal of the database is said on the
    form, which stays filled in."""
    from django.db import IntegrityError

    from hongniudai.places import services as place_services

    def refuse(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(place_services, "update_household", refuse)
    household = town.xuqiao.household
    response = admin_client.post(
        reverse("places:household_edit", args=[household.pk]),
        {"hamlet": household.hamlet_id, "address": "徐桥村5组", "number": household.number or "1"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "未作任何更改" in body and "徐桥村5组" in body
