"""Schema-driven fuzzing of the whole REST API: every operation of /api/schema/ gets requests
generated from its description (valid and invalid ones), sent in-process to the Django WSGI
application with a token of the town administrator and of 徐桥村's secretary. No answer may be a
500, and every answer the schema documents must match it (body and content type). Strings may
hold NUL characters (PostgreSQL refuses them in text: they must be turned away before the database).

Each example runs in a savepoint that is rolled back afterwards, so every example starts from
the same town (`tests.fuzzing.populate`): a DELETE or the token's own revocation in one example
does not change what the next one sees. Path ids are mostly mapped onto the records that exist, so
detail endpoints answer with a record rather than a 404. Budget: `HND_FUZZ_EXAMPLES` examples per
operation and user, and HND_FUZZ_COVERAGE=1 adds schemathesis' coverage phase (see
tests/fuzzing.py).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from hongniudai.accounts.services_tokens import issue_token
from tests import fuzzing

SCHEMA = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True),
    config=SchemathesisConfig.from_dict(
        {
            "seed": 20261206,
            "generation": {"max-examples": fuzzing.examples(), "deterministic": True, "allow-x00": True},
            # The coverage phase (every boundary of every parameter: some 300 requests an operation)
            # is too long for every run; HND_FUZZ_COVERAGE=1 adds it.
            "phases": {"coverage": {"enabled": fuzzing.coverage()}},
        }
    ),
)
SCHEMA.app = WSGIHandler()
# Status codes the schema does not list (a 400 for a bad filter, a 404, a 403) are not failures:
# drf-spectacular documents the success answers only. Every answer it does document must match.
CHECKS = [not_a_server_error, response_schema_conformance]
PARAM = re.compile(r"\{(\w+)\}")


@pytest.fixture
def fuzz_town(town: Any) -> Any:
    fuzzing.populate(town)
    return town


@contextmanager
def connection_kept() -> Iterator[None]:
    """Django's per-request connection handling off for one in-process call (as in its own test
    client, which turns it back on after each of its requests): the test transaction stays open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class KnownIds:
    """The ids a path parameter may take, read through the API as the administrator: `{id}` of
    /api/v1/matters/{id}/… from GET /api/v1/matters/, `{attachment_id}` from the matter's
    attachments list, and so on, left to right."""

    def __init__(self, town: Any) -> None:
        key, _token = issue_token(actor=town.users["admin"])
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        self.cache: dict[str, list[int]] = {}

    def ids(self, list_path: str) -> list[int]:
        if list_path not in self.cache:
            r = self.client.get(list_path, {"page_size": 500})
            body = r.json() if r.status_code == 200 else []
            rows = body.get("results", []) if isinstance(body, dict) else body
            self.cache[list_path] = sorted(row["id"] for row in rows if isinstance(row, dict) and "id" in row)
        return self.cache[list_path]

    def fill(self, path: str, params: dict[str, Any], salt: int) -> dict[str, Any]:
        """`params` with three integers in four replaced by the id of an existing record, chosen
        by the value and a checksum of the rest of the example (`salt`): the examples spread over
        all the records, and the same example always maps the same way, as hypothesis needs to
        replay a failure. The other integers (unknown, negative, huge ids) and the malformed
        values of the negative mode are kept."""
        out = dict(params)
        for match in PARAM.finditer(path):
            name = match.group(1)
            value = out.get(name)
            if isinstance(value, str) and value.isascii() and value.isdigit():  # `^\d+$` ids (matters)
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool) or (value + salt) % 4 == 3:
                continue
            prefix = PARAM.sub(lambda m: str(out.get(m.group(1))), path[: match.start()])
            known = self.ids(prefix)
            if known:
                out[name] = known[(value + salt) % len(known)]
        return out


@pytest.fixture
def known_ids(fuzz_town: Any) -> KnownIds:
    return KnownIds(fuzz_town)


@pytest.fixture(params=["admin", "xuqiao"])
def token_header(request: pytest.FixtureRequest, fuzz_town: Any) -> dict[str, str]:
    key, _token = issue_token(actor=fuzz_town.users[request.param])
    return {"Authorization": f"Token {key}"}


@SCHEMA.parametrize()
@settings(
    max_examples=fuzzing.examples(),
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation(case: Any, token_header: dict[str, str], known_ids: KnownIds) -> None:
    if case.path_parameters:
        salt = zlib.crc32(repr((case.query, case.body)).encode())
        case.path_parameters = known_ids.fill(case.path, case.path_parameters, salt)
    with transaction.atomic(), connection_kept():
        try:
            response = case.call(headers=token_header)
            case.validate_response(response, checks=CHECKS)
        finally:
            transaction.set_rollback(True)
