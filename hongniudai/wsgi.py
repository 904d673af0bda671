"""The WSGI application every web process serves (gunicorn: `deploy/gunicorn.conf.py`,
`run_embedded`, the benchmark's `bench/wsgi.py`).

Once the application is loaded, every module the URLconf imports (every view, form, serializer and
their libraries: some 400,000 objects) is moved out of the garbage collector's reach
(`gc.freeze`). They live as long as the process, yet each full collection would walk them all:
about 170 ms, once every few hundred requests, in the middle of one of them. Frozen, a full
collection walks only what requests left behind."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniudai.settings.dev")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  (imports every view module now, not at the first request)
gc.collect()
gc.freeze()
