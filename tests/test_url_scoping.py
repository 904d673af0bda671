"""Walk every URL of the platform with an out-of-scope user.

`xuqiao` (secretary of 徐桥村) asks for 发水河村's records through every page, form, action and API
endpoint: each answers 404, exactly like a record that does not exist, and changes nothing. Every
list and search shows none of 发水河村's people. A URL added without an entry here fails
`test_every_url_is_walked`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from hongniudai.audit.models import AuditEvent
from hongniudai.common.identity import decrypt_id_number
from hongniudai.transfer.models import ImportJob, ImportKind

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
    "transfer:import_detail": _import_job,
    "transfer:import_progress": _import_job,
    "transfer:import_confirm": _import_job,
    "transfer:import_errors": _import_job,
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

# URLs that take arguments but name no record (templates by kind, etc.): kwargs to use.
NOT_RECORDS: dict[str, dict[str, Any]] = {
    "transfer:template_download": {"kind": "households"},
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
for _module in ("development", "orglife", "enterprises", "vanguard"):
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


SKIP_LISTS = {"api:schema", "api:docs", "api:redoc", "accounts:logout", "set_language", "healthz", "api:token"}


@pytest.mark.parametrize("name", [n for n in _list_urls() if n not in SKIP_LISTS])
def test_lists_and_searches_show_nothing_out_of_scope(town, name):
    url = reverse(name)
    other_id = decrypt_id_number(town.fashuihe.head.id_cipher)
    own_id = decrypt_id_number(town.xuqiao.head.id_cipher)
    if name.startswith("api:"):
        client: Any = APIClient()
        client.force_authenticate(town.users["xuqiao"])
    else:
        client = town.client_for("xuqiao")
    for params in ({}, {"q": "施华成"}, {"q": "shc"}, {"q": other_id}, {"export": "xlsx"}):
        response = client.get(url, params)
        assert response.status_code in (200, 302, 403, 405), f"GET {url} {params} → {response.status_code}"
        body = _body(response)
        # A search page echoes its own query back in the search box; anything else must be absent.
        for secret in {"施华成", "发水河村", town.fashuihe.head.id_masked, other_id, own_id} - {params.get("q")}:
            assert secret not in body, f"{url} {params} shows {secret!r}"


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


@pytest.mark.parametrize("name", [n for n in _list_urls() if n not in SKIP_LISTS])
def test_no_page_shows_a_full_id_number_to_the_admin(town, name):
    """Even the town administrator sees ID numbers masked unless they reveal one."""
    numbers = [decrypt_id_number(v.head.id_cipher) for v in (town.xuqiao, town.fashuihe, town.hemeifan)]
    if name.startswith("api:"):
        client: Any = APIClient()
        client.force_authenticate(town.users["admin"])
    else:
        client = town.client_for("admin")
    for params in ({}, {"export": "xlsx"}):
        body = _body(client.get(reverse(name), params))
        for number in numbers:
            assert number not in body


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
