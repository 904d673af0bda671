"""Finding residents by name, pinyin or ID number, answered from an index on both databases.

What a search matches (the same on SQLite and PostgreSQL):
- an ID number (18 characters): that resident, by the keyed digest;
- letters (and spaces): the pinyin initials or the full pinyin starting with them, spaces ignored
  ("xmh", "xuming", "xu ming" → 徐明华);
- anything else: names containing it (徐 → 徐明华, 李徐; 明华 → 徐明华).

A name in a county of a million residents is found without reading every row:
- PostgreSQL: names of 3+ characters through a `pg_trgm` GIN index (`LIKE '%徐明华%'`); pg_trgm
  cannot answer 1–2 characters (a pattern without a trigram is a full index scan), and most searches
  are a surname or a two-character name, so those go through a GIN index of the name's characters
  (`string_to_array(name, NULL) @> '{徐,明}'`, then `LIKE` for their order). Pinyin through B-tree
  pattern indexes on the initials and on the pinyin run together.
- SQLite: an FTS5 index (`places_resident_fts`, contentless, kept true by triggers on the table) of
  the name's characters one token each, the pinyin run together, and the initials. The trigram
  tokenizer was measured too: it needs three characters, so 徐 and 徐明 were full scans. Each
  index answer is checked again by the plain condition, so the index only narrows and never changes
  which rows match.

`install_index` creates the index of the database in use (the migration calls it). SQLite
drops a table's triggers with the table, so a later migration that rebuilds `places_resident` (as
Django does for most field changes on SQLite) must call it again;
`tests/places/test_search.py` checks the triggers are there after all migrations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Replace
from django.db.models.lookups import StartsWith

from hongniudai.common.identity import id_number_digest
from hongniudai.common.tree import is_narrow

ID_LIKE = re.compile(r"^\d{17}[\dXx]$")
PINYIN_LIKE = re.compile(r"^[A-Za-z][A-Za-z ]*$")

FTS_TABLE = "places_resident_fts"
NAME_MAX = 50  # Resident.name's max_length: the characters the SQLite index spells out


def resident_text_q(q: str, *, through: str = "") -> Q:
    """The residents matching the typed text `q` (see the module's docstring); Q() when blank.
    `through` names the relation to the resident when filtering another model (members: "resident")."""
    q = (q or "").strip()
    if not q:
        return Q()
    p = f"{through}__" if through else ""
    if ID_LIKE.match(q):
        return Q(**{f"{p}id_digest": id_number_digest(q)})
    if PINYIN_LIKE.match(q):
        return _pinyin_q("".join(q.lower().split()), p)
    return _name_q(q, p)


def pinyin_compact(p: str = "") -> Replace:
    """The full pinyin run together ("xu ming hua" → "xuminghua"), as the PostgreSQL index holds it."""
    return Replace(F(f"{p}name_pinyin"), Value(" "), Value(""))


def _pinyin_q(typed: str, p: str) -> Q:
    exact = Q(**{f"{p}name_initials__startswith": typed}) | Q(StartsWith(pinyin_compact(p), typed))
    if connection.vendor == "sqlite":
        return Q(FtsMatch(f'{{compact initials}} : ^ "{typed}" *', pk=f"{p}pk")) & exact
    return exact


class CharsOf(Func):
    """`string_to_array(name, NULL)`: the characters of a name, as the PostgreSQL index holds them."""

    template = "string_to_array(%(expressions)s, NULL)"
    output_field = ArrayField(TextField())


def _name_q(q: str, p: str) -> Q:
    cased = q.lower() != q.upper()  # Latin letters: compare without case, as before (no index)
    exact = Q(**{f"{p}name__icontains": q}) if cased else Q(**{f"{p}name__contains": q})
    chars = [c for c in q if c.isalnum()]
    if not chars or cased and connection.vendor != "sqlite":
        return exact
    if connection.vendor == "sqlite":
        return Q(FtsMatch('chars : "' + " ".join(chars) + '"', pk=f"{p}pk")) & exact
    if len(q) >= 3:
        return exact  # the trigram index answers LIKE '%…%' itself
    name = CharsOf(f"{p}name")
    contains = name.output_field.get_lookup("contains")  # ArrayField's `@>`
    assert contains is not None
    has_all = Q(contains(name, chars))
    return has_all if len(q) == 1 else has_all & exact  # two characters: in this order


class FtsMatch(Expression):
    """SQLite: `id IN (the rowids the FTS index matches)`, drawn in one of two ways.

    SQLite takes an `IN (subquery)` for a couple of dozen rows, so it always starts from the index's
    rows, then joins and sorts them. That is right for a rare name (邝: a few rows), wrong for a
    common one (徐, 6% of a county): every 徐 is looked up and sorted for one page of 50, and a
    village secretary's search reads the whole county's 徐 to keep the few of the village. Written
    `+id IN (…)` the index's answer is only a filter (a lookup in the list SQLite builds once), and
    SQLite walks the rows in scope in the list's order, stopping when the page is full.

    So the index is asked once how many rows it matches (at most `DENSE_FOR_COUNT` + 1 counted), and
    a page (an ordered, limited query) walks when there are more than `DENSE_FOR_PAGE`; a count or an
    export walks only beyond `DENSE_FOR_COUNT`, where the capped count meets its 10,000 in scope
    within a few hundred thousand rows walked. Both forms give the same rows. Through a relation
    (members' residents: a few percent of them) the few rows of the other table are walked whenever
    the index matches more than `DENSE_FOR_PAGE`.
    """

    DENSE_FOR_PAGE = 5_000
    DENSE_FOR_COUNT = 50_000

    def __init__(self, match: str, *, pk: str = "pk") -> None:
        super().__init__(output_field=BooleanField())
        self.match = match
        self.matched = fts_count(match, self.DENSE_FOR_COUNT + 1)
        self.related = pk != "pk"
        self.pk: Any = F(pk)

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.pk)
        query = compiler.query
        paged = bool(query.order_by) and query.high_mark is not None
        dense = self.matched > (self.DENSE_FOR_PAGE if paged or self.related else self.DENSE_FOR_COUNT)
        walk = dense or is_narrow(query.where)
        if walk:
            # The rows in scope are walked in the list's order and each is checked by the plain
            # condition this one is joined with: the index's answer would only be a second filter,
            # and building it (every match in the county) costs more than the walk it filters.
            return "1 = 1", []
        return f"{column} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)", [*params, self.match]


def fts_count(match: str, upto: int) -> int:
    """How many residents the SQLite index matches, counting no further than `upto`."""
    with connection.cursor() as cursor:
        sql = f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"
        cursor.execute(sql, [match, upto])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# ---- the indexes ----------------------------------------------------------------------------


def _spelled_out(column: str) -> str:
    """SQL for the characters of `column` separated by spaces (徐明华 → "徐 明 华"): each becomes one
    token of the FTS index, so any run of characters is a phrase of it."""
    parts = "||' '||".join(f"substr({column}, {i}, 1)" for i in range(1, NAME_MAX + 1))
    return f"trim({parts})"


def _fts_values(row: str) -> str:
    return f"{_spelled_out(row + '.name')}, {row}.name_pinyin, replace({row}.name_pinyin, ' ', ''), {row}.name_initials"


FTS_COLUMNS = "chars, pinyin, compact, initials"


def sqlite_statements() -> list[str]:
    """The FTS5 table, filled from the residents, and the triggers that keep it true."""
    delete = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {FTS_COLUMNS}) VALUES ('delete', old.id, {_fts_values('old')});"
    )
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {FTS_COLUMNS}) VALUES (new.id, {_fts_values('new')});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({FTS_COLUMNS}, content='', tokenize='unicode61')",
        f"DELETE FROM {FTS_TABLE}",
        f"INSERT INTO {FTS_TABLE}(rowid, {FTS_COLUMNS}) SELECT id, {_fts_values('places_resident')} FROM places_resident",
        *sqlite_triggers(insert=insert, delete=delete),
    ]


def sqlite_triggers(*, insert: str, delete: str) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS places_resident_fts_insert",
        "DROP TRIGGER IF EXISTS places_resident_fts_delete",
        "DROP TRIGGER IF EXISTS places_resident_fts_update",
        f"CREATE TRIGGER places_resident_fts_insert AFTER INSERT ON places_resident BEGIN {insert} END",
        f"CREATE TRIGGER places_resident_fts_delete AFTER DELETE ON places_resident BEGIN {delete} END",
        "CREATE TRIGGER places_resident_fts_update AFTER UPDATE OF name, name_pinyin, name_initials"
        f" ON places_resident BEGIN {delete} {insert} END",
    ]


SQLITE_TRIGGERS = ("places_resident_fts_insert", "places_resident_fts_delete", "places_resident_fts_update")

POSTGRESQL_STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS places_resident_name_trgm ON places_resident USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS places_resident_name_chars ON places_resident USING gin (string_to_array(name, NULL))",
    "CREATE INDEX IF NOT EXISTS places_resident_pinyin_compact"
    " ON places_resident (replace(name_pinyin, ' ', '') text_pattern_ops)",
    "ANALYZE places_resident",
]
POSTGRESQL_UNDO = [
    "DROP INDEX IF EXISTS places_resident_name_trgm",
    "DROP INDEX IF EXISTS places_resident_name_chars",
    "DROP INDEX IF EXISTS places_resident_pinyin_compact",
]
SQLITE_UNDO = [*(f"DROP TRIGGER IF EXISTS {t}" for t in SQLITE_TRIGGERS), f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def install_index(schema_editor: Any) -> None:
    """Create the search index of this database (see the module's docstring); nothing on others."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_statements(), "postgresql": POSTGRESQL_STATEMENTS}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop_index(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_UNDO, "postgresql": POSTGRESQL_UNDO}.get(vendor, []):
        schema_editor.execute(sql, params=None)
