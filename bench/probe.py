"""The benchmark's Django side, run by `bench/run.py` in a subprocess with the server's settings
and database (never imported by the platform or the test suite).

    python bench/probe.py accounts               ensure the bench accounts and Open311 key exist
    python bench/probe.py prepare --out FILE     sessions, tokens, URLs, queries/request, raw SQL

`prepare` writes JSON: for each bench user a session key, an API token and the URLs to load
(valid for that user), each with its status, size and queries per request measured with
Django's test client; and for each aggregate the raw-SQL time (median of several runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniudai.settings.prod")  # run.py sets it

import django  # noqa: E402

django.setup()

from aggregates import RawTimer, Scope, raw_for  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import wsgi as bench_wsgi  # noqa: E402
from hongniudai.accounts import policy as account_policy  # noqa: E402
from hongniudai.accounts import services as account_services  # noqa: E402
from hongniudai.accounts.models import Role, RoleAssignment, User  # noqa: E402
from hongniudai.accounts.scope import Capability, scope_for  # noqa: E402
from hongniudai.governance.models import Matter  # noqa: E402
from hongniudai.ledger import selectors as ledger_selectors  # noqa: E402
from hongniudai.places import selectors as place_selectors  # noqa: E402
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident  # noqa: E402
from hongniudai.watch.patrols import selectors as patrol_selectors  # noqa: E402

BARE_PATH = bench_wsgi.BARE_PATH

PASSWORD = "hongniudai-bench-2026"
OPEN311_KEY = "bench-open311-2026"
USERS = ("bench_county", "bench_village", "bench_grid")
HOST = "127.0.0.1"


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# ---- accounts -------------------------------------------------------------------------------


def _first(kind: str, under: AreaNode | None = None) -> AreaNode | None:
    qs = AreaNode.objects.filter(kind=kind)
    if under is not None:
        qs = qs.filter(path__under=under.path)
    return qs.order_by("path").first()


def ensure_accounts() -> dict[str, str]:
    """The three bench accounts (the county generator creates them; on the demo town we do)."""
    county = AreaNode.objects.filter(depth=1).order_by("path").first()
    if county is None:
        raise SystemExit("no area tree: load the demo town or generate the county first")
    # The generator's "first village of the first generated town"; on the demo town, its first.
    towns = list(AreaNode.objects.filter(kind=AreaKind.TOWN).order_by("path"))
    town = towns[1] if len(towns) > 1 else (towns[0] if towns else None)
    village = _first(AreaKind.VILLAGE, town)
    grid = _first(AreaKind.GRID, village) if village else None
    if village is None or grid is None:
        raise SystemExit("no village with a grid in the area tree")
    wanted: dict[str, tuple[str, AreaNode]] = {
        "bench_county": (Role.TOWN_ADMIN, county),
        "bench_village": (Role.VILLAGE_SECRETARY, village),
        "bench_grid": (Role.GRID_WORKER, grid),
    }
    out: dict[str, str] = {}
    for username, (role, area) in wanted.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.create_user(actor=None, username=username, password=PASSWORD, display_name=username)
            account_services.assign_role(actor=None, user=user, role=role, area=area)
            say(f"  created {username} ({role} of {area.name})")
        nodes = RoleAssignment.objects.filter(user=user).values_list("role", "area__name", "org__name")
        out[username] = "; ".join(f"{r} {a or o}" for r, a, o in nodes)
    _ensure_open311_key(county)
    return out


def _ensure_open311_key(county: AreaNode) -> None:
    from hongniudai.governance import services as governance_services
    from hongniudai.governance.models import Open311Key, open311_key_digest

    if Open311Key.objects.filter(digest=open311_key_digest(OPEN311_KEY)).exists():
        return
    try:
        governance_services.register_open311_key(actor=None, name="bench", area=county, key=OPEN311_KEY)
        say("  registered the Open311 key")
    except Exception as exc:  # noqa: BLE001 - an already registered key is fine
        say(f"  Open311 key: {exc}")


# ---- sessions, tokens, URLs ---------------------------------------------------------------


@dataclass
class Target:
    key: str
    label: str
    kind: str  # bare | floor | page | aggregate | export | api | api_aggregate | open311
    path: str
    auth: str  # session | token | none
    aggregate: str = ""
    status: int = 0
    bytes: int = 0
    queries: int = 0
    note: str = ""
    inproc_ms: float | None = None  # median wall ms of one request in this process, one at a time
    inproc_cpu_ms: float | None = None  # and its CPU time in this process (SQLite's work included)


@dataclass
class UserPlan:
    username: str
    roles: str
    session: str
    token: str
    targets: list[Target] = field(default_factory=list)
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)


def make_session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


def get_token(username: str) -> str:
    client = Client(HTTP_HOST=HOST)
    response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    if response.status_code != 200:
        raise SystemExit(f"token for {username}: HTTP {response.status_code} {response.content[:200]!r}")
    body = response.json()
    return str(body.get("token") or body.get("key") or "")


def _first_pk(user: User, model: Any) -> int | None:
    pk = scope_for(user).filter(model.objects.all()).order_by("pk").values_list("pk", flat=True).first()
    return int(pk) if pk is not None else None


def targets_for(user: User) -> list[Target]:
    roots = place_selectors.area_roots(user)
    root = roots[0] if roots else None
    household = _first_pk(user, Household)
    resident = _first_pk(user, Resident)
    matter = _first_pk(user, Matter)
    surname = ""
    if resident is not None:
        name = Resident.objects.filter(pk=resident).values_list("name", flat=True).first() or ""
        surname = name[:1]
    week_ago = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    area = f"?area={root.pk}" if root else ""
    t: list[Target] = [
        Target("bare", "bare Django view /bench/bare/", "bare", BARE_PATH, "none"),
        Target("floor", "floor /bench/floor/", "floor", "/bench/floor/", "session"),
        Target("tree", "area tree", "aggregate", "/places/", "session", aggregate="tree"),
        Target("residents", "resident list", "page", "/places/residents/", "session"),
        Target("resident_search", "resident search", "page", f"/places/residents/?q={quote(surname)}", "session"),
    ]
    if household is not None:
        t.append(Target("household", "household detail", "page", f"/places/households/{household}/", "session"))
    t += [
        Target("households", "household list", "page", "/places/households/", "session"),
        Target("members", "party member list", "page", "/party/members/", "session"),
        Target("orgs", "party organisation list", "page", "/party/orgs/", "session"),
        Target("centres", "centre household list", "page", "/party/centre-households/", "session"),
        Target("matters", "matter list", "page", "/matters/", "session"),
        Target("meetings", "meeting list", "page", "/orglife/meetings/", "session"),
        Target("development", "member development cases", "page", "/development/", "session"),
        Target("enterprises", "enterprise list", "page", "/enterprises/", "session"),
        Target("audit", "audit log", "page", "/audit/", "session"),
    ]
    if account_policy.may_administer(user):  # the lists of accounts of those who manage some
        t.append(Target("users", "user accounts", "page", "/accounts/users/", "session"))
        t.append(Target("api_users", "API user accounts", "api", "/api/v1/users/", "token"))
    # The search-and-pick of the filters (`common.pick`): a common syllable, the top of the tree.
    t += [
        Target("area_pick", "area picker search", "page", f"/places/pick/?area__q={quote('村')}", "session"),
        Target("org_pick", "organisation picker", "page", "/party/pick/", "session"),
    ]
    if matter is not None:
        t.append(Target("matter", "matter detail", "page", f"/matters/{matter}/", "session"))
    t += [
        Target("measures", "matter measures", "aggregate", "/matters/measures/", "session", aggregate="measures"),
        Target("inbox", "inbox", "page", "/matters/inbox/", "session"),
        Target("compliance", "orglife compliance", "aggregate", "/orglife/", "session", aggregate="compliance"),
        Target(
            "coverage", "enterprise coverage", "aggregate", "/enterprises/coverage/", "session", aggregate="coverage"
        ),
        Target(
            "open311",
            "Open311 requests.json",
            "open311",
            f"/open311/v2/requests.json?api_key={OPEN311_KEY}",
            "none",
        ),
        Target("export", "matter list .xlsx (7 days)", "export", f"/matters/?export=xlsx&from={week_ago}", "session"),
        Target("api_residents", "API residents list", "api", "/api/v1/residents/", "token"),
    ]
    if resident is not None:
        t.append(Target("api_resident", "API resident detail", "api", f"/api/v1/residents/{resident}/", "token"))
    t += [
        Target("api_matters", "API matters list", "api", "/api/v1/matters/", "token"),
        Target("api_members", "API party members list", "api", "/api/v1/members/", "token"),
        Target("api_households", "API households list", "api", "/api/v1/households/", "token"),
        Target(
            "api_measures",
            "API matter measures",
            "api_aggregate",
            f"/api/v1/matter-measures/{area}",
            "token",
            aggregate="measures_total",
        ),
    ]
    return (
        t
        + ledger_targets(user)
        + economy_targets(user)
        + care_targets(user)
        + watch_targets(user)
        + projects_targets(user)
    )


# The collective economy's lists (issue 16), by URL name. Until the county generator fills the economy
# they measure the pages' cost over empty lists (the filters and pickers, the scope, the menu).
ECONOMY_PAGES = (
    ("economy_orgs", "collective economic organisations", "collective:org_list"),
    ("economy_decisions", "decisions (四议两公开)", "collective:decision_list"),
    ("land_parcels", "land parcels", "land:parcel_list"),
    ("land_contracts", "land transfer contracts", "land:contract_list"),
    ("plantings", "plantings", "production:planting_list"),
    ("purchase_contracts", "purchase contracts", "production:contract_list"),
    ("distribution_plans", "distribution plans", "distribution:plan_list"),
    ("returnees", "returnees", "returnees:returnee_list"),
    ("returnee_businesses", "returnee businesses", "returnees:business_list"),
    ("benefits", "a village's benefit linkage", "benefits:village_year"),
)


def economy_targets(user: User) -> list[Target]:
    """The economy's list pages, for a user who may read the economy."""
    if scope_for(user, Capability.ECONOMY_VIEW).is_empty:
        return []
    return [Target(key, label, "page", reverse(name), "session") for key, label, name in ECONOMY_PAGES]


# Resident services' lists (issue 17), by URL name: stations, requests and mass-organisation activities
# are read with VIEW, soup lists and volunteers need SERVICES (they name elderly and disabled residents).
CARE_PAGES = (
    ("care_stations", "service stations", "stations:station_list", Capability.VIEW),
    ("care_requests", "service requests", "stations:request_list", Capability.VIEW),
    ("care_item_pick", "service item picker (the requests' filter)", "stations:item_pick", Capability.VIEW),
    ("care_activities", "mass-organisation activities", "stations:activity_list", Capability.VIEW),
    ("soup_recipients", "soup recipients", "soup:recipient_list", Capability.SERVICES),
    ("soup_rounds", "soup rounds", "soup:round_list", Capability.SERVICES),
    ("volunteers", "volunteers", "volunteers:volunteer_list", Capability.SERVICES),
    ("volunteer_ranking", "volunteer ranking (confirmed hours)", "volunteers:ranking", Capability.SERVICES),
)


def care_targets(user: User) -> list[Target]:
    """The resident services' list pages the user may read."""
    return [
        Target(key, label, "page", reverse(name), "session")
        for key, label, name, capability in CARE_PAGES
        if not scope_for(user, capability).is_empty
    ]


# The watch's lists (issue 18): the camera net, night patrols and the campaigns. The board is the
# user's latest campaign's (the generator fills one straw-burning season per town).
WATCH_PAGES = (
    ("cameras", "camera list", "cameras:camera_list"),
    ("camera_coverage", "camera coverage by grid", "cameras:coverage"),
    ("pending_alerts", "pending camera alerts", "cameras:pending_list"),
    ("patrol_shifts", "patrol shifts (rota)", "patrols:shift_list"),
    ("patrol_logs", "patrol logs", "patrols:log_list"),
    ("campaign_reports", "campaign daily reports", "patrols:report_list"),
)


def watch_targets(user: User) -> list[Target]:
    """The watch's list pages and the latest campaign's board, for a user who may read the area."""
    if scope_for(user).is_empty:
        return []
    t = [Target(key, label, "page", reverse(name), "session") for key, label, name in WATCH_PAGES]
    campaign = patrol_selectors.campaigns(user).values_list("pk", flat=True).first()
    if campaign is not None:
        url = reverse("patrols:campaign_board", args=[campaign])
        t.append(Target("campaign_board", "campaign board (上报看板)", "page", url, "session"))
    return t


# The collective's books: the voucher list and the two reports the page-cost targets cover.
LEDGER_PAGES = (
    ("ledger_vouchers", "voucher list", "ledger:voucher_list"),
    ("ledger_trial", "trial balance", "ledger:trial_balance"),
    ("ledger_sheet", "balance sheet", "ledger:balance_sheet"),
)


def ledger_url(name: str, books: int) -> str | None:
    """The page `name` of one books: with the books as its path argument, or as `?books=`."""
    try:
        return reverse(name, args=[books])
    except NoReverseMatch:
        pass
    try:
        return f"{reverse(name)}?books={books}"
    except NoReverseMatch:
        return None


def ledger_targets(user: User) -> list[Target]:
    """The books pages of the user's first books (none for a user who sees no books)."""
    books = ledger_selectors.books_list(user=user).order_by("area_path", "pk").values_list("pk", flat=True).first()
    if books is None:
        return []
    targets = []
    for key, label, name in LEDGER_PAGES:
        url = ledger_url(name, books)
        if url is None:
            say(f"  {user.username}: no URL named {name}, {key} left out")
            continue
        targets.append(Target(key, label, "page", url, "session"))
    return targets


# Projects and service teams (issue 19): the lists, the board of open blockers and the measures.
PROJECT_PAGES = (
    ("projects", "projects", "projects:project_list"),
    ("project_blockers", "blockers", "projects:blocker_list"),
    ("project_board", "blocker board (督办)", "projects:blocker_board"),
    ("project_visits", "site visits (进解促)", "projects:visit_list"),
    ("project_teams", "service teams", "projects:team_list"),
    ("project_measures", "project service measures", "projects:measures"),
)


def projects_targets(user: User) -> list[Target]:
    """The projects' pages, for a user who may read something (they show what the scope holds)."""
    if scope_for(user, Capability.VIEW).is_empty:
        return []
    return [Target(key, label, "page", reverse(name), "session") for key, label, name in PROJECT_PAGES]


def count_bare(target: Target) -> None:
    """The bare view is not in the project's URLs: ask `bench/wsgi.py`, as gunicorn will."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": target.path,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "HTTP_HOST": HOST,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    status: list[str] = []
    with CaptureQueriesContext(connection) as ctx:
        result = bench_wsgi.application(environ, lambda s, headers, exc_info=None: status.append(s))
        body = b"".join(result)
        result.close()  # type: ignore[attr-defined]
    target.status = int(status[0].split()[0])
    target.bytes = len(body)
    target.queries = len(ctx.captured_queries)


def count_queries(target: Target, session: str, token: str, timed_runs: int = 0) -> None:
    """Status, size and queries of one request, as wrk will send it (the second of two: the first
    warms caches); then the median wall time of `timed_runs` more, one at a time in this process
    (the production settings, DEBUG off: the demo town's target is a list page within 12× the
    floor measured this way)."""
    if target.kind == "bare":
        count_bare(target)
        return
    headers: dict[str, Any] = {}
    if target.auth == "token":
        headers["HTTP_AUTHORIZATION"] = f"Token {token}"
    for attempt in range(2):
        client = Client(HTTP_HOST=HOST, raise_request_exception=False, **headers)
        if target.auth == "session":
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target.path)
            body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        if attempt == 1:
            target.status = response.status_code
            target.bytes = len(body)
            target.queries = len(ctx.captured_queries)
    if timed_runs and target.status == 200:
        times, cpu = [], []
        for _ in range(timed_runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(target.path)
            if response.streaming:
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        target.inproc_ms = statistics.median(times)
        target.inproc_cpu_ms = statistics.median(cpu)


def prepare(out: Path, raw_runs: int, timed_runs: int) -> None:
    timer = RawTimer(settings.DATABASES["default"], runs=raw_runs)
    plans: list[UserPlan] = []
    for username in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            say(f"  {username}: missing (run `bench/probe.py accounts`)")
            continue
        roles = "; ".join(
            f"{r} {a or o}"
            for r, a, o in RoleAssignment.objects.filter(user=user).values_list("role", "area__name", "org__name")
        )
        plan = UserPlan(username=username, roles=roles, session=make_session(user), token=get_token(username))
        plan.targets = targets_for(user)
        for target in plan.targets:
            started = time.perf_counter()
            count_queries(target, plan.session, plan.token, timed_runs)
            say(
                f"  {username:14} {target.key:16} HTTP {target.status}  {target.queries:4d} queries  "
                f"{target.bytes / 1024:8.1f} KiB  ({(time.perf_counter() - started) * 1000:.0f} ms"
                + (
                    f"; in process {target.inproc_ms:.1f} ms/request, CPU {target.inproc_cpu_ms:.1f} ms)"
                    if target.inproc_ms is not None and target.inproc_cpu_ms is not None
                    else ")"
                )
            )
        roots = place_selectors.area_roots(user)
        if roots and timer.runs:  # --raw-runs 0: no raw SQL timed
            scope = Scope(
                paths=[r.path for r in roots],
                depths=[r.depth for r in roots],
                today=timezone.localdate(),
                now=timezone.now(),
            )
            for name in sorted({t.aggregate for t in plan.targets if t.aggregate}):
                result = timer.time(raw_for(name, scope, timer.vendor))
                plan.raw[name] = result
                say(
                    f"  {username:14} raw SQL {name:14} {result['median_ms']:9.2f} ms  ({result['statements']} statements)"
                )
        plans.append(plan)
    timer.close()
    out.write_text(json.dumps([asdict(p) for p in plans], ensure_ascii=False, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("accounts", help="ensure the bench accounts and the Open311 key exist")
    p = sub.add_parser("prepare", help="sessions, tokens, URLs, queries per request, raw SQL timings")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--raw-runs", type=int, default=5)
    p.add_argument("--timed-runs", type=int, default=5, help="requests timed in process per URL (median)")
    args = parser.parse_args()
    if args.command == "accounts":
        print(json.dumps(ensure_accounts(), ensure_ascii=False))
    else:
        prepare(args.out, args.raw_runs, args.timed_runs)


if __name__ == "__main__":
    main()
