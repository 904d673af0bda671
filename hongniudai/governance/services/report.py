"""Reporting a matter: its extra answers checked, its place found, and where on the ladder it lands."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import scope_for
from hongniudai.audit import services as audit
from hongniudai.common.identity import normalize_phone
from hongniudai.common.text import length_errors
from hongniudai.places.models import AreaKind, AreaNode, Resident

from .. import events, notify, rollups, selectors
from ..models import Attachment, AttributeType, Category, CategoryAttribute, Channel, EventKind, Matter, Urgency
from . import attachments
from .ladder import MATTER_FIELDS, add_event, arrive


def _answer(attr: CategoryAttribute, raw: Any) -> Any:
    """The stored answer to one extra question; ValueError when it is not a valid one."""
    keys = {str(v.get("key")) for v in attr.values or []}
    if attr.datatype == AttributeType.SINGLE:
        if str(raw) not in keys:
            raise ValueError(_("“%(q)s”的选项无效。") % {"q": attr.description})
        return str(raw)
    if attr.datatype == AttributeType.MULTI:
        items = raw if isinstance(raw, list) else [raw]
        if not all(str(i) in keys for i in items):
            raise ValueError(_("“%(q)s”的选项无效。") % {"q": attr.description})
        return [str(i) for i in items]
    if attr.datatype == AttributeType.NUMBER:
        try:
            return str(Decimal(str(raw)))
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError(_("“%(q)s”应为数字。") % {"q": attr.description}) from None
    return str(raw)[:1000]


def clean_attributes(category: Category, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check a category's extra questions: required ones answered, list answers among the options."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for attr in category.attributes.all():
        raw = values.get(attr.code)
        if raw in (None, "", []):
            if attr.required:
                errors[f"attribute[{attr.code}]"] = _("请回答“%(q)s”。") % {"q": attr.description}
            continue
        try:
            out[attr.code] = _answer(attr, raw)
        except ValueError as exc:
            errors[f"attribute[{attr.code}]"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return out


def _check_report(
    category: Category,
    *,
    title: str,
    description: str,
    address: str,
    reporter_name: str,
    reporter_phone: str,
    other_parties: str,
) -> str:
    """Refuse a report whose category is inactive or whose texts or phone are invalid (every error
    by field, at once); the reporter's phone, normalised."""
    errors: dict[str, str] = {}
    if not category.is_active:
        errors["category"] = _("该类别已停用。")
    texts = {
        "title": title,
        "description": description,
        "address": address,
        "reporter_name": reporter_name,
        "other_parties": other_parties,
    }
    errors.update(length_errors(Matter, texts))
    if not description:
        errors["description"] = _("请描述事项情况。")
    try:
        reporter_phone = normalize_phone(reporter_phone)
    except ValidationError as exc:
        errors["reporter_phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return reporter_phone


def _place(
    actor: User | None,
    place: AreaNode | None,
    lon: Decimal | float | None,
    lat: Decimal | float | None,
    within: AreaNode | None,
) -> AreaNode:
    """Where the matter happened: the place given, or the hamlet (else grid) holding the point."""
    if place is None:
        if lon is None or lat is None:
            raise ValidationError({"place": _("请选择发生地(湾组),或提供位置坐标。")})
        place = selectors.locate(lon=lon, lat=lat, within=within)
        if place is None:
            raise ValidationError({"location": _("该位置不在任何湾组或村组的范围之内。")})
    if place.kind not in (AreaKind.HAMLET, AreaKind.GRID):
        raise ValidationError({"place": _("发生地应为湾组或村组。")})
    if within is not None and not place.path.startswith(within.path):
        raise ValidationError({"place": _("发生地不在受理范围之内。")})
    if actor is not None and within is None and not scope_for(actor).covers(place):
        raise PermissionDenied(_("发生地不在您的工作范围之内。"))
    return place


def _first_holder(place: AreaNode) -> AreaNode:
    """The centre household's hamlet, or the grid where the hamlet has none."""
    if place.kind == AreaKind.HAMLET and not hasattr(place, "centre_household") and place.parent is not None:
        return place.parent
    return place


@transaction.atomic
def report_matter(
    *,
    actor: User | None,
    category: Category,
    title: str,
    description: str,
    channel: str,
    place: AreaNode | None = None,
    lon: Decimal | float | None = None,
    lat: Decimal | float | None = None,
    address: str = "",
    urgency: str = Urgency.NORMAL,
    reporter_name: str = "",
    reporter_phone: str = "",
    parties: Iterable[Resident] = (),
    other_parties: str = "",
    attributes: Mapping[str, Any] | None = None,
    within: AreaNode | None = None,
    reported_at: dt.datetime | None = None,
) -> Matter:
    """Report a matter. It lands with the centre household of its hamlet, or with the grid's
    workers where the hamlet has none. `within` limits placement for callers without a user
    (an Open311 key's jurisdiction)."""
    title, description = (title or "").strip(), (description or "").strip()
    reporter_phone = _check_report(
        category,
        title=title,
        description=description,
        address=address,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        other_parties=other_parties,
    )
    place = _place(actor, place, lon, lat, within)
    now = reported_at or timezone.now()
    matter = Matter(
        category=category,
        title=(title or description[:30])[:100],
        description=description,
        place=place,
        origin_path=place.path,
        lon=lon,
        lat=lat,
        address=address[:200],
        urgency=urgency,
        channel=channel,
        reporter=actor if actor is not None and actor.pk else None,
        reporter_name=reporter_name[:50],
        reporter_phone=reporter_phone,
        other_parties=other_parties[:200],
        attributes=clean_attributes(category, attributes or {}),
        reported_at=now,
        number=f"tmp-{uuid.uuid4().hex[:12]}",
    )
    arrive(matter, _first_holder(place), now)
    matter.save()
    matter.number = f"{timezone.localtime(now):%Y}{matter.pk:07d}"
    matter.save(update_fields=["number"])
    _settle_in(matter, actor, list(parties), channel, now)
    return matter


def _settle_in(matter: Matter, actor: User | None, parties: list[Resident], channel: str, now: dt.datetime) -> None:
    """What follows a new matter's first save: parties, rollup, timeline, audit, notice."""
    if parties:
        matter.parties.set(parties)
    rollups.touch(matter)
    add_event(
        matter,
        EventKind.REPORT,
        actor,
        to_level=matter.level,
        note=_("经%(channel)s上报") % {"channel": Channel(channel).label},
        at=now,
    )
    audit.record_create(
        actor=actor,
        action=events.MATTER_REPORTED,
        target=matter,
        after=audit.snapshot(matter, MATTER_FIELDS),
        **audit.at(area=matter.area),
    )
    notify.users(selectors.handlers_of(matter.area), matter, _("新事项待受理:%(t)s") % {"t": matter.title})


@transaction.atomic
def report_with_attachments(*, actor: User, uploads: Iterable[UploadedFile] = (), **fields: Any) -> Matter:
    """Report a matter with its photos in one transaction: a refused file means no matter at all.
    Every file is checked before anything is written; files already stored are removed again if
    a later step fails."""
    files = list(uploads)
    for upload in files:
        attachments.check_upload(upload)
    matter = report_matter(actor=actor, **fields)
    stored: list[Attachment] = []
    try:
        for upload in files:
            stored.append(attachments.add_attachment(actor=actor, matter=matter, upload=upload))
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return matter
