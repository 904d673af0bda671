"""The REST API of organisational life: meetings (CRUD with kinds and attendance), compliance, rules."""

from __future__ import annotations

import datetime as dt

from rest_framework.test import APIClient

from hongniudai.orglife.models import Meeting

from .conftest import YEAR, hold

DAY = dt.date(YEAR, 4, 8)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(members, *, org, absent=(), kinds=("member_meeting",)):
    away = {m.pk for m in absent}
    return {
        "org": org.pk,
        "held_on": DAY.isoformat(),
        "topic": "学习党章",
        "kinds": list(kinds),
        "attendance": [
            {"member": m.pk, "present": m.pk not in away, "absence_reason": "migrant_work" if m.pk in away else ""}
            for m in members
        ],
    }


def test_create_read_update_delete_meeting(ol):
    t = ol.town
    api = _api(t.users["xuqiao"])
    response = api.post(
        "/api/v1/meetings/", _body(ol.members, org=t.xuqiao.branch, absent=ol.members[1:3]), format="json"
    )
    assert response.status_code == 201, response.data
    data = response.data
    assert data["marks"] == [{"kind": "member_meeting", "kind_label": "支部党员大会", "counts": False}]
    assert (data["voting_total"], data["voting_present"]) == (3, 1)
    absent = [a for a in data["attendance"] if not a["present"]]
    assert {a["member_name"] for a in absent} == {"黄国强", "黄秀英"}
    pk = data["id"]
    # PATCH the attendance only: now a majority, it counts; the kinds stay.
    body = _body(ol.members, org=t.xuqiao.branch, absent=[ol.members[1]])
    response = api.patch(f"/api/v1/meetings/{pk}/", {"attendance": body["attendance"]}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["marks"][0]["counts"] is True and response.data["topic"] == "学习党章"
    # PATCH the kinds only: attendance stays.
    response = api.patch(f"/api/v1/meetings/{pk}/", {"kinds": ["member_meeting", "theme_day"]}, format="json")
    assert {m["kind"] for m in response.data["marks"]} == {"member_meeting", "theme_day"}
    assert sum(1 for a in response.data["attendance"] if not a["present"]) == 1
    assert api.patch(f"/api/v1/meetings/{pk}/", {"org": t.xuqiao.group.pk}, format="json").status_code == 400
    assert api.delete(f"/api/v1/meetings/{pk}/").status_code == 204
    assert not Meeting.objects.filter(pk=pk).exists()


def test_bad_input_is_400_with_messages(ol):
    t = ol.town
    api = _api(t.users["xuqiao"])
    body = _body(ol.members, org=t.xuqiao.branch)
    body["attendance"][1] = {"member": ol.members[1].pk, "present": False}
    response = api.post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400 and "缺席原因" in str(response.data["attendance"])
    body = _body(ol.members, org=t.xuqiao.branch, kinds=["group_meeting"])
    response = api.post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400 and "kinds" in response.data
    body = _body(ol.members, org=t.xuqiao.branch)
    del body["kinds"]
    assert api.post("/api/v1/meetings/", body, format="json").status_code == 400
    body = _body(ol.members, org=t.xuqiao.branch)
    body["held_on"] = "2999-01-01"
    assert api.post("/api/v1/meetings/", body, format="json").status_code == 400
    # Another village's branch is not even there.
    body = _body([t.fashuihe.member], org=t.fashuihe.branch)
    response = api.post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400 and "org" in response.data
    assert not Meeting.objects.exists()


def test_scope_and_capability(ol):
    t = ol.town
    m = hold(t.fashuihe.branch, DAY, "theme_day")
    assert _api(t.users["xuqiao"]).get(f"/api/v1/meetings/{m.pk}/").status_code == 404
    assert _api(t.users["fashuihe"]).get(f"/api/v1/meetings/{m.pk}/").status_code == 200
    g = hold(t.xuqiao.group, DAY, "group_meeting")
    grid = _api(t.users["gridworker"])
    assert grid.get(f"/api/v1/meetings/{g.pk}/").status_code == 200
    assert grid.patch(f"/api/v1/meetings/{g.pk}/", {"topic": "x"}, format="json").status_code == 403
    assert grid.delete(f"/api/v1/meetings/{g.pk}/").status_code == 403
    body = _body([], org=t.xuqiao.group, kinds=["group_meeting"])  # the members are out of their sight
    assert grid.post("/api/v1/meetings/", body, format="json").status_code == 403


def test_list_filters(ol):
    t = ol.town
    hold(t.xuqiao.branch, DAY, "party_lecture", topic="党课")
    hold(t.xuqiao.branch, dt.date(YEAR, 5, 2), "theme_day", topic="主题党日")
    hold(t.fashuihe.branch, DAY, "theme_day", topic="发水河")
    api = _api(t.users["xuqiao"])
    topics = {r["topic"] for r in api.get("/api/v1/meetings/").data["results"]}
    assert topics == {"党课", "主题党日"}
    assert [r["topic"] for r in api.get("/api/v1/meetings/", {"kind": "party_lecture"}).data["results"]] == ["党课"]
    assert [r["topic"] for r in api.get("/api/v1/meetings/", {"start": f"{YEAR}-05-01"}).data["results"]] == [
        "主题党日"
    ]
    assert api.get("/api/v1/meetings/", {"org": t.fashuihe.branch.pk}).data["results"] == []


def test_compliance_endpoint(ol):
    t = ol.town
    for month in range(1, 13):
        if month != 6:
            hold(t.xuqiao.branch, dt.date(YEAR, month, 15), "committee_meeting")
    admin = _api(t.users["admin"])
    period = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    data = admin.get("/api/v1/orglife-compliance/", {"org": t.general_branch.pk, **period}).data
    assert data["org_name"] == "东片区大总支" and data["met"] == 11
    assert {c["name"] for c in data["children"]} == {"徐桥村党支部", "发水河村党支部", "何梅畈村党支部"}
    assert data["obligations"] == []
    data = admin.get("/api/v1/orglife-compliance/", {"org": t.xuqiao.branch.pk, **period}).data
    june = [o for o in data["obligations"] if o["kind"] == "committee_meeting" and o["status"] == "missing"]
    assert [o["unit_start"] for o in june] == [f"{YEAR}-06-01"]
    xuqiao = _api(t.users["xuqiao"])
    assert xuqiao.get("/api/v1/orglife-compliance/", {"org": t.fashuihe.branch.pk}).status_code == 404
    assert xuqiao.get("/api/v1/orglife-compliance/", {"start": "2025-05-01", "end": "2025-01-01"}).status_code == 400
    assert xuqiao.get("/api/v1/orglife-compliance/", {"start": "nonsense"}).status_code == 400
    mine = xuqiao.get("/api/v1/orglife-compliance/", period).data
    assert [c["name"] for c in mine["children"]] == ["徐桥村党支部"]


def test_rules_list(ol):
    data = _api(ol.town.users["xuqiao"]).get("/api/v1/meeting-rules/").data
    rows = data["results"] if isinstance(data, dict) else data
    assert {r["kind"] for r in rows} >= {"member_meeting", "committee_meeting", "group_meeting"}
    assert all(r["area"] is None for r in rows)


def test_start_time_is_saved_and_audited_through_the_api(ol):
    from hongniudai.audit.models import AuditEvent

    t = ol.town
    api = _api(t.users["xuqiao"])
    body = {**_body(ol.members, org=t.xuqiao.branch), "start_time": "19:30"}
    response = api.post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 201, response.data
    assert response.data["start_time"] == "19:30:00"
    pk = response.data["id"]
    response = api.patch(f"/api/v1/meetings/{pk}/", {"start_time": "08:15"}, format="json")
    assert response.status_code == 200, response.data
    assert Meeting.objects.get(pk=pk).start_time == dt.time(8, 15)
    event = AuditEvent.objects.filter(target_type="orglife.meeting", target_id=str(pk)).latest("id")
    assert event.changes["start_time"] == ["19:30:00", "08:15:00"]
