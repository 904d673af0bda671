"""Settings shared by every environment.

Environment variables:
  DATABASE_URL   database (default: SQLite file var/db.sqlite3)
  REDIS_URL      when set, huey uses Redis (several machines); otherwise SQLite storage
  SECRET_KEY     required in production
  FIELD_ENCRYPTION_KEY  key for personal data at rest (defaults to one derived from SECRET_KEY)
  IDLE_TIMEOUT_SECONDS  session idle timeout (default 1800)
  DB_PREPARED_STATEMENTS, DB_PREPARE_THRESHOLD  PostgreSQL prepared statements (default on, after 5 sends)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HND_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "hongniudai.common",
    "hongniudai.accounts",
    "hongniudai.audit",
    "hongniudai.notifications",
    "hongniudai.places",
    "hongniudai.party",
    "hongniudai.users",
    "hongniudai.ledger",
    "hongniudai.governance",
    "hongniudai.development",
    "hongniudai.orglife",
    "hongniudai.enterprises",
    "hongniudai.vanguard",
    "hongniudai.collective",
    "hongniudai.land",
    "hongniudai.production",
    "hongniudai.distribution",
    "hongniudai.returnees",
    "hongniudai.benefits",
    "hongniudai.volunteers",
    "hongniudai.care",
    "hongniudai.watch",
    "hongniudai.projects",
    "hongniudai.spreadsheets",
    "hongniudai.api",
    "hongniudai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hongniudai.common.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hongniudai.accounts.middleware.IdleTimeoutMiddleware",
    "hongniudai.common.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hongniudai.audit.middleware.RequestContextMiddleware",
    "hongniudai.accounts.middleware.LoginRequiredMiddleware",
    "hongniudai.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hongniudai.common.middleware.RefusalMiddleware",
]

ROOT_URLCONF = "hongniudai.urls"
WSGI_APPLICATION = "hongniudai.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hongniudai.accounts.context_processors.navigation",
            ],
            "builtins": ["hongniudai.common.templatetags.hnd"],
        },
    },
    {
        # The rows of list pages only (`hongniudai.common.rows`): `*_rows.jinja` next to their page.
        "NAME": "rows",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "hongniudai.common.rows.environment"},
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DB_PREPARED_STATEMENTS") != "0"
):
    # Prepared statements: a query a connection has sent DB_PREPARE_THRESHOLD times is prepared, and
    # PostgreSQL stops planning it anew (planning took as long as running a list's queries: issue 14).
    # They need server-side binding. DB_PREPARED_STATEMENTS=0 turns both off (PgBouncer before 1.21).
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": int(os.environ.get("DB_PREPARE_THRESHOLD", "5")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords (MLPS level 2, 等保二级): a minimum length, several character classes, not like the
# username, not a common or all-digit one, not one of the last few; an optional maximum age after
# which the user must choose a new one at their next page (0: none). See docs/deploy.md.
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
PASSWORD_MIN_CHARACTER_CLASSES = int(os.environ.get("PASSWORD_MIN_CHARACTER_CLASSES", "3"))
PASSWORD_HISTORY = int(os.environ.get("PASSWORD_HISTORY", "5"))
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "0"))
# How long a one-time invitation link (to set a first password) stays valid.
INVITATION_MAX_AGE_HOURS = int(os.environ.get("INVITATION_MAX_AGE_HOURS", "72"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "hongniudai.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hongniudai.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "hongniudai.accounts.passwords.PasswordHistoryValidator"},
]

# Login: lock-out after repeated failures, idle timeout.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
SESSION_COOKIE_AGE = int(os.environ.get("IDLE_TIMEOUT_SECONDS", "1800"))
# The age counts from the last request (an idle timeout): IdleTimeoutMiddleware saves the session
# at most once a minute rather than on every request.
SESSION_SAVE_EVERY_REQUEST = False
# Read from the shared cache, written to it and to the database (which outlives the cache).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Django's backend, reading each request's user from the shared cache (`accounts.backends`).
AUTHENTICATION_BACKENDS = ["hongniudai.accounts.backends.CachedModelBackend"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
API_TOKEN_TTL_SECONDS = int(os.environ.get("API_TOKEN_TTL_SECONDS", str(8 * 3600)))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# "default": shared by every process of the deployment (Redis with REDIS_URL, see prod.py; else files
# under var/cache, shared by the web workers and huey of one machine): the sessions (`cached_db`: the
# database stays their record) and each signed-in user's row and role assignments, versioned so that a
# change is seen at the next request (`accounts.caching`).
# "local": each process's own memory, for what is the same on every machine and never changes while
# the process runs (the main menu's HTML for each set of permissions and language; a user's row and
# assignments under one version, `accounts.caching`).
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hnd-local",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
IMPORT_MAX_BYTES = 30 * 1024 * 1024
MATTER_ATTACHMENT_MAX_BYTES = int(os.environ.get("MATTER_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# Camera alerts (watch.cameras): a repeat of the same kind from the same camera within this many
# minutes joins the open matter; a snapshot's size limit (decoded); the rate per platform key.
WATCH_ALERT_MERGE_MINUTES = int(os.environ.get("WATCH_ALERT_MERGE_MINUTES", "30"))
WATCH_ALERT_SNAPSHOT_MAX_BYTES = int(os.environ.get("WATCH_ALERT_SNAPSHOT_MAX_BYTES", str(2 * 1024 * 1024)))
WATCH_ALERT_RATE = os.environ.get("WATCH_ALERT_RATE", "120/min")
# External notification channels (SMS, WeChat…): dotted paths of classes with send(user=, message=).
NOTIFICATION_SENDERS = [
    s.strip()
    for s in os.environ.get("NOTIFICATION_SENDERS", "hongniudai.notifications.senders.LogSender").split(",")
    if s.strip()
]

FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hongniudai.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "hongniudai.common.api_pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hongniudai.common.api_exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "红纽带 API",
    "DESCRIPTION": "红纽带党建引领基层治理平台 REST API (v1)。认证: POST /api/v1/auth/token/ 获取令牌, "
    "之后以 `Authorization: Token <token>` 访问。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field names other packages use for other choices (a matter's channel and
    # outcome keep their names).
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "hongniudai.governance.models.Channel",
        "OutcomeEnum": "hongniudai.governance.models.Outcome",
        "ServiceRequestChannelEnum": "hongniudai.care.stations.models.RequestChannel",
        "ServiceRequestOutcomeEnum": "hongniudai.care.stations.models.RequestOutcome",
        "SoupOutcomeEnum": "hongniudai.care.soup.models.Outcome",
    },
}

# Background work (huey). With REDIS_URL: Redis, shared by every machine of the deployment;
# without it: a SQLite file, for one machine. HUEY_NAME keeps deployments (or a test) sharing one
# Redis apart; HUEY_WORKERS is the number of worker threads of one `manage.py run_huey`.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY_NAME = os.environ.get("HUEY_NAME", "hongniudai")
HUEY_CONSUMER = {
    "workers": int(os.environ.get("HUEY_WORKERS", "2")),
    "worker_type": "thread",
    "check_worker_health": True,
}
if REDIS_URL:
    import redis

    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": HUEY_NAME,
        "immediate": False,
        # One pool per process (redis-py re-creates it after a fork); the consumer blocks on
        # BRPOP for `read_timeout` seconds, so the sockets must not time out sooner.
        "connection_pool": redis.ConnectionPool.from_url(
            REDIS_URL, socket_connect_timeout=5, socket_keepalive=True, health_check_interval=30
        ),
        "consumer": HUEY_CONSUMER,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
        "consumer": HUEY_CONSUMER,
    }

# One handler prints every line once. The "django" and "huey" loggers would otherwise print twice:
# Django's default config gives "django" a console handler of its own (with DEBUG on), and
# run_huey gives "huey" one when it has none; here both write through the one console handler
# and do not propagate to it again through the root.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "hongniudai.common.logging.MaskPersonalDataFilter"},
        "no_traceback_for_client_errors": {"()": "hongniudai.common.logging.NoTracebackForClientErrors"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_traceback_for_client_errors", "mask_personal_data"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
