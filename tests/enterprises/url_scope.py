"""Out-of-scope targets for this package's URLs, merged into tests/test_url_scoping.py.

Each OUT_OF_SCOPE entry maps a URL name to a function of the `town` fixture returning the kwargs
of one of 发水河村's records (xuqiao must get 404 for it, admin must reach it). NOT_RECORDS maps
URL names whose arguments name no record to the kwargs to use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {}
NOT_RECORDS: dict[str, dict[str, Any]] = {}
