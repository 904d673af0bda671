#!/usr/bin/env python3
"""Refuse to start a production service while its environment is incomplete.

Run before gunicorn and the huey worker (systemd `ExecStartPre`, and gunicorn's `on_starting`
hook in deploy/gunicorn.conf.py). Standard library only: it must work before Django is imported.
Exit status 0 when every required variable is present and well formed, 1 otherwise, with one line
per problem (Chinese, then English).

    sudo -u hongniudai env $(cat /etc/hongniudai/env | xargs) .venv/bin/python deploy/check_env.py
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

PROD_SETTINGS = "hongniudai.settings.prod"


def problems(env: Mapping[str, str]) -> list[str]:
    """Every problem with the production environment `env`; empty when it is complete."""
    found: list[str] = []
    if env.get("DJANGO_SETTINGS_MODULE", "") != PROD_SETTINGS:
        found.append(f"DJANGO_SETTINGS_MODULE 应为 {PROD_SETTINGS} / must be {PROD_SETTINGS}")
    if len(env.get("SECRET_KEY", "")) < 50:
        found.append("SECRET_KEY 未设置或少于 50 个字符 / SECRET_KEY is missing or shorter than 50 characters")
    if len(env.get("FIELD_ENCRYPTION_KEY", "")) < 32:
        found.append(
            "FIELD_ENCRYPTION_KEY 未设置或少于 32 个字符(身份证号加密密钥,丢失即无法恢复身份证号)"
            " / FIELD_ENCRYPTION_KEY is missing or shorter than 32 characters"
        )
    if not env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        found.append("DATABASE_URL 应为 postgres://用户:密码@主机:5432/库名 / DATABASE_URL must be a PostgreSQL URL")
    if not env.get("REDIS_URL", "").startswith(("redis://", "rediss://", "unix://")):
        found.append("REDIS_URL 应为 redis://主机:6379/0 / REDIS_URL must be a Redis URL")
    if not [h for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()]:
        found.append("ALLOWED_HOSTS 未设置(逗号分隔的域名) / ALLOWED_HOSTS is missing (comma-separated host names)")
    return found


def require(env: Mapping[str, str] | None = None) -> None:
    """Exit with the list of problems when the environment is incomplete."""
    found = problems(os.environ if env is None else env)
    if found:
        lines = "\n".join(f"  - {p}" for p in found)
        sys.exit(f"红纽带生产环境配置不完整(/etc/hongniudai/env)/ incomplete production environment:\n{lines}")


if __name__ == "__main__":
    require()
    print("ok")
