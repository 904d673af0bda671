"""Every write of volunteer tasks: scheduling a task (by staff, or by a soup round or a patrol
shift that owns it), participation requested (报名) → confirmed (已确认) → done (已完成) or
declined (已谢绝), and hours logged by the volunteer (or staff for them) and confirmed or
rejected by the organiser — never by the volunteer themselves. Out-of-order changes are refused
with a Chinese message; each write is atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.places.models import AreaNode

from . import events, rollups
from .models import (
    HoursStatus,
    Participation,
    ParticipationStatus,
    ServiceHours,
    TaskKind,
    Volunteer,
    VolunteerTask,
)
from .policy import require
from .services import AREA_KINDS

S = ParticipationStatus
DAY_HOURS = Decimal(24)
TENTH = Decimal("0.1")


def _label(status: str) -> str:
    return str(S(status).label)


def _actor(actor: User | None) -> User | None:
    return actor if getattr(actor, "pk", None) else None


# ---- tasks ------------------------------------------------------------------------------------


@transaction.atomic
def schedule_task(
    *,
    actor: User | None,
    area: AreaNode,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    needed: int = 1,
    note: str = "",
    organiser: User | None = None,
    source: models.Model | None = None,
) -> VolunteerTask:
    """Schedule a task of `area` (organised by `organiser`, the actor by default). `source` is the
    record that owns it, a soup round or a patrol shift (none for a task set up by hand). `actor`
    None is the system (a periodic job creating a round's task): no capability is checked."""
    if area.kind not in AREA_KINDS:
        raise ValidationError({"area": _("志愿任务应设在镇、片区、村、网格或湾组。")})
    if actor is not None:
        require(actor, Capability.SERVICES, VolunteerTask(area=area, area_path=area.path))
    title, place, note = (title or "").strip(), (place or "").strip(), (note or "").strip()
    check_lengths(VolunteerTask, {"title": title, "place": place, "note": note})
    errors: dict[str, str] = {}
    if kind not in TaskKind.values:
        errors["kind"] = _("请选择任务类型。")
    if not title:
        errors["title"] = _("请填写任务名称。")
    if starts_at is None or ends_at is None:
        errors["ends_at"] = _("请填写开始和结束时间。")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("结束时间应晚于开始时间。")
    elif ends_at - starts_at > dt.timedelta(days=7):
        errors["ends_at"] = _("一项任务最长 7 天,更长的请分成几项。")
    if needed is None or not 1 <= needed <= 999:
        errors["needed"] = _("需要人数应在 1 到 999 之间。")
    if errors:
        raise ValidationError(errors)
    task = VolunteerTask.objects.create(
        area=area,
        area_path=area.path,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        needed=needed,
        note=note,
        organiser=organiser or _actor(actor),
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
    )
    audit.record_create(
        actor=actor,
        action=events.TASK_SCHEDULED,
        target=task,
        after=audit.snapshot(task, ("kind", "title", "starts_at", "ends_at", "place", "needed")),
        area_path=task.area_path,
    )
    return task


def _check_volunteer(actor: User | None, task: VolunteerTask, volunteer: Volunteer) -> None:
    if not volunteer.is_active:
        raise ValidationError({"volunteer": _("%(name)s 已退出,不能参加任务。") % {"name": volunteer.name}})
    if not (volunteer.area_path.startswith(task.area_path) or task.area_path.startswith(volunteer.area_path)):
        raise ValidationError({"volunteer": _("%(name)s 不是该任务所在地区的志愿者。") % {"name": volunteer.name}})


def _confirmed_count(task: VolunteerTask) -> int:
    return task.participations.filter(status__in=(S.CONFIRMED, S.DONE)).count()


def _lock(participation: Participation) -> Participation:
    return Participation.objects.select_for_update().select_related("task", "volunteer").get(pk=participation.pk)


def _record(actor: User | None, action: Any, p: Participation, before: str, note: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        target=p,
        changes={"status": [_label(before) if before else None, _label(p.status)]},
        note=note,
        area_path=p.area_path,
    )


# ---- participation ----------------------------------------------------------------------------


@transaction.atomic
def request_participation(*, actor: User, task: VolunteerTask, volunteer: Volunteer) -> Participation:
    """`volunteer` asks to serve on `task` (报名): by staff for them, or by the volunteer themselves."""
    if not (volunteer.user_id and volunteer.user_id == actor.pk):
        require(actor, Capability.SERVICES, task)
    _check_volunteer(actor, task, volunteer)
    if Participation.objects.filter(task=task, volunteer=volunteer).exists():
        raise ValidationError({"volunteer": _("%(name)s 已报名该任务。") % {"name": volunteer.name}})
    if task.ends_at <= timezone.now():
        raise ValidationError(_("任务已结束,不能再报名。"))
    p = Participation.objects.create(
        task=task,
        volunteer=volunteer,
        area_path=task.area_path,
        requested_at=timezone.now(),
        requested_by=_actor(actor),
    )
    _record(actor, events.PARTICIPATION_REQUESTED, p, "")
    return p


def _confirm(actor: User | None, p: Participation) -> None:
    task = VolunteerTask.objects.select_for_update().get(pk=p.task_id)
    if _confirmed_count(task) >= task.needed:
        raise ValidationError(_("该任务需要 %(n)s 人,已确认满员。") % {"n": task.needed})
    p.status = S.CONFIRMED
    p.confirmed_at = timezone.now()
    p.confirmed_by = _actor(actor)
    p.save(update_fields=["status", "confirmed_at", "confirmed_by"])


@transaction.atomic
def confirm_participation(*, actor: User, participation: Participation) -> Participation:
    """The organiser accepts a request (报名 → 已确认), within the number the task needs."""
    p = _lock(participation)
    require(actor, Capability.SERVICES, p.task)
    if p.status != S.REQUESTED:
        raise ValidationError(_("只有“报名”状态的参与可以确认,当前为“%(status)s”。") % {"status": _label(p.status)})
    _confirm(actor, p)
    _record(actor, events.PARTICIPATION_CONFIRMED, p, S.REQUESTED)
    return p


@transaction.atomic
def decline_participation(*, actor: User, participation: Participation, reason: str = "") -> Participation:
    """The organiser declines a request or withdraws a confirmation (→ 已谢绝), with a reason."""
    p = _lock(participation)
    require(actor, Capability.SERVICES, p.task)
    if p.status not in (S.REQUESTED, S.CONFIRMED):
        raise ValidationError(
            _("只有“报名”或“已确认”的参与可以谢绝,当前为“%(status)s”。") % {"status": _label(p.status)}
        )
    if p.hours.exclude(status=HoursStatus.REJECTED).exists():
        raise ValidationError(_("该参与已登记服务时长,不能谢绝。"))
    reason = (reason or "").strip()
    check_lengths(Participation, {"decline_reason": reason})
    before = p.status
    p.status = S.DECLINED
    p.declined_at = timezone.now()
    p.declined_by = _actor(actor)
    p.decline_reason = reason
    p.save(update_fields=["status", "declined_at", "declined_by", "decline_reason"])
    _record(actor, events.PARTICIPATION_DECLINED, p, before, note=reason)
    return p


@transaction.atomic
def complete_participation(*, actor: User, participation: Participation) -> Participation:
    """The organiser marks a confirmed participation done (已确认 → 已完成), once the task began."""
    p = _lock(participation)
    require(actor, Capability.SERVICES, p.task)
    if p.status != S.CONFIRMED:
        raise ValidationError(_("只有“已确认”的参与可以标记完成,当前为“%(status)s”。") % {"status": _label(p.status)})
    if p.task.starts_at > timezone.now():
        raise ValidationError(_("任务尚未开始,不能标记完成。"))
    p.status = S.DONE
    p.done_at = timezone.now()
    p.done_by = _actor(actor)
    p.save(update_fields=["status", "done_at", "done_by"])
    rollups.refresh(p.volunteer_id, timezone.localtime(p.task.starts_at).year)
    _record(actor, events.PARTICIPATION_COMPLETED, p, S.CONFIRMED)
    return p


@transaction.atomic
def assign(*, actor: User | None, task: VolunteerTask, volunteers: Iterable[Volunteer]) -> list[Participation]:
    """Put `volunteers` on `task`, confirmed (a soup round's or a patrol shift's roster): a request
    already made is confirmed, a confirmed one stays, a declined one is refused. `actor` None is the
    system (a periodic job): no capability is checked."""
    if actor is not None:
        require(actor, Capability.SERVICES, task)
    out: list[Participation] = []
    for volunteer in volunteers:
        if actor is not None:
            require(actor, Capability.SERVICES, volunteer)
        _check_volunteer(actor, task, volunteer)
        p = Participation.objects.select_for_update().filter(task=task, volunteer=volunteer).first()
        if p is None:
            p = Participation.objects.create(
                task=task,
                volunteer=volunteer,
                area_path=task.area_path,
                requested_at=timezone.now(),
                requested_by=_actor(actor),
            )
        if p.status == S.DECLINED:
            raise ValidationError({"volunteer": _("%(name)s 已被谢绝,不能再安排。") % {"name": volunteer.name}})
        if p.status == S.REQUESTED:
            _confirm(actor, p)
            _record(actor, events.PARTICIPATION_CONFIRMED, p, S.REQUESTED)
        out.append(p)
    return out


# ---- hours ------------------------------------------------------------------------------------


def _hours(value: Any) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("时长“%(value)s”不是有效的数字。") % {"value": value}}) from None
    if not amount.is_finite():
        raise ValidationError({"hours": _("时长“%(value)s”不是有效的数字。") % {"value": value}})
    if amount != amount.quantize(TENTH):
        raise ValidationError({"hours": _("时长最多保留一位小数。")})
    if amount <= 0:
        raise ValidationError({"hours": _("时长必须大于零。")})
    if amount > DAY_HOURS:
        raise ValidationError({"hours": _("一天的服务时长不能超过 24 小时。")})
    return amount.quantize(TENTH)


@transaction.atomic
def log_hours(
    *, actor: User, participation: Participation, hours: Any, day: dt.date | None = None, note: str = ""
) -> ServiceHours:
    """Hours served on one day of a confirmed or done participation, logged by the volunteer or by
    staff for them; they await the organiser's confirmation. A volunteer's hours on one day (logged
    and confirmed, not rejected) never pass 24."""
    p = _lock(participation)
    own = bool(p.volunteer.user_id and p.volunteer.user_id == actor.pk)
    if not own:
        require(actor, Capability.SERVICES, p.task)
    amount = _hours(hours)
    if p.status not in (S.CONFIRMED, S.DONE):
        raise ValidationError(
            _("只有“已确认”或“已完成”的参与可以登记时长,当前为“%(status)s”。") % {"status": _label(p.status)}
        )
    day = day or timezone.localtime(p.task.starts_at).date()
    first = timezone.localtime(p.task.starts_at).date()
    last = timezone.localtime(p.task.ends_at).date()
    if not first <= day <= last:
        raise ValidationError(
            {"day": _("服务日期应在任务期间(%(first)s 至 %(last)s)。") % {"first": first, "last": last}}
        )
    if day > timezone.localdate():
        raise ValidationError({"day": _("服务日期不能晚于今天。")})
    note = (note or "").strip()
    check_lengths(ServiceHours, {"note": note})
    # One lock per volunteer: two logs for the same day cannot both pass the 24-hour check.
    Volunteer.objects.select_for_update().filter(pk=p.volunteer_id).first()
    already = ServiceHours.objects.filter(volunteer_id=p.volunteer_id, day=day).exclude(
        status=HoursStatus.REJECTED
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if already + amount > DAY_HOURS:
        raise ValidationError(
            {
                "hours": _("%(day)s 已登记 %(already)s 小时,一天合计不能超过 24 小时。")
                % {"day": day, "already": already}
            }
        )
    record = ServiceHours.objects.create(
        participation=p,
        volunteer_id=p.volunteer_id,
        area_path=p.area_path,
        day=day,
        hours=amount,
        note=note,
        logged_by=_actor(actor),
    )
    audit.record_create(
        actor=actor,
        action=events.HOURS_LOGGED,
        target=record,
        after={"day": str(day), "hours": str(amount), "note": note},
        area_path=record.area_path,
    )
    return record


def _decide(actor: User, record: ServiceHours) -> ServiceHours:
    locked = (
        ServiceHours.objects.select_for_update().select_related("participation__task", "volunteer").get(pk=record.pk)
    )
    if locked.volunteer.user_id and locked.volunteer.user_id == actor.pk:
        raise PermissionDenied(_("志愿者不能审核自己的服务时长。"))
    require(actor, Capability.SERVICES, locked.participation.task)
    if locked.status != HoursStatus.PENDING:
        raise ValidationError(
            _("只有“待确认”的时长可以审核,当前为“%(status)s”。") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def confirm_hours(*, actor: User, hours: ServiceHours) -> ServiceHours:
    """The organiser confirms logged hours: from now on they count. Never the volunteer themselves,
    whatever other role their account holds."""
    record = _decide(actor, hours)
    record.status = HoursStatus.CONFIRMED
    record.decided_by = _actor(actor)
    record.decided_at = timezone.now()
    record.save(update_fields=["status", "decided_by", "decided_at"])
    rollups.refresh(record.volunteer_id, record.day.year)
    audit.record(
        actor=actor,
        action=events.HOURS_CONFIRMED,
        target=record,
        changes={"status": [str(HoursStatus.PENDING.label), str(HoursStatus.CONFIRMED.label)]},
        area_path=record.area_path,
    )
    return record


@transaction.atomic
def reject_hours(*, actor: User, hours: ServiceHours, reason: str) -> ServiceHours:
    """The organiser rejects logged hours, saying why (kept with the record)."""
    record = _decide(actor, hours)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过的原因。")})
    check_lengths(ServiceHours, {"reason": reason})
    record.status = HoursStatus.REJECTED
    record.decided_by = _actor(actor)
    record.decided_at = timezone.now()
    record.reason = reason
    record.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(
        actor=actor,
        action=events.HOURS_REJECTED,
        target=record,
        changes={"status": [str(HoursStatus.PENDING.label), str(HoursStatus.REJECTED.label)]},
        note=reason,
        area_path=record.area_path,
    )
    return record
