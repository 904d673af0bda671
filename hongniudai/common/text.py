"""Limits of free text: stated once on the model field, read by forms, serializers, the schema and services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _

# A note or remark; a description, finding, fact or term (Open311 limits a description to 4,000 characters);
# the minutes of a meeting.
NOTE = 2_000
TEXT = 4_000
MINUTES = 10_000


class LimitedTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField with a maximum length that ModelForms, DRF and `full_clean` enforce.

    Django states a TextField's `max_length` on the form's textarea only; the validator makes the model
    check it too. The database keeps an unbounded text column.
    """

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))


def limit(model: type[models.Model], name: str) -> int:
    """The maximum length of `model.name`, for a form's or serializer's field of the same text."""
    max_length = getattr(model._meta.get_field(name), "max_length", None)
    assert max_length, f"{model.__name__}.{name} has no max_length"
    return int(max_length)


def length_errors(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, str]:
    """{field: message} for every text in `values` longer than its field on `model` allows."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        max_length = getattr(field, "max_length", None)
        if isinstance(value, str) and max_length and len(value) > max_length:
            label = str(getattr(field, "verbose_name", name))
            errors[name] = _("%(label)s不能超过 %(limit)d 字。") % {"label": label, "limit": max_length}
    return errors


def check_lengths(model: type[models.Model], values: Mapping[str, Any]) -> None:
    """Refuse, keyed by field, every text in `values` longer than its field on `model` allows.

    Services call this before they build a row from text that may not have passed a form or a serializer
    (Open311, imports, other services), so that neither a huge text is stored nor the database refuses a
    long one with an error.
    """
    errors = length_errors(model, values)
    if errors:
        raise ValidationError(errors)
