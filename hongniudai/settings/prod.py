"""Production: PostgreSQL (DATABASE_URL), Redis (REDIS_URL) for huey and the cache, behind HTTPS.

Never loads demo data: the `load_demo` command refuses to run with these settings.

Required in the environment (see docs/deploy.md and deploy/env.example):
  SECRET_KEY            at least 50 characters; without it nothing starts
  ALLOWED_HOSTS         the host names served, comma-separated
  DATABASE_URL          postgres://user:password@host:5432/db
  REDIS_URL             redis://host:6379/0
  FIELD_ENCRYPTION_KEY  the key of the ID numbers at rest: lose it and the ID numbers are lost

A missing SECRET_KEY, or a DATABASE_URL that is not PostgreSQL, stops every command at once. A
missing DATABASE_URL or REDIS_URL does not stop `manage.py check --deploy` (it needs neither) but
fails the first database or queue access with a message naming the variable, never falling back to
a SQLite file. `deploy/check_env.py` (run before gunicorn and the huey worker start) refuses to
start a service while any required variable is missing.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, HUEY, HUEY_CONSUMER, HUEY_NAME, REDIS_URL

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("生产环境必须设置至少 50 个字符的 SECRET_KEY 环境变量。")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# ---- PostgreSQL --------------------------------------------------------------------------
# Persistent connections (CONN_MAX_AGE seconds, checked before reuse) save a connect per request;
# each gunicorn worker and each huey worker thread holds at most one.
_DATABASE_URL = os.environ.get("DATABASE_URL", "")
if _DATABASE_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("生产环境的 DATABASE_URL 必须是 PostgreSQL(postgres://用户:密码@主机:5432/库名)。")
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", 10)
    _options.setdefault("application_name", "hongniudai")
    # Behind PgBouncer in transaction mode, server-side cursors must be off.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = os.environ.get("DB_DISABLE_SERVER_SIDE_CURSORS") == "1"
else:
    # No SQLite fallback in production: the first connection fails, naming the variable
    # (`connection to server on socket "/DATABASE_URL-is-not-set/.s.PGSQL.5432" failed`).
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "hongniudai", "HOST": "/DATABASE_URL-is-not-set"}
    }

# ---- Redis: huey (queue, schedule, locks) and the cache ------------------------------------
if REDIS_URL:
    CACHES = {
        **CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{HUEY_NAME}-cache",
            "TIMEOUT": 300,
        },
    }
else:
    # No SQLite queue in production: enqueueing fails, naming the variable (the socket does not exist).
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": HUEY_NAME,
        "immediate": False,
        "url": "unix:///REDIS_URL-is-not-set",
        "consumer": HUEY_CONSUMER,
    }

# ---- HTTPS behind nginx ------------------------------------------------------------------
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may come over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
