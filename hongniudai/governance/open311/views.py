"""Open311 GeoReport v2 endpoints. Thin: parse the request, call the Open311 selectors or
`services.report_open311_request`, render the answer; every refusal is the specification's error
body with its HTTP status (403 for a missing or wrong api_key, 404 for what does not exist, 400
for any other request that cannot be fulfilled)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from hongniudai.common.middleware import NUL_MESSAGE, holds_nul
from hongniudai.common.text import limit
from hongniudai.places.models import AreaNode

from .. import services as gov_services
from ..models import Category, Matter, Open311Key
from . import render
from . import selectors as open311

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-01T00:00:00+08:00"
# GET requests: the specification lets a server "return only the last 90 days" and refuse a
# longer window; rows come a page at a time (`page`, `page_size`: a common GeoReport extension).
WINDOW = dt.timedelta(days=90)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100000
MAX_LIST_ITEMS = 1000  # values of one comma-separated parameter kept at most
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")
# Dates outside these years are refused rather than let overflow a window or the database.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
MAX_DESCRIPTION = limit(Matter, "description")  # Open311 states 4,000 characters; the model keeps the same
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
FIELD_NAMES = {"location": "lat/long", "place": "lat/long", "category": "service_code", "reporter_phone": "phone"}


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions)
        self.status = status
        self.descriptions = list(descriptions)


View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """csrf-exempt, format by extension (unknown format → 404), allowed methods, errors rendered
    in the specification's format."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, fmt: str = "xml", **kwargs: Any) -> HttpResponse:
            fmt = fmt.lower()
            if fmt not in render.FORMATS:
                return render.errors(
                    "xml", 404, [_("不支持的格式“%(fmt)s”:请使用 .xml 或 .json。") % {"fmt": fmt[:20]}]
                )
            if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
                resp = render.errors(fmt, 405, [_("此接口不接受 %(m)s 请求。") % {"m": request.method}])
                resp["Allow"] = ", ".join(methods)
                return resp
            if "\x00" in request.path or holds_nul(request.GET) or holds_nul(request.POST):
                return render.errors(fmt, 400, [str(NUL_MESSAGE)])
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return render.errors(fmt, exc.status, exc.descriptions)

        return inner

    return wrap


# ---- arguments ----------------------------------------------------------------------------


def _param(data: QueryDict, name: str, limit: int = 200) -> str:
    return (data.get(name) or "").strip()[:limit]


def _jurisdiction(data: QueryDict) -> AreaNode | None:
    value = _param(data, "jurisdiction_id")
    if not value:
        return None
    node = open311.jurisdiction(value)
    if node is None:
        raise Open311Error(404, _("jurisdiction_id“%(v)s”不存在:请使用镇的统计代码或编号。") % {"v": value[:20]})
    return node


def _key(data: QueryDict, *, required: bool) -> Open311Key | None:
    raw = _param(data, "api_key")
    if not raw:
        if required:
            raise Open311Error(403, _("缺少 api_key:提交诉求需要镇管理员签发的 api_key。"))
        return None
    key = open311.key_for(raw)
    if key is None:
        raise Open311Error(403, _("api_key 无效或已停用,请联系镇管理员。"))
    return key


def _datetime(data: QueryDict, name: str, *, end_of_day: bool = False) -> dt.datetime | None:
    """A W3C date-time; a bare date means the start of that day, or its end with `end_of_day`
    (so that end_date=2026-03-31 includes the 31st)."""
    raw = _param(data, name, 40)
    if not raw:
        return None
    value: dt.datetime | None = None
    try:
        day = parse_date(raw)  # first: parse_datetime reads a bare date as midnight
        if day is not None:
            value = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)
        else:
            value = parse_datetime(raw)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise Open311Error(400, _("%(name)s 应为 W3C 日期时间格式,例如 2026-01-01T00:00:00+08:00。") % {"name": name})
    if not EARLIEST <= value <= LATEST:
        raise Open311Error(400, _("%(name)s 超出可查询的日期范围(1900 年至 9000 年)。") % {"name": name})
    return value


def _comma_list(data: QueryDict, name: str) -> list[str]:
    values = []
    for raw in data.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values[:MAX_LIST_ITEMS]


def _positive_int(data: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    if not _WHOLE_NUMBER.match(raw) or not 1 <= int(raw) <= maximum:
        raise Open311Error(400, _("%(name)s 应为 1 到 %(max)s 之间的整数。") % {"name": name, "max": maximum})
    return int(raw)


def _attributes(data: QueryDict) -> dict[str, Any]:
    """attribute[code]=value, and attribute[code][]=v1&attribute[code][]=v2 for a multivaluelist."""
    out: dict[str, Any] = {}
    for name in data:
        match = _ATTRIBUTE.match(name)
        if match is None:
            continue
        values = [v.strip()[:1000] for v in data.getlist(name) if v.strip()]
        if match.group(2):
            out[match.group(1)] = [*out.get(match.group(1), []), *values]
        elif values:
            out[match.group(1)] = values[0]
    return out


def _coordinate(raw: str, name: str, bound: int) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not -bound <= value <= bound:
        raise Open311Error(400, _("%(name)s 应为 WGS84 十进制度数(-%(b)s 到 %(b)s)。") % {"name": name, "b": bound})
    return value.quantize(Decimal("0.000001"))


def _validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for field, errors in exc.message_dict.items():
            label = FIELD_NAMES.get(field, field)
            out += [f"{label}:{message}" if label != "__all__" else message for message in errors]
        return out
    return list(exc.messages)


# ---- discovery and services ---------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("open311:root")).rstrip("/")


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changeset = render.w3c(open311.definitions_changed_at()) or CHANGESET
    data = {
        "changeset": changeset,
        "contact": getattr(settings, "OPEN311_CONTACT", _("红纽带平台:请联系镇综治中心(平台管理员)。")),
        "key_service": getattr(
            settings,
            "OPEN311_KEY_SERVICE",
            _("api_key 由镇管理员签发:请向镇综治中心申请,说明客户端名称和受理辖区。"),
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": _base_url(request),
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render.response(fmt, "discovery", data)


@csrf_exempt
def root(request: HttpRequest) -> HttpResponse:
    """The endpoint's root serves the discovery document (as the specification suggests)."""
    return discovery(request, fmt="xml")


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(category.attributes.all()),
        "type": "batch",
        "keywords": ", ".join(category.keywords.split()) if category.keywords else "",
        "group": category.get_kind_display(),
    }


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    return render.response(fmt, "services", [_service(c) for c in open311.services()])


DATATYPE_DESCRIPTIONS = {
    "string": gettext_lazy("请填写一行文字。"),
    "number": gettext_lazy("请填写数字。"),
    "datetime": gettext_lazy("请填写日期时间,例如 2026-01-01T08:00:00+08:00。"),
    "text": gettext_lazy("请填写文字,可以换行。"),
    "singlevaluelist": gettext_lazy("请从选项中选择一项,提交选项的 key。"),
    "multivaluelist": gettext_lazy("可从选项中选择多项,逐项提交选项的 key。"),
}


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    _jurisdiction(request.GET)
    category = open311.service(service_code)
    if category is None:
        raise Open311Error(404, _("没有代码为“%(code)s”的服务。") % {"code": service_code[:40]})
    attributes = [
        {
            "variable": True,
            "code": attr.code,
            "datatype": attr.datatype,
            "required": attr.required,
            "datatype_description": str(DATATYPE_DESCRIPTIONS.get(attr.datatype, "")) or None,
            "order": position,
            "description": attr.description,
            "values": [{"key": str(v.get("key", "")), "name": str(v.get("name", ""))} for v in attr.values or []],
        }
        for position, attr in enumerate(category.attributes.all(), start=1)
    ]
    return render.response(fmt, "service_definition", {"service_code": category.code, "attributes": attributes})


# ---- requests -----------------------------------------------------------------------------


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    return _get_requests(request, fmt)


def _within(key: Open311Key, jurisdiction: AreaNode | None) -> AreaNode:
    if jurisdiction is None or key.area.path.startswith(jurisdiction.path):
        return key.area
    if jurisdiction.path.startswith(key.area.path):
        return jurisdiction
    raise Open311Error(403, _("该 api_key 不适用于此 jurisdiction_id。"))


def _location(data: QueryDict, within: AreaNode) -> dict[str, Any]:
    lat_raw, long_raw = _param(data, "lat", 40), _param(data, "long", 40)
    address = _param(data, "address_string", 200)
    address_id = _param(data, "address_id", 20)
    if lat_raw or long_raw:
        if not (lat_raw and long_raw):
            raise Open311Error(400, _("lat 和 long 须同时提供。"))
        return {"lat": _coordinate(lat_raw, "lat", 90), "lon": _coordinate(long_raw, "long", 180), "address": address}
    if address_id:
        place = open311.place_by_id(address_id, within=within)
        if place is None:
            raise Open311Error(400, _("address_id“%(v)s”不是受理辖区内的湾组或村组编号。") % {"v": address_id})
        return {"place": place, "address": address}
    if address:
        place = open311.place_by_address(address, within=within)
        if place is None:
            raise Open311Error(
                400,
                _("无法根据 address_string 确定所在的湾组或村组:请提供 lat 和 long,或 address_id,或写明湾组名称。"),
            )
        return {"place": place, "address": address}
    raise Open311Error(400, _("缺少位置:请提供 lat 和 long,或 address_string,或 address_id。"))


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = _key(data, required=True)
    assert key is not None
    within = _within(key, _jurisdiction(data))
    code = _param(data, "service_code", 60)
    if not code:
        raise Open311Error(400, _("缺少 service_code:请先调用 services 获取服务代码。"))
    category = open311.service(code)
    if category is None:
        raise Open311Error(404, _("没有代码为“%(code)s”的服务。") % {"code": code[:40]})
    description = (data.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, _("description 不能超过 %(limit)d 个字符。") % {"limit": MAX_DESCRIPTION})
    location = _location(data, within)
    try:
        matter = gov_services.report_open311_request(
            key=key,
            within=within,
            category=category,
            description=description or category.name,
            attributes=_attributes(data),
            first_name=_param(data, "first_name", 20),
            last_name=_param(data, "last_name", 20),
            phone=_param(data, "phone", 20),
            email=_param(data, "email", 254),
            device_id=_param(data, "device_id", 100),
            account_id=_param(data, "account_id", 100),
            media_url=_param(data, "media_url", 600),
            **location,
        )
    except ValidationError as exc:
        raise Open311Error(400, *_validation_messages(exc)) from None
    except PermissionDenied as exc:
        raise Open311Error(403, str(exc) or _("该 api_key 无权提交此诉求。")) from None
    answer = {"token": str(matter.open311_token), "service_notice": render.service_notice(matter), "account_id": None}
    return render.response(fmt, "service_requests", [answer])


def _window(data: QueryDict) -> tuple[dt.datetime, dt.datetime]:
    """start_date and end_date: the last 90 days when neither is given, the 90 days from or to
    the one given; a longer window, or one that ends before it starts, is refused."""
    start, end = _datetime(data, "start_date"), _datetime(data, "end_date", end_of_day=True)
    if end is None:
        end = start + WINDOW if start is not None else timezone.now()
    if start is None:
        start = end - WINDOW
    if start > end:
        raise Open311Error(400, _("start_date 不能晚于 end_date。"))
    if end - start > WINDOW:
        raise Open311Error(400, _("start_date 与 end_date 相隔不能超过 90 天。"))
    return start, end


def _get_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """Newest first, a page at a time. `service_request_id` overrides every filter (dates,
    status, service_code); its page holds every id asked for by default."""
    data = request.GET
    key = _key(data, required=False)
    jurisdiction = _jurisdiction(data)
    ids = _comma_list(data, "service_request_id")
    if len(ids) > MAX_PAGE_SIZE:
        raise Open311Error(400, _("service_request_id 一次最多 %(max)s 个。") % {"max": MAX_PAGE_SIZE})
    page_size = _positive_int(data, "page_size", MAX_PAGE_SIZE if ids else DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    page = _positive_int(data, "page", 1, MAX_PAGE)
    if ids:
        qs = open311.requests(key=key, jurisdiction=jurisdiction, ids=ids)
    else:
        statuses = _comma_list(data, "status")
        if any(s not in ("open", "closed") for s in statuses):
            raise Open311Error(400, _("status 只能是 open 或 closed(可用逗号分隔)。"))
        start, end = _window(data)
        qs = open311.requests(
            key=key,
            jurisdiction=jurisdiction,
            codes=_comma_list(data, "service_code"),
            start=start,
            end=end,
            statuses=statuses,
        )
    offset = (page - 1) * page_size
    matters = open311.public_rows(qs, offset, offset + page_size + 1)  # one more: is there a next page?
    response = render.response(fmt, "service_requests", [render.public_request(m) for m in matters[:page_size]])
    if len(matters) > page_size:
        following = data.copy()
        following["page"] = str(page + 1)
        response["Link"] = f'<{request.build_absolute_uri(f"{request.path}?{following.urlencode()}")}>; rel="next"'
    return response


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    key = _key(request.GET, required=False)
    matter = open311.request_get(service_request_id[:20], key=key, jurisdiction=_jurisdiction(request.GET))
    if matter is None:
        raise Open311Error(404, _("没有编号为“%(id)s”的诉求。") % {"id": service_request_id[:20]})
    return render.response(fmt, "service_requests", [render.public_request(matter)])


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    matter = open311.token_get(token[:64], jurisdiction=_jurisdiction(request.GET))
    if matter is None:
        raise Open311Error(404, _("没有这个 token。"))
    return render.response(fmt, "service_requests", [{"service_request_id": matter.number, "token": token}])


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "json" if rest.lower().endswith(".json") else "xml"
    return render.errors(fmt, 404, [_("没有这个接口:请参阅 discovery.xml 中列出的 GeoReport v2 接口。")])
