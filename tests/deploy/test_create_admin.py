"""`manage.py create_admin`: the first administrator of an empty deployment, and later ones."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, user_can
from hongniudai.audit.models import AuditEvent
from hongniudai.places.models import AreaKind, AreaNode

PASSWORD = "Hnd-deploy-2026!x"


@pytest.fixture
def admin_password(monkeypatch):
    monkeypatch.setenv("HND_ADMIN_PASSWORD", PASSWORD)
    return "HND_ADMIN_PASSWORD"


def test_first_admin_of_an_empty_county(db, admin_password):
    call_command(
        "create_admin",
        "--username",
        "county_admin",
        "--county",
        "鄂州县",
        "--create-area",
        "--password-env",
        admin_password,
    )
    county = AreaNode.objects.get(name="鄂州县", kind=AreaKind.COUNTY, parent=None)
    user = User.objects.get(username="county_admin")
    assert user.check_password(PASSWORD)
    assert not user.is_superuser
    assert RoleAssignment.objects.filter(user=user, role=Role.TOWN_ADMIN, area=county).exists()
    assert user_can(user, Capability.EDIT_PLACES, county)
    assert AuditEvent.objects.filter(target_type="accounts.user", target_repr="county_admin").exists()

    # A town under the county is created by the county's administrator, and gets its own.
    call_command(
        "create_admin",
        "--username",
        "songhe_admin",
        "--county",
        "鄂州县",
        "--town",
        "宋河镇",
        "--create-area",
        "--by",
        "county_admin",
        "--password-env",
        admin_password,
    )
    town = AreaNode.objects.get(name="宋河镇", parent=county)
    songhe = User.objects.get(username="songhe_admin")
    assert user_can(songhe, Capability.EDIT_PLACES, town)
    assert not user_can(songhe, Capability.EDIT_PLACES, county)


def test_refusals(db, admin_password, monkeypatch):
    with pytest.raises(CommandError, match="--create-area"):
        call_command("create_admin", "--username", "a", "--county", "鄂州县", "--password-env", admin_password)
    call_command(
        "create_admin", "--username", "c", "--county", "鄂州县", "--create-area", "--password-env", admin_password
    )
    with pytest.raises(CommandError, match="--by"):
        call_command(
            "create_admin", "--username", "t", "--county", "鄂州县", "--town", "宋河镇", "--create-area",
            "--password-env", admin_password,
        )  # fmt: skip
    monkeypatch.setenv("HND_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):  # the password rules apply
        call_command("create_admin", "--username", "weak", "--county", "鄂州县", "--password-env", admin_password)
    assert not User.objects.filter(username__in=["a", "t", "weak"]).exists()


def test_again_only_adds_the_role(db, admin_password):
    call_command(
        "create_admin", "--username", "admin", "--town", "宋河镇", "--create-area", "--password-env", admin_password
    )
    call_command("create_admin", "--username", "admin", "--town", "宋河镇", "--password-env", "UNSET_VARIABLE_X")
    user = User.objects.get(username="admin")
    assert user.check_password(PASSWORD)
    assert RoleAssignment.objects.filter(user=user).count() == 1
