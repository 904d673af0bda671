"""Open311: the api keys of the clients (issued, registered, revoked) and the service requests
they post, which enter the ladder like any other matter."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.places.models import AreaKind, AreaNode

from .. import events, policy
from ..models import Category, Channel, EventKind, Matter, Open311Key, open311_key_digest
from .ladder import add_event
from .report import report_matter

OPEN311_KEY_KINDS = (AreaKind.COUNTY, AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE)
MEDIA_URL_MAX = 500


@transaction.atomic
def issue_open311_key(*, actor: User | None, name: str, area: AreaNode) -> tuple[str, Open311Key]:
    """A new Open311 api_key for the client `name`, valid for `area` (a town, district or village).
    Only a town administrator over `area` (EDIT_PLACES) may issue one; `actor=None` is the
    system itself (the `issue_open311_key` management command run on the server). Returns the key,
    shown once, and its record, which keeps only a sha256 digest and the first 8 characters."""
    key = secrets.token_hex(20)
    return key, register_open311_key(actor=actor, name=name, area=area, key=key)


@transaction.atomic
def register_open311_key(*, actor: User | None, name: str, area: AreaNode, key: str) -> Open311Key:
    """Record an Open311 api_key whose value is fixed in advance (the demo's key, printed in the
    README), with the same checks and audit record as `issue_open311_key`. Refuses a key that is
    already registered or shorter than 16 characters."""
    if actor is not None and not policy.may_keep_open311_keys(actor, area):
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
        issued_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(
        actor=actor,
        action=events.OPEN311_KEY_ISSUED,
        target=record,
        changes={"name": [None, name], "area": [None, area.name], "prefix": [None, f"{record.prefix}…"]},
        **audit.at(area=area),
    )
    return record


@transaction.atomic
def revoke_open311_key(*, actor: User | None, key: Open311Key) -> Open311Key:
    """Withdraw an Open311 api_key at once; the record stays (inactive) for the audit trail."""
    record = Open311Key.objects.select_for_update().select_related("area").get(pk=key.pk)
    if actor is not None and not policy.may_keep_open311_keys(actor, record.area):
        raise PermissionDenied(_("只有该辖区的镇管理员可以停用 Open311 密钥。"))
    if not record.is_active:
        raise ValidationError(_("该密钥已停用。"))
    record.is_active = False
    record.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=events.OPEN311_KEY_REVOKED,
        target=record,
        changes={"is_active": [True, False]},
        note=_("停用 Open311 密钥"),
        **audit.at(area=record.area),
    )
    return record


def _contact_errors(email: str, media_url: str) -> dict[str, str]:
    """The errors of a request's e-mail and media_url (both optional)."""
    errors: dict[str, str] = {}
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")
    if media_url:
        try:
            if len(media_url) > MEDIA_URL_MAX:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors["media_url"] = _("media_url 应为以 http:// 或 https:// 开头的网址(不超过 500 个字符)。")
    return errors


def _contact_note(key: Open311Key, email: str, device_id: str, account_id: str) -> str:
    """The timeline note naming the client and the reporter's contact details beyond name and phone."""
    contact = [_("经 Open311 客户端“%(name)s”(%(prefix)s…)提交。") % {"name": key.name, "prefix": key.prefix}]
    if email:
        contact.append(_("联系邮箱:%(v)s") % {"v": email})
    if device_id.strip():
        contact.append(_("设备号:%(v)s") % {"v": device_id.strip()[:100]})
    if account_id.strip():
        contact.append(_("客户端账号:%(v)s") % {"v": account_id.strip()[:100]})
    return " ".join(contact)


@transaction.atomic
def report_open311_request(
    *,
    key: Open311Key,
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
    email, media_url = (email or "").strip(), (media_url or "").strip()
    errors = _contact_errors(email, media_url)
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
    add_event(
        matter, EventKind.NOTE, None, note=_contact_note(key, email, device_id, account_id), at=matter.reported_at
    )
    return matter
