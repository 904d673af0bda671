"""Every write of source governance (being split by topic)."""

from .ladder import *  # noqa: F403
