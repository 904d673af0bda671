"""Odd input gives a 4xx with a message, never a 500."""

import json

import pytest

HUGE = "9" * 30


@pytest.mark.parametrize(
    "method, url, data",
    [
        ("get", f"/api/v1/residents/{HUGE}/", None),
        ("get", "/api/v1/residents/abc/", None),
        ("get", "/api/v1/residents/", {"area": "1e30"}),
        ("get", "/api/v1/residents/", {"area": "-1"}),
        ("get", "/api/v1/residents/", {"elderly": "perhaps", "sex": "X"}),
        ("get", "/api/v1/residents/", {"page_size": "abc", "page": "x"}),
        ("get", "/api/v1/members/", {"org": HUGE, "status": "nope"}),
        ("get", "/api/v1/areas/", {"within": "1.5", "parent": HUGE}),
        ("post", f"/api/v1/residents/{HUGE}/reveal-id/", None),
        ("post", "/api/v1/residents/", {"household": HUGE, "name": "甲", "id_number": "x" * 500}),
        ("post", "/api/v1/residents/", {"household": [1], "name": ["甲"]}),
        ("post", "/api/v1/households/", {"hamlet": None, "address": None}),
        ("post", "/api/v1/areas/", {"parent": 1, "name": "甲", "kind": "village", "geometry": {"type": "Blob"}}),
        ("post", "/api/v1/party-orgs/", {"parent": HUGE, "name": "", "kind": "", "area": "x"}),
        ("post", "/api/v1/members/", {"resident_id": 1, "org": 1, "joined_on": "yesterday"}),
        ("post", "/api/v1/centre-households/", {"hamlet": 1, "member": 1, "linked_households": "1,2"}),
        ("patch", "/api/v1/households/1/", {"head": HUGE}),
        ("post", "/api/v1/auth/token/", {"username": ["a"], "password": {"b": 1}}),
    ],
)
def test_bad_input_never_500(town, api_for, method, url, data):
    client = api_for("admin")
    kwargs = {"format": "json"} if method != "get" else {}
    r = getattr(client, method)(url, data, **kwargs)
    assert 400 <= r.status_code < 500, (r.status_code, r.content[:300])
    text = json.dumps(r.json(), ensure_ascii=False)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text  # a Chinese message


def test_unknown_ids_answer_chinese_404_without_naming_the_model(town, api_for):
    client = api_for("admin")
    for url in (f"/api/v1/residents/{HUGE}/", "/api/v1/residents/999999/", "/api/v1/members/abc/"):
        r = client.get(url)
        assert r.status_code == 404
        assert r.json() == {"detail": "未找到。"}


def test_a_filter_on_an_id_beyond_the_database_is_refused_and_the_largest_matches_nothing(town, api_for):
    r = api_for("admin").get("/api/v1/residents/", {"area": HUGE})
    assert r.status_code == 400 and "整数编号" in r.json()["area"][0]
    r = api_for("admin").get("/api/v1/residents/", {"area": str(2**63 - 1)})
    assert r.status_code == 200 and r.json()["count"] == 0


def test_malformed_json_is_400(town, api_for):
    r = api_for("admin").generic("POST", "/api/v1/residents/", "{not json", content_type="application/json")
    assert r.status_code == 400
    assert "JSON" in r.json()["detail"]
