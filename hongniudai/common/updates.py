"""`model_update`: the one way a service changes the editable fields of a record.

An entity declares its editable fields once (a tuple beside the model, e.g. `Member.EDITABLE`);
the service, its audit snapshot, the form and the serializer all read that tuple. The service
passes the validated data here, which sets only the declared fields present in `data`, saves only
those that changed, and answers which changed (for the audit record and on-commit side effects).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def model_update(instance: models.Model, *, fields: Iterable[str], data: Mapping[str, Any]) -> list[str]:
    """Set each of `fields` that `data` holds on `instance` and save the changed ones; their names.

    A field of `data` not in `fields` is ignored (a form or an API call cannot widen the change);
    a foreign key may be given as the related record. Nothing changed: nothing is saved.
    """
    changed: list[str] = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    if changed:
        update_fields = list(changed)
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return changed
