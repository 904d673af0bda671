"""The demo town's people have accounts: a grid worker for every grid and every centre household,
linked to their resident, listed by `demo_accounts --all`, signing in with the demo password; the
town lets its village secretaries manage them."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hongniudai.accounts import policy
from hongniudai.accounts.models import Role, RoleAssignment, TownAccountSettings, User
from hongniudai.demo import data
from hongniudai.demo.accounts import slug
from hongniudai.demo.loader import demo_town
from hongniudai.demo.management.commands.demo_accounts import Command as DemoAccounts
from hongniudai.party.models import CentreHousehold
from hongniudai.places.models import AreaKind, AreaNode


def test_every_grid_and_centre_household_has_an_account_linked_to_its_resident(demo: str, db: Any) -> None:
    town = demo_town()
    assert town is not None
    assert TownAccountSettings.objects.get(town=town).village_secretaries_manage
    grids = AreaNode.objects.filter(kind=AreaKind.GRID, path__startswith=town.path)
    workers = RoleAssignment.objects.filter(role=Role.GRID_WORKER, area__in=grids)
    assert set(workers.values_list("area", flat=True)) == set(grids.values_list("pk", flat=True))
    centres = CentreHousehold.objects.filter(hamlet__path__startswith=town.path).select_related("member__resident")
    held = {
        a.area_id: a.user
        for a in RoleAssignment.objects.filter(role=Role.CENTRE_HOUSEHOLD).select_related("user__resident")
    }
    assert centres.count() > 20
    for centre in centres:
        user = held[centre.hamlet_id]
        assert user.resident == centre.member.resident, centre.hamlet  # the member's resident
    # Predictable usernames from the tree.
    grid = AreaNode.objects.get(parent__name="何梅畈村", name="6组")
    assert RoleAssignment.objects.filter(role=Role.GRID_WORKER, area=grid, user__username="wg-hemeifan-6").exists()
    assert slug("徐桥村") == "xuqiao" and slug("5组") == "5"
    # The headline centre household is linked to the person too.
    assert User.objects.get(username="zhangshengfu").resident.name == "张圣福"
    # 徐桥村's secretary manages their village's grid workers, not another village's.
    xuqiao = User.objects.get(username="xuqiao")
    ours = User.objects.get(username="wg-xuqiao-1")
    theirs = User.objects.get(username="wg-hemeifan-6")
    assert policy.may_manage(xuqiao, ours) and not policy.may_manage(xuqiao, theirs)


def test_demo_accounts_all_lists_them_and_they_sign_in(demo: str, db: Any) -> None:
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    short = out.getvalue()
    assert "wg-hemeifan-6" not in short and "--all" in short
    out = io.StringIO()
    call_command("demo_accounts", "--all", stdout=out)
    table = out.getvalue()
    assert "admin" in table and "wg-hemeifan-6" in table and "网格员" in table and "党员中心户" in table
    zxh = RoleAssignment.objects.filter(role=Role.CENTRE_HOUSEHOLD).exclude(user__username="zhangshengfu").first()
    assert zxh is not None and zxh.user.username in table
    for username in ("wg-hemeifan-6", zxh.user.username):
        user = authenticate(username=username, password=data.DEMO_PASSWORD)
        assert user is not None and user.username == username
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "wg-hemeifan-6", "password": data.DEMO_PASSWORD})
    assert response.status_code == 302


def test_demo_accounts_help_mentions_all() -> None:
    parser = DemoAccounts().create_parser("manage.py", "demo_accounts")
    text = parser.format_help()
    assert "--all" in text and "网格员" in text
