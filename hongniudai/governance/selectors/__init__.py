"""Every read of source governance (being split by topic)."""

from .matters import *  # noqa: F403
from .matters import _from_rollup, _measures_from_matters  # noqa: F401
