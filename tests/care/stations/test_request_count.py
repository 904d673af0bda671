"""The requests' list counts its rows over the requests alone: the joins of the row values (the
service, the resident, the village) are not needed to count them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniudai.care.stations import services

pytestmark = pytest.mark.django_db


def test_the_requests_list_counts_without_joining_the_rows_values(town: Any, stations: Any) -> None:
    admin = town.users["admin"]
    services.request_receive(
        actor=admin, station=stations.xuqiao, item=stations.certificate, channel="walk_in", person_name="王五"
    )
    client = town.client_for("admin")
    url = reverse("stations:request_list")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "care_servicerequest" in counts[0] and "JOIN" not in counts[0]
    assert "王五" in body
