"""Rendering for Open311 GeoReport v2: the same data as XML (built with ElementTree, so every
value is escaped) or as JSON (the specification's "Spark convention": a list element becomes a
JSON array of its items), and the public face of a matter."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.common.identity import mask_personal_data_in_text

from ..models import OPEN_STATUSES, Matter
from .selectors import PublicMatter

FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The element of each item of a list element.
ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NAME_SPLIT = re.compile(r"[,,、;;\s]+")


def w3c(value: dt.datetime | None) -> str | None:
    """A W3C datetime with the local offset, e.g. 2026-03-01T09:30:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    elif isinstance(value, list | tuple):
        item = ITEM_TAGS[element.tag]
        for child in value:
            _fill(ET.SubElement(element, item), child)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def response(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """`data` under the root element `root` in XML; `data` itself in JSON."""
    body = to_json(data) if fmt == "json" else to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["xml"]))


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The specification's error body: a list of {code, description}, with the HTTP status."""
    items = [{"code": status, "description": d} for d in descriptions]
    return response(fmt if fmt in FORMATS else "xml", "errors", items, status=status)


# ---- the public face of a matter ----------------------------------------------------------


def public_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def service_notice(matter: Matter) -> str:
    return _notice(matter.status, matter.settle_due_at, matter.area.name)


def _notice(status: str, settle_due_at: dt.datetime | None, agency: str) -> str:
    if status in OPEN_STATUSES:
        if settle_due_at is not None:
            return _("由%(agency)s办理,预计 %(due)s 前办结。") % {
                "agency": agency,
                "due": f"{timezone.localtime(settle_due_at):%Y-%m-%d}",
            }
        return _("由%(agency)s办理。") % {"agency": agency}
    return _("已由%(agency)s办结。") % {"agency": agency}


def _names_of(matter: PublicMatter) -> list[str]:
    names = [matter.reporter_name, *matter.party_names]
    names += _NAME_SPLIT.split(matter.other_parties or "")
    return sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)


def public_description(matter: PublicMatter) -> str:
    """The description with ID numbers and phones masked, and the names of the reporter and of
    the parties (should the text mention them) reduced to their first character."""
    text = mask_personal_data_in_text(matter.description or "")
    for name in _names_of(matter):
        text = text.replace(name, name[0] + "*" * (len(name) - 1))
    return text[:4000]


def _address(matter: PublicMatter) -> str:
    """The address given, then the hamlet, grid and village (as many as the place has above it)."""
    parts = [matter.address.strip()] if matter.address.strip() else []
    return ", ".join(parts + list(matter.place_names))


def _coordinate(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def public_request(matter: PublicMatter) -> dict[str, Any]:
    """The fields of GET requests, in the specification's order: public fields only — never the
    reporter, the parties, the handler or the internal record of the work."""
    closed = matter.status not in OPEN_STATUSES
    updated = matter.resolved_at if closed and matter.resolved_at else matter.updated_at
    media_url = (matter.attributes or {}).get("media_url") if isinstance(matter.attributes, dict) else None
    return {
        "service_request_id": matter.number,
        "status": public_status(matter.status),
        "status_notes": matter.public_notes or None,
        "service_name": matter.category_name,
        "service_code": matter.category_code,
        "description": public_description(matter) or None,
        "agency_responsible": matter.agency,
        "service_notice": _notice(matter.status, matter.settle_due_at, matter.agency),
        "requested_datetime": w3c(matter.reported_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(matter.settle_due_at),
        "address": _address(matter) or None,
        "address_id": str(matter.place_id),
        "zipcode": None,
        "lat": _coordinate(matter.lat),
        "long": _coordinate(matter.lon),
        "media_url": media_url if isinstance(media_url, str) and media_url else None,
    }
