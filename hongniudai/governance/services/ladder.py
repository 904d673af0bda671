"""Every write of source governance: report, accept, mediate, escalate, hand down, resolve,
agreements, follow-up visits, reopening, invitations, attachments and the deadline job.

Each function is keyword-only and atomic, checks the actor may act on the matter where it is
now, appends a `MatterEvent` to the matter's timeline, writes the audit record and notifies the
people concerned after the commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import CAPABILITIES, Capability, scope_for, user_can
from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit
from hongniudai.common import geo
from hongniudai.common.identity import normalize_phone
from hongniudai.common.text import check_lengths, length_errors, limit
from hongniudai.common.tree import ancestor_ids
from hongniudai.places.models import AreaKind, AreaNode, Resident

from .. import notify, rollups
from ..calendar import add_working_days
from ..models import (
    LEVEL_OF_KIND,
    OPEN_STATUSES,
    Agreement,
    Attachment,
    AttributeType,
    CalendarDay,
    Category,
    CategoryAttribute,
    CategoryKind,
    Channel,
    DeadlineRule,
    EventKind,
    FollowUp,
    Level,
    Matter,
    MatterEvent,
    MatterStatus,
    MediationSession,
    Outcome,
    Urgency,
)

MATTER_FIELDS = (
    "category",
    "title",
    "level",
    "area",
    "handler",
    "status",
    "urgency",
    "accept_due_at",
    "settle_due_at",
    "resolved_level",
    "outcome",
    "resolution",
    "public_notes",
    "satisfaction",
)
# The people who handle matters held at a node of each kind.
HANDLER_ROLES: dict[str, tuple[str, ...]] = {
    AreaKind.HAMLET: (Role.CENTRE_HOUSEHOLD,),
    AreaKind.GRID: (Role.GRID_WORKER, Role.SENT_DOWN_CADRE),
    AreaKind.VILLAGE: (Role.VILLAGE_SECRETARY,),
    AreaKind.TOWN: (Role.TOWN_ADMIN,),
}
DEFAULT_DAYS: dict[str, tuple[int, int]] = {
    Level.HAMLET: (1, 5),
    Level.GRID: (1, 5),
    Level.VILLAGE: (2, 10),
    Level.TOWN: (3, 15),
}


# ---- helpers ------------------------------------------------------------------------------


def handlers_of(area: AreaNode) -> list[User]:
    roles = HANDLER_ROLES.get(area.kind, ())
    ids = RoleAssignment.objects.filter(area=area, role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def ancestor_of_kind(area: AreaNode, kind: str) -> AreaNode | None:
    ids = ancestor_ids(area.path)
    return AreaNode.objects.filter(pk__in=ids, kind=kind).first()


def rule_for(category: Category, level: str) -> tuple[int, int, bool, bool]:
    """(accept days, settle days, escalate when unaccepted, escalate when unsettled)."""
    rules = {
        (r.category_id, r.level): r
        for r in DeadlineRule.objects.filter(Q(category=category) | Q(category__isnull=True), level=level)
    }
    rule = rules.get((category.pk, level)) or rules.get((None, level))
    if rule is None:
        accept, settle = DEFAULT_DAYS[level]
        return accept, settle, True, False
    return rule.accept_days, rule.settle_days, rule.escalate_when_unaccepted, rule.escalate_when_unsettled


def _arrive(matter: Matter, area: AreaNode, now: dt.datetime) -> None:
    """The matter arrives at `area`: new deadlines, no handler yet."""
    matter.area = area
    matter.area_path = area.path
    matter.level = LEVEL_OF_KIND[area.kind]
    matter.status = MatterStatus.NEW
    matter.handler = None
    matter.accepted_at = None
    matter.level_since = now
    accept_days, settle_days, _e1, _e2 = rule_for(matter.category, matter.level)
    matter.accept_due_at = add_working_days(now, accept_days)
    matter.settle_due_at = add_working_days(now, settle_days)


def _event(
    matter: Matter,
    kind: str,
    actor: Any,
    *,
    note: str = "",
    from_level: str = "",
    to_level: str = "",
    at: dt.datetime | None = None,
) -> MatterEvent:
    return MatterEvent.objects.create(
        matter=matter,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        from_level=from_level,
        to_level=to_level,
        at=at or timezone.now(),
    )


def _check_note(note: str, field: str = "note") -> None:
    """Refuse a ladder step's note or reason longer than the timeline keeps."""
    if len(note or "") > limit(MatterEvent, "note"):
        raise ValidationError({field: _("说明不能超过 %(limit)d 字。") % {"limit": limit(MatterEvent, "note")}})


def _audit_change(actor: Any, matter: Matter, before: dict[str, Any], note: str = "") -> None:
    changes = audit.diff(before, audit.snapshot(matter, MATTER_FIELDS))
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_UPDATE,
        target=matter,
        changes=changes,
        note=note,
        area_path=matter.area.path,
    )


def can_handle(actor: Any, matter: Matter) -> bool:
    """The handlers of the matter's current level and of every level above it on its branch."""
    return user_can(actor, Capability.HANDLE, matter)


def is_invited(actor: Any, matter: Matter) -> bool:
    return bool(getattr(actor, "pk", None)) and matter.invited.filter(pk=actor.pk).exists()


def _require_handler(actor: Any, matter: Matter) -> None:
    if not can_handle(actor, matter):
        raise PermissionDenied(_("该事项不在您的办理范围内。"))


def _require_open(matter: Matter) -> None:
    if matter.status not in OPEN_STATUSES:
        raise ValidationError(_("该事项已办结,不能再进行此操作。"))


def _lock(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().select_related("area", "category", "place").get(pk=matter.pk)


# ---- placement ----------------------------------------------------------------------------


def locate(*, lon: Decimal | float, lat: Decimal | float, within: AreaNode | None = None) -> AreaNode:
    """The hamlet whose polygon holds the point, else the grid whose polygon holds it."""
    x, y = float(lon), float(lat)
    for kind in (AreaKind.HAMLET, AreaKind.GRID):
        qs = AreaNode.objects.filter(kind=kind, geometry__isnull=False)
        if within is not None:
            qs = qs.filter(path__under=within.path)
        for node in qs.only("id", "geometry", "path", "kind", "name", "parent_id"):
            if geo.contains(node.geometry, x, y):
                return node
    raise ValidationError({"location": _("该位置不在任何湾组或村组的范围之内。")})


# ---- report -------------------------------------------------------------------------------


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
        keys = {str(v.get("key")) for v in attr.values or []}
        if attr.datatype == AttributeType.SINGLE:
            if str(raw) not in keys:
                errors[f"attribute[{attr.code}]"] = _("“%(q)s”的选项无效。") % {"q": attr.description}
                continue
            out[attr.code] = str(raw)
        elif attr.datatype == AttributeType.MULTI:
            items = raw if isinstance(raw, list) else [raw]
            if not all(str(i) in keys for i in items):
                errors[f"attribute[{attr.code}]"] = _("“%(q)s”的选项无效。") % {"q": attr.description}
                continue
            out[attr.code] = [str(i) for i in items]
        elif attr.datatype == AttributeType.NUMBER:
            try:
                out[attr.code] = str(Decimal(str(raw)))
            except Exception:  # noqa: BLE001 - decimal raises several types
                errors[f"attribute[{attr.code}]"] = _("“%(q)s”应为数字。") % {"q": attr.description}
        else:
            out[attr.code] = str(raw)[:1000]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def report_matter(
    *,
    actor: Any,
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
    errors: dict[str, str] = {}
    if not category.is_active:
        errors["category"] = _("该类别已停用。")
    texts = {"title": (title or "").strip(), "description": (description or "").strip(), "address": address}
    errors.update(length_errors(Matter, {**texts, "reporter_name": reporter_name, "other_parties": other_parties}))
    title = texts["title"] or texts["description"][:30]
    if not texts["description"]:
        errors["description"] = _("请描述事项情况。")
    try:
        reporter_phone = normalize_phone(reporter_phone)
    except ValidationError as exc:
        errors["reporter_phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    if place is None:
        if lon is None or lat is None:
            raise ValidationError({"place": _("请选择发生地(湾组),或提供位置坐标。")})
        place = locate(lon=lon, lat=lat, within=within)
    if place.kind not in (AreaKind.HAMLET, AreaKind.GRID):
        raise ValidationError({"place": _("发生地应为湾组或村组。")})
    if within is not None and not place.path.startswith(within.path):
        raise ValidationError({"place": _("发生地不在受理范围之内。")})
    if actor is not None and within is None and not scope_for(actor).covers(place):
        raise PermissionDenied(_("发生地不在您的工作范围之内。"))
    cleaned_attributes = clean_attributes(category, attributes or {})
    now = reported_at or timezone.now()
    start: AreaNode = place
    if place.kind == AreaKind.HAMLET and not hasattr(place, "centre_household") and place.parent is not None:
        start = place.parent  # no centre household: the grid worker takes it
    matter = Matter(
        category=category,
        title=title[:100],
        description=description.strip(),
        place=place,
        origin_path=place.path,
        lon=lon,
        lat=lat,
        address=address[:200],
        urgency=urgency,
        channel=channel,
        reporter=actor if getattr(actor, "pk", None) else None,
        reporter_name=reporter_name[:50],
        reporter_phone=reporter_phone,
        other_parties=other_parties[:200],
        attributes=cleaned_attributes,
        reported_at=now,
        number=f"tmp-{uuid.uuid4().hex[:12]}",
    )
    _arrive(matter, start, now)
    matter.save()
    matter.number = f"{timezone.localtime(now):%Y}{matter.pk:07d}"
    matter.save(update_fields=["number"])
    party_list = list(parties)
    if party_list:
        matter.parties.set(party_list)
    rollups.touch(matter)
    _event(
        matter,
        EventKind.REPORT,
        actor,
        to_level=matter.level,
        note=_("经%(channel)s上报") % {"channel": Channel(channel).label},
        at=now,
    )
    audit.record_create(
        actor=actor, target=matter, after=audit.snapshot(matter, MATTER_FIELDS), area_path=matter.area.path
    )
    notify.users(handlers_of(matter.area), matter, _("新事项待受理:%(t)s") % {"t": matter.title})
    return matter


# ---- the ladder ---------------------------------------------------------------------------


@transaction.atomic
def accept(*, actor: Any, matter: Matter, note: str = "") -> Matter:
    matter = _lock(matter)
    _require_handler(actor, matter)
    if matter.status != MatterStatus.NEW:
        raise ValidationError(_("该事项已受理。"))
    _check_note(note)
    before = audit.snapshot(matter, MATTER_FIELDS)
    matter.status = MatterStatus.ACCEPTED
    matter.accepted_at = timezone.now()
    matter.handler = actor
    matter.save()
    _event(matter, EventKind.ACCEPT, actor, note=note, to_level=matter.level)
    _audit_change(actor, matter, before)
    return matter


@transaction.atomic
def record_session(
    *,
    actor: Any,
    matter: Matter,
    held_on: dt.date,
    place: str,
    participants: str,
    summary: str,
    agreed: str = "",
    legal_adviser_present: bool = False,
) -> MediationSession:
    """A visit or mediation session, by a handler or an invited person (the village legal adviser)."""
    matter = _lock(matter)
    if not (can_handle(actor, matter) or is_invited(actor, matter)):
        raise PermissionDenied(_("该事项不在您的办理范围内。"))
    _require_open(matter)
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("走访日期不能晚于今天。")
    if not place.strip():
        errors["place"] = _("请填写地点。")
    if not participants.strip():
        errors["participants"] = _("请填写参加人员。")
    if not summary.strip():
        errors["summary"] = _("请填写调处经过。")
    errors.update(
        length_errors(
            MediationSession,
            {"place": place.strip(), "participants": participants.strip(), "summary": summary, "agreed": agreed},
        )
    )
    if errors:
        raise ValidationError(errors)
    session = MediationSession.objects.create(
        matter=matter,
        held_on=held_on,
        place=place.strip(),
        participants=participants.strip(),
        summary=summary.strip(),
        agreed=agreed.strip(),
        legal_adviser_present=legal_adviser_present,
        recorded_by=actor,
    )
    if matter.status == MatterStatus.NEW and can_handle(actor, matter):
        matter.status, matter.accepted_at, matter.handler = MatterStatus.ACCEPTED, timezone.now(), actor
        matter.save()
    _event(matter, EventKind.MEDIATE, actor, note=f"{held_on:%Y-%m-%d} {place}:{summary}"[:2000])
    audit.record_create(
        actor=actor,
        target=session,
        after={"held_on": str(held_on), "place": place, "participants": participants},
        area_path=matter.area.path,
    )
    return session


_NEXT_KIND: dict[str, str] = {
    AreaKind.HAMLET: AreaKind.GRID,
    AreaKind.GRID: AreaKind.VILLAGE,
    AreaKind.VILLAGE: AreaKind.TOWN,
}


def _escalate(matter: Matter, actor: Any, reason: str, kind: str, now: dt.datetime | None = None) -> None:
    target_kind = _NEXT_KIND.get(matter.area.kind)
    target = ancestor_of_kind(matter.area, target_kind) if target_kind else None
    if target is None:
        raise ValidationError(_("事项已在镇级办理,不能再上交。"))
    before = audit.snapshot(matter, MATTER_FIELDS)
    from_level = matter.level
    now = now or timezone.now()
    _arrive(matter, target, now)
    matter.escalations += 1
    matter.save()
    _event(matter, kind, actor, note=reason, from_level=from_level, to_level=matter.level, at=now)
    _audit_change(actor, matter, before, note=reason)
    notify.users(handlers_of(target), matter, _("事项上交至本级:%(t)s") % {"t": matter.title})


@transaction.atomic
def escalate(*, actor: Any, matter: Matter, reason: str) -> Matter:
    """Hand the matter up one level (hamlet → grid → village → town), with a reason."""
    matter = _lock(matter)
    _require_handler(actor, matter)
    _require_open(matter)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明上交理由。")})
    _check_note(reason.strip(), "reason")
    _escalate(matter, actor, reason.strip(), EventKind.ESCALATE)
    return matter


@transaction.atomic
def hand_down(*, actor: Any, matter: Matter, to: AreaNode, reason: str) -> Matter:
    """A level above hands the matter back down to a node on its branch."""
    matter = _lock(matter)
    _require_handler(actor, matter)
    _require_open(matter)
    if to.kind not in (AreaKind.HAMLET, AreaKind.GRID, AreaKind.VILLAGE):
        raise ValidationError({"to": _("只能交办给村、村组或湾组。")})
    if (
        not matter.origin_path.startswith(to.path)
        or to.pk == matter.area_id
        or not to.path.startswith(matter.area.path)
    ):
        raise ValidationError({"to": _("只能交办给本事项发生地所在的下级单位。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请说明交办要求。")})
    _check_note(reason.strip(), "reason")
    before = audit.snapshot(matter, MATTER_FIELDS)
    from_level = matter.level
    _arrive(matter, to, timezone.now())
    matter.save()
    _event(matter, EventKind.HAND_DOWN, actor, note=reason.strip(), from_level=from_level, to_level=matter.level)
    _audit_change(actor, matter, before, note=reason)
    notify.users(handlers_of(to), matter, _("上级交办事项:%(t)s") % {"t": matter.title})
    return matter


@transaction.atomic
def resolve(*, actor: Any, matter: Matter, outcome: str, resolution: str, public_notes: str = "") -> Matter:
    matter = _lock(matter)
    _require_handler(actor, matter)
    _require_open(matter)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("请填写办理情况。")})
    check_lengths(Matter, {"resolution": resolution.strip()})
    if outcome == Outcome.AGREEMENT and not Agreement.objects.filter(matter=matter).exists():
        raise ValidationError({"outcome": _("请先登记调解协议。")})
    before = audit.snapshot(matter, MATTER_FIELDS)
    now = timezone.now()
    if matter.accepted_at is None:
        matter.accepted_at = now
    matter.status = MatterStatus.RESOLVED
    matter.handler = matter.handler or actor
    matter.resolved_at = now
    matter.resolved_level = matter.level
    matter.outcome = outcome
    matter.resolution = resolution.strip()
    matter.public_notes = (public_notes or Outcome(outcome).label)[:255]
    matter.save()
    rollups.touch(matter)
    _event(
        matter,
        EventKind.RESOLVE,
        actor,
        note=f"{Outcome(outcome).label}:{resolution.strip()}"[:2000],
        to_level=matter.level,
    )
    _audit_change(actor, matter, before)
    if matter.reporter_id and matter.reporter_id != getattr(actor, "pk", None):
        notify.users([matter.reporter], matter, _("您上报的事项已办结:%(t)s") % {"t": matter.title})
    return matter


@transaction.atomic
def sign_agreement(
    *,
    actor: Any,
    matter: Matter,
    parties: str,
    facts: str,
    terms: str,
    mediators: str,
    signed_on: dt.date,
    signatures_noted: bool = False,
) -> Agreement:
    matter = _lock(matter)
    if not (can_handle(actor, matter) or is_invited(actor, matter)):
        raise PermissionDenied(_("该事项不在您的办理范围内。"))
    if not matter.category.is_dispute:
        raise ValidationError(_("只有矛盾纠纷类事项需要调解协议。"))
    errors = {
        k: _("请填写此项。")
        for k, v in {"parties": parties, "facts": facts, "terms": terms, "mediators": mediators}.items()
        if not v.strip()
    }
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("签订日期不能晚于今天。")
    errors.update(
        length_errors(
            Agreement,
            {"parties": parties.strip(), "facts": facts.strip(), "terms": terms.strip(), "mediators": mediators},
        )
    )
    if errors:
        raise ValidationError(errors)
    agreement, created = Agreement.objects.update_or_create(
        matter=matter,
        defaults={
            "parties": parties.strip(),
            "facts": facts.strip(),
            "terms": terms.strip(),
            "mediators": mediators.strip(),
            "signed_on": signed_on,
            "signatures_noted": signatures_noted,
        },
    )
    _event(matter, EventKind.AGREEMENT, actor, note=_("签订日期 %(d)s") % {"d": signed_on})
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_CREATE if created else audit_actions.LEGACY_UPDATE,
        target=agreement,
        changes={"terms": [None, terms.strip()[:200]], "signed_on": [None, str(signed_on)]},
        area_path=matter.area.path,
    )
    return agreement


@transaction.atomic
def follow_up(
    *,
    actor: Any,
    matter: Matter,
    visited_on: dt.date,
    held: bool,
    satisfaction: int,
    note: str = "",
) -> FollowUp:
    """The visit after closing: did the outcome hold, how satisfied is the reporter (1–5)."""
    matter = _lock(matter)
    _require_handler(actor, matter)
    if matter.status not in (MatterStatus.RESOLVED, MatterStatus.CLOSED):
        raise ValidationError(_("事项办结后才能回访。"))
    errors = {}
    if not 1 <= int(satisfaction) <= 5:
        errors["satisfaction"] = _("满意度应为 1 到 5。")
    if matter.resolved_at and visited_on < timezone.localtime(matter.resolved_at).date():
        errors["visited_on"] = _("回访日期不能早于办结日期。")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("回访日期不能晚于今天。")
    errors.update(length_errors(FollowUp, {"note": note.strip()}))
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(matter, MATTER_FIELDS)
    visit = FollowUp.objects.create(
        matter=matter,
        visited_on=visited_on,
        held=held,
        satisfaction=int(satisfaction),
        note=note.strip(),
        visited_by=actor,
    )
    matter.satisfaction = int(satisfaction)
    if held:
        matter.status = MatterStatus.CLOSED
    matter.save()
    rollups.touch(matter)
    verdict = _("结果稳定") if held else _("结果未保持")
    _event(
        matter,
        EventKind.FOLLOW_UP,
        actor,
        note=f"{verdict},{_('满意度')} {satisfaction}。{note}".strip()[: limit(MatterEvent, "note")],
    )
    _audit_change(actor, matter, before)
    return visit


@transaction.atomic
def reopen(*, actor: Any, matter: Matter, reason: str) -> Matter:
    """A settled matter whose outcome did not hold goes back to the level that settled it."""
    matter = _lock(matter)
    _require_handler(actor, matter)
    if matter.status not in (MatterStatus.RESOLVED, MatterStatus.CLOSED):
        raise ValidationError(_("只有已办结的事项可以重新办理。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明重新办理的理由。")})
    _check_note(reason.strip(), "reason")
    before = audit.snapshot(matter, MATTER_FIELDS)
    was_resolved_at = matter.resolved_at
    _arrive(matter, matter.area, timezone.now())
    matter.reopened += 1
    matter.resolved_at = None
    matter.resolved_level = ""
    matter.outcome = ""
    matter.public_notes = _("重新办理")
    matter.save()
    rollups.touch(matter, was_resolved_at)
    _event(matter, EventKind.REOPEN, actor, note=reason.strip(), to_level=matter.level)
    _audit_change(actor, matter, before, note=reason)
    notify.users(handlers_of(matter.area), matter, _("事项重新办理:%(t)s") % {"t": matter.title})
    return matter


@transaction.atomic
def invite(*, actor: Any, matter: Matter, user: User, note: str = "") -> Matter:
    """Invite someone (typically the village legal adviser) to a matter; they see it from then on."""
    matter = _lock(matter)
    _require_handler(actor, matter)
    if matter.invited.filter(pk=user.pk).exists():
        raise ValidationError({"user": _("已邀请过该人员。")})
    _check_note(note)
    matter.invited.add(user)
    _event(matter, EventKind.INVITE, actor, note=f"{user}{(':' + note) if note else ''}")
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_UPDATE,
        target=matter,
        changes={"invited": [None, user.username]},
        area_path=matter.area.path,
    )
    notify.users([user], matter, _("您被邀请参与调处:%(t)s") % {"t": matter.title})
    return matter


def invitable_users(matter: Matter) -> list[User]:
    """Legal advisers and cadres of the matter's village (and above on its branch)."""
    ids = ancestor_ids(matter.origin_path)
    assigned = RoleAssignment.objects.filter(
        area_id__in=ids, role__in=[Role.LEGAL_ADVISER, Role.SENT_DOWN_CADRE, Role.VOLUNTEER]
    ).values("user_id")
    return list(
        User.objects.filter(pk__in=assigned, is_active=True).exclude(matters_invited=matter).order_by("username")
    )


# ---- attachments --------------------------------------------------------------------------

ALLOWED_UPLOADS: dict[str, tuple[bytes, str]] = {
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "gif": (b"GIF8", "image/gif"),
    "webp": (b"RIFF", "image/webp"),
    "pdf": (b"%PDF-", "application/pdf"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; refuses unknown types, disguised files
    (contents not matching the extension) and oversized files."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError({"file": _("只接受照片(jpg、png、gif、webp)和文档(pdf、docx、xlsx)。")})
    limit = settings.MATTER_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"file": _("文件不能超过 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}})
    magic, content_type = ALLOWED_UPLOADS[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magic) or (ext == "webp" and head[8:12] != b"WEBP"):
        raise ValidationError({"file": _("文件内容与扩展名“.%(ext)s”不符,已拒收。") % {"ext": ext}})
    return ext, content_type


@transaction.atomic
def add_attachment(*, actor: Any, matter: Matter, upload: UploadedFile) -> Attachment:
    if not (can_handle(actor, matter) or is_invited(actor, matter) or matter.reporter_id == getattr(actor, "pk", None)):
        raise PermissionDenied(_("该事项不在您的办理范围内。"))
    ext, content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = (upload.name or "file").replace("/", "_")[-200:]
    upload.name = f"{uuid.uuid4().hex}.{ext}"  # never the user's name on disk
    attachment = Attachment.objects.create(
        matter=matter,
        file=upload,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    _event(matter, EventKind.ATTACH, actor, note=original)
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_CREATE,
        target=attachment,
        changes={"file": [None, original]},
        area_path=matter.area.path,
    )
    return attachment


# ---- the deadline job ---------------------------------------------------------------------


def enforce_deadlines(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run by huey every few minutes: hand up matters left unaccepted (or unsettled, where the rule
    says so) past their limit, and warn once about the rest. Each matter is handled in its own
    transaction under a row lock, so two workers never escalate the same matter twice."""
    now = now or timezone.now()
    counts = {"escalated": 0, "warned": 0}
    overdue = (
        Matter.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(status=MatterStatus.NEW, accept_due_at__lt=now) | Q(settle_due_at__lt=now))
        .values_list("pk", flat=True)
    )
    for pk in list(overdue):
        with transaction.atomic():
            matter = Matter.objects.select_for_update().select_related("area", "category").filter(pk=pk).first()
            if matter is None or matter.status not in OPEN_STATUSES:
                continue
            unaccepted = matter.status == MatterStatus.NEW and matter.accept_due_at and matter.accept_due_at < now
            unsettled = matter.settle_due_at is not None and matter.settle_due_at < now
            if not (unaccepted or unsettled):
                continue  # another worker already moved it
            _a, _s, up_unaccepted, up_unsettled = rule_for(matter.category, matter.level)
            can_climb = matter.area.kind in _NEXT_KIND
            if can_climb and ((unaccepted and up_unaccepted) or (unsettled and up_unsettled)):
                reason = _("超过受理时限未受理,自动上交。") if unaccepted else _("超过办结时限未办结,自动上交。")
                _escalate(matter, None, reason, EventKind.AUTO_ESCALATE, now)
                counts["escalated"] += 1
                continue
            if not matter.events.filter(kind=EventKind.OVERDUE, at__gte=matter.level_since).exists():
                _event(matter, EventKind.OVERDUE, None, note=_("已超过时限。"), at=now)
                people = handlers_of(matter.area) + ([matter.handler] if matter.handler else [])
                notify.users(people, matter, _("事项已超时:%(t)s") % {"t": matter.title})
                counts["warned"] += 1
    return counts


# ---- for the work pages -------------------------------------------------------------------


@transaction.atomic
def report_with_attachments(*, actor: Any, uploads: Iterable[UploadedFile] = (), **fields: Any) -> Matter:
    """Report a matter with its photos in one transaction: a refused file means no matter at all.
    Every file is checked before anything is written; files already stored are removed again if
    a later step fails."""
    files = list(uploads)
    for upload in files:
        check_upload(upload)
    matter = report_matter(actor=actor, **fields)
    stored: list[Attachment] = []
    try:
        for upload in files:
            stored.append(add_attachment(actor=actor, matter=matter, upload=upload))
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return matter


def mark_notifications_read(*, actor: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when `ids` is None); others' are untouched."""
    from ..models import Notification

    if not getattr(actor, "pk", None):
        return 0
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    return qs.update(read_at=timezone.now())


# ---- administration: working calendar, deadline rules, categories ---------------------------

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CALENDAR_FIELDS = ("date", "is_working", "note")
RULE_FIELDS = ("category", "level", "accept_days", "settle_days", "escalate_when_unaccepted", "escalate_when_unsettled")
CATEGORY_FIELDS = ("code", "name", "kind", "description", "keywords", "is_public", "is_active", "sort_order")
ATTRIBUTE_FIELDS = ("category", "code", "description", "datatype", "required", "values", "order")
MAX_DEADLINE_DAYS = 365


def may_maintain_settings(user: Any) -> bool:
    """The deployment-wide settings (working calendar, deadline rules, categories) are kept by a
    superuser or by whoever may edit places (the town administrator) at a town or county."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = [role for role, caps in CAPABILITIES.items() if Capability.EDIT_PLACES in caps]
    return RoleAssignment.objects.filter(
        user=user, role__in=roles, area__kind__in=(AreaKind.TOWN, AreaKind.COUNTY)
    ).exists()


def _require_settings_admin(actor: Any) -> None:
    if not may_maintain_settings(actor):
        raise PermissionDenied(_("只有镇(县)管理员可以维护此项设置。"))


@transaction.atomic
def set_calendar_day(*, actor: Any, date: dt.date, is_working: bool, note: str = "") -> CalendarDay:
    """Correct the official calendar for one day: a holiday (rest) or a make-up working day."""
    _require_settings_admin(actor)
    note = (note or "").strip()
    if len(note) > 50:
        raise ValidationError({"note": _("说明不能超过 50 个字。")})
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = audit.snapshot(day, CALENDAR_FIELDS) if day else {}
    if day is None:
        day = CalendarDay(date=date)
    day.is_working = bool(is_working)
    day.note = note
    day.save()
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_UPDATE if before else audit_actions.LEGACY_CREATE,
        target=day,
        changes=audit.diff(before, audit.snapshot(day, CALENDAR_FIELDS)),
    )
    return day


@transaction.atomic
def clear_calendar_day(*, actor: Any, date: dt.date) -> None:
    """Drop the correction of one day: the official calendar applies again."""
    _require_settings_admin(actor)
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        raise ValidationError({"date": _("这一天没有调整记录。")})
    audit.record_delete(actor=actor, target=day, before=audit.snapshot(day, CALENDAR_FIELDS))
    day.delete()


@transaction.atomic
def set_deadline_rule(
    *,
    actor: Any,
    category: Category | None,
    level: str,
    accept_days: int,
    settle_days: int,
    escalate_when_unaccepted: bool = True,
    escalate_when_unsettled: bool = False,
) -> DeadlineRule:
    """Working days allowed at one level to accept and to settle, for a category or (without
    one) for every category that has no rule of its own. Applies to matters arriving from now on."""
    _require_settings_admin(actor)
    errors: dict[str, str] = {}
    if level not in Level.values:
        errors["level"] = _("请选择层级。")
    for name, value in (("accept_days", accept_days), ("settle_days", settle_days)):
        if not isinstance(value, int) or not 0 <= value <= MAX_DEADLINE_DAYS:
            errors[name] = _("时限应为 0 到 %(n)s 个工作日。") % {"n": MAX_DEADLINE_DAYS}
    if not errors and settle_days < accept_days:
        errors["settle_days"] = _("办结时限不能短于受理时限。")
    if errors:
        raise ValidationError(errors)
    rule = DeadlineRule.objects.select_for_update().filter(category=category, level=level).first()
    before = audit.snapshot(rule, RULE_FIELDS) if rule else {}
    if rule is None:
        rule = DeadlineRule(category=category, level=level)
    rule.accept_days = accept_days
    rule.settle_days = settle_days
    rule.escalate_when_unaccepted = bool(escalate_when_unaccepted)
    rule.escalate_when_unsettled = bool(escalate_when_unsettled)
    rule.save()
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_UPDATE if before else audit_actions.LEGACY_CREATE,
        target=rule,
        changes=audit.diff(before, audit.snapshot(rule, RULE_FIELDS)),
    )
    return rule


def _check_code(code: str, errors: dict[str, str]) -> str:
    code = (code or "").strip()
    if not code:
        errors["code"] = _("请填写代码。")
    elif len(code) > 40 or not CODE_RE.match(code):
        errors["code"] = _("代码只能由小写字母、数字、“-”和“_”组成,不超过 40 个字符。")
    return code


@transaction.atomic
def save_category(
    *,
    actor: Any,
    category: Category | None = None,
    code: str,
    name: str,
    kind: str,
    description: str = "",
    keywords: str = "",
    is_public: bool = False,
    is_active: bool = True,
    sort_order: int = 0,
) -> Category:
    """Create a category (`category` None) or change one; deactivating keeps its matters. The
    code is the Open311 service_code: fixed once created."""
    _require_settings_admin(actor)
    errors: dict[str, str] = {}
    code = _check_code(code, errors)
    name = (name or "").strip()
    others = Category.objects.exclude(pk=category.pk) if category is not None else Category.objects.all()
    if category is not None and code and code != category.code:
        errors["code"] = _("类别代码创建后不能修改(Open311 客户端以它识别服务)。")
    elif code and "code" not in errors:
        if others.filter(code=code).exists():
            errors["code"] = _("代码“%(c)s”已被其他类别使用。") % {"c": code}
    if not name:
        errors["name"] = _("请填写名称。")
    elif len(name) > 50:
        errors["name"] = _("名称不能超过 50 个字。")
    elif others.filter(name=name).exists():
        errors["name"] = _("已有名为“%(n)s”的类别。") % {"n": name}
    if kind not in CategoryKind.values:
        errors["kind"] = _("未知的大类。")
    if len(description or "") > 255:
        errors["description"] = _("说明不能超过 255 个字。")
    if len(keywords or "") > 255:
        errors["keywords"] = _("关键词不能超过 255 个字。")
    if not isinstance(sort_order, int) or sort_order < 0:
        errors["sort_order"] = _("排序应为不小于 0 的整数。")
    if errors:
        raise ValidationError(errors)
    if category is not None:
        category = Category.objects.select_for_update().get(pk=category.pk)
    before = audit.snapshot(category, CATEGORY_FIELDS) if category else {}
    obj = category or Category(code=code)
    obj.name = name
    obj.kind = kind
    obj.description = (description or "").strip()
    obj.keywords = (keywords or "").strip()
    obj.is_public = bool(is_public)
    obj.is_active = bool(is_active)
    obj.sort_order = sort_order
    obj.save()
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_UPDATE if before else audit_actions.LEGACY_CREATE,
        target=obj,
        changes=audit.diff(before, audit.snapshot(obj, CATEGORY_FIELDS)),
    )
    return obj


def _clean_options(values: Any, datatype: str, errors: dict[str, str]) -> list[dict[str, str]]:
    options: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in values or []:
        key = str((item or {}).get("key", "")).strip()
        label = str((item or {}).get("name", "")).strip() or key
        if not key:
            errors["values"] = _("每个选项都需要代码。")
            return []
        if key in seen:
            errors["values"] = _("选项代码“%(k)s”重复。") % {"k": key}
            return []
        seen.add(key)
        options.append({"key": key[:100], "name": label[:100]})
    if datatype in (AttributeType.SINGLE, AttributeType.MULTI) and not options:
        errors["values"] = _("单选、多选题至少需要一个选项。")
    elif datatype not in (AttributeType.SINGLE, AttributeType.MULTI) and options:
        errors["values"] = _("只有单选、多选题可以设置选项。")
    return options


@transaction.atomic
def save_category_attribute(
    *,
    actor: Any,
    category: Category,
    attribute: CategoryAttribute | None = None,
    code: str,
    description: str,
    datatype: str,
    required: bool = False,
    values: Iterable[Mapping[str, Any]] = (),
    order: int = 0,
) -> CategoryAttribute:
    """Add an extra question to a category (`attribute` None) or change one."""
    _require_settings_admin(actor)
    if attribute is not None and attribute.category_id != category.pk:
        raise ValidationError(_("该问题不属于这个类别。"))
    errors: dict[str, str] = {}
    code = _check_code(code, errors)
    if "code" not in errors:
        clash = CategoryAttribute.objects.filter(category=category, code=code)
        if attribute is not None:
            clash = clash.exclude(pk=attribute.pk)
        if clash.exists():
            errors["code"] = _("该类别已有代码为“%(c)s”的问题。") % {"c": code}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("请填写问题。")
    elif len(description) > 200:
        errors["description"] = _("问题不能超过 200 个字。")
    if datatype not in AttributeType.values:
        errors["datatype"] = _("未知的类型。")
    options = _clean_options(list(values), datatype, errors)
    if not isinstance(order, int) or order < 0:
        errors["order"] = _("顺序应为不小于 0 的整数。")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(attribute, ATTRIBUTE_FIELDS) if attribute else {}
    obj = attribute or CategoryAttribute(category=category)
    obj.code = code
    obj.description = description
    obj.datatype = datatype
    obj.required = bool(required)
    obj.values = options
    obj.order = order
    obj.save()
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_UPDATE if before else audit_actions.LEGACY_CREATE,
        target=obj,
        changes=audit.diff(before, audit.snapshot(obj, ATTRIBUTE_FIELDS)),
        note=str(category),
    )
    return obj


@transaction.atomic
def delete_category_attribute(*, actor: Any, attribute: CategoryAttribute) -> None:
    """Remove an extra question; answers already given stay on their matters."""
    _require_settings_admin(actor)
    audit.record_delete(actor=actor, target=attribute, before=audit.snapshot(attribute, ATTRIBUTE_FIELDS))
    attribute.delete()


# ---- Open311 ------------------------------------------------------------------------------

OPEN311_KEY_KINDS = (AreaKind.COUNTY, AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE)


def open311_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_open311_key(*, actor: Any, name: str, area: AreaNode) -> tuple[str, Any]:
    """A new Open311 api_key for the client `name`, valid for `area` (a town, district or village).
    Only a town administrator over `area` (EDIT_PLACES) may issue one; `actor=None` is the
    system itself (the `issue_open311_key` management command run on the server). Returns the key,
    shown once, and its record, which keeps only a sha256 digest and the first 8 characters."""
    import secrets

    key = secrets.token_hex(20)
    return key, register_open311_key(actor=actor, name=name, area=area, key=key)


@transaction.atomic
def revoke_open311_key(*, actor: Any, key: Any) -> Any:
    """Withdraw an Open311 api_key at once; the record stays (inactive) for the audit trail."""
    from ..models import Open311Key

    record = Open311Key.objects.select_for_update().select_related("area").get(pk=key.pk)
    if actor is not None and not user_can(actor, Capability.EDIT_PLACES, record.area):
        raise PermissionDenied(_("只有该辖区的镇管理员可以停用 Open311 密钥。"))
    if not record.is_active:
        raise ValidationError(_("该密钥已停用。"))
    record.is_active = False
    record.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=audit_actions.LEGACY_UPDATE,
        target=record,
        changes={"is_active": [True, False]},
        note=_("停用 Open311 密钥"),
        area_path=record.area.path,
    )
    return record


@transaction.atomic
def report_open311_request(
    *,
    key: Any,
    within: AreaNode,
    category: Category,
    description: str,
    lon: Decimal | None = None,
    lat: Decimal | None = None,
    place: AreaNode | None = None,
    address: str = "",
    attributes: Mapping[str, Any] | None = None,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    email: str = "",
    device_id: str = "",
    account_id: str = "",
    media_url: str = "",
) -> Matter:
    """A service request posted by an Open311 client holding `key`: it enters the ladder like any
    other matter (`report_matter` with no user, channel Open311, placed within `within`). The
    contact details stay internal: the reporter's name and phone on the matter, the e-mail,
    device and account in a note on its timeline; `media_url` is kept with the extra answers."""
    from django.core.validators import EmailValidator, URLValidator

    errors: dict[str, str] = {}
    email = (email or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")
    media_url = (media_url or "").strip()
    if media_url:
        try:
            if len(media_url) > 500:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors["media_url"] = _("media_url 应为以 http:// 或 https:// 开头的网址(不超过 500 个字符)。")
    if errors:
        raise ValidationError(errors)
    matter = report_matter(
        actor=None,
        category=category,
        title="",
        description=description,
        channel=Channel.OPEN311,
        place=place,
        lon=lon,
        lat=lat,
        address=address,
        reporter_name=f"{(last_name or '').strip()}{(first_name or '').strip()}",
        reporter_phone=phone,
        attributes=attributes,
        within=within,
    )
    if media_url:
        matter.attributes = {**matter.attributes, "media_url": media_url}
        matter.save(update_fields=["attributes"])
    contact = [_("经 Open311 客户端“%(name)s”(%(prefix)s…)提交。") % {"name": key.name, "prefix": key.prefix}]
    if email:
        contact.append(_("联系邮箱:%(v)s") % {"v": email})
    if device_id.strip():
        contact.append(_("设备号:%(v)s") % {"v": device_id.strip()[:100]})
    if account_id.strip():
        contact.append(_("客户端账号:%(v)s") % {"v": account_id.strip()[:100]})
    _event(matter, EventKind.NOTE, None, note=" ".join(contact), at=matter.reported_at)
    return matter


@transaction.atomic
def register_open311_key(*, actor: Any, name: str, area: AreaNode, key: str) -> Any:
    """Record an Open311 api_key whose value is fixed in advance (the demo's key, printed in the
    README), with the same checks and audit record as `issue_open311_key`. Refuses a key that is
    already registered or shorter than 16 characters."""

    from ..models import Open311Key

    if actor is not None and not user_can(actor, Capability.EDIT_PLACES, area):
        raise PermissionDenied(_("只有该辖区的镇管理员可以签发 Open311 密钥。"))
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写客户端名称。")
    elif len(name) > 100:
        errors["name"] = _("客户端名称不能超过 100 个字。")
    if area.kind not in OPEN311_KEY_KINDS:
        errors["area"] = _("辖区应为县、镇、片区或村。")
    if len(key) < 16:
        errors["key"] = _("密钥至少 16 个字符。")
    elif Open311Key.objects.filter(digest=open311_key_digest(key)).exists():
        errors["key"] = _("该密钥已登记。")
    if errors:
        raise ValidationError(errors)
    record = Open311Key.objects.create(
        name=name,
        digest=open311_key_digest(key),
        prefix=key[:8],
        area=area,
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action=audit_actions.TOKEN,
        target=record,
        changes={"name": [None, name], "area": [None, area.name], "prefix": [None, f"{record.prefix}…"]},
        area_path=area.path,
    )
    return record
