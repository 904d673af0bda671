"""An ID number registered outside the user's scope is not confirmed: the village hears only that the
town reviews the registration; the town sees the request and moves the resident or rejects it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.audit.models import AuditEvent
from hongniudai.common.identity import decrypt_id_number
from hongniudai.places import events as place_events
from hongniudai.places import services
from hongniudai.places.models import AreaNode, RegistrationReview, Resident, ReviewStatus

REVIEW = "该居民的登记需经镇里审核,已提交审核申请。"
REGISTERED = "该身份证号已登记。"


def _number(resident: Resident) -> str:
    return decrypt_id_number(resident.id_cipher)


def _form(town, resident: Resident, **extra):
    sex = resident.sex
    return {"name": "施华成", "id_number": _number(resident), "sex": sex, "relation": "child", "phone": "", **extra}


def test_the_page_says_only_that_the_town_reviews_and_the_request_is_kept(town):
    client = town.client_for("xuqiao")
    url = reverse("places:resident_create") + f"?household={town.xuqiao.household.pk}"
    residents = Resident.objects.count()
    response = client.post(url, _form(town, town.fashuihe.head))
    assert response.status_code == 200
    html = response.content.decode()
    assert REVIEW in html and REGISTERED not in html and "发水河" not in html
    assert Resident.objects.count() == residents
    review = RegistrationReview.objects.get()
    assert (review.resident, review.household, review.status) == (
        town.fashuihe.head,
        town.xuqiao.household,
        ReviewStatus.PENDING,
    )
    # Asking again does not pile up requests.
    client.post(url, _form(town, town.fashuihe.head))
    assert RegistrationReview.objects.count() == 1


def test_the_api_says_the_same(town):
    api = APIClient()
    api.force_authenticate(town.users["xuqiao"])
    body = {**_form(town, town.fashuihe.head), "household": town.xuqiao.household.pk}
    response = api.post("/api/v1/residents/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"id_number": [REVIEW]}
    assert RegistrationReview.objects.filter(household=town.xuqiao.household).count() == 1


def test_a_duplicate_inside_the_scope_keeps_the_usual_message(town):
    with pytest.raises(ValidationError) as caught:
        services.create_resident(
            actor=town.users["xuqiao"],
            household=town.xuqiao.household,
            name="黄某",
            id_number=_number(town.xuqiao.head),
        )
    assert caught.value.message_dict == {"id_number": [REGISTERED]}
    assert not RegistrationReview.objects.exists()


def test_changing_a_number_to_one_registered_elsewhere_confirms_nothing(town):
    xq = town.xuqiao
    with pytest.raises(ValidationError) as caught:
        services.update_resident(
            actor=town.users["xuqiao"],
            resident=xq.head,
            household=xq.household,
            name=xq.head.name,
            id_number=_number(town.fashuihe.head),
        )
    assert REGISTERED not in str(caught.value) and "镇里审核" in str(caught.value)


def _request(town) -> RegistrationReview:
    with pytest.raises(ValidationError):
        services.create_resident(
            actor=town.users["xuqiao"],
            household=town.xuqiao.household,
            name="施华成",
            id_number=_number(town.fashuihe.head),
            relation="child",
        )
    return RegistrationReview.objects.get()


def _counts(hamlet: AreaNode) -> tuple[int, int]:
    hamlet.refresh_from_db()
    return hamlet.residents_here, hamlet.members_here


def test_the_town_approves_and_the_resident_moves_with_true_counters_and_a_named_audit_event(town):
    review = _request(town)
    person, old_household = town.fashuihe.head, town.fashuihe.household
    xq_before, fs_before = _counts(town.xuqiao.hamlet), _counts(town.fashuihe.hamlet)
    admin = town.client_for("admin")
    html = admin.get(reverse("places:review_list")).content.decode()
    assert "施华成" in html and reverse("places:review_detail", args=[review.pk]) in html
    detail = admin.get(reverse("places:review_detail", args=[review.pk])).content.decode()
    assert _number(person) not in detail and person.id_masked in detail

    response = admin.post(reverse("places:review_approve", args=[review.pk]), follow=True)
    assert "已迁入" in response.content.decode()
    person.refresh_from_db()
    old_household.refresh_from_db()
    assert person.household == town.xuqiao.household and person.relation == "child"
    assert old_household.head_id is None
    moved = 1 if hasattr(person, "party_member") else 0
    assert _counts(town.xuqiao.hamlet) == (xq_before[0] + 1, xq_before[1] + moved)
    assert _counts(town.fashuihe.hamlet) == (fs_before[0] - 1, fs_before[1] - moved)
    event = AuditEvent.objects.get(action=place_events.RESIDENT_MOVED)
    assert event.target_id == str(person.pk) and event.area_path == town.xuqiao.hamlet.path
    assert "household" in event.changes and _number(person) not in str(event.changes)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED and review.decided_by == town.users["admin"]
    # Decided once only.
    response = admin.post(reverse("places:review_reject", args=[review.pk]), {"reason": "重复"}, follow=True)
    assert "已审核" in response.content.decode()


def test_the_town_rejects_with_a_reason(town):
    review = _request(town)
    admin = town.client_for("admin")
    url = reverse("places:review_reject", args=[review.pk])
    assert "请填写驳回理由" in admin.post(url, {"reason": " "}, follow=True).content.decode()
    admin.post(url, {"reason": "经核实,本人仍在发水河村居住。"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.REJECTED and review.reason.startswith("经核实")
    town.fashuihe.head.refresh_from_db()
    assert town.fashuihe.head.household == town.fashuihe.household
    pending = admin.get(reverse("places:review_list")).content.decode()
    assert "没有登记审核申请" in pending
    assert "施华成" in admin.get(reverse("places:review_list"), {"status": "rejected"}).content.decode()


def test_a_village_neither_sees_nor_decides_reviews(town):
    review = _request(town)
    xuqiao = town.client_for("xuqiao")
    assert xuqiao.get(reverse("places:review_list")).status_code == 403
    assert xuqiao.get(reverse("places:review_detail", args=[review.pk])).status_code == 404
    assert xuqiao.post(reverse("places:review_approve", args=[review.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.approve_registration_review(actor=town.users["xuqiao"], review=review)
    assert RegistrationReview.objects.get().status == ReviewStatus.PENDING


def test_the_api_lists_and_decides_reviews_for_the_town_only(town):
    review = _request(town)
    admin = APIClient()
    admin.force_authenticate(town.users["admin"])
    rows = admin.get("/api/v1/registration-reviews/", {"status": "pending"}).json()["results"]
    assert [r["id"] for r in rows] == [review.pk]
    assert rows[0]["resident_id_masked"] == town.fashuihe.head.id_masked
    assert _number(town.fashuihe.head) not in str(rows)
    url = f"/api/v1/registration-reviews/{review.pk}/"
    assert admin.post(url + "reject/", {"reason": ""}, format="json").status_code == 400
    response = admin.post(url + "reject/", {"reason": "本人未迁出"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert admin.post(url + "approve/").status_code == 400  # decided already
    village = APIClient()
    village.force_authenticate(town.users["xuqiao"])
    assert village.get("/api/v1/registration-reviews/").json()["results"] == []
    assert village.get(url).status_code == 404


def test_the_review_list_and_api_query_count_does_not_grow_with_rows(town):
    """The town's list of requests (page and API) costs the same queries for 2 rows as for 12."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hongniudai.accounts.services_tokens import issue_token
    from tests import factories as f

    def grow(n: int) -> None:
        while RegistrationReview.objects.count() < n:
            i = RegistrationReview.objects.count()
            elsewhere = f.resident(town.fashuihe.household, f"施{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i}")
            with pytest.raises(ValidationError):
                services.create_resident(
                    actor=town.users["xuqiao"],
                    household=town.xuqiao.household,
                    name=elsewhere.name,
                    id_number=_number(elsewhere),
                    relation="child",
                )

    page = town.client_for("admin")
    key, _token = issue_token(actor=town.users["admin"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    def counts() -> list[int]:
        out = []
        for client, url in ((page, reverse("places:review_list")), (api, "/api/v1/registration-reviews/")):
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    grow(2)
    small = counts()
    grow(12)
    assert RegistrationReview.objects.count() == 12
    assert counts() == small
