"""Walk every URL of the platform with an out-of-scope user.

`xuqiao` (secretary of 徐桥村) asks for 发水河村's records through every page, form, action and API
endpoint: each answers 404, exactly like a record that does not exist, and changes nothing. Every
page without arguments (lists, searches, forms, exports), found in the URL conf, shows none of
发水河村's records, or is an administrators' page and answers 403 (`VILLAGE_STATUS`). A URL with
arguments added without an entry here fails `test_every_url_is_walked`; one without arguments is
walked as it is.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.audit.models import AuditEvent
from hongniudai.common.identity import decrypt_id_number, mask_id_number
from hongniudai.spreadsheets.models import ImportJob, ImportKind

Kwargs = Callable[[Any], dict[str, Any]]


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, set[str]]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", set(p.pattern.regex.groupindex.keys())


def _import_job(town: Any) -> dict[str, Any]:
    job = ImportJob.objects.create(
        kind=ImportKind.HOUSEHOLDS, user=town.users["fashuihe"], area_path=town.fashuihe.area.path
    )
    return {"pk": job.pk}


# Out-of-scope targets for xuqiao: 发水河村's objects.
OUT_OF_SCOPE: dict[str, Kwargs] = {
    "places:tree_children": lambda t: {"pk": t.fashuihe.area.pk},
    "places:area_detail": lambda t: {"pk": t.fashuihe.area.pk},
    "places:area_edit": lambda t: {"pk": t.fashuihe.grid.pk},
    "places:area_delete": lambda t: {"pk": t.fashuihe.hamlet.pk},
    "places:household_detail": lambda t: {"pk": t.fashuihe.household.pk},
    "places:household_edit": lambda t: {"pk": t.fashuihe.household.pk},
    "places:household_delete": lambda t: {"pk": t.fashuihe.household.pk},
    "places:resident_detail": lambda t: {"pk": t.fashuihe.head.pk},
    "places:resident_edit": lambda t: {"pk": t.fashuihe.head.pk},
    "places:resident_delete": lambda t: {"pk": t.fashuihe.head.pk},
    "places:resident_reveal_id": lambda t: {"pk": t.fashuihe.head.pk},
    "places:review_detail": lambda t: {"pk": _review(t).pk},
    "places:review_approve": lambda t: {"pk": _review(t).pk},
    "places:review_reject": lambda t: {"pk": _review(t).pk},
    "api:registration-review-detail": lambda t: {"pk": _review(t).pk},
    "api:registration-review-approve": lambda t: {"pk": _review(t).pk},
    "api:registration-review-reject": lambda t: {"pk": _review(t).pk},
    "party:org_tree_children": lambda t: {"pk": t.fashuihe.branch.pk},
    "party:org_create": lambda t: {"parent_pk": t.fashuihe.branch.pk},
    "party:org_detail": lambda t: {"pk": t.fashuihe.branch.pk},
    "party:org_edit": lambda t: {"pk": t.fashuihe.group.pk},
    "party:org_delete": lambda t: {"pk": t.fashuihe.group.pk},
    "party:member_detail": lambda t: {"pk": t.fashuihe.member.pk},
    "party:member_edit": lambda t: {"pk": t.fashuihe.member.pk},
    "party:member_delete": lambda t: {"pk": t.fashuihe.member.pk},
    "party:centre_edit": lambda t: {"hamlet_id": t.fashuihe.hamlet.pk},
    "party:centre_delete": lambda t: {"pk": _centre(t).pk},
    "audit:history": lambda t: {"target_type": "places.resident", "target_id": t.fashuihe.head.pk},
    "spreadsheets:import_detail": _import_job,
    "spreadsheets:import_progress": _import_job,
    "spreadsheets:import_confirm": _import_job,
    "spreadsheets:import_errors": _import_job,
    "spreadsheets:import_handover": _import_job,
    "api:area-detail": lambda t: {"pk": t.fashuihe.area.pk},
    "api:household-detail": lambda t: {"pk": t.fashuihe.household.pk},
    "api:resident-detail": lambda t: {"pk": t.fashuihe.head.pk},
    "api:resident-reveal-id": lambda t: {"pk": t.fashuihe.head.pk},
    "api:party-org-detail": lambda t: {"pk": t.fashuihe.branch.pk},
    "api:member-detail": lambda t: {"pk": t.fashuihe.member.pk},
    "api:centre-household-detail": lambda t: {"pk": _centre(t).pk},
}


def _review(town: Any) -> Any:
    """发水河村 asks to register 徐桥村's head of household: a review request hanging in 发水河村."""
    from hongniudai.places.models import RegistrationReview

    return RegistrationReview.objects.create(
        resident=town.xuqiao.head, household=town.fashuihe.household, name="黄文华", requested_by=town.users["fashuihe"]
    )


def _open311_key(town: Any) -> Any:
    from hongniudai.governance import services as gov_services

    _key, record = gov_services.issue_open311_key(
        actor=town.users["admin"], name="发水河村客户端", area=town.fashuihe.area
    )
    return record


def _matter(town: Any) -> Any:
    """A dispute of 发水河村, held at its hamlet, with a photo attached."""
    matter = getattr(town, "_matter", None)
    if matter is None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from hongniudai.governance import services as gov_services
        from hongniudai.governance.models import Category

        matter = gov_services.report_matter(
            actor=town.users["fashuihe"],
            category=Category.objects.get(code="dispute-neighbour"),
            title="邻里纠纷",
            description="排水纠纷",
            channel="web",
            place=town.fashuihe.hamlet,
        )
        town._attachment = gov_services.add_attachment(
            actor=town.users["fashuihe"],
            matter=matter,
            upload=SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 64, content_type="image/jpeg"),
        )
        gov_services.sign_agreement(
            actor=town.users["fashuihe"],
            matter=matter,
            parties="施华成、邻居",
            facts="排水",
            terms="共修水沟",
            mediators="村调委会",
            signed_on=matter.reported_at.date(),
            signatures_noted=True,
        )
        town._matter = matter
    return matter


for _name in (
    "matter_detail",
    "matter_accept",
    "matter_session",
    "matter_invite",
    "matter_agreement",
    "agreement_print",
    "matter_resolve",
    "matter_escalate",
    "matter_hand_down",
    "matter_follow_up",
    "matter_reopen",
    "matter_attach",
):
    OUT_OF_SCOPE[f"governance:{_name}"] = lambda t: {"pk": _matter(t).pk}
for _name in (
    "matter-detail",
    "matter-accept",
    "matter-agreement",
    "matter-attachments",
    "matter-escalate",
    "matter-events",
    "matter-follow-ups",
    "matter-hand-down",
    "matter-invite",
    "matter-reopen",
    "matter-resolve",
    "matter-sessions",
):
    OUT_OF_SCOPE[f"api:{_name}"] = lambda t: {"pk": _matter(t).pk}
OUT_OF_SCOPE["api:matter-attachment-download"] = lambda t: {"pk": _matter(t).pk, "attachment_id": t._attachment.pk}
OUT_OF_SCOPE["governance:admin_open311_key_revoke"] = lambda t: {"pk": _open311_key(t).pk}
OUT_OF_SCOPE["governance:attachment_download"] = lambda t: {"pk": (_matter(t), t._attachment)[1].pk}
# One's own API tokens: another user's token is not found.
OUT_OF_SCOPE["accounts:token_revoke"] = lambda t: {"pk": issue_token(actor=t.users["fashuihe"])[1].pk}
OUT_OF_SCOPE["api:my_token"] = lambda t: {"pk": issue_token(actor=t.users["fashuihe"])[1].pk}

# URLs that take arguments but name no record (templates by kind, etc.): kwargs to use.
NOT_RECORDS: dict[str, dict[str, Any]] = {
    "spreadsheets:template_download": {"kind": "households"},
    # Open311 ignores web sessions; its record URLs are walked in test_open311_hides_out_of_scope_matters.
    "open311:discovery": {"fmt": "json"},
    "open311:services": {"fmt": "json"},
    "open311:service": {"service_code": "safety-hazard", "fmt": "json"},
    "open311:requests": {"fmt": "json"},
    "open311:request": {"service_request_id": "0", "fmt": "json"},
    "open311:token": {"token": "0", "fmt": "json"},
    # Categories are the deployment's own list, not records of a node: editing them is 403 for
    # anyone but a town or county administrator (test_category_admin_is_forbidden_to_villages).
    "governance:admin_category_edit": {"pk": 1},
    "governance:admin_attribute_new": {"pk": 1},
    "governance:admin_attribute_edit": {"pk": 1},
    "governance:admin_attribute_delete": {"pk": 1},
    "api:matter-category-detail": {"pk": 1},  # the deployment's category list, the same for everyone
}


def _centre(town: Any) -> Any:
    from hongniudai.party import services as party_services

    centre = getattr(town, "_centre", None)
    if centre is None:
        centre = party_services.set_centre_household(
            actor=town.users["admin"],
            hamlet=town.fashuihe.hamlet,
            member=town.fashuihe.member,
            linked_households=[town.fashuihe.household],
        )
        town._centre = centre
    return centre


# Packages added later keep their entries next to their tests: tests/<package>/url_scope.py
# defines OUT_OF_SCOPE and NOT_RECORDS in the same form, merged here.
for _module in (
    "development",
    "orglife",
    "enterprises",
    "vanguard",
    "users",
    "ledger",
    "collective",
    "land",
    "production",
    "distribution",
    "returnees",
    "benefits",
    "care.stations",
    "watch.cameras",
    "volunteers",
    "projects",
    "watch.patrols",
    "care.soup",
):
    _entries = importlib.import_module(f"tests.{_module}.url_scope")
    OUT_OF_SCOPE.update(_entries.OUT_OF_SCOPE)
    NOT_RECORDS.update(_entries.NOT_RECORDS)


def _all_urls() -> list[tuple[str, set[str]]]:
    return [(name, kw) for name, kw in _walk(get_resolver().url_patterns) if "format" not in kw]


def test_every_url_is_walked():
    missing = [name for name, kw in _all_urls() if kw and name not in OUT_OF_SCOPE and name not in NOT_RECORDS]
    assert missing == [], f"URLs with arguments but no out-of-scope test: {missing}"


def _record_urls() -> list[str]:
    return sorted({name for name, kw in _all_urls() if kw and name in OUT_OF_SCOPE})


@pytest.mark.parametrize("name", _record_urls())
def test_out_of_scope_record_is_404_for_every_method(town, name):
    kwargs = OUT_OF_SCOPE[name](town)
    url = reverse(name, kwargs=kwargs)
    audit_rows = AuditEvent.objects.count()
    if name.startswith("api:"):
        client: Any = APIClient()
        client.force_authenticate(town.users["xuqiao"])
    else:
        client = town.client_for("xuqiao")
    statuses = {}
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(client, method)(url)
        statuses[method] = response.status_code
        assert response.status_code in (404, 405), f"{method.upper()} {url} → {response.status_code}"
    # 405 only says which methods a URL takes; every method it does take must answer 404.
    assert 404 in statuses.values(), f"{url}: {statuses}"
    assert AuditEvent.objects.count() == audit_rows, f"{name}: an out-of-scope request changed something"
    # The admin of the town does reach the same record.
    if name.startswith("api:"):
        admin: Any = APIClient()
        admin.force_authenticate(town.users["admin"])
        expected = {200, 405}
    else:
        admin = town.client_for("admin")
        expected = {200, 302, 405}
    assert admin.get(url).status_code in expected


def _list_urls() -> list[str]:
    return sorted(name for name, kw in _all_urls() if not kw)


# Pages without arguments that name no records of anyone's: the API's schema and its readers (the same
# for everyone), signing out, switching the language, the health check, the API's token exchange.
SKIP_LISTS = {"api:schema", "api:docs", "api:redoc", "accounts:logout", "set_language", "healthz", "api:token"}

# What a page without arguments answers a village secretary when it is not 200, and why. A new page
# answering anything else fails `test_pages_without_arguments_show_nothing_out_of_scope`.
VILLAGE_STATUS: dict[str, int] = {
    "home": 302,  # to the places of one's own village
    "places:resident_create": 302,  # residents are added from their household's page
    "notifications:read": 405,  # POST only
    "accounts:sign_out_elsewhere": 405,  # POST only: one's own sessions
    "users:user_list": 403,  # user accounts are the town administrator's
    "users:user_create": 403,
    "users:node_options": 403,
    "users:town_rules": 403,
    "users:user_export": 403,
    "api:user-list": 403,
    "api:town-account-rules-list": 403,  # a town's account rules are its administrator's
    "api:invitation-accept": 405,  # POST only, with an invitation's key
    "accounts:tokens_revoke_all": 405,  # POST only: one's own tokens
    "api:my_password": 405,  # POST only: one's own password
    "api:sign_out_elsewhere": 405,  # POST only: one's own sessions
    # Administrators' pages (town or county).
    "audit:list": 403,
    "places:area_create": 403,  # only from a parent's page (?parent=), which a village may not extend
    "places:review_list": 403,
    "development:rule_create": 403,
    "orglife:rule_create": 403,
    "enterprises:instructor_create": 403,
    "enterprises:visit_create": 403,
    "governance:admin_calendar": 403,
    "governance:admin_categories": 403,
    "governance:admin_category_new": 403,
    "governance:admin_open311_keys": 403,
    "governance:admin_rules": 403,
    "cameras:kind_list": 403,
    "cameras:kind_create": 403,
    "cameras:key_list": 403,
    "api:camera_alerts": 403,  # camera platforms only (Api-Key); a signed-in user is not one
    # Projects (issue 19): recorded by the town and its service teams' cadres (PROJECTS), not villages.
    "projects:project_create": 403,
    "projects:team_create": 403,
    "projects:liaison_create": 403,
    "projects:visit_create": 403,
}


def _fashuihe_everywhere(town: Any) -> dict[str, str]:
    """Records of 发水河村 in every package, with the words that name each of them on a page."""
    from tests.care.soup.url_scope import fashuihe_soup
    from tests.collective.url_scope import _records as collective_records
    from tests.development.url_scope import fashuihe_case, fashuihe_rule
    from tests.distribution.url_scope import fashuihe_plan
    from tests.enterprises.url_scope import _records as enterprise_records
    from tests.ledger.url_scope import fashuihe_voucher
    from tests.orglife.url_scope import _meeting, _rule
    from tests.returnees.url_scope import fashuihe_records as returnee_records
    from tests.vanguard.url_scope import fashuihe_activity, fashuihe_post

    matter = _matter(town)
    _centre(town)
    _import_job(town)
    _open311_key(town)
    fashuihe_case(town)
    fashuihe_rule(town)
    enterprise_records(town)
    _meeting(town)
    _rule(town)
    fashuihe_post(town)
    fashuihe_activity(town)
    fashuihe_voucher(town)
    returnee_records(town)
    fashuihe_plan(town)
    collective_records(town)
    fashuihe_soup(town)
    return {
        "village": "发水河村",
        "hamlet": "施家湾",
        "head and member": "施华成",
        "ID number (masked)": town.fashuihe.head.id_masked,
        "ID number": decrypt_id_number(town.fashuihe.head.id_cipher),
        "ID number of one's own head": decrypt_id_number(town.xuqiao.head.id_cipher),
        "matter": matter.number,
        "development applicant": "施小军",
        "enterprise": "发水河村酒厂",
        "guidance follow-up": "设立党员活动室",
        "meeting": "发水河村主题党日",
        "meeting rule": "发水河村党支部决定",
        "returnee business": "施家湾鱼苗繁育场",
        "vanguard post": "防汛值守先锋岗",
        "activity": "发水河村清淤志愿服务",
        "voucher": "鱼塘租金",
        "Open311 client": "发水河村客户端",
        "collective economic organisation": "发水河村股份经济合作社",
        "collective decision": "发水河村组建渔业合作社",
        "soup volunteer": "施家湾志愿者",
    }


def _client(town: Any, username: str, name: str) -> Any:
    if name.startswith("api:"):
        client = APIClient()
        client.force_authenticate(town.users[username])
        return client
    return town.client_for(username)


def test_pages_without_arguments_show_nothing_out_of_scope(town):
    """Every page without arguments (lists, searches, forms and their pickers, exports, the API's
    lists), found by walking the URL conf, shows xuqiao none of 发水河村's records, which the town
    administrator does find on them; administrators' pages are 403."""
    secrets = _fashuihe_everywhere(town)
    other_id = secrets["ID number"]
    found_by_admin: set[str] = set()
    faults: list[str] = []
    for name in _list_urls():
        if name in SKIP_LISTS:
            continue
        url = reverse(name)
        xuqiao, admin = _client(town, "xuqiao", name), _client(town, "admin", name)
        expected = VILLAGE_STATUS.get(name, 200)
        for params in ({}, {"q": "施华成"}, {"q": "shc"}, {"q": other_id}, {"export": "xlsx"}):
            response = xuqiao.get(url, params)
            if response.status_code == 302 and response["Location"].startswith(f"{url}?"):
                response = xuqiao.get(response["Location"])  # an ID search goes on with its digest
            if response.status_code != expected:
                faults.append(f"GET {url} {params} → {response.status_code}, expected {expected}")
                continue
            body = _body(response)
            # A search page echoes its own query back in the search box (an ID number masked);
            # anything else must be absent.
            echoed = {params.get("q"), mask_id_number(params["q"]) if params.get("q") == other_id else None}
            for what, secret in secrets.items():
                if secret not in echoed and secret in body:
                    faults.append(f"GET {url} {params} shows 发水河村's {what} ({secret!r})")
        body = _body(admin.get(url))
        found_by_admin |= {what for what, secret in secrets.items() if secret in body}
    assert not faults, "\n".join(faults)
    # The walk has teeth: each record (bar the numbers no page shows in full) is on some page.
    assert set(secrets) - found_by_admin == {"ID number", "ID number of one's own head"}


def _body(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        import io

        from openpyxl import load_workbook

        data = b"".join(response.streaming_content) if response.streaming else response.content
        wb = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
        )
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_no_page_shows_a_full_id_number_to_the_admin(town):
    """Even the town administrator sees ID numbers masked unless they reveal one."""
    numbers = [decrypt_id_number(v.head.id_cipher) for v in (town.xuqiao, town.fashuihe, town.hemeifan)]
    shown = []
    for name in _list_urls():
        if name in SKIP_LISTS:
            continue
        client = _client(town, "admin", name)
        for params in ({}, {"export": "xlsx"}):
            body = _body(client.get(reverse(name), params))
            shown += [f"{name} {params}" for number in numbers if number in body]
    assert shown == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_hides_out_of_scope_matters(town, fmt):
    """A dispute of 发水河村 is not public: Open311 answers 404 for it, whoever is signed in."""
    matter = _matter(town)
    client = town.client_for("xuqiao")
    for url in (
        reverse("open311:request", kwargs={"service_request_id": matter.number, "fmt": fmt}),
        reverse("open311:token", kwargs={"token": str(matter.open311_token), "fmt": fmt}),
    ):
        assert client.get(url).status_code == 404
    listing = client.get(reverse("open311:requests", kwargs={"fmt": fmt}))
    assert matter.number not in listing.content.decode()


def test_category_admin_is_forbidden_to_villages(town):
    from hongniudai.governance.models import Category

    category = Category.objects.get(code="safety-hazard")
    attribute = category.attributes.first()
    client = town.client_for("xuqiao")
    for name, pk in (
        ("governance:admin_category_edit", category.pk),
        ("governance:admin_attribute_new", category.pk),
        ("governance:admin_attribute_edit", attribute.pk),
        ("governance:admin_attribute_delete", attribute.pk),
    ):
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code in (403, 405)
        assert client.post(reverse(name, kwargs={"pk": pk})).status_code == 403
