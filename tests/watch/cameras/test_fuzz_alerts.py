"""Schema-driven fuzzing of the camera platforms' alert endpoint WITH a valid platform key (the
whole-API fuzz test sends a user's token, which the endpoint refuses at once): generated bodies,
valid and invalid, never get a 500, and every answer the schema documents matches it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, settings

from tests import fuzzing
from tests.api.test_fuzz_schema import CHECKS, SCHEMA, connection_kept

from .conftest import KEY

ALERTS = SCHEMA.include(path="/api/v1/cameras/alerts/")


@ALERTS.parametrize()
@settings(max_examples=fuzzing.examples(25), derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_alert_endpoint_never_answers_500(case: Any, net: Any) -> None:
    with transaction.atomic(), connection_kept():
        try:
            response = case.call(headers={"Authorization": f"Api-Key {KEY}"})
            case.validate_response(response, checks=CHECKS)
        finally:
            transaction.set_rollback(True)
