"""The audit list runs the same number of queries for few events as for many."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.places import services as place_services

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches that are not per row (session save, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_audit_list_costs_the_same_for_few_and_many_events(town, admin_client):
    url = reverse("audit:list")
    few = _queries(admin_client, url)
    before = AuditEvent.objects.count()
    for i in range(20):
        place_services.create_household(
            actor=town.users["admin"], hamlet=town.xuqiao.hamlet, address=f"徐桥村黄家湾{i + 10}号"
        )
    assert AuditEvent.objects.count() >= before + 20
    many = _queries(admin_client, url)
    assert admin_client.get(url).content.decode().count("/audit/history/") >= 20
    assert many == few


def test_the_record_types_of_the_filter_are_read_once_in_a_while_not_on_every_page(town, admin_client):
    url = reverse("audit:list")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = admin_client.get(url).content.decode()
    assert not [q for q in ctx.captured_queries if "DISTINCT" in q["sql"]]
    assert 'value="places.household"' in page  # the filter still offers the types with events
