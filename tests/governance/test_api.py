"""The REST API of source governance: the 张家冲 story replayed with token authentication,
scoping (another village gets 404 everywhere), bad input, and stable query counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.common.identity import decrypt_id_number
from hongniudai.governance import services
from hongniudai.governance.models import (
    Agreement,
    Attachment,
    FollowUp,
    Matter,
    MatterEvent,
    MatterStatus,
    MediationSession,
    Outcome,
)
from hongniudai.places.models import AreaNode, Resident
from tests.conftest import PASSWORD

CJK = re.compile(r"[\u4e00-\u9fff]")
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def signed_in(username: str, password: str = PASSWORD) -> APIClient:
    """A client that got its token from POST /api/v1/auth/token/, as an outside client would."""
    r = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert r.status_code == 200, r.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    return client


def token_client(user: Any) -> APIClient:
    key, _token = issue_token(actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def no_full_id(response: Any) -> None:
    text = response.content.decode() if hasattr(response, "content") else json.dumps(response, ensure_ascii=False)
    for cipher in Resident.objects.values_list("id_cipher", flat=True):
        assert decrypt_id_number(cipher) not in text
    assert not FULL_ID.search(text)


def chinese_error(response: Any, field: str | None = None) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    if field is not None:
        assert field in body, body
        text = json.dumps(body[field], ensure_ascii=False)
    else:
        text = json.dumps(body, ensure_ascii=False)
    assert CJK.search(text), body


def _report(gov: Any, actor: str = "zhangshengfu", **kw: Any) -> Matter:
    kw.setdefault("category", gov.forest)
    kw.setdefault("title", "山林界址纠纷")
    kw.setdefault("description", "李某忠与赵某发因山林界址扯皮")
    kw.setdefault("channel", "centre_household")
    kw.setdefault("place", gov.hemeifan.hamlet)
    return services.report_matter(actor=gov.users[actor], **kw)


# ---- the story ------------------------------------------------------------------------------


def test_zhangjiachong_story_through_the_api_counts_toward_the_hamlet_rate(gov):
    zsf, lawyer = signed_in("zhangshengfu"), signed_in("hmf_lawyer")
    today = timezone.localdate()

    categories = zsf.get("/api/v1/matter-categories/", {"page_size": 100}).json()["results"]
    forest = next(c for c in categories if c["code"] == "dispute-forest")
    assert forest["name"] == "山林纠纷" and [a["code"] for a in forest["attributes"]] == ["area_mu"]

    r = zsf.post(
        "/api/v1/matters/",
        {
            "category": "dispute-forest",
            "title": "山林界址纠纷",
            "description": "李某忠与赵某发因山林界址多次扯皮,发生肢体冲突",
            "place": gov.hemeifan.hamlet.pk,
            "parties": [gov.li.pk, gov.zhao.pk],
            "attributes": {"area_mu": "3.5"},
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    no_full_id(r)
    matter = r.json()
    url = f"/api/v1/matters/{matter['id']}/"
    assert matter["channel"] == "api" and matter["category_code"] == "dispute-forest"
    assert matter["level"] == "hamlet" and matter["area"] == gov.hemeifan.hamlet.pk and matter["status"] == "new"
    assert matter["signal"] in ("green", "yellow") and matter["accept_due_at"] and matter["due_at"]
    assert matter["attributes"] == {"area_mu": "3.5"}
    assert {(p["name"], p["id_masked"]) for p in matter["parties"]} == {
        ("李某忠", gov.li.id_masked),
        ("赵某发", gov.zhao.id_masked),
    }
    assert all("*" in p["id_masked"] and set(p) == {"id", "name", "id_masked"} for p in matter["parties"])

    r = zsf.post(url + "accept/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert r.json()["handler"]["username"] == "zhangshengfu"

    # The legal adviser sees the village's matters but may not record a visit until invited.
    visit = {
        "held_on": str(today),
        "place": "张家冲李某忠家",
        "participants": "张圣福、村法律顾问刘明远、李某忠、赵某发",
        "legal_adviser_present": True,
        "summary": "法律顾问讲解林权证和相关政策,双方各自陈述",
        "agreed": "双方同意以1982年林权证界址为准",
    }
    assert lawyer.post(url + "sessions/", visit, format="json").status_code == 403
    invitable = zsf.get(url + "invite/").json()
    lawyer_id = next(u["id"] for u in invitable if u["username"] == "hmf_lawyer")
    r = zsf.post(url + "invite/", {"user": lawyer_id, "note": "请法律顾问参与调解"}, format="json")
    assert r.status_code == 200 and [u["username"] for u in r.json()["invited"]] == ["hmf_lawyer"]
    r = lawyer.post(url + "sessions/", visit, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["legal_adviser_present"] and r.json()["recorded_by"]["username"] == "hmf_lawyer"
    r = zsf.post(
        url + "sessions/",
        {
            "held_on": str(today),
            "place": "张家冲赵某发家",
            "participants": "张圣福、赵某发",
            "summary": "再次上门做赵某发的工作",
        },
        format="json",
    )
    assert r.status_code == 201
    assert [s["place"] for s in zsf.get(url + "sessions/").json()] == ["张家冲李某忠家", "张家冲赵某发家"]

    assert zsf.get(url + "agreement/").status_code == 404
    r = zsf.put(
        url + "agreement/",
        {
            "parties": "李某忠、赵某发",
            "facts": "双方因山林界址发生争议",
            "terms": "以1982年林权证界址为准,共同栽立界桩,互不侵占",
            "mediators": "张圣福、刘明远",
            "signed_on": str(today),
            "signatures_noted": True,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert zsf.get(url + "agreement/").json()["terms"].startswith("以1982年林权证界址为准")

    r = zsf.post(
        url + "resolve/",
        {"outcome": "agreement", "resolution": "双方握手言和,签订调解协议", "public_notes": "已调解"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["resolved_level"], r.json()["outcome"]) == ("resolved", "hamlet", "agreement")
    assert r.json()["signal"] == "done"

    r = zsf.post(
        url + "follow-ups/",
        {"visited_on": str(today), "held": True, "satisfaction": 5, "note": "界桩完好,双方来往正常"},
        format="json",
    )
    assert r.status_code == 201, r.content
    detail = zsf.get(url)
    no_full_id(detail)
    body = detail.json()
    assert body["status"] == "closed" and body["satisfaction"] == 5
    assert (body["session_count"], body["follow_up_count"], body["has_agreement"]) == (2, 1, True)

    events = zsf.get(url + "events/").json()
    assert [e["kind"] for e in events] == [
        "report",
        "accept",
        "invite",
        "mediate",
        "mediate",
        "agreement",
        "resolve",
        "follow_up",
    ]
    assert events[3]["actor"]["username"] == "hmf_lawyer"
    assert body["event_count"] == len(events)

    # The village secretary reads 何梅畈村's measures: one matter settled, in the hamlet.
    secretary = token_client(gov.users["hemeifan"])
    village = gov.hemeifan.area.pk
    m = secretary.get("/api/v1/matter-measures/", {"area": village}).json()
    assert (m["reported"], m["settled"], m["settled_hamlet"], m["hamlet_rate"], m["village_rate"]) == (
        1,
        1,
        1,
        1.0,
        1.0,
    )
    assert m["by_level"] == {"hamlet": 1, "grid": 0, "village": 0, "town": 0}
    assert m["satisfaction"] == 5.0 and m["area_name"] == "何梅畈村"

    # A second matter settled only at the village halves the hamlet resolution rate.
    other = _report(gov, title="宅基地边界")
    services.escalate(actor=gov.users["zhangshengfu"], matter=other, reason="双方不接受")
    services.escalate(actor=gov.users["hmf_grid"], matter=other, reason="需村调委会")
    r = secretary.post(
        f"/api/v1/matters/{other.pk}/resolve/",
        {"outcome": "reconciled", "resolution": "村调委会调解和好"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["resolved_level"] == "village"
    m = secretary.get("/api/v1/matter-measures/", {"area": village}).json()
    assert (m["settled"], m["hamlet_rate"], m["village_rate"]) == (2, 0.5, 1.0)
    assert m["by_level"]["village"] == 1
    # No matter yet in a period long ago: rates are null, not zero.
    old = secretary.get("/api/v1/matter-measures/", {"area": village, "from": "2001-01-01", "to": "2001-12-31"}).json()
    assert (old["reported"], old["hamlet_rate"], old["village_rate"], old["mean_days"]) == (0, None, None, None)


def test_escalating_answers_with_the_matter_even_when_it_leaves_the_handler(gov):
    matter = _report(gov, actor="hmf_grid", title="山林边界")
    zsf = token_client(gov.users["zhangshengfu"])
    r = zsf.post(f"/api/v1/matters/{matter.pk}/escalate/", {"reason": "双方不接受湾组调解"}, format="json")
    assert r.status_code == 200, r.content
    assert (r.json()["level"], r.json()["escalations"]) == ("grid", 1)
    assert zsf.get(f"/api/v1/matters/{matter.pk}/").status_code == 404
    village = token_client(gov.users["hemeifan"])
    r = village.post(
        f"/api/v1/matters/{matter.pk}/hand-down/",
        {"to": gov.hemeifan.hamlet.pk, "reason": "请湾组继续做工作"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["level"] == "hamlet"
    assert zsf.get(f"/api/v1/matters/{matter.pk}/").status_code == 200


def test_list_filters(gov):
    admin = token_client(gov.users["admin"])
    a = _report(gov, title="山林甲")
    b = _report(gov, category=gov.hazard, title="危房乙", attributes={"hazard_type": "building"})
    services.resolve(actor=gov.users["zhangshengfu"], matter=b, outcome=Outcome.HANDLED, resolution="已加固")
    c = services.report_matter(
        actor=gov.users["xuqiao"],
        category=gov.hazard,
        title="电线老化",
        description="电线老化",
        channel="web",
        place=gov.xuqiao.hamlet,
        attributes={"hazard_type": "electric"},
    )

    def ids(**params: Any) -> set[int]:
        r = admin.get("/api/v1/matters/", params)
        assert r.status_code == 200, r.content
        return {row["id"] for row in r.json()["results"]}

    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(category="dispute-forest") == {a.pk}
    assert ids(kind="safety_hazard") == {b.pk, c.pk}
    assert ids(status="open") == {a.pk, c.pk}
    assert ids(status="resolved") == {b.pk}
    assert ids(level="grid") == {c.pk}
    assert ids(area=gov.hemeifan.area.pk) == {a.pk, b.pk}
    assert ids(q="危房") == {b.pk}
    assert ids(overdue="true") == set()
    today = timezone.localdate()
    assert ids(reported_from=str(today), reported_to=str(today)) == {a.pk, b.pk, c.pk}
    assert ids(reported_to=str(today - dt.timedelta(days=1))) == set()
    # xuqiao filtering on 何梅畈村 finds nothing rather than an error.
    xuqiao = token_client(gov.users["xuqiao"])
    assert xuqiao.get("/api/v1/matters/", {"area": gov.hemeifan.area.pk}).json()["count"] == 0


def test_overdue_matters_show_red(gov):
    matter = _report(gov)
    Matter.objects.filter(pk=matter.pk).update(accept_due_at=timezone.now() - dt.timedelta(days=1))
    admin = token_client(gov.users["admin"])
    rows = admin.get("/api/v1/matters/", {"overdue": "true"}).json()["results"]
    assert [(row["id"], row["signal"]) for row in rows] == [(matter.pk, "red")]
    assert admin.get(f"/api/v1/matters/{matter.pk}/").json()["signal"] == "red"
    m = admin.get("/api/v1/matter-measures/").json()
    assert m["overdue"] == 1 and m["open"] == 1


def test_attachments_upload_list_and_download(gov):
    matter = _report(gov)
    zsf = token_client(gov.users["zhangshengfu"])
    url = f"/api/v1/matters/{matter.pk}/attachments/"
    r = zsf.post(url, {"file": SimpleUploadedFile("现场.png", PNG, content_type="image/png")}, format="multipart")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["original_name"], body["content_type"], body["size"]) == ("现场.png", "image/png", len(PNG))
    listed = zsf.get(url).json()
    assert [a["id"] for a in listed] == [body["id"]]
    download = zsf.get(body["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png" and "attachment" in download["Content-Disposition"]
    assert token_client(gov.users["xuqiao"]).get(body["download"]).status_code == 404
    assert zsf.get(f"/api/v1/matters/{matter.pk}/attachments/999999/").status_code == 404


# ---- scope ----------------------------------------------------------------------------------


def _full_matter(gov: Any) -> Matter:
    """A 何梅畈村 matter with a session, an agreement, an attachment, settled and visited."""
    zsf = gov.users["zhangshengfu"]
    matter = _report(gov, parties=[gov.li, gov.zhao])
    services.accept(actor=zsf, matter=matter)
    today = timezone.localdate()
    services.record_session(
        actor=zsf, matter=matter, held_on=today, place="张家冲", participants="张圣福、李某忠、赵某发", summary="调解"
    )
    services.sign_agreement(
        actor=zsf,
        matter=matter,
        parties="李某忠、赵某发",
        facts="山林界址",
        terms="按原界址",
        mediators="张圣福",
        signed_on=today,
        signatures_noted=True,
    )
    services.add_attachment(actor=zsf, matter=matter, upload=SimpleUploadedFile("a.png", PNG))
    services.resolve(actor=zsf, matter=matter, outcome=Outcome.AGREEMENT, resolution="签订协议")
    return matter


def _all_routes(pk: int, attachment_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/api/v1/matters/{pk}/"
    today = str(timezone.localdate())
    return [
        ("get", base, {}),
        ("post", base + "accept/", {}),
        ("post", base + "escalate/", {"reason": "上交"}),
        ("post", base + "hand-down/", {"to": 1, "reason": "交办"}),
        ("post", base + "resolve/", {"outcome": "reconciled", "resolution": "和好"}),
        ("post", base + "reopen/", {"reason": "反复"}),
        ("get", base + "invite/", {}),
        ("post", base + "invite/", {"user": 1}),
        ("get", base + "sessions/", {}),
        ("post", base + "sessions/", {"held_on": today, "place": "x", "participants": "x", "summary": "x"}),
        ("get", base + "agreement/", {}),
        (
            "put",
            base + "agreement/",
            {
                "parties": "x",
                "facts": "x",
                "terms": "x",
                "mediators": "x",
                "signed_on": today,
                "signatures_noted": True,
            },
        ),
        (
            "post",
            base + "agreement/",
            {
                "parties": "x",
                "facts": "x",
                "terms": "x",
                "mediators": "x",
                "signed_on": today,
                "signatures_noted": True,
            },
        ),
        ("get", base + "follow-ups/", {}),
        ("post", base + "follow-ups/", {"visited_on": today, "held": True, "satisfaction": 1}),
        ("get", base + "attachments/", {}),
        ("post", base + "attachments/", {}),
        ("get", base + f"attachments/{attachment_id}/", {}),
        ("get", base + "events/", {}),
    ]


def test_another_village_gets_404_on_every_route_and_sees_nothing(gov):
    matter = _full_matter(gov)
    attachment = Attachment.objects.get(matter=matter)
    before = (
        Matter.objects.filter(pk=matter.pk).values_list("status", "level", "updated_at").get(),
        MatterEvent.objects.count(),
        MediationSession.objects.count(),
        FollowUp.objects.count(),
        Agreement.objects.get(matter=matter).terms,
    )
    xuqiao, admin = token_client(gov.users["xuqiao"]), token_client(gov.users["admin"])
    missing_body = xuqiao.get("/api/v1/matters/999999/").json()
    for method, url, data in _all_routes(matter.pk, attachment.pk):
        kwargs: dict[str, Any] = {"format": "json"} if method != "get" else {}
        if url.endswith("attachments/") and method == "post":
            data, kwargs = {"file": SimpleUploadedFile("b.png", PNG)}, {"format": "multipart"}
        r = getattr(xuqiao, method)(url, data, **kwargs)
        assert r.status_code == 404, (method, url, r.status_code)
        assert r.json() == missing_body, (method, url)
    assert admin.get(f"/api/v1/matters/{matter.pk}/").status_code == 200
    after = (
        Matter.objects.filter(pk=matter.pk).values_list("status", "level", "updated_at").get(),
        MatterEvent.objects.count(),
        MediationSession.objects.count(),
        FollowUp.objects.count(),
        Agreement.objects.get(matter=matter).terms,
    )
    assert after == before and Attachment.objects.count() == 1

    rows = xuqiao.get("/api/v1/matters/", {"page_size": 500}).json()
    assert rows["count"] == 0
    assert admin.get("/api/v1/matters/").json()["count"] == 1
    m = xuqiao.get("/api/v1/matter-measures/").json()
    assert (m["reported"], m["settled"], m["hamlet_rate"]) == (0, 0, None)
    assert xuqiao.get("/api/v1/matter-measures/", {"area": gov.hemeifan.area.pk}).status_code == 404
    assert admin.get("/api/v1/matter-measures/", {"area": gov.hemeifan.area.pk}).json()["settled"] == 1


def test_visible_but_not_permitted_is_403(gov):
    matter = _report(gov)
    lawyer = token_client(gov.users["hmf_lawyer"])  # sees the village, handles nothing
    assert lawyer.get(f"/api/v1/matters/{matter.pk}/").status_code == 200
    r = lawyer.post(f"/api/v1/matters/{matter.pk}/accept/", {}, format="json")
    assert r.status_code == 403 and CJK.search(r.json()["detail"])
    assert Matter.objects.get(pk=matter.pk).status == MatterStatus.NEW


# ---- bad input ------------------------------------------------------------------------------


def test_bad_reports_are_refused_in_chinese_and_change_nothing(gov):
    zsf = token_client(gov.users["zhangshengfu"])
    hamlet = gov.hemeifan.hamlet.pk
    base = {"category": "safety-hazard", "description": "老屋墙体开裂", "place": hamlet}
    before = (Matter.objects.count(), MatterEvent.objects.count())
    cases = [
        ({**base, "category": "no-such-thing"}, "category"),
        ({**base, "attributes": {}}, "attribute[hazard_type]"),
        ({**base, "attributes": {"hazard_type": "volcano"}}, "attribute[hazard_type]"),
        ({"category": "dispute-forest", "description": "争议", "lon": "100.5", "lat": "20.5"}, "location"),
        ({"category": "dispute-forest", "description": "争议"}, "place"),
        ({"category": "dispute-forest", "description": "  ", "place": hamlet}, "description"),
        ({"category": "dispute-forest", "description": "争议", "place": gov.hemeifan.area.pk}, "place"),
        ({"category": "dispute-forest", "description": "争议", "place": gov.xuqiao.hamlet.pk}, "place"),
        ({"category": "dispute-forest", "description": "争议", "place": hamlet, "lon": "181"}, "lon"),
        ({"category": "dispute-forest", "description": "争议", "place": hamlet, "parties": [999999]}, "parties"),
        ({"category": "dispute-forest", "description": "争议", "place": hamlet, "reporter_phone": "123"}, None),
    ]
    for data, field in cases:
        r = zsf.post("/api/v1/matters/", data, format="json")
        chinese_error(r, field)
    assert (Matter.objects.count(), MatterEvent.objects.count()) == before


def test_bad_actions_are_refused_in_chinese_and_change_nothing(gov, settings):
    matter = _report(gov)
    zsf = token_client(gov.users["zhangshengfu"])
    url = f"/api/v1/matters/{matter.pk}/"
    events = MatterEvent.objects.count()
    chinese_error(zsf.post(url + "escalate/", {"reason": "  "}, format="json"), "reason")
    chinese_error(zsf.post(url + "resolve/", {"outcome": "magic", "resolution": "x"}, format="json"), "outcome")
    chinese_error(zsf.post(url + "resolve/", {"outcome": "agreement", "resolution": "x"}, format="json"), "outcome")
    chinese_error(zsf.post(url + "resolve/", {"outcome": "reconciled", "resolution": ""}, format="json"), "resolution")
    chinese_error(zsf.post(url + "hand-down/", {"to": gov.hemeifan.hamlet.pk, "reason": "x"}, format="json"), "to")
    chinese_error(zsf.post(url + "invite/", {"user": gov.users["xuqiao"].pk}, format="json"), "user")
    chinese_error(zsf.post(url + "invite/", {"user": "abc"}, format="json"), "user")
    chinese_error(
        zsf.post(url + "follow-ups/", {"visited_on": "2026-01-01", "held": True, "satisfaction": 5}, format="json")
    )
    chinese_error(zsf.post(url + "reopen/", {"reason": "x"}, format="json"))
    tomorrow = str(timezone.localdate() + dt.timedelta(days=1))
    r = zsf.post(
        url + "sessions/", {"held_on": tomorrow, "place": "x", "participants": "x", "summary": "x"}, format="json"
    )
    chinese_error(r, "held_on")
    chinese_error(zsf.post(url + "sessions/", {"held_on": "昨天", "place": "x"}, format="json"), "held_on")
    r = zsf.put(
        url + "agreement/",
        {"parties": "", "facts": "x", "terms": "x", "mediators": "x", "signed_on": tomorrow, "signatures_noted": True},
        format="json",
    )
    chinese_error(r)
    # Attachments: a disguised file, an unknown type, an oversized photo, no file at all.
    attach = url + "attachments/"
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 this is a program", content_type="image/jpeg")
    chinese_error(zsf.post(attach, {"file": fake}, format="multipart"), "file")
    script = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    chinese_error(zsf.post(attach, {"file": script}, format="multipart"), "file")
    settings.MATTER_ATTACHMENT_MAX_BYTES = 32
    chinese_error(zsf.post(attach, {"file": SimpleUploadedFile("big.png", PNG)}, format="multipart"), "file")
    chinese_error(zsf.post(attach, {}, format="multipart"), "file")
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW and matter.level == "hamlet"
    assert MatterEvent.objects.count() == events
    assert not Attachment.objects.exists() and not MediationSession.objects.exists()
    assert not Agreement.objects.exists() and not FollowUp.objects.exists()


def test_bad_query_parameters(gov):
    admin = token_client(gov.users["admin"])
    chinese_error(admin.get("/api/v1/matters/", {"reported_from": "去年"}), "reported_from")
    chinese_error(admin.get("/api/v1/matters/", {"status": "lost"}), "status")
    chinese_error(admin.get("/api/v1/matters/", {"category": "no-such-thing"}), "category")
    chinese_error(admin.get("/api/v1/matters/", {"area": "x"}), "area")
    chinese_error(admin.get("/api/v1/matter-measures/", {"from": "2026-02-01", "to": "2026-01-01"}), "from")
    chinese_error(admin.get("/api/v1/matter-measures/", {"to": "31/12/2025"}), "to")
    assert admin.get("/api/v1/matters/abc/").status_code == 404
    assert admin.get("/api/v1/matters/999999/events/").status_code == 404


# ---- queries --------------------------------------------------------------------------------


def _grow_to(gov: Any, n: int) -> None:
    zsf = gov.users["zhangshengfu"]
    today = timezone.localdate()
    while Matter.objects.count() < n:
        i = Matter.objects.count()
        matter = _report(gov, title=f"纠纷{i}", parties=[gov.li, gov.zhao])
        if i % 3 == 1:
            services.accept(actor=zsf, matter=matter)
            services.record_session(
                actor=zsf, matter=matter, held_on=today, place="张家冲", participants="张圣福", summary="走访"
            )
        if i % 3 == 2:
            services.invite(actor=zsf, matter=matter, user=gov.users["hmf_lawyer"])
            services.resolve(actor=zsf, matter=matter, outcome=Outcome.RECONCILED, resolution="和好")


def test_the_list_writes_each_matter_exactly_as_its_detail(gov):
    """The list writes its rows without the serializer: every key, its order and its format must
    stay those of the matter's detail, with each relation filled and empty."""
    zsf = gov.users["zhangshengfu"]
    zsf.display_name = "张圣福"
    zsf.save(update_fields=["display_name"])
    full = _full_matter(gov)  # parties, a session, an agreement, an attachment; settled
    services.follow_up(actor=zsf, matter=full, visited_on=timezone.localdate(), held=True, satisfaction=4)
    Matter.objects.filter(pk=full.pk).update(
        lon=Decimal("114.5"), lat=Decimal("30.123456"), reporter_name="李某忠", reporter_phone="13812345678"
    )
    accepted = _report(gov, category=gov.hazard, title="危房", attributes={"hazard_type": "building"})
    services.accept(actor=zsf, matter=accepted)
    services.invite(actor=zsf, matter=accepted, user=gov.users["hmf_lawyer"])
    overdue = _report(gov, title="超时", parties=[gov.zhao])
    Matter.objects.filter(pk=overdue.pk).update(accept_due_at=timezone.now() - dt.timedelta(days=1))
    due_soon = _report(gov, title="将到期")
    soon = timezone.now() + dt.timedelta(minutes=1)
    Matter.objects.filter(pk=due_soon.pk).update(accept_due_at=soon, reporter_name="", reporter_phone="123")
    bare = _report(gov, title="无人")  # no handler, no reporter, a place without a parent
    root = AreaNode.objects.get(parent=None)
    Matter.objects.filter(pk=bare.pk).update(handler=None, reporter=None, place=root)
    escalated = _report(gov, actor="hmf_grid", title="上交")
    services.escalate(actor=zsf, matter=escalated, reason="双方不接受湾组调解")

    admin = token_client(gov.users["admin"])
    rows = admin.get("/api/v1/matters/", {"page_size": 100}).json()["results"]
    assert len(rows) == 6
    for row in rows:
        detail = admin.get(f"/api/v1/matters/{row['id']}/").json()
        assert list(row.items()) == list(detail.items())
    shown = {row["id"]: row for row in rows}
    assert shown[full.pk]["handler"]["name"] == "张圣福" and shown[full.pk]["lon"] == "114.500000"
    assert len(shown[full.pk]["parties"]) == 2 and len(shown[accepted.pk]["invited"]) == 1
    assert shown[bare.pk]["handler"] is None and shown[bare.pk]["place_parent_name"] is None
    assert {row["signal"] for row in rows} >= {"done", "red", "green"}


def test_list_query_count_does_not_grow_with_matters(gov):
    admin = token_client(gov.users["admin"])
    admin.get("/api/v1/areas/")  # the token's first use of the minute records it (one more query)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            r = admin.get("/api/v1/matters/", {"page_size": 100})
        assert r.status_code == 200
        no_full_id(r)
        return len(ctx.captured_queries), r.json()["count"]

    _grow_to(gov, 3)
    small = count()
    _grow_to(gov, 20)
    large = count()
    assert (small[1], large[1]) == (3, 20)
    assert large[0] == small[0], f"{small[0]} queries for 3 matters, {large[0]} for 20"
    # The token, the invitations' grant, the count, the page's ids, its rows with their relations
    # joined, its parties, its invited people, the working calendar.
    assert large[0] <= 8, large


@pytest.mark.parametrize("path", ["/api/v1/matters/", "/api/v1/matter-measures/", "/api/v1/matter-categories/"])
def test_anonymous_is_refused(gov, path):
    assert APIClient().get(path).status_code == 401
