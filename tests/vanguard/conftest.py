"""Vanguard fixtures on top of the shared `town`: an enterprise in 徐桥村 (where 黄文华 works) and
one in 发水河村, a second 徐桥村 member, a view-only user of 徐桥村, and token API clients."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from hongniudai.accounts.models import Role, User
from hongniudai.accounts.services_tokens import issue_token
from hongniudai.enterprises.models import Employment, Enterprise
from hongniudai.party.models import Member
from tests import factories as f
from tests.conftest import Town


@dataclass
class VanguardTown:
    town: Town
    xq_enterprise: Enterprise
    fsh_enterprise: Enterprise
    xu_ming: Member  # a second member of 徐桥村's branch
    viewer: User  # sees 徐桥村, may change nothing


@pytest.fixture
def vt(town: Town) -> VanguardTown:
    xq_ent = Enterprise.objects.create(
        name="徐桥米业有限公司", uscc="91420704MA4XQ0001A", industry="agri_processing", area=town.xuqiao.area
    )
    fsh_ent = Enterprise.objects.create(
        name="发水河建材厂", uscc="91420704MA4FS0002B", industry="building_materials", area=town.fashuihe.area
    )
    Employment.objects.create(enterprise=xq_ent, member=town.xuqiao.member, position="车间主任")
    res = f.resident(town.xuqiao.household, "徐明", birth=dt.date(1980, 5, 6))
    xu_ming = f.member(res, town.xuqiao.branch, group=town.xuqiao.group, joined_on=dt.date(2010, 7, 1))
    viewer = f.user("xq_viewer", Role.LEGAL_ADVISER, area=town.xuqiao.area)
    town.users["xq_viewer"] = viewer
    return VanguardTown(town, xq_ent, fsh_ent, xu_ming, viewer)


@pytest.fixture
def api_for(town: Town) -> Callable[[str], APIClient]:
    def make(username: str) -> APIClient:
        key, _token = issue_token(actor=User.objects.get(username=username))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def xlsx_rows(response: Any) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    ws = wb.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def errors(response: Any, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))
