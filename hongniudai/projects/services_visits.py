"""Writes of 进解促 site visits: record a visit (with the follow-ups due and the blockers found, in
one step), check in on a phone, tick a follow-up off; and the team's private calendar address (a
random token of which only the digest is kept, revocable)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.keys import key_digest
from hongniudai.common.text import check_lengths
from hongniudai.enterprises.interface import Enterprise

from . import checks, events
from .models import BlockerCategory, CalendarToken, CheckIn, FollowUp, Project, ServiceTeam, SiteVisit, TeamMember
from .policy import require
from .services_blockers import blocker_raise


class FollowUpFields(TypedDict):
    due_on: dt.date
    text: str


class FoundBlocker(TypedDict, total=False):
    category: BlockerCategory
    description: str
    owner_department: str
    owner: User | None
    due_days: int | None


def _coordinate(value: Any, field: str, bound: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("坐标须为数字。")}) from None
    if not number.is_finite() or not -bound <= number <= bound:
        raise ValidationError({field: _("坐标超出范围。")})
    return number


def _check_visit(
    team: ServiceTeam,
    visited_on: dt.date | None,
    project: Project | None,
    enterprise: Enterprise | None,
    follow_ups: Sequence[FollowUpFields],
    blockers: Sequence[FoundBlocker],
) -> None:
    errors: dict[str, Any] = {}
    if visited_on is None:
        errors["visited_on"] = _("请填写走访日期。")
    elif visited_on > timezone.localdate():
        errors["visited_on"] = _("走访日期不能晚于今天。")
    if project is None and enterprise is None:
        errors["project"] = _("请选择走访的项目或企业。")
    if project is not None and project.team_id not in (None, team.pk):
        errors["project"] = _("该项目不由本专班服务。")
    if blockers and project is None:
        errors["blockers"] = _("发现的堵点须对应一个项目。")
    for item in follow_ups:
        if not checks.text(item.get("text")) or item.get("due_on") is None:
            errors["follow_ups"] = _("跟进事项须填写内容和完成时限。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_record(
    *,
    actor: User,
    team: ServiceTeam,
    visited_on: dt.date,
    project: Project | None = None,
    enterprise: Enterprise | None = None,
    people_met: str = "",
    findings: str = "",
    follow_ups: Sequence[FollowUpFields] = (),
    blockers: Sequence[FoundBlocker] = (),
) -> SiteVisit:
    """Record a team's visit to a project or an enterprise; the recorder is checked in, the
    follow-ups are due, and each blocker found is raised on the project from this visit."""
    require(actor, Capability.PROJECTS, team)
    data = {"people_met": checks.text(people_met), "findings": checks.text(findings)}
    check_lengths(SiteVisit, data)
    _check_visit(team, visited_on, project, enterprise, follow_ups, blockers)
    if enterprise is None and project is not None:
        enterprise = project.owner
    visit = SiteVisit.objects.create(
        team=team, area_path=team.area_path, visited_on=visited_on, project=project, enterprise=enterprise,
        recorded_by=actor, **data,
    )  # fmt: skip
    CheckIn.objects.create(visit=visit, user=actor, at=timezone.now())
    for item in follow_ups:
        FollowUp.objects.create(visit=visit, due_on=item["due_on"], text=checks.text(item["text"])[:200])
    audit.record_create(
        actor=actor,
        action=events.VISIT_RECORDED,
        target=visit,
        after=audit.snapshot(visit, ("team", "visited_on", "project", "enterprise", "people_met", "findings")),
        area_path=visit.area_path,
    )
    assert project is not None or not blockers
    for found in blockers:
        blocker_raise(
            actor=actor,
            project=project,  # type: ignore[arg-type]
            category=found.get("category"),  # type: ignore[arg-type]
            description=found.get("description", ""),
            owner_department=found.get("owner_department", ""),
            owner=found.get("owner"),
            due_days=found.get("due_days"),
            visit=visit,
        )
    return visit


@transaction.atomic
def visit_check_in(*, actor: User, visit: SiteVisit, lat: Any = None, lng: Any = None) -> CheckIn:
    """The actor, a member of the visiting team, checks in on the visit (now, where they are)."""
    require(actor, Capability.PROJECTS, visit)
    if not TeamMember.objects.filter(team_id=visit.team_id, user=actor).exists():
        raise PermissionDenied(_("只有本专班成员可以签到。"))
    latitude, longitude = _coordinate(lat, "lat", 90), _coordinate(lng, "lng", 180)
    checkin, created = CheckIn.objects.get_or_create(
        visit=visit, user=actor, defaults={"at": timezone.now(), "lat": latitude, "lng": longitude}
    )
    if not created and latitude is not None and checkin.lat is None:
        checkin.lat, checkin.lng = latitude, longitude
        checkin.save(update_fields=["lat", "lng"])
    audit.record(
        actor=actor, action=events.VISIT_CHECKED_IN, target=visit, changes={"at": checkin.at}, area_path=visit.area_path
    )
    return checkin


@transaction.atomic
def follow_up_done(*, actor: User, follow_up: FollowUp) -> FollowUp:
    require(actor, Capability.PROJECTS, follow_up)
    if not follow_up.done:
        follow_up.done, follow_up.done_at = True, timezone.now()
        follow_up.save(update_fields=["done", "done_at"])
        audit.record(
            actor=actor,
            action=events.FOLLOW_UP_DONE,
            target=follow_up.visit,
            changes={"follow_up": follow_up.text},
            area_path=follow_up.visit.area_path,
        )
    return follow_up


# ---- the team's calendar address --------------------------------------------------------------


def token_digest(token: str) -> str:
    return key_digest(token)


@transaction.atomic
def calendar_token_issue(*, actor: User, team: ServiceTeam) -> str:
    """A new private address for the team's visit calendar; the token is shown once."""
    require(actor, Capability.PROJECTS, team)
    token = secrets.token_urlsafe(32)
    row = CalendarToken.objects.create(team=team, digest=token_digest(token), created_by=actor)
    audit.record(actor=actor, action=events.CALENDAR_TOKEN_ISSUED, target=team, changes={"token": row.pk})
    return token


@transaction.atomic
def calendar_token_revoke(*, actor: User, team: ServiceTeam) -> int:
    """Revoke every address of the team's calendar; how many were live."""
    require(actor, Capability.PROJECTS, team)
    count = CalendarToken.objects.filter(team=team, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(actor=actor, action=events.CALENDAR_TOKEN_REVOKED, target=team, changes={"revoked": count})
    return count


def team_for_token(token: str) -> ServiceTeam | None:
    """The team whose live calendar address carries `token` (None when unknown or revoked)."""
    row = (
        CalendarToken.objects.select_related("team")
        .filter(digest=token_digest(token or ""), revoked_at__isnull=True)
        .first()
    )
    return row.team if row else None
