"""Every read of source governance (being split by topic)."""

from .matter import *  # noqa: F403
from .matter import _from_rollup, _measures_from_matters  # noqa: F401
