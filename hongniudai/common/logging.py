"""A logging filter that keeps ID numbers and phones out of every log line."""

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
