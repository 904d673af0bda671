"""Development and the embedded demo (`make run`): SQLite, loopback only.

The demo shows the township user the project's own Chinese 403/404/500 pages, as production does:
DEBUG is off unless a developer asks for Django's debug pages with DJANGO_DEBUG=1."""

import os

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS

DEBUG = os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "[::1]"]
# Static files are served by WhiteNoise with DEBUG off too: from the collected files (`make static`)
# and, for `runserver` or a fresh checkout, straight from the apps' and the project's static folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
