"""The exported list of accounts: the accounts in scope, phones masked, roles with node paths, audited."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hongniudai.accounts.models import Role, User
from hongniudai.audit import actions
from hongniudai.audit.models import AuditEvent
from hongniudai.places.models import AreaKind
from tests import factories as f


@pytest.fixture
def stranger(town) -> User:
    """The secretary of a village in another town, outside 宋河镇's administrator's scope."""
    other_town = f.area(town.county, "临江镇", AreaKind.TOWN)
    village = f.area(f.area(other_town, "江片区", AreaKind.DISTRICT), "江村", AreaKind.VILLAGE)
    return f.user("jiangcun", Role.VILLAGE_SECRETARY, area=village)


def _rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_export_lists_accounts_in_scope_with_masked_phones_and_role_paths(town, stranger):
    worker = town.users["gridworker"]
    worker.phone = "13912348888"
    worker.save()
    response = town.client_for("admin").get(reverse("users:user_export"))
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[0] == ("用户名", "姓名", "手机号", "状态", "当前角色", "最近登录")
    by_name = {r[0]: r for r in rows[1:]}
    assert {"xuqiao", "gridworker", "zhangshengfu"} <= set(by_name)
    assert by_name["gridworker"][2] != "13912348888" and by_name["gridworker"][2].endswith("8888")
    assert "13912348888" not in str(rows)
    assert by_name["gridworker"][4] == "网格员 · 鄂州县/宋河镇/东片区/徐桥村/5组"
    assert by_name["gridworker"][3] == "正常"
    assert "jiangcun" not in by_name
    assert AuditEvent.objects.filter(action=actions.EXPORT, actor_name="admin").count() == 1


def test_export_queries_do_not_grow_with_rows(town):
    client = town.client_for("admin")
    client.get(reverse("users:user_export"))  # the session's first request does more
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("users:user_export"))
    for i in range(5):
        f.user(f"extra{i}", Role.GRID_WORKER, area=town.fashuihe.grid)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("users:user_export"))
    assert len(more) == len(few)


def test_a_village_secretary_without_the_town_s_leave_may_not_export(town):
    assert town.client_for("xuqiao").get(reverse("users:user_export")).status_code == 403
