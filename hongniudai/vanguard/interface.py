"""What the other domain packages may use of `vanguard`: the one door into it. A project's page
shows its owner enterprise's vanguard posts (先锋岗) through `posts(user, enterprise=…, state="active")`."""

from __future__ import annotations

from .models import VanguardPost
from .selectors import posts

__all__ = ["VanguardPost", "posts"]
