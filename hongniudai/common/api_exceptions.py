"""Turn domain ValidationError and PermissionDenied raised by services into API answers, and a
change the database refuses (a protected delete, a broken constraint) into a 409 with a Chinese
message (`common.refusals`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hongniudai.common.refusals import REFUSALS, refusal_message


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        # One plain answer for "missing" and "out of your scope" alike (Django's message is English
        # and names the model).
        exc = exceptions.NotFound()
    elif isinstance(exc, REFUSALS):
        exc = Conflict(refusal_message(exc))
    return drf_exception_handler(exc, context)
