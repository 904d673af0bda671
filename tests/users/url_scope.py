"""Out-of-scope targets for the user-administration URLs, merged into tests/test_url_scoping.py.

xuqiao (徐桥村's secretary) manages no account of another village, whatever the town allows: the
target is 发水河村's secretary, whom the town administrator manages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def fashuihe_user(town: Any) -> dict[str, Any]:
    return {"pk": town.users["fashuihe"].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {}
for _name in ("user_detail", "user_deactivate", "user_reactivate", "user_resident"):
    OUT_OF_SCOPE[f"users:{_name}"] = fashuihe_user
for _name in ("user-detail", "user-deactivate", "user-reactivate"):
    OUT_OF_SCOPE[f"api:{_name}"] = fashuihe_user

NOT_RECORDS: dict[str, dict[str, Any]] = {}
