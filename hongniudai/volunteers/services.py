"""Every write of the volunteer registry: registering a volunteer (a resident of the area, or
someone from outside named and reached by phone), changing and deactivating them, the teams and
their leaders, linking a sign-in account (the 志愿者 role on the volunteer's area) and the
private calendar feed's token. Writes need SERVICES over the area; each is atomic and audited.
Tasks, participation and hours are in `services_tasks`."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability
from hongniudai.accounts.services_users import grant_role
from hongniudai.audit import services as audit
from hongniudai.common.identity import mask_phone, normalize_phone
from hongniudai.common.keys import key_digest
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.places.models import AreaKind, AreaNode, Resident

from . import events
from .models import Volunteer, VolunteerTeam
from .policy import require

AREA_KINDS = (AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE, AreaKind.GRID, AreaKind.HAMLET)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _snapshot(volunteer: Volunteer) -> audit.Snapshot:
    """The audited values of a volunteer: the phone masked."""
    out = audit.snapshot(volunteer, ("name", "skills", "team", "joined_on", "note", "is_active"))
    out["phone"] = mask_phone(volunteer.phone)
    return out


# ---- volunteers -------------------------------------------------------------------------------


class VolunteerFields(TypedDict, total=False):
    """What registering or changing a volunteer takes (`Volunteer.EDITABLE`)."""

    name: str
    phone: str
    skills: str
    team: VolunteerTeam | None
    joined_on: Required[dt.date]
    note: str


def _checked(area: AreaNode, resident: Resident | None, fields: VolunteerFields) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": resident.name if resident is not None else _text(fields.get("name")),
        "phone": _text(fields.get("phone")),
        "skills": _text(fields.get("skills")),
        "team": fields.get("team"),
        "joined_on": fields.get("joined_on"),
        "note": _text(fields.get("note")),
    }
    check_lengths(Volunteer, {k: data[k] for k in ("name", "skills", "note")})
    errors: dict[str, str] = {}
    if not data["name"]:
        errors["name"] = _("请填写志愿者姓名,或选择本地居民。")
    try:
        data["phone"] = normalize_phone(data["phone"])
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    if resident is None and not data["phone"] and "phone" not in errors:
        errors["phone"] = _("外来志愿者须填写手机号,以便联系。")
    if data["joined_on"] is None:
        errors["joined_on"] = _("请填写注册日期。")
    elif data["joined_on"] > timezone.localdate():
        errors["joined_on"] = _("注册日期不能晚于今天。")
    team = data["team"]
    if team is not None and not (area.path.startswith(team.area_path) or team.area_path.startswith(area.path)):
        errors["team"] = _("服务队“%(team)s”不属于该志愿者所在的地区。") % {"team": team.name}
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def register_volunteer(
    *, actor: User, area: AreaNode, resident: Resident | None = None, **fields: Unpack[VolunteerFields]
) -> Volunteer:
    """Register a volunteer of `area`: `resident` (one of the area's residents), or someone from
    outside the registry with a name and a mobile phone."""
    if area.kind not in AREA_KINDS:
        raise ValidationError({"area": _("志愿者应登记在镇、片区、村、网格或湾组。")})
    probe = Volunteer(area=area, area_path=area.path)
    require(actor, Capability.SERVICES, probe)
    if resident is not None:
        if not resident.household.hamlet.path.startswith(area.path):
            raise ValidationError({"resident": _("%(name)s 不是该地区的居民。") % {"name": resident.name}})
        if Volunteer.objects.filter(area=area, resident=resident).exists():
            raise ValidationError({"resident": _("%(name)s 已登记为该地区的志愿者。") % {"name": resident.name}})
    data = _checked(area, resident, fields)
    volunteer = Volunteer.objects.create(area=area, area_path=area.path, resident=resident, **data)
    audit.record_create(
        actor=actor,
        action=events.VOLUNTEER_REGISTERED,
        target=volunteer,
        after=_snapshot(volunteer),
        area_path=volunteer.area_path,
    )
    return volunteer


@transaction.atomic
def update_volunteer(*, actor: User, volunteer: Volunteer, **fields: Unpack[VolunteerFields]) -> Volunteer:
    require(actor, Capability.SERVICES, volunteer)
    resident = volunteer.resident if volunteer.resident_id else None
    data = _checked(volunteer.area, resident, fields)
    before = _snapshot(volunteer)
    model_update(volunteer, fields=Volunteer.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.VOLUNTEER_UPDATED,
        target=volunteer,
        before=before,
        after=_snapshot(volunteer),
        area_path=volunteer.area_path,
    )
    return volunteer


@transaction.atomic
def deactivate_volunteer(*, actor: User, volunteer: Volunteer) -> Volunteer:
    """The volunteer leaves the registry (退出): kept with their hours, no longer assigned; their
    calendar feed stops."""
    require(actor, Capability.SERVICES, volunteer)
    if not volunteer.is_active:
        raise ValidationError(_("该志愿者已退出。"))
    before = _snapshot(volunteer)
    volunteer.is_active = False
    volunteer.feed_digest = ""
    volunteer.save(update_fields=["is_active", "feed_digest"])
    audit.record_update(
        actor=actor,
        action=events.VOLUNTEER_DEACTIVATED,
        target=volunteer,
        before=before,
        after=_snapshot(volunteer),
        area_path=volunteer.area_path,
    )
    return volunteer


@transaction.atomic
def link_account(*, actor: User, volunteer: Volunteer, user: User) -> Volunteer:
    """Let `volunteer` sign in as `user`: the account is linked and given the 志愿者 role on the
    volunteer's area (unless it holds it there already). One account serves one volunteer."""
    require(actor, Capability.SERVICES, volunteer)
    other = Volunteer.objects.filter(user=user).exclude(pk=volunteer.pk).first()
    if other is not None:
        raise ValidationError(
            {"user": _("账号 %(username)s 已关联志愿者 %(name)s。") % {"username": user.username, "name": other.name}}
        )
    if not RoleAssignment.objects.filter(user=user, role=Role.VOLUNTEER, area=volunteer.area).exists():
        grant_role(actor=actor, user=user, role=Role.VOLUNTEER, node=volunteer.area)
    volunteer.user = user
    volunteer.save(update_fields=["user"])
    audit.record(
        actor=actor,
        action=events.VOLUNTEER_ACCOUNT_LINKED,
        target=volunteer,
        changes={"user": [None, user.username]},
        area_path=volunteer.area_path,
    )
    return volunteer


# ---- the calendar feed ------------------------------------------------------------------------


def feed_digest(token: str) -> str:
    return key_digest(token)


def _may_manage_feed(actor: User, volunteer: Volunteer) -> None:
    if not (volunteer.user_id and volunteer.user_id == actor.pk):
        require(actor, Capability.SERVICES, volunteer)


@transaction.atomic
def issue_feed_token(*, actor: User, volunteer: Volunteer) -> str:
    """A new private feed token for `volunteer` (by staff, or the volunteer themselves): returned
    once, only its digest kept; any earlier token stops working."""
    _may_manage_feed(actor, volunteer)
    if not volunteer.is_active:
        raise ValidationError(_("该志愿者已退出,不能订阅日历。"))
    token = secrets.token_urlsafe(32)
    volunteer.feed_digest = feed_digest(token)
    volunteer.feed_issued_at = timezone.now()
    volunteer.save(update_fields=["feed_digest", "feed_issued_at"])
    audit.record(actor=actor, action=events.VOLUNTEER_FEED_ISSUED, target=volunteer, area_path=volunteer.area_path)
    return token


@transaction.atomic
def revoke_feed_token(*, actor: User, volunteer: Volunteer) -> Volunteer:
    _may_manage_feed(actor, volunteer)
    if not volunteer.feed_digest:
        raise ValidationError(_("该志愿者没有在用的日历订阅地址。"))
    volunteer.feed_digest = ""
    volunteer.save(update_fields=["feed_digest"])
    audit.record(actor=actor, action=events.VOLUNTEER_FEED_REVOKED, target=volunteer, area_path=volunteer.area_path)
    return volunteer


# ---- teams ------------------------------------------------------------------------------------


def _checked_team(
    area: AreaNode, name: str, leader: Volunteer | None, note: str, *, team: VolunteerTeam | None
) -> dict[str, Any]:
    data = {"name": _text(name), "leader": leader, "note": _text(note)}
    check_lengths(VolunteerTeam, {"name": data["name"], "note": data["note"]})
    errors: dict[str, str] = {}
    if not data["name"]:
        errors["name"] = _("请填写队名。")
    elif VolunteerTeam.objects.filter(area=area, name=data["name"]).exclude(pk=team.pk if team else 0).exists():
        errors["name"] = _("本地区已有名为“%(name)s”的服务队。") % {"name": data["name"]}
    if leader is not None:
        if team is None or leader.team_id != team.pk:
            errors["leader"] = _("队长须是本队队员。")
        elif not leader.is_active:
            errors["leader"] = _("%(name)s 已退出,不能担任队长。") % {"name": leader.name}
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def create_team(*, actor: User, area: AreaNode, name: str, note: str = "") -> VolunteerTeam:
    """A team of `area` (a village, or the town for its own teams); its leader is chosen among its
    members once it has some."""
    if area.kind not in AREA_KINDS:
        raise ValidationError({"area": _("服务队应设在镇、片区、村、网格或湾组。")})
    require(actor, Capability.SERVICES, VolunteerTeam(area=area, area_path=area.path))
    data = _checked_team(area, name, None, note, team=None)
    team = VolunteerTeam.objects.create(area=area, area_path=area.path, **data)
    audit.record_create(
        actor=actor,
        action=events.TEAM_CREATED,
        target=team,
        after=audit.snapshot(team, VolunteerTeam.EDITABLE),
        area_path=team.area_path,
    )
    return team


@transaction.atomic
def update_team(
    *, actor: User, team: VolunteerTeam, name: str, leader: Volunteer | None = None, note: str = ""
) -> VolunteerTeam:
    require(actor, Capability.SERVICES, team)
    data = _checked_team(team.area, name, leader, note, team=team)
    before = audit.snapshot(team, VolunteerTeam.EDITABLE)
    model_update(team, fields=VolunteerTeam.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.TEAM_UPDATED,
        target=team,
        before=before,
        after=audit.snapshot(team, VolunteerTeam.EDITABLE),
        area_path=team.area_path,
    )
    return team
