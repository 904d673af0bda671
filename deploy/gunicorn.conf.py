"""gunicorn settings for one web process of 红纽带 (`hongniudai-web@<port>.service`).

Sync workers: Django's request path and the ORM are the cost, not the server (see
docs/deploy.md); a sync worker holds one request at a time and one database connection. The
port comes from the command line (`--bind 127.0.0.1:%i` in the systemd unit); everything else
from here, tunable through the environment file:

  WEB_CONCURRENCY    workers of this process (default: CPU cores, at least 2)
  GUNICORN_TIMEOUT   seconds a request may take before its worker is restarted (default 120:
                     the largest Excel exports take tens of seconds)

Access log: method, path without the query string, status, size and time, and nginx's request id.
No client address, query string, referrer, user agent or user name: search terms, names and
phone numbers travel in query strings, and nginx keeps the client address for its own log.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE))
import check_env  # noqa: E402  (deploy/check_env.py, standard library only)

chdir = str(_HERE.parent)
wsgi_app = "hongniudai.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")]
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or max(2, multiprocessing.cpu_count())
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open (keepalive in the upstream block)
max_requests = 2000  # recycle workers now and then, staggered, against slow memory growth
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = "127.0.0.1"  # trust X-Forwarded-Proto from the local nginx only
preload_app = False  # each worker opens its own connections; `systemctl reload` re-reads the code
accesslog = "-"  # stdout → journald
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}i)s'
proc_name = "hongniudai-web"


def on_starting(server: Any) -> None:
    """Refuse to start a production process with an incomplete environment."""
    if os.environ.get("DJANGO_SETTINGS_MODULE") == check_env.PROD_SETTINGS:
        check_env.require()
