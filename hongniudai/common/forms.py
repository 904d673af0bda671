from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hongniudai.common import parsing


class BootstrapMixin:
    """Give every widget the Bootstrap class it needs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def apply_service_errors(form: forms.BaseForm, exc: Exception) -> None:
    """Put a service's ValidationError onto the form: field errors where the field exists."""
    if not isinstance(exc, ValidationError):
        raise exc
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def refetched_initial(form_class: type[forms.Form], query: Any) -> dict[str, Any]:
    """The values a form page sent when it fetched itself again (HTMX, a choice that narrows others
    changed), as initial values: the form's own fields only, and a choice of a record only by a
    valid id (anything else is dropped, never looked up)."""
    initial: dict[str, Any] = {}
    for name, value in query.items():
        field = form_class.base_fields.get(name)
        if field is None:
            continue
        if isinstance(field, forms.ModelChoiceField) and parsing.parse_id(value) is None:
            continue
        initial[name] = value
    return initial


class _ReadChoices(forms.models.ModelChoiceIterator):
    """A short list of choices read by one plain query: Django's iterator() opens a server-side
    cursor on PostgreSQL (DECLARE, FETCH, CLOSE: three round trips) for a handful of rows."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a short list (a filter's campaigns), its options read by one query."""

    iterator = _ReadChoices
