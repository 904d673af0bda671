"""One API base for the collective economy (`common.api.RecordViewSet` and its write gate): every
endpoint of collective, land, production, distribution and returnees that records something refuses
a user who records the economy nowhere (a grid worker reads it) with a 403 in Chinese, before any
lookup or validation, the same way in every package."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.collective.api import ROUTES as COLLECTIVE
from hongniudai.common.api import RecordViewSet, ServiceModelViewSet, WriteGateMixin
from hongniudai.distribution.api import ROUTES as DISTRIBUTION
from hongniudai.land.api import ROUTES as LAND
from hongniudai.production.api import ROUTES as PRODUCTION
from hongniudai.returnees.api import ROUTES as RETURNEES

ECONOMY = [*COLLECTIVE, *LAND, *PRODUCTION, *DISTRIBUTION, *RETURNEES]
RECORDING = [(prefix, viewset, basename) for prefix, viewset, basename in ECONOMY if hasattr(viewset, "create")]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("prefix", "viewset", "basename"), RECORDING, ids=[r[0] for r in RECORDING])
def test_every_recording_endpoint_stands_on_the_common_base(prefix: str, viewset: Any, basename: str) -> None:
    assert issubclass(viewset, RecordViewSet | ServiceModelViewSet), prefix
    assert issubclass(viewset, WriteGateMixin) and viewset.may_write is not None, prefix


@pytest.mark.parametrize(("prefix", "viewset", "basename"), RECORDING, ids=[r[0] for r in RECORDING])
def test_a_user_who_records_nowhere_is_refused_in_chinese(town: Any, prefix: str, viewset: Any, basename: str) -> None:
    client = APIClient()
    client.force_authenticate(town.users["gridworker"])
    assert client.get(reverse(f"api:{basename}-list")).status_code == 200  # reads the economy
    response = client.post(reverse(f"api:{basename}-list"), {}, format="json")
    assert response.status_code == 403, prefix
    assert "权限" in response.json()["detail"], prefix
