"""Materialised paths for the two trees (area tree and party-organisation tree).

Each node stores `path`: its ancestors' ids and its own, each zero-padded to STEP digits and
followed by "/", e.g. "/00000001/00000005/". A subtree is `path__under=node.path`; all
children of a node have paths of the same length, so counts per child group by a prefix.

Query a subtree with `path__under=node.path` (any CharField holding such a path): the same rows as
`__startswith`, written so that both databases walk an index. PostgreSQL answers `LIKE 'p%'` from
the `varchar_pattern_ops` index Django adds to indexed CharFields; SQLite never uses an index for
its case-insensitive LIKE, so there it is the range `p <= path < p'`, where p' is p with its last
character incremented (paths are ASCII, compared bytewise).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import FieldError, FullResultSet
from django.db import connection, models
from django.db.models import Func, Lookup
from django.db.models.constants import LOOKUP_SEP
from django.db.models.lookups import StartsWith

STEP = 8
SEGMENT = STEP + 1


def child_path(parent_path: str, pk: int) -> str:
    return f"{parent_path or '/'}{pk:0{STEP}d}/"


def path_length_at_depth(depth: int) -> int:
    """Length of the path of a node at `depth` (root depth 1)."""
    return 1 + depth * SEGMENT


def ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def chains(nodes: Any) -> dict[int, list[tuple[int, str, str]]]:
    """{pk: [(pk, name, kind) of each node from the root down to it]} of tree nodes of one model, read
    with one query of all their ancestors."""
    nodes = list(nodes)
    if not nodes:
        return {}
    model = type(nodes[0])
    wanted = {pk for node in nodes for pk in ancestor_ids(node.path)}
    rows = {
        pk: (pk, name, kind)
        for pk, name, kind in model._default_manager.filter(pk__in=wanted).values_list("pk", "name", "kind")
    }
    return {node.pk: [rows[pk] for pk in ancestor_ids(node.path) if pk in rows] for node in nodes}


# Subtrees rooted this high (a county, a town) hold most of their table's rows: see Under.as_sqlite.
BROAD_DEPTH = 2


# A materialised path: "/", then each node's zero-padded id followed by "/".
TREE_PATH = re.compile(rf"/(?:[0-9]{{{STEP}}}/)*")


def prefix_successor(prefix: str) -> str:
    """The least string greater than every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@models.CharField.register_lookup
class Under(StartsWith):
    """`path__under=prefix`: the rows whose path starts with `prefix` (see the module docstring)."""

    lookup_name = "under"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        """A tree path is written into the query (`LIKE '/00000001/%'`), not sent as a parameter.
        A query a connection sends often is prepared (settings: DB_PREPARED_STATEMENTS), and
        PostgreSQL may then run it on one plan for every parameter: a plan that cannot use the
        path's index for an unknown pattern (the county's returnees: a scan of all 1,517 and a
        join of each, 0.7 ms → 6.3). With the path in its text, each subtree's query is its own
        statement, planned for that subtree. Only a path of digits and slashes is written so."""
        if not (self.rhs_is_direct_value() and isinstance(self.rhs, str) and TREE_PATH.fullmatch(self.rhs)):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs}::text LIKE '{self.rhs}%%'", lhs_params

    def as_sqlite(self, compiler: Any, connection: Any) -> Any:
        if not (self.rhs_is_direct_value() and isinstance(self.rhs, str) and self.rhs):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self.rhs.count("/") - 1 <= BROAD_DEPTH and not _ordered_by(compiler, self.lhs):
            # SQLite keeps no histogram (STAT4 is not compiled in), so it takes every range for a
            # narrow one and would read a county's or a town's whole subtree through the path
            # index, then sort it for a page of 30. The unary + (a no-op on the value) keeps it
            # off that index: it walks the list's ORDER BY index instead and stops at the page.
            # Unless the list is ordered by this very path (residents by hamlet): then the path
            # index is the ORDER BY index, and the + would make SQLite sort the whole subtree.
            lhs = f"+{lhs}"
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, self.rhs, prefix_successor(self.rhs)]


@models.CharField.register_lookup
class Walked(Lookup):
    """`path__walked=True`: every row (every tree path starts with "/"), written for SQLite's planner.

    A list ordered by a tree's path whose scope is not a range of that path (members hang at their
    branch's area or their group's: an OR across joins that no index answers) was read whole and
    sorted for a page: SQLite, keeping no statistics, takes the table it scans first for as large as
    any other and saw nothing to gain from walking the tree. The whole range of paths, a condition
    every row meets, is a range on the path's index to SQLite: it walks the tree in the list's order,
    looks up each node's rows by their key, and stops when the page is full (county members 88 ms →
    1 ms). PostgreSQL keeps statistics and gets no condition at all."""

    lookup_name = "walked"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        raise FullResultSet

    def as_sqlite(self, compiler: Any, connection: Any) -> Any:
        if self.rhs is not True:
            raise ValueError("path__walked takes True")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, "/", prefix_successor("/")]


def walked_in_path_order(queryset: Any, field: str) -> Any:
    """`queryset` (ordered by `field`, a tree path) with `field__walked` on SQLite; as it is elsewhere
    (PostgreSQL would join the tree for nothing in a count)."""
    if connection.vendor != "sqlite":
        return queryset
    return queryset.filter(**{f"{field}__walked": True})


class Unindexed(Func):
    """A column as it is, which SQLite's planner does not take for an index (`+column`); PostgreSQL,
    which keeps statistics, sees the column itself. For a condition most rows meet that SQLite,
    keeping none, would read by its index and then sort for a page (the county's hamlets by their
    kind, 9,208 of 12,786 nodes, all sorted by path for 50), where the list's own index (the path)
    gives the order and stops at the page."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


class SortedUnlessNarrow(Func):
    """A column to order by (`SortedUnlessNarrow("held_on").desc()`), the same column on PostgreSQL.

    On SQLite, in a query confined to a narrow subtree (`is_narrow`: a village's, a grid's), it is
    written `+column`: SQLite would otherwise walk the whole table in this column's index (every
    meeting of the county, newest first) checking each row's path until the page is full, where
    the few rows of the subtree, found by the path's index and sorted, cost nothing (a village's
    meetings 160 ms → 3 ms). Broad or unscoped queries keep the index walk, which stops at the page."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        if is_narrow(compiler.query.where):
            return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)
        return self.as_sql(compiler, connection, **extra_context)


class Sorted(Unindexed):
    """A column to order by that the database sorts the rows it found by, rather than walk the
    column's index in order: `+column` on SQLite, `column || ''` on PostgreSQL (the same values,
    the same collation, so the same order). For a list confined to a narrow subtree through its
    keys (`Scope.is_narrow`: a village's members, by their branch's and groups' ids), where
    PostgreSQL, taking each of the 9 organisations for as many members as the average one,
    walked all 3,585 organisations of the county in path order to fill a page of the 75
    (17 ms, against 0.3 to find them by key and sort)."""

    template = "(%(expressions)s || '')"


def is_narrow_path(path: str) -> bool:
    """Whether the subtree at `path` is rooted below BROAD_DEPTH (a district, a village, a grid)."""
    return path.count("/") - 1 > BROAD_DEPTH


def is_narrow(where: Any) -> bool:
    """Whether `where` (a query's WhereNode) confines the rows to a subtree rooted below
    BROAD_DEPTH (a village, a grid) through a `path__under` every row must satisfy (AND-ed, not
    inside an OR or a NOT): such a subtree holds few rows, cheaper to walk than any other index."""
    if getattr(where, "negated", False):
        return False
    if isinstance(where, Under):
        return isinstance(where.rhs, str) and is_narrow_path(where.rhs)
    children = getattr(where, "children", None)
    if children is None or (getattr(where, "connector", "AND") != "AND" and len(children) > 1):
        return False
    return any(is_narrow(child) for child in children)


def _ordered_by(compiler: Any, lhs: Any) -> bool:
    """Whether the query's first ORDER BY term is the column `lhs` (the same field, reached by
    the same relations)."""
    query = compiler.query
    order = query.order_by or (query.get_meta().ordering if query.default_ordering else ())
    if not order or not isinstance(order[0], str) or getattr(lhs, "target", None) is None:
        return False
    names = order[0].lstrip("-").split(LOOKUP_SEP)
    try:
        path, field, _targets, rest = query.names_to_path(names, query.get_meta())
    except FieldError:
        return False
    return not rest and field is lhs.target and _alias_of(query, path) == lhs.alias


def _alias_of(query: Any, path: list[Any]) -> str | None:
    """The table alias the joins along `path` already have in `query` (None when not joined)."""
    alias = query.get_initial_alias()
    for info in path:
        table = info.to_opts.db_table
        alias = next(
            (
                a
                for a, join in query.alias_map.items()
                if join.table_name == table and getattr(join, "parent_alias", None) == alias
            ),
            None,
        )
        if alias is None:
            return None
    return alias


class TreeNode(models.Model):
    parent: Any = None  # declared in subclasses with the right target
    path = models.CharField(max_length=255, unique=True, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=1)
    # The name's pinyin and initials (`common.pinyin.search_key`), kept by the services that name
    # the node: the pickers find a node by either.
    search_key = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        abstract = True

    def is_descendant_of(self, other: TreeNode) -> bool:
        return self.path.startswith(other.path)
