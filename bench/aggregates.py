"""Raw SQL that computes the numbers of each aggregate page directly from the source tables, run
with the database driver itself (sqlite3 or psycopg), outside Django: the reference that the
pages are measured against ("within 2x raw SQL").

The scope is the bench user's root areas (their role nodes): the pages also admit records
granted to the user personally (invited, reporter), which the bench users have none of.
Statements use `%s` placeholders; for SQLite they become `?`. No literal `%` appears in SQL.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
SEGMENT = 9  # one level of a materialised path: 8 digits and "/"
OPEN = ("new", "accepted")
REPEAT_WINDOW_DAYS = 180

Statement = tuple[str, list[Any]]


@dataclass
class Scope:
    paths: list[str]  # the user's root areas
    depths: list[int]
    today: dt.date
    now: dt.datetime


class RawTimer:
    """A plain driver connection to the database Django uses; times lists of statements."""

    def __init__(self, db: dict[str, Any], *, runs: int = 5) -> None:
        self.runs = runs
        engine = db["ENGINE"]
        if engine.endswith("sqlite3"):
            import sqlite3

            self.vendor = "sqlite"
            self.conn: Any = sqlite3.connect(str(db["NAME"]))
        elif engine.endswith("postgresql"):
            import psycopg

            self.vendor = "postgresql"
            self.conn = psycopg.connect(
                dbname=db["NAME"],
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
                autocommit=True,
            )
        else:
            raise SystemExit(f"unsupported database engine {engine}")

    def _run(self, statements: list[Statement]) -> int:
        rows = 0
        cursor = self.conn.cursor()
        for sql, params in statements:
            if self.vendor == "sqlite":
                sql = sql.replace("%s", "?")
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
        cursor.close()
        return rows

    def time(self, statements: list[Statement]) -> dict[str, Any]:
        """Median of `runs` timed runs after one warm-up run (fewer runs when one takes > 2 s)."""
        rows = self._run(statements)
        samples: list[float] = []
        for _ in range(self.runs):
            started = time.perf_counter()
            self._run(statements)
            samples.append((time.perf_counter() - started) * 1000)
            if samples[-1] > 2000 and len(samples) >= 2:
                break
        return {
            "median_ms": statistics.median(samples),
            "min_ms": min(samples),
            "runs": len(samples),
            "statements": len(statements),
            "rows": rows,
        }

    def close(self) -> None:
        self.conn.close()


# ---- dialect helpers ------------------------------------------------------------------------


def _ts(vendor: str, value: dt.datetime) -> Any:
    """A UTC timestamp as the column stores it (SQLite: text 'YYYY-MM-DD HH:MM:SS')."""
    utc = value.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S") if vendor == "sqlite" else utc


def _day_start(vendor: str, day: dt.date) -> Any:
    return _ts(vendor, dt.datetime.combine(day, dt.time(), tzinfo=LOCAL))


def _local_month(vendor: str, column: str) -> str:
    if vendor == "sqlite":
        return f"strftime('%Y-%m', {column}, '+8 hours')"
    return f"to_char({column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"


def _days_between(vendor: str, start: str, end: str) -> str:
    if vendor == "sqlite":
        return f"(julianday({end}) - julianday({start}))"
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"


def _minus_days(vendor: str, column: str, days: int) -> str:
    if vendor == "sqlite":
        return f"datetime({column}, '-{days} days')"
    return f"({column} - interval '{days} days')"


def _year_month(vendor: str, column: str) -> str:
    if vendor == "sqlite":
        return f"CAST(substr({column}, 1, 4) AS INTEGER), CAST(substr({column}, 6, 2) AS INTEGER)"
    return f"EXTRACT(YEAR FROM {column}), EXTRACT(MONTH FROM {column})"


# ---- the aggregates -------------------------------------------------------------------------


def tree(scope: Scope, vendor: str) -> list[Statement]:
    """The area tree at the user's roots: children, households, residents, members in each."""
    out: list[Statement] = []
    for path, depth in zip(scope.paths, scope.depths, strict=True):
        like = path + "%"
        out += [
            ("SELECT COUNT(*) FROM places_areanode WHERE path LIKE %s AND depth = %s", [like, depth + 1]),
            (
                "SELECT COUNT(*) FROM places_household h JOIN places_areanode a ON a.id = h.hamlet_id "
                "WHERE a.path LIKE %s",
                [like],
            ),
            (
                "SELECT COUNT(*) FROM places_resident r JOIN places_household h ON h.id = r.household_id "
                "JOIN places_areanode a ON a.id = h.hamlet_id WHERE a.path LIKE %s",
                [like],
            ),
            (
                "SELECT COUNT(*) FROM party_member m JOIN places_resident r ON r.id = m.resident_id "
                "JOIN places_household h ON h.id = r.household_id JOIN places_areanode a ON a.id = h.hamlet_id "
                "WHERE a.path LIKE %s",
                [like],
            ),
        ]
    return out


def _measures(scope: Scope, vendor: str, *, per_child: bool, monthly: bool) -> list[Statement]:
    """小事不出湾率 & co. for the last 12 months (the page's default period) at the user's root,
    grouped by child when `per_child` (the page's table), plus the monthly chart."""
    end = scope.today
    year, month = end.year, end.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    start = dt.date(year, month, 1)
    lo, hi = _day_start(vendor, start), _day_start(vendor, end + dt.timedelta(days=1))
    now = _ts(vendor, scope.now)
    out: list[Statement] = []
    for path in scope.paths:
        like = path + "%"
        key = f"substr(m.origin_path, 1, {len(path) + SEGMENT})" if per_child else "''"
        base = (
            "FROM governance_matter m JOIN places_areanode s ON s.id = m.area_id "
            "WHERE s.path LIKE %s AND m.origin_path LIKE %s"
        )
        p = [like, like]
        out += [
            (f"SELECT {key}, COUNT(*) {base} AND m.reported_at >= %s AND m.reported_at < %s GROUP BY 1", [*p, lo, hi]),
            (
                f"SELECT {key}, m.resolved_level, {_days_between(vendor, 'm.reported_at', 'm.resolved_at')} {base} "
                "AND m.resolved_at IS NOT NULL AND m.resolved_at >= %s AND m.resolved_at < %s",
                [*p, lo, hi],
            ),
            (
                f"SELECT {key}, COUNT(*) {base} AND m.status IN (%s, %s) AND m.reported_at < %s GROUP BY 1",
                [*p, *OPEN, hi],
            ),
            (
                f"SELECT {key}, COUNT(*) {base} AND m.status IN (%s, %s) "
                "AND ((m.status = %s AND m.accept_due_at < %s) OR m.settle_due_at < %s) GROUP BY 1",
                [*p, *OPEN, OPEN[0], now, now],
            ),
            (
                f"SELECT {key}, AVG(m.satisfaction), COUNT(*) {base} AND m.satisfaction IS NOT NULL "
                "AND m.resolved_at >= %s AND m.resolved_at < %s GROUP BY 1",
                [*p, lo, hi],
            ),
            (
                f"SELECT {key}, COUNT(*) {base} AND m.reported_at >= %s AND m.reported_at < %s AND ("
                "EXISTS (SELECT 1 FROM governance_matter e WHERE e.place_id = m.place_id "
                "AND e.category_id = m.category_id AND e.reported_at < m.reported_at "
                f"AND e.reported_at >= {_minus_days(vendor, 'm.reported_at', REPEAT_WINDOW_DAYS)}) "
                "OR EXISTS (SELECT 1 FROM governance_matter_parties a "
                "JOIN governance_matter_parties b ON b.resident_id = a.resident_id "
                "JOIN governance_matter e ON e.id = b.matter_id WHERE a.matter_id = m.id "
                "AND e.reported_at < m.reported_at "
                f"AND e.reported_at >= {_minus_days(vendor, 'm.reported_at', REPEAT_WINDOW_DAYS)})"
                ") GROUP BY 1",
                [*p, lo, hi],
            ),
        ]
        if monthly:
            out += [
                (
                    f"SELECT {_local_month(vendor, 'm.reported_at')}, COUNT(*) {base} "
                    "AND m.reported_at >= %s AND m.reported_at < %s GROUP BY 1",
                    [*p, lo, hi],
                ),
                (
                    f"SELECT {_local_month(vendor, 'm.resolved_at')}, COUNT(*) {base} "
                    "AND m.resolved_at >= %s AND m.resolved_at < %s GROUP BY 1",
                    [*p, lo, hi],
                ),
            ]
    return out


def compliance(scope: Scope, vendor: str) -> list[Statement]:
    """组织生活落实: the branches and party groups in scope, and the meetings held by each per kind and
    month this year (the page's default period); the rule book is applied to these in Python."""
    start = dt.date(scope.today.year, 1, 1).isoformat()
    end = dt.date(scope.today.year, 12, 31).isoformat()
    out: list[Statement] = []
    for path in scope.paths:
        like = path + "%"
        out += [
            (
                "SELECT o.id, o.path, o.name, o.kind, o.parent_id, o.founded_on, o.has_committee, a.path "
                "FROM party_partyorg o JOIN places_areanode a ON a.id = o.area_id "
                "WHERE o.kind IN (%s, %s) AND a.path LIKE %s ORDER BY o.path",
                ["branch", "party_group", like],
            ),
            (
                f"SELECT k.org_id, k.kind, {_year_month(vendor, 'k.held_on')}, COUNT(*) "
                "FROM orglife_meetingkindmark k JOIN party_partyorg o ON o.id = k.org_id "
                "JOIN places_areanode a ON a.id = o.area_id "
                "WHERE k.counts = %s AND k.held_on >= %s AND k.held_on <= %s AND a.path LIKE %s "
                "GROUP BY 1, 2, 3, 4",
                [True, start, end, like],
            ),
        ]
    return out


def coverage(scope: Scope, vendor: str) -> list[Statement]:
    """应建尽建: enterprises in operation by area, industry and coverage state, and the gap list in
    the page's order. Computed from the source tables (employments, members, the branch, the
    instructors), by the definition the page's kept columns hold (`enterprises.rollups`)."""
    case = (
        "CASE WHEN COALESCE(f.n, 0) >= 3 AND b.branch_type = 'enterprise' THEN 'own_branch' "
        "WHEN COALESCE(f.n, 0) >= 3 THEN 'should_found' "
        "WHEN b.branch_type = 'enterprise' THEN 'own_branch' "
        "WHEN e.branch_id IS NOT NULL THEN 'joint_branch' "
        "WHEN COALESCE(f.n, 0) >= 1 THEN 'should_join' "
        "WHEN EXISTS (SELECT 1 FROM enterprises_enterprise_instructors i WHERE i.enterprise_id = e.id) "
        "THEN 'watched' ELSE 'no_instructor' END"
    )
    source = (
        "FROM enterprises_enterprise e JOIN places_areanode a ON a.id = e.area_id "
        "LEFT JOIN party_partyorg b ON b.id = e.branch_id "
        "LEFT JOIN (SELECT em.enterprise_id, COUNT(*) AS n FROM enterprises_employment em "
        "JOIN party_member pm ON pm.id = em.member_id WHERE pm.status = 'full' GROUP BY em.enterprise_id) f "
        "ON f.enterprise_id = e.id WHERE e.is_active = %s AND a.path LIKE %s"
    )
    out: list[Statement] = []
    for path in scope.paths:
        like = path + "%"
        out += [
            (f"SELECT e.area_id, e.industry, {case}, COUNT(*) {source} GROUP BY 1, 2, 3", [True, like]),
            (
                f"SELECT * FROM (SELECT e.id, e.name, a.path, COALESCE(f.n, 0) AS n, {case} AS cov {source}) g "
                "WHERE g.cov IN ('should_found', 'should_join', 'no_instructor') "
                "ORDER BY CASE WHEN g.n >= 3 THEN 0 WHEN g.n >= 1 THEN 1 ELSE 2 END, g.n DESC, g.path, g.name "
                "LIMIT 20",
                [True, like],
            ),
        ]
    return out


def raw_for(name: str, scope: Scope, vendor: str) -> list[Statement]:
    if name == "tree":
        return tree(scope, vendor)
    if name == "measures":
        return _measures(scope, vendor, per_child=True, monthly=True)
    if name == "measures_total":
        return _measures(scope, vendor, per_child=False, monthly=False)
    if name == "compliance":
        return compliance(scope, vendor)
    if name == "coverage":
        return coverage(scope, vendor)
    raise KeyError(name)
