"""Development and the embedded demo (`make run`): SQLite, DEBUG on, loopback only."""

from .base import *  # noqa: F403

DEBUG = True
