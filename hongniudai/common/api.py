"""Building blocks shared by the API of every domain.

- `ScopedPrimaryKeyRelatedField`: a reference to another record, looked up through a selector
  for the acting user, so an id outside the user's scope is refused exactly like a missing one.
- `IdFilter`, `DateFilter`, `IdField`, `IntegerField`, `DateField`: query parameters and fields
  read as `hongniudai.common.parsing` reads them everywhere: strict whole numbers, ids within the
  database's range, dates within 1900..2100 (a 400 with a Chinese message otherwise).
- `instant_writer`: an instant written as `DateTimeField` writes it, for lists written without fields.
- `RereadMixin`, `fresh`: a write answers with the record as the viewset's selector gives it.
- `ServiceModelViewSet`: reads come from a selector (`get_queryset`), writes go through the
  serializer's `create`/`update`, which call services; deletes call `delete_service`.
- `WriteGateMixin`, `RecordViewSet`, `EditableRecordViewSet`: records that are listed and read
  through a scoped selector and recorded (or corrected) through a service, never deleted; a user who
  writes nowhere is refused (403) before any lookup.
- `QuickRead`: a serializer that writes its rows the way DRF does, with each field's reading
  worked out once per serializer instead of once per row (a list's largest cost).
- `crud_schema`: the OpenAPI summaries of a CRUD viewset, said the same way for every entity.
- `ReportViewSet`, `period_parameters`: a report answering one object (not a list) for a place
  and a period given in the query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import ISO_8601, mixins, permissions, serializers, viewsets
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.request import Request
from rest_framework.settings import api_settings

from hongniudai.common import parsing
from hongniudai.common.choices import choice_label


def acting_user(context: dict[str, Any]) -> Any:
    request: Request | None = context.get("request")
    return getattr(request, "user", None)


# ---- fields: one way to read numbers and dates ---------------------------------------------


class IntegerField(serializers.IntegerField):
    """A whole number, strictly: `10.5`, `10.0`, `"1e3"` and `true` are refused."""

    def to_internal_value(self, data: Any) -> int:
        number = parsing.whole_number(data)
        if number is None:
            self.fail("invalid")
        return number  # type: ignore[return-value]  # fail() raises


class IdField(IntegerField):
    """The id of a record: a whole number from 1 to the database's largest key."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", parsing.MAX_ID)
        super().__init__(**kwargs)


class DateField(serializers.DateField):
    """A day between 1900-01-01 and 2100-12-31."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(parsing.validate_date_window)


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id, read strictly: `10.5` is not the record 10, and a number beyond the
    database's keys is a record that does not exist (never a database error)."""

    def to_internal_value(self, data: Any) -> Any:
        if parsing.whole_number(data) is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if parsing.parse_id(data) is None:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ScopedPrimaryKeyRelatedField(PrimaryKeyRelatedField):
    """A primary key resolved against `selector(user)`: what the user may see, nothing else."""

    def __init__(self, *, model: type[models.Model], selector: Callable[[Any], models.QuerySet[Any]], **kwargs: Any):
        self.selector = selector
        kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.selector(acting_user(self.context))


class TextField(serializers.CharField):
    """`str()` of the object, read-only: what `CharField(source="__str__")` gives, without DRF
    inspecting the signature of a callable source for every row (a tenth of a list's time)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> str:
        return str(instance)


def instant_writer() -> Callable[[Any], str | None]:
    """A function writing an instant exactly as `serializers.DateTimeField` does (ISO 8601 in the
    current time zone, "Z" for UTC; null for none), the zone and format read once, for a list
    written without a field per value. Another format or naive times: the field itself writes."""
    field = serializers.DateTimeField()
    zone = field.default_timezone()
    if zone is None or str(api_settings.DATETIME_FORMAT).lower() != ISO_8601:
        return field.to_representation

    def write(value: Any) -> str | None:
        if not value:
            return None
        if value.tzinfo is None:
            return field.to_representation(value)
        text: str = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The display label of a field with choices, read-only: `ChoiceLabelField(source="status")`.
    The labels are looked up once per serializer (in the request's language), where
    `get_status_display()` rebuilds the field's choice table for every row (a tenth of the time
    of a page of matters)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self._label: Callable[[Any], str] | None = None

    def _field(self) -> tuple[Any, str]:
        """The model and field name that `source` names."""
        parent: Any = self.parent
        while parent is not None and not hasattr(parent, "Meta"):
            parent = parent.parent  # a ListSerializer around the model serializer
        model: Any = parent.Meta.model
        *path, name = str(self.source).split(".")
        for part in path:
            model = model._meta.get_field(part).related_model
        return model, name

    def to_representation(self, value: Any) -> str:
        if self._label is None:
            self._label = choice_label(*self._field())
        return self._label(value)


class IdFilter(filters.NumberFilter):
    """A filter taking the id of a record: a whole number from 1 to the database's largest key
    (`parsing.IdField`); anything else is a 400 naming the parameter."""

    field_class = parsing.IdField

    def get_max_validator(self) -> None:
        return None  # IdField carries its own bound (NumberFilter's 1e50 would add an English message)


class DateFilter(filters.DateFilter):
    """A filter taking a day between 1900-01-01 and 2100-12-31 (`parsing.DateField`)."""

    field_class = parsing.DateField


ID_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": parsing.MAX_ID}


def id_parameter(name: str, description: Any) -> OpenApiParameter:
    """The schema of a query parameter naming a record by id, for views that read it themselves
    (with `query_id`)."""
    return OpenApiParameter(name, ID_SCHEMA, description=str(description))


def period_parameters(scope: str, scope_help: Any, *, start: str, end: str) -> list[OpenApiParameter]:
    """The query parameters of a report over a period: the record it covers (`scope`, an id) and
    the first and last days (`start`, `end`, both included)."""
    return [
        id_parameter(scope, scope_help),
        OpenApiParameter(start, OpenApiTypes.DATE, description=_("起始日期(含)")),
        OpenApiParameter(end, OpenApiTypes.DATE, description=_("截止日期(含)")),
    ]


def query_id(request: Request, name: str) -> int | None:
    """The id a query parameter names, None when it is absent or blank; a 400 naming the parameter
    when it is not an id (`parsing.parse_id`)."""
    raw = request.query_params.get(name, "")
    if not raw.strip():
        return None
    pk = parsing.parse_id(raw)
    if pk is None:
        raise serializers.ValidationError({name: [str(parsing.ID_MESSAGE)]})
    return pk


class ObjectSchema(AutoSchema):
    """The schema of a viewset whose `list` (its only route) answers one object, not a list."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class ReportViewSet(viewsets.ViewSet):
    """A report: its `list` is its only route and answers one object (documented as such)."""

    schema = ObjectSchema()


class FilterSchema(DjangoFilterExtension):
    """The schema of the filters above says what they accept: ids with their bounds."""

    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> Any:
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, IdFilter):
            for parameter in parameters:
                parameter["schema"] = dict(ID_SCHEMA)
        return parameters


STRICT_FIELD_MAPPING: dict[type[models.Field], type[serializers.Field]] = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.DateField: DateField,
    models.IntegerField: IntegerField,
    models.SmallIntegerField: IntegerField,
    models.BigIntegerField: IntegerField,
    models.PositiveIntegerField: IntegerField,
    models.PositiveSmallIntegerField: IntegerField,
    models.PositiveBigIntegerField: IntegerField,
}


# ---- reading a list's rows quickly ---------------------------------------------------------

_SKIP = object()  # a field DRF leaves out of the row (its source is missing and it is optional)

Reader = Callable[[Any], Any]


def _drf_reader(field: Any) -> Reader:
    """The field's value in a row as `Serializer.to_representation` gives it (`_SKIP`: left out)."""

    def read(instance: Any) -> Any:
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)

    return read


def _pk_reader(field: Any, model: type[models.Model] | None) -> Reader | None:
    """A reference written as the id it holds: the foreign key's column read off the row (what
    `PrimaryKeyRelatedField` ends with, through a `PKOnlyObject`). None when the field is not that."""
    if (
        model is None
        or not isinstance(field, serializers.PrimaryKeyRelatedField)
        or type(field).to_representation is not serializers.PrimaryKeyRelatedField.to_representation
        or field.pk_field is not None
        or not field.use_pk_only_optimization()
        or len(field.source_attrs) != 1
    ):
        return None
    try:
        attname: str = model._meta.get_field(field.source_attrs[0]).attname  # type: ignore[union-attr]
    except (FieldDoesNotExist, AttributeError):
        return None
    return lambda instance: getattr(instance, attname)


def _attribute_reader(field: Any) -> Reader:
    """A field read by its source's attributes: DRF's steps for a plain object, DRF itself for
    anything else (a callable, a dict, a missing or empty link on the way)."""
    attrs = tuple(field.source_attrs)
    write = field.to_representation
    slow = _drf_reader(field)

    def read(instance: Any) -> Any:
        value = instance
        try:
            for attr in attrs:
                if value is None or callable(value):
                    return slow(instance)
                value = getattr(value, attr)
        except Exception:  # noqa: BLE001 - DRF says what a missing attribute means for this field
            return slow(instance)
        if value is None:
            return None
        if callable(value):
            return slow(instance)
        return write(value)

    return read


def field_reader(field: Any, model: type[models.Model] | None) -> Reader:
    """How one readable field is read off a row, decided once."""
    pk = _pk_reader(field, model)
    if pk is not None:
        return pk
    if type(field).get_attribute is Field.get_attribute:
        return _attribute_reader(field)
    return _drf_reader(field)


# A serializer whose rows are what DRF writes, field by field, with each field's way of being read
# worked out on the first row: DRF looks again for every field of every row whether its source is a
# mapping or a callable (half a list's serializing time). Plain objects and references by id take
# the short way; anything else goes through DRF's own steps. (No docstring: the OpenAPI schema
# describes a serializer by the first docstring up its classes, and that stays the serializer's.)
class QuickRead:
    def to_representation(self, instance: Any) -> dict[str, Any]:
        readers: list[tuple[str, Reader]] | None = self.__dict__.get("_readers")
        if readers is None:
            meta = getattr(self, "Meta", None)
            model = getattr(meta, "model", None)
            fields: Any = self.fields  # type: ignore[attr-defined]
            readers = [(f.field_name, field_reader(f, model)) for f in fields.values() if not f.write_only]
            self.__dict__["_readers"] = readers
        row: dict[str, Any] = {}
        for name, read in readers:
            value = read(instance)
            if value is not _SKIP:
                row[name] = value
        return row


class ServiceSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose writes go to services; model-level validators stay with the services.
    Its generated fields read numbers, dates and references strictly (see the fields above)."""

    serializer_field_mapping = STRICT_FIELD_MAPPING
    serializer_related_field = PrimaryKeyRelatedField

    @property
    def actor(self) -> Any:
        return acting_user(self.context)

    def current(self, instance: models.Model, validated: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
        """Keyword arguments for an update service: the submitted values, the stored ones for the rest
        (so PATCH changes only what it names)."""
        return {name: validated[name] if name in validated else getattr(instance, name) for name in names}

    def refuse_change(
        self, instance: models.Model, validated: dict[str, Any], name: str, message: str | Promise
    ) -> None:
        if name in validated and validated[name] != getattr(instance, name):
            raise serializers.ValidationError({name: [str(message)]})


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


class ServiceModelViewSet(RereadMixin, viewsets.ModelViewSet):
    """CRUD whose list/detail come from scoped selectors and whose writes call services; a write
    answers with the record as the selector gives it (`RereadMixin`)."""

    delete_service: ClassVar[Callable[..., None] | None] = None
    delete_argument: ClassVar[str] = "instance"

    def perform_destroy(self, instance: models.Model) -> None:
        service = type(self).delete_service
        assert service is not None, f"{type(self).__name__}.delete_service is not set"
        service(actor=self.request.user, **{self.delete_argument: instance})


class WriteGateMixin:
    """Writes need the right to write somewhere: `may_write(user)` false is a 403 saying
    `write_refusal`, before any lookup or validation (the service still checks the record's scope).
    Reads pass through. Put it before the DRF classes."""

    may_write: ClassVar[Callable[[Any], bool] | None] = None
    write_refusal: ClassVar[str | Promise] = _("您没有进行此操作的权限。")

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)  # type: ignore[misc]
        may_write = type(self).may_write
        if may_write is not None and request.method not in permissions.SAFE_METHODS and not may_write(request.user):
            raise PermissionDenied(str(type(self).write_refusal))


class RecordViewSet(
    WriteGateMixin,
    RereadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Records listed and read through the viewset's scoped selector (`get_queryset`: out of scope
    is a 404) and recorded through the serializer's `create`, which calls a service (its
    ValidationError is a 400 with the Chinese messages by field); the new record answers 201 as the
    selector gives it. Nothing is edited or deleted here (a correction is its own action)."""


class EditableRecordViewSet(RecordViewSet, mixins.UpdateModelMixin):
    """A `RecordViewSet` whose records are also corrected (PUT/PATCH through an update service)."""


# How a record comes to be, the first word of a create summary (`crud_schema(verb=…)`).
CREATE = pgettext_lazy("creating a record", "新建")
ADD = pgettext_lazy("creating a record", "新增")
REGISTER = pgettext_lazy("creating a record", "登记")
SET_UP = pgettext_lazy("creating a record", "设立")
RECORD = pgettext_lazy("recording an event", "登记")


def crud_schema(
    noun: str | Promise,
    *,
    record: str | Promise | None = None,
    verb: str | Promise = CREATE,
    described: dict[str, str | Promise] | None = None,
    omit: tuple[str, ...] = (),
    list_parameters: list[OpenApiParameter] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for `extend_schema_view` on a CRUD viewset: the summaries 「{noun}列表」,
    「{noun}详情」, 「{verb}{record}」, 「修改{record}」, 「修改{record}(部分字段)」 and 「删除{record}」
    (`record` is `noun` unless the written thing has its own name, 党员 → 党员档案; `verb` is how the
    record comes to be: 新建, 登记, 设立 …). `described` adds a description to an action; `omit`
    leaves out the actions the viewset does not have; `list_parameters` are the query parameters
    the list reads besides its filter set's."""
    record = noun if record is None else record
    summaries = {
        "list": format_lazy(_("{}列表"), noun),
        "retrieve": format_lazy(_("{}详情"), noun),
        "create": format_lazy(_("{verb}{record}"), verb=verb, record=record),
        "update": format_lazy(_("修改{}"), record),
        "partial_update": format_lazy(_("修改{}(部分字段)"), record),
        "destroy": format_lazy(_("删除{}"), record),
    }
    descriptions = described or {}
    return {
        action: extend_schema(
            summary=capfirst(summary),
            description=descriptions.get(action),
            parameters=list_parameters if action == "list" else None,
        )
        for action, summary in summaries.items()
        if action not in omit
    }


class TreeFilterSet(filters.FilterSet):
    """Filters shared by the two trees: `parent` (direct children), `within` (the whole subtree
    of a node the user may see; a node out of scope matches nothing) and `q` (name contains).
    Subclasses name the tree's labels and how to find a visible node."""

    q = filters.CharFilter(method="filter_q", label=_("名称包含"))

    def visible_node(self, pk: int) -> Any:  # pragma: no cover - each tree says how
        raise NotImplementedError

    def filter_parent(self, queryset: models.QuerySet[Any], name: str, value: int) -> models.QuerySet[Any]:
        return queryset.filter(parent_id=value)

    def filter_within(self, queryset: models.QuerySet[Any], name: str, value: int) -> models.QuerySet[Any]:
        node = self.visible_node(value)
        return queryset.filter(path__under=node.path) if node else queryset.none()

    def filter_q(self, queryset: models.QuerySet[Any], name: str, value: str) -> models.QuerySet[Any]:
        return queryset.filter(name__icontains=value.strip())
