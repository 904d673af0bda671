"""Out-of-scope targets for the user-administration URLs, merged into tests/test_url_scoping.py.

xuqiao (徐桥村's secretary) manages no account of another village, whatever the town allows: the
target is 发水河村's secretary, whom the town administrator manages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hongniudai.accounts.models import RoleAssignment


def fashuihe_user(town: Any) -> dict[str, Any]:
    return {"pk": town.users["fashuihe"].pk}


def fashuihe_role(town: Any) -> dict[str, Any]:
    return {"pk": RoleAssignment.objects.get(user=town.users["fashuihe"]).pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {}
for _name in (
    "user_detail",
    "user_edit",
    "role_grant",
    "user_reset",
    "user_deactivate",
    "user_reactivate",
    "user_resident",
):
    OUT_OF_SCOPE[f"users:{_name}"] = fashuihe_user
OUT_OF_SCOPE["users:role_end"] = fashuihe_role
for _name in ("user-detail", "user-deactivate", "user-reactivate"):
    OUT_OF_SCOPE[f"api:{_name}"] = fashuihe_user

# The invitation link is public and names no record anyone browses to: an unknown key is a 404
# for everyone (tests/users/test_views_onboarding.py).
NOT_RECORDS: dict[str, dict[str, Any]] = {"accounts:invitation": {"key": "no-such-key"}}


# The API's user administration (issue 21): roles, resets, role ends and a town's account rules.
# xuqiao ends no role of 发水河村's secretary and reads no town's rules (those are the administrator's).
def songhe_rules(town: Any) -> dict[str, Any]:
    return {"pk": town.town.pk}


for _name in ("user-roles", "user-reset-password"):
    OUT_OF_SCOPE[f"api:{_name}"] = fashuihe_user
OUT_OF_SCOPE["api:role-end"] = fashuihe_role
OUT_OF_SCOPE["api:town-account-rules-detail"] = songhe_rules
