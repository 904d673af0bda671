"""Helpers the domain APIs share beyond `hongniudai.api.base`."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers


def fresh(queryset: models.QuerySet[Any], instance: models.Model) -> Any:
    """`instance` as `queryset` (a viewset's selector) gives it: with its annotations and related
    names; `instance` itself when the selector no longer shows it."""
    return queryset.filter(pk=instance.pk).first() or instance


class RereadMixin:
    """For a viewset whose writes call services: answer with the record as the viewset's selector
    gives it (annotations, related names), not as the service returned it. Put it before the
    DRF mixins so that its `perform_create`/`perform_update` win."""

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = fresh(self.get_queryset(), serializer.save())  # type: ignore[attr-defined]

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = fresh(self.get_queryset(), serializer.save())  # type: ignore[attr-defined]
