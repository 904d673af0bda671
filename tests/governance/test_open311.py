"""Open311 GeoReport v2 at /open311/v2/, driven the way a client that follows the specification
drives it: list services, read a definition, post a request with an api_key, resolve its token,
read the request back — in XML and in JSON — and what it must never show."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from hongniudai.governance import services
from hongniudai.governance.models import Category, Channel, Level, Matter, MatterStatus, Outcome
from hongniudai.places import services as place_services

BASE = "/open311/v2"
# The three hamlets as squares side by side; a point in 张家冲 (何梅畈村 6组).
SQUARES = {"xuqiao": 114.80, "fashuihe": 114.82, "hemeifan": 114.84}
IN_ZHANGJIACHONG = ("30.305", "114.845")
IN_HUANGJIAWAN = ("30.305", "114.805")
NOWHERE = ("31.900", "115.900")


def _square(x: float) -> dict[str, Any]:
    ring = [[x, 30.30], [x + 0.01, 30.30], [x + 0.01, 30.31], [x, 30.31], [x, 30.30]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def o311(gov):
    """The gov fixture with hamlet polygons, a town code, and api_keys for the town and for 徐桥村."""
    admin = gov.users["admin"]
    for name, x in SQUARES.items():
        hamlet = getattr(gov, name).hamlet
        place_services.update_area(actor=admin, area=hamlet, name=hamlet.name, geometry=_square(x))
    place_services.update_area(actor=admin, area=gov.town, name=gov.town.name, code="420704100")
    gov.town_key, _r = services.issue_open311_key(actor=admin, name="宋河随手拍", area=gov.town)
    gov.xuqiao_key, _r = services.issue_open311_key(actor=admin, name="徐桥村微信群", area=gov.xuqiao.area)
    gov.client = Client(enforce_csrf_checks=True)
    return gov


def parse(response) -> Any:
    """The body as plain data: JSON as is; XML turned into dicts and lists the same way."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return _element(ET.fromstring(response.content))


LISTS = {"services", "attributes", "values", "service_requests", "errors", "endpoints", "formats"}


def _element(el: ET.Element) -> Any:
    if el.tag in LISTS:
        return [_element(child) for child in el]
    if len(el):
        return {child.tag: _element(child) for child in el}
    return el.text


def _post(o311, fmt, **data):
    data.setdefault("api_key", o311.town_key)
    return o311.client.post(f"{BASE}/requests.{fmt}", data)


def _hazard_post(o311, fmt, **extra):
    lat, lon = IN_ZHANGJIACHONG
    data = {
        "service_code": "safety-hazard",
        "lat": lat,
        "long": lon,
        "attribute[hazard_type]": "road",
        "description": "村道塌陷一处,联系电话13987654321",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13987654321",
        "email": "wxm@example.com",
        "address_string": "张家冲村口",
    }
    data.update(extra)
    return _post(o311, fmt, **data)


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


# ---- discovery, services, definitions -----------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_discovery(o311, fmt):
    response = o311.client.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    doc = parse(response)
    assert doc["contact"] and doc["key_service"] and doc["changeset"]
    (endpoint,) = doc["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_services_offer_public_categories_only(o311, fmt):
    response = o311.client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "420704100"})
    assert response.status_code == 200
    listed = {s["service_code"]: s for s in parse(response)}
    assert "safety-hazard" in listed and "straw-burning" in listed and "environment" in listed
    assert not {code for code in listed if code.startswith("dispute-")}
    assert "public-security" not in listed  # not public
    hazard = listed["safety-hazard"]
    assert hazard["service_name"] == "安全隐患" and hazard["group"] == "安全隐患"
    assert _as_text(hazard["metadata"]).lower() == "true"
    assert _as_text(listed["environment"]["metadata"]).lower() == "false"
    assert hazard["keywords"] == "危房, 用电, 道路, 消防"
    assert hazard["type"] in ("realtime", "batch", "blackbox")


def test_a_category_made_public_later_is_offered_and_a_dispute_never(o311):
    Category.objects.filter(code="public-security").update(is_public=True)
    Category.objects.filter(code="dispute-forest").update(is_public=True)
    codes = {s["service_code"] for s in parse(o311.client.get(f"{BASE}/services.json"))}
    assert "public-security" in codes and "dispute-forest" not in codes


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_service_definition(o311, fmt):
    response = o311.client.get(f"{BASE}/services/straw-burning.{fmt}")
    assert response.status_code == 200
    definition = parse(response)
    assert definition["service_code"] == "straw-burning"
    burning, area = definition["attributes"]
    assert burning["code"] == "burning_now" and burning["datatype"] == "singlevaluelist"
    assert _as_text(burning["required"]).lower() == "true" and _as_text(burning["variable"]).lower() == "true"
    assert burning["description"] == "是否正在燃烧" and burning["datatype_description"]
    assert [(v["key"], v["name"]) for v in burning["values"]] == [("yes", "是"), ("no", "否")]
    assert area["code"] == "area_mu" and area["datatype"] == "number"
    assert _as_text(area["required"]).lower() == "false"
    assert [int(burning["order"]), int(area["order"])] == [1, 2]


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("code", ["no-such-thing", "dispute-forest"])
def test_unknown_or_private_service_is_404_in_the_error_format(o311, fmt, code):
    response = o311.client.get(f"{BASE}/services/{code}.{fmt}")
    assert response.status_code == 404
    (error,) = parse(response)
    assert int(error["code"]) == 404 and code in error["description"]


def test_unknown_format_and_unknown_jurisdiction_are_404(o311):
    assert o311.client.get(f"{BASE}/services.yaml").status_code == 404
    assert o311.client.get(f"{BASE}/nothing-here").status_code == 404
    response = o311.client.get(f"{BASE}/services.json", {"jurisdiction_id": "999999999"})
    assert response.status_code == 404
    assert "jurisdiction_id" in parse(response)[0]["description"]


# ---- the whole round trip -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_resolve_token_and_read_back(o311, fmt):
    response = _hazard_post(o311, fmt)
    assert response.status_code == 200, response.content.decode()
    (answer,) = parse(response)
    token = answer["token"]
    assert "service_request_id" not in answer and answer["account_id"] is None
    assert "张家冲" in answer["service_notice"]

    # It entered the ladder like any other matter: with the centre household of 张家冲.
    matter = Matter.objects.get()
    assert matter.channel == Channel.OPEN311 and matter.place == o311.hemeifan.hamlet
    assert matter.level == Level.HAMLET and matter.status == MatterStatus.NEW
    assert matter.attributes == {"hazard_type": "road"}
    assert matter.reporter_name == "王小明" and matter.reporter_phone == "13987654321"
    assert "wxm@example.com" in matter.events.get(kind="note").note

    response = o311.client.get(f"{BASE}/tokens/{token}.{fmt}")
    assert response.status_code == 200
    (resolved,) = parse(response)
    assert resolved["token"] == token and resolved["service_request_id"] == matter.number

    response = o311.client.get(f"{BASE}/requests/{matter.number}.{fmt}")
    assert response.status_code == 200
    (req,) = parse(response)
    assert req["service_request_id"] == matter.number
    assert req["status"] == "open" and req["service_code"] == "safety-hazard" and req["service_name"] == "安全隐患"
    assert req["agency_responsible"] == "张家冲"
    assert req["description"] == "村道塌陷一处,联系电话139****4321"
    assert req["requested_datetime"].endswith("+08:00") and req["expected_datetime"].endswith("+08:00")
    assert float(req["lat"]) == pytest.approx(30.305) and float(req["long"]) == pytest.approx(114.845)
    assert req["address"].startswith("张家冲村口") and "何梅畈村" in req["address"]
    body = response.content.decode()
    for secret in ("王小明", "13987654321", "wxm@example.com", "小明"):
        assert secret not in body
    assert list(req) == [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
        "address", "address_id", "zipcode", "lat", "long", "media_url",
    ]  # fmt: skip

    # The public status follows the matter.
    zsf = o311.users["zhangshengfu"]
    services.accept(actor=zsf, matter=matter)
    assert parse(o311.client.get(f"{BASE}/requests/{matter.number}.{fmt}"))[0]["status"] == "open"
    services.resolve(
        actor=zsf, matter=matter, outcome=Outcome.HANDLED, resolution="已设警示并修复", public_notes="路面已修复"
    )
    (req,) = parse(o311.client.get(f"{BASE}/requests/{matter.number}.{fmt}"))
    assert req["status"] == "closed" and req["status_notes"] == "路面已修复"
    matter.refresh_from_db()
    assert req["updated_datetime"] == timezone.localtime(matter.resolved_at).isoformat(timespec="seconds")
    listed = parse(o311.client.get(f"{BASE}/requests.{fmt}", {"status": "closed"}))
    assert [r["service_request_id"] for r in listed] == [matter.number]
    assert parse(o311.client.get(f"{BASE}/requests.{fmt}", {"status": "open"})) == []


def test_multivalue_and_optional_attributes_and_media_url(o311):
    response = _post(
        o311,
        "json",
        service_code="straw-burning",
        lat=IN_HUANGJIAWAN[0],
        long=IN_HUANGJIAWAN[1],
        **{"attribute[burning_now]": "yes", "attribute[area_mu]": "2.5"},
        media_url="https://img.example.com/a.jpg",
    )
    assert response.status_code == 200, response.content.decode()
    matter = Matter.objects.get()
    assert matter.place == o311.xuqiao.hamlet and matter.description == "秸秆焚烧"
    (req,) = parse(o311.client.get(f"{BASE}/requests/{matter.number}.json"))
    assert req["media_url"] == "https://img.example.com/a.jpg"


@pytest.mark.parametrize(
    ("where", "expected"),
    [({"address_string": "何梅畈村张家冲王家门口"}, "hemeifan"), ({"address_id": None}, "xuqiao")],
)
def test_placed_by_address_string_or_address_id(o311, where, expected):
    if "address_id" in where:
        where = {"address_id": str(o311.xuqiao.hamlet.pk)}
    response = _post(o311, "json", service_code="environment", description="垃圾堆积", **where)
    assert response.status_code == 200, response.content.decode()
    assert Matter.objects.get().place == getattr(o311, expected).hamlet


# ---- refusals: the specification's errors, and nothing saved -------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "not-a-key"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "no-such-thing"}, 404, "no-such-thing"),
        ({"service_code": "dispute-forest"}, 404, "dispute-forest"),
        ({"lat": NOWHERE[0], "long": NOWHERE[1]}, 400, "不在任何湾组或村组的范围之内"),
        ({"attribute[hazard_type]": ""}, 400, "请回答“隐患类型”"),
        ({"attribute[hazard_type]": "volcano"}, 400, "选项无效"),
        ({"long": ""}, 400, "lat 和 long 须同时提供"),
        ({"lat": "abc"}, 400, "WGS84"),
        ({"lat": "", "long": "", "address_string": ""}, 400, "缺少位置"),
        ({"lat": "", "long": "", "address_string": "某地某处"}, 400, "address_string"),
        ({"phone": "12345"}, 400, "phone"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"description": "长" * 4001}, 400, "4000"),
        ({"jurisdiction_id": "999999999"}, 404, "jurisdiction_id"),
    ],
)
def test_bad_posts_are_refused_and_save_nothing(o311, fmt, change, status, words):
    data = {"api_key": o311.town_key, **change}
    response = _hazard_post(o311, fmt, **data)
    assert response.status_code == status
    errors = parse(response)
    assert errors and all(int(e["code"]) == status for e in errors)
    assert any(words in e["description"] for e in errors), errors
    assert Matter.objects.count() == 0


def test_xml_error_body_is_the_specifications(o311):
    response = _hazard_post(o311, "xml", api_key="wrong")
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and [e.tag for e in root] == ["error"]
    assert root.find("error/code").text == "403" and root.find("error/description").text


def test_a_village_key_cannot_place_a_request_in_another_village(o311):
    response = _hazard_post(o311, "json", api_key=o311.xuqiao_key)  # the point lies in 何梅畈村
    assert response.status_code == 400
    assert Matter.objects.count() == 0


def test_revoked_key_is_refused(o311):
    from hongniudai.governance.open311 import selectors as open311

    services.revoke_open311_key(actor=o311.users["admin"], key=open311.key_for(o311.town_key))
    assert _hazard_post(o311, "json").status_code == 403
    assert Matter.objects.count() == 0


def test_other_methods_are_refused(o311):
    response = o311.client.post(f"{BASE}/services.json")
    assert response.status_code == 405 and parse(response)[0]["code"] == 405


# ---- what is listed, and to whom ----------------------------------------------------------


def _web_report(o311, village, category="safety-hazard", **kw):
    v = getattr(o311, village)
    actor = {"hemeifan": "zhangshengfu", "xuqiao": "gridworker"}[village]
    kw.setdefault("attributes", {"hazard_type": "building"} if category == "safety-hazard" else {})
    return services.report_matter(
        actor=o311.users[actor],
        category=Category.objects.get(code=category),
        title="",
        description=kw.pop("description", "危房一处"),
        channel=Channel.GRID_PATROL,
        place=v.hamlet,
        **kw,
    )


def _listed(o311, client=None, **params):
    response = (client or o311.client).get(f"{BASE}/requests.json", params)
    assert response.status_code == 200, response.content.decode()
    return {r["service_request_id"] for r in parse(response)}


def test_a_dispute_is_listed_to_nobody(o311):
    dispute = _web_report(o311, "hemeifan", "dispute-forest", description="李某忠与赵某发山林纠纷", attributes={})
    Matter.objects.filter(pk=dispute.pk).update(channel=Channel.OPEN311)  # even were it to come in that way
    for client in (o311.client, o311.client_for("xuqiao"), o311.client_for("hemeifan"), o311.client_for("admin")):
        assert dispute.number not in _listed(o311, client)
        assert dispute.number not in _listed(o311, client, api_key=o311.town_key)
        assert client.get(f"{BASE}/requests/{dispute.number}.json", {"api_key": o311.town_key}).status_code == 404
    assert dispute.number not in _listed(o311, service_request_id=dispute.number, api_key=o311.town_key)


def test_a_village_key_lists_nothing_from_another_village(o311):
    here = _web_report(o311, "xuqiao")
    there = _web_report(o311, "hemeifan")
    _hazard_post(o311, "json")  # an Open311 request in 何梅畈村 too
    posted = Matter.objects.get(channel=Channel.OPEN311)
    assert _listed(o311, api_key=o311.xuqiao_key) == {here.number}
    assert _listed(o311, api_key=o311.town_key) == {here.number, there.number, posted.number}
    response = o311.client.get(f"{BASE}/requests/{there.number}.json", {"api_key": o311.xuqiao_key})
    assert response.status_code == 404


def test_without_a_key_only_open311_requests_are_listed_and_a_session_does_not_widen_it(o311):
    _web_report(o311, "xuqiao")
    internal = _web_report(o311, "hemeifan")
    _hazard_post(o311, "json")
    posted = Matter.objects.get(channel=Channel.OPEN311)
    assert _listed(o311) == {posted.number}
    assert _listed(o311, o311.client_for("xuqiao")) == {posted.number}
    assert _listed(o311, o311.client_for("admin")) == {posted.number}
    assert o311.client_for("hemeifan").get(f"{BASE}/requests/{internal.number}.json").status_code == 404
    assert _listed(o311, jurisdiction_id="420704100") == {posted.number}
    assert _listed(o311, jurisdiction_id=str(o311.town.pk)) == {posted.number}


def test_invalid_key_on_get_is_403(o311):
    response = o311.client.get(f"{BASE}/requests.xml", {"api_key": "nope"})
    assert response.status_code == 403 and parse(response)[0]["code"] == "403"


def test_no_personal_data_in_any_response(o311):
    matter = _web_report(
        o311,
        "hemeifan",
        description="李某忠家后墙开裂,赵某发反映,电话13912345678",
        parties=[o311.li],
        other_parties="赵某发",
        reporter_name="王大伟",
        reporter_phone="13811112222",
    )
    for fmt in ("xml", "json"):
        bodies = [
            o311.client.get(f"{BASE}/requests.{fmt}", {"api_key": o311.town_key}).content.decode(),
            o311.client.get(f"{BASE}/requests/{matter.number}.{fmt}", {"api_key": o311.town_key}).content.decode(),
        ]
        for body in bodies:
            assert matter.number in body
            for secret in ("李某忠", "赵某发", "王大伟", "13811112222", "13912345678", "张圣福", "zhangshengfu"):
                assert secret not in body, (secret, body)


def test_request_filters(o311):
    old = _web_report(o311, "xuqiao", reported_at=timezone.now() - dt.timedelta(days=120))
    hazard = _web_report(o311, "xuqiao")
    env = _web_report(o311, "xuqiao", "environment", description="垃圾堆积")
    key = {"api_key": o311.xuqiao_key}
    assert _listed(o311, **key) == {hazard.number, env.number}  # the last 90 days by default
    assert _listed(o311, service_code="environment", **key) == {env.number}
    assert _listed(o311, service_code="environment,safety-hazard", **key) == {env.number, hazard.number}
    ids = f"{old.number},{env.number}"
    assert _listed(o311, service_request_id=ids, status="closed", **key) == {old.number, env.number}
    start = (timezone.now() - dt.timedelta(days=130)).isoformat(timespec="seconds")
    end = (timezone.now() - dt.timedelta(days=100)).isoformat(timespec="seconds")
    assert _listed(o311, start_date=start, end_date=end, **key) == {old.number}
    utc = (timezone.now() - dt.timedelta(days=1)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _listed(o311, start_date=utc, **key) == {hazard.number, env.number}
    assert _listed(o311, page_size="1", **key) | _listed(o311, page_size="1", page="2", **key) == {
        hazard.number,
        env.number,
    }
    for bad in (
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"},
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},
        {"status": "pending"},
        {"page_size": "5000"},
    ):
        response = o311.client.get(f"{BASE}/requests.json", bad)
        assert response.status_code == 400, bad
        assert parse(response)[0]["code"] == 400


# ---- the window and the pages of GET requests --------------------------------------------


def _page(o311, fmt, **params):
    """One page of GET requests: the response and its ids in the order given."""
    response = o311.client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 200, response.content.decode()
    return response, [r["service_request_id"] for r in parse(response)]


def _ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _copies(o311, n: int) -> list[Matter]:
    """`n` public matters in 徐桥村, newest first, an hour apart: one reported and copies of it
    (listing pages needs many rows, not many reports)."""
    template = _web_report(o311, "xuqiao")
    made = []
    for i in range(n - 1):
        copy = Matter.objects.get(pk=template.pk)
        copy.pk = None
        copy.number = f"T{i:05d}"
        copy.open311_token = uuid.uuid4()
        copy.reported_at = timezone.now() - dt.timedelta(hours=i + 1)
        made.append(copy)
    Matter.objects.bulk_create(made)
    return [template, *made]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_old_matters_are_outside_the_default_window_but_found_by_dates_or_by_id(o311, fmt):
    old = _web_report(o311, "xuqiao", reported_at=timezone.make_aware(dt.datetime.combine(_ago(120), dt.time(15))))
    recent = _web_report(o311, "xuqiao", reported_at=_ago(2))
    key = {"api_key": o311.xuqiao_key}
    assert _page(o311, fmt, **key)[1] == [recent.number]  # the last 90 days
    assert _page(o311, fmt, service_request_id=old.number, **key)[1] == [old.number]
    ids = f"{old.number},{recent.number}"  # ids override dates and status
    assert _page(o311, fmt, service_request_id=ids, start_date=_ago(1).isoformat(), status="closed", **key)[1] == [
        recent.number,
        old.number,
    ]
    start, end = _ago(150).isoformat(timespec="seconds"), _ago(90).isoformat(timespec="seconds")
    assert _page(o311, fmt, start_date=start, end_date=end, **key)[1] == [old.number]
    assert _page(o311, fmt, start_date=start, **key)[1] == [old.number]  # the 90 days from it
    assert _page(o311, fmt, end_date=end, **key)[1] == [old.number]  # the 90 days to it
    assert _page(o311, fmt, start_date=_ago(89).isoformat(), **key)[1] == [recent.number]
    # A bare date is a whole day: end_date=that day includes the afternoon's matter.
    day = timezone.localtime(old.reported_at).date().isoformat()
    assert _page(o311, fmt, start_date=day, end_date=day, **key)[1] == [old.number]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_pages_newest_first_with_a_link_to_the_next(o311, fmt):
    first, second, third = (
        _web_report(o311, "xuqiao", reported_at=_ago(days)) for days in (3, 1, 2)
    )  # reported out of order
    key = {"api_key": o311.xuqiao_key}
    response, ids = _page(o311, fmt, page_size="2", **key)
    assert ids == [second.number, third.number]
    link = response["Link"]
    assert link.startswith(f"<http://testserver{BASE}/requests.{fmt}?") and link.endswith('>; rel="next"')
    assert "page=2" in link and "page_size=2" in link and f"api_key={o311.xuqiao_key}" in link
    response, ids = _page(o311, fmt, page_size="2", page="2", **key)
    assert ids == [first.number] and "Link" not in response
    assert _page(o311, fmt, page_size="2", page="3", **key)[1] == []
    assert "Link" not in _page(o311, fmt, **key)[0]


def test_fifty_a_page_by_default_and_ids_all_on_one(o311, django_assert_max_num_queries):
    made = _copies(o311, 61)
    key = {"api_key": o311.xuqiao_key}
    with django_assert_max_num_queries(6):  # a whole page costs what one row does
        response, ids = _page(o311, "json", **key)
    assert ids == [m.number for m in made[:50]] and "page=2" in response["Link"]
    response, ids = _page(o311, "json", page="2", **key)
    assert ids == [m.number for m in made[50:]] and "Link" not in response
    assert len(_page(o311, "json", page_size="200", **key)[1]) == 61
    every = ",".join(m.number for m in made)
    assert len(_page(o311, "json", service_request_id=every, **key)[1]) == 61  # not cut to 50


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"page_size": "0"}, "page_size 应为 1 到 200 之间的整数"),
        ({"page_size": "201"}, "page_size 应为 1 到 200 之间的整数"),
        ({"page_size": "abc"}, "page_size 应为 1 到 200 之间的整数"),
        ({"page_size": "²"}, "page_size 应为 1 到 200 之间的整数"),
        ({"page": "0"}, "page 应为 1 到 100000 之间的整数"),
        ({"page": "-1"}, "page 应为 1 到 100000 之间的整数"),
        ({"page": "1.5"}, "page 应为 1 到 100000 之间的整数"),
        ({"page": "99999999999999999999"}, "page 应为 1 到 100000 之间的整数"),
        ({"start_date": "2026-01-01", "end_date": "2026-04-01"}, "相隔不能超过 90 天"),
        ({"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-01-01T00:00:00+08:00"}, "不能晚于 end_date"),
        ({"start_date": "2026-02-30"}, "start_date 应为 W3C 日期时间格式"),
        ({"start_date": "0001-01-01"}, "start_date 超出可查询的日期范围"),
        ({"end_date": "9999-12-31"}, "end_date 超出可查询的日期范围"),
        ({"service_request_id": ",".join(f"T{i}" for i in range(201))}, "service_request_id 一次最多 200 个"),
        ({"jurisdiction_id": "²"}, "jurisdiction_id"),
    ],
)
def test_bad_listing_parameters_are_refused_with_a_message(o311, fmt, params, words):
    response = o311.client.get(f"{BASE}/requests.{fmt}", {"api_key": o311.xuqiao_key, **params})
    status = 404 if "jurisdiction_id" in params else 400
    assert response.status_code == status
    (error,) = parse(response)
    assert int(error["code"]) == status and words in error["description"], error


def test_a_window_of_exactly_ninety_days_is_allowed(o311):
    response = o311.client.get(f"{BASE}/requests.json", {"start_date": "2026-01-01", "end_date": "2026-03-31"})
    assert response.status_code == 200


def test_unknown_token_is_404(o311):
    assert o311.client.get(f"{BASE}/tokens/not-a-uuid.json").status_code == 404
    internal = _web_report(o311, "xuqiao")
    assert o311.client.get(f"{BASE}/tokens/{internal.open311_token}.json").status_code == 404


def test_listing_costs_the_same_few_queries_however_many_requests(o311, django_assert_max_num_queries):
    for _ in range(2):
        _web_report(o311, "xuqiao", parties=[o311.xuqiao.head])
    with django_assert_max_num_queries(6) as few:
        assert len(_listed(o311, api_key=o311.xuqiao_key)) == 2
    for _ in range(5):
        _web_report(o311, "hemeifan", parties=[o311.li])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_listed(o311, api_key=o311.town_key)) == 7


def test_a_request_reads_the_same_in_the_listing_and_alone(o311, django_assert_num_queries):
    """Every field of one request, pinned: the listing and the request's own page read the rows as
    values (category, holder and place names joined, parties' names in one more query)."""
    reported = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    matter = _web_report(
        o311,
        "hemeifan",
        description="李某忠家后墙开裂,王大伟反映,赵某发也在场,电话13912345678",
        parties=[o311.li],
        other_parties="赵某发、钱某",
        reporter_name="王大伟",
        address="张家冲村口",
        lat=Decimal("30.305000"),
        lon=Decimal("114.845000"),
        reported_at=reported,
    )
    media = {"hazard_type": "building", "media_url": "https://img.example.com/b.jpg"}  # as an Open311 post keeps it
    Matter.objects.filter(pk=matter.pk).update(attributes=media)
    matter.refresh_from_db()
    hamlet = o311.hemeifan.hamlet
    expected = {
        "service_request_id": matter.number,
        "status": "open",
        "status_notes": None,
        "service_name": "安全隐患",
        "service_code": "safety-hazard",
        "description": "李**家后墙开裂,王**反映,赵**也在场,电话139****5678",
        "agency_responsible": matter.area.name,
        "service_notice": f"由{matter.area.name}办理,预计 {timezone.localtime(matter.settle_due_at):%Y-%m-%d} 前办结。",
        "requested_datetime": "2026-03-02T09:30:00+08:00",
        "updated_datetime": timezone.localtime(matter.updated_at).isoformat(timespec="seconds"),
        "expected_datetime": timezone.localtime(matter.settle_due_at).isoformat(timespec="seconds"),
        "address": ", ".join(["张家冲村口", hamlet.name, hamlet.parent.name, hamlet.parent.parent.name]),
        "address_id": str(hamlet.pk),
        "zipcode": None,
        "lat": 30.305,
        "long": 114.845,
        "media_url": "https://img.example.com/b.jpg",
    }
    params = {"api_key": o311.town_key, "start_date": "2026-03-01", "end_date": "2026-03-31"}
    with django_assert_num_queries(3):  # the key, the rows, their parties' names
        listed = parse(o311.client.get(f"{BASE}/requests.json", params))
    assert listed == [expected]
    assert parse(o311.client.get(f"{BASE}/requests/{matter.number}.json", {"api_key": o311.town_key})) == [expected]
    as_text = {k: None if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in expected.items()}
    (xml,) = parse(o311.client.get(f"{BASE}/requests.xml", params))
    assert {k: v for k, v in xml.items() if k not in ("lat", "long")} == {
        k: v for k, v in as_text.items() if k not in ("lat", "long")
    }
    assert float(xml["lat"]) == 30.305 and float(xml["long"]) == 114.845
