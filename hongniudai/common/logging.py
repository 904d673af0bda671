"""Logging filters: ID numbers and phones kept out of every log line; no traceback for a refused
request (a 403 or 404 is the user's mistake or a probe, one line is enough)."""

from __future__ import annotations

import logging

from .identity import mask_personal_data_in_text


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not stop logging
            return True
        masked = mask_personal_data_in_text(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = ()
        return True


class NoTracebackForClientErrors(logging.Filter):
    """Django logs a refused request (PermissionDenied, Http404) with its exception: drop the
    traceback of any record with a status code below 500. Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
