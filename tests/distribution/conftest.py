from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from hongniudai.accounts.models import User
from hongniudai.accounts.services_tokens import issue_token
from hongniudai.collective.interface import EconomicOrg
from tests.distribution.helpers import make_org


@pytest.fixture
def org(town: Any) -> EconomicOrg:
    """徐桥村's organisation, 100,000.00 yuan of 2025's income in its books."""
    return make_org(town.xuqiao.area, town.users["xuqiao"])


@pytest.fixture
def api_for(town: Any) -> Callable[[str], APIClient]:
    def make(username: str) -> APIClient:
        key, _token = issue_token(actor=User.objects.get(username=username))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make
