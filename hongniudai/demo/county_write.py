"""Fast writing for the county generator: primary keys allocated in advance, rows inserted as
plain tuples with `executemany` (or PostgreSQL `COPY`), values prepared once per column type.

The ORM's `bulk_create` builds a model instance per row and converts every value through its
field; at a million rows that costs more than the database does. Here each model's next id is
read once (`max(id) + 1`) inside the generator's transaction, rows carry their ids (so tree
paths, foreign keys and the matter numbers are computed before anything is written), and the
sequences are moved past the new ids at the end on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

UTC = dt.UTC
BATCH = 2000


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _sqlite_date(value: dt.date | dt.time | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _identity(value: Any) -> Any:
    return value


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a Python value of `field` becomes a driver parameter (the ORM's conversion, once per column)."""
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else _identity
    if isinstance(field, models.DateField):
        return _sqlite_date if sqlite else _identity
    if isinstance(field, models.TimeField):
        return _sqlite_date if sqlite else _identity  # isoformat() too
    if isinstance(field, models.UUIDField):
        return _sqlite_uuid if sqlite else _identity
    if isinstance(field, models.JSONField):
        if sqlite:
            return _json
        return lambda v: field.get_db_prep_save(v, connection)
    return _identity


class Table:
    """Rows of one table (or a many-to-many through table) waiting to be written."""

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        self.model = model
        opts = model._meta
        fields = [opts.get_field(n) for n in names]
        # Columns the generator does not set (added to a model since): their defaults, on every row.
        listed = {f.column for f in fields}  # type: ignore[union-attr]
        self.extra: tuple[Any, ...] = ()
        for f in opts.concrete_fields:
            if f.column in listed or f.primary_key:
                continue
            if f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            else:
                raise ValueError(f"{opts.label}.{f.name}: no value and no default")
            fields.append(f)
            self.extra += (value,)
        self.columns: list[str] = [str(f.column) for f in fields]  # type: ignore[union-attr]
        self.convert = [_converter(f) for f in fields]  # type: ignore[arg-type]
        self.plain = all(c is _identity for c in self.convert)
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        q = connection.ops.quote_name
        cols = ", ".join(q(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self.sql = f"INSERT INTO {q(opts.db_table)} ({cols}) VALUES ({marks})"
        self.copy_sql = f"COPY {q(opts.db_table)} ({cols}) FROM STDIN"

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row + self.extra if self.extra else row)
        if len(self.rows) >= 50000:
            self.flush()

    def _prepared(self) -> Iterable[tuple[Any, ...]]:
        if self.plain:
            return self.rows
        conv = self.convert
        return [tuple(c(v) for c, v in zip(conv, row, strict=True)) for row in self.rows]

    def flush(self) -> int:
        if not self.rows:
            return 0
        n = len(self.rows)
        if connection.vendor == "postgresql":
            self._copy()
        else:
            rows = list(self._prepared())
            with connection.cursor() as cursor:
                for i in range(0, len(rows), BATCH):
                    cursor.executemany(self.sql, rows[i : i + BATCH])
        self.rows = []
        self.written += n
        return n

    def flush_all(self) -> int:
        """Write what is left; the number of rows written in all."""
        self.flush()
        return self.written

    def _copy(self) -> None:
        """PostgreSQL: COPY the rows (psycopg 3 writes Python values itself)."""
        conn = connection.connection
        assert conn is not None
        with conn.cursor() as cursor, cursor.copy(self.copy_sql) as copy:
            for row in self._prepared():
                copy.write_row(row)


class Ids:
    """The next free primary key of each model, read once."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model], n: int = 1) -> int:
        if model not in self.next:
            top = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next[model] = top + 1
        first = self.next[model]
        self.next[model] = first + n
        return first

    def reset_sequences(self) -> None:
        """On PostgreSQL, move each sequence past the ids given out here."""
        if connection.vendor != "postgresql" or not self.next:
            return
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Stage:
    """Rows and time of one stage of the generation, for the progress lines and the summary."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.rows = 0
        self.seconds = 0.0
        self._t0 = 0.0

    def __enter__(self) -> Stage:
        self._t0 = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds += time.monotonic() - self._t0

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0
