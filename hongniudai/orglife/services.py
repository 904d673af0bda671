"""Every write of organisational life: meetings (with their kinds and attendance), local rules,
and the daily reminders of obligations about to be missed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import RoleAssignment, User
from hongniudai.accounts.scope import Capability, Scope
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.notifications import services as notifications
from hongniudai.party.models import Member, OrgKind, PartyOrg
from hongniudai.places.models import AreaNode

from . import events, policy, rollups, selectors
from .models import (
    AbsenceReason,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingKindMark,
    MeetingRule,
    ReminderSent,
)
from .periods import MONTHS_PER_UNIT, units_per_year

# ---- meetings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """One member's attendance as submitted: present, or absent with a reason (and a note)."""

    member: Member
    present: bool = True
    absence_reason: str = ""
    absence_note: str = ""


def _clean_meeting(
    *,
    org: PartyOrg,
    held_on: dt.date,
    kinds: Sequence[str],
    topic: str,
    presided_by: Member | None,
    lecturer: str,
    today: dt.date,
) -> tuple[str, list[str]]:
    errors: dict[str, Any] = {}
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = _("请填写会议主题。")
    chosen = list(dict.fromkeys(kinds))
    allowed = selectors.allowed_kinds(org)
    if org.kind not in (OrgKind.BRANCH, OrgKind.PARTY_GROUP):
        errors["org"] = _("会议应由党支部或党小组召开。")
    elif not chosen:
        errors["kinds"] = _("请至少选择一种会议类型。")
    else:
        unknown = [k for k in chosen if k not in MeetingKind.values]
        if unknown:
            errors["kinds"] = _("会议类型“%(k)s”无效。") % {"k": unknown[0]}
        elif org.kind == OrgKind.PARTY_GROUP and chosen != [MeetingKind.GROUP_MEETING]:
            errors["kinds"] = _("党小组只能召开党小组会;其他会议应以党支部名义登记。")
        elif org.kind == OrgKind.BRANCH and MeetingKind.GROUP_MEETING in chosen:
            errors["kinds"] = _("党小组会应以党小组名义登记,请选择相应的党小组。")
        elif MeetingKind.COMMITTEE_MEETING in chosen and MeetingKind.COMMITTEE_MEETING not in allowed:
            errors["kinds"] = _("“%(org)s”未设支部委员会,不能登记支部委员会会议。") % {"org": org.name}
    if held_on is None:
        errors["held_on"] = _("请填写会议日期。")
    elif held_on > today:
        errors["held_on"] = _("会议日期不能晚于今天。")
    elif org.founded_on and held_on < org.founded_on:
        errors["held_on"] = _("会议日期不能早于该党组织的成立日期(%(d)s)。") % {"d": org.founded_on.isoformat()}
    if presided_by is not None and presided_by.org_id != selectors.branch_of(org).pk:
        errors["presided_by"] = _("主持人应为本支部党员。")
    if MeetingKind.PARTY_LECTURE in chosen and not (lecturer or "").strip():
        errors["lecturer"] = _("党课请填写授课人。")
    if errors:
        raise ValidationError(errors)
    return topic, chosen


def _check_meeting_lengths(*, topic: str, place: str, lecturer: str, minutes: str) -> None:
    texts = {"topic": topic, "place": place, "lecturer": lecturer}
    check_lengths(Meeting, {**{k: (v or "").strip() for k, v in texts.items()}, "minutes": minutes or ""})


def _clean_attendance(roster: list[Member], entries: Iterable[AttendanceEntry]) -> dict[int, AttendanceEntry]:
    by_member: dict[int, AttendanceEntry] = {}
    problems: list[str] = []
    on_roster = {m.pk for m in roster}
    for entry in entries:
        if entry.member.pk not in on_roster:
            problems.append(_("“%(name)s”不是本次会议应到的党员。") % {"name": entry.member})
            continue
        if entry.member.pk in by_member:
            problems.append(_("“%(name)s”的出席情况重复登记。") % {"name": entry.member})
            continue
        if not entry.present:
            if not entry.absence_reason:
                problems.append(_("请填写“%(name)s”的缺席原因。") % {"name": entry.member})
            elif entry.absence_reason not in AbsenceReason.values:
                problems.append(_("“%(name)s”的缺席原因无效。") % {"name": entry.member})
        by_member[entry.member.pk] = entry
    missing = [m for m in roster if m.pk not in by_member]
    if missing:
        names = "、".join(str(m) for m in missing[:10])
        problems.append(_("请登记每名应到党员的出席情况,尚未登记:%(names)s。") % {"names": names})
    if problems:
        raise ValidationError({"attendance": problems})
    return by_member


def _write(meeting: Meeting, kinds: list[str], roster: list[Member], entries: dict[int, AttendanceEntry]) -> None:
    """Attendance, the vote count and the kind marks of a saved meeting (replacing any before)."""
    branch = selectors.branch_of(meeting.org)
    voting_pool = roster
    if meeting.org.kind == OrgKind.BRANCH and set(kinds) == {MeetingKind.COMMITTEE_MEETING}:
        voting_pool = list(selectors.roster(branch, meeting.held_on))
    voters = [m for m in voting_pool if selectors.is_voting(m, meeting.held_on)]
    meeting.voting_total = len(voters)
    meeting.voting_present = sum(1 for m in voters if m.pk in entries and entries[m.pk].present)
    meeting.save(update_fields=["voting_total", "voting_present", "updated_at"])
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member=e.member,
                present=e.present,
                absence_reason="" if e.present else e.absence_reason,
                absence_note="" if e.present else (e.absence_note or "").strip()[:200],
            )
            for e in entries.values()
        ]
    )
    meeting.marks.all().delete()
    MeetingKindMark.objects.bulk_create(
        [
            MeetingKindMark(
                meeting=meeting, kind=k, counts=kind_counts(meeting, k), org=meeting.org, held_on=meeting.held_on
            )
            for k in kinds
        ]
    )


def kind_counts(meeting: Meeting, kind: str) -> bool:
    """A member meeting counts only when more than half of the voting members attend."""
    if kind == MeetingKind.MEMBER_MEETING:
        return meeting.voting_present * 2 > meeting.voting_total
    return True


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    out = audit.snapshot(meeting, Meeting.AUDITED)
    marks = list(meeting.marks.order_by("kind"))
    out["kinds"] = [f"{m.get_kind_display()}{'' if m.counts else '(不计入)'}" for m in marks]
    out["voting"] = f"{meeting.voting_present}/{meeting.voting_total}"
    out["absent"] = [
        f"{a.member}:{a.get_absence_reason_display()}"
        for a in meeting.attendance.filter(present=False).select_related("member__resident").order_by("member_id")
    ]
    out["present"] = meeting.attendance.filter(present=True).count()
    return out


class MeetingFields(TypedDict, total=False):
    """What recording or changing a meeting takes: the day, the topic and the kinds always; the
    attendance (the roster's entries), the time, the place, who presided, the lecturer and the
    minutes when there are any."""

    held_on: Required[dt.date]
    topic: Required[str]
    kinds: Required[Sequence[str]]
    attendance: Iterable[AttendanceEntry]
    start_time: dt.time | None
    presided_by: Member | None
    place: str
    lecturer: str
    minutes: str


@dataclass(frozen=True)
class CheckedMeeting:
    """A meeting's fields checked against the rules: the values to store (`Meeting.EDITABLE`), the
    kinds chosen, the roster they call and the attendance entries, one per member of it."""

    values: dict[str, Any]
    kinds: list[str]
    roster: list[Member]
    entries: dict[int, AttendanceEntry]


def _checked_meeting(org: PartyOrg, fields: MeetingFields) -> CheckedMeeting:
    place, lecturer, minutes = fields.get("place", ""), fields.get("lecturer", ""), fields.get("minutes", "")
    presided_by = fields.get("presided_by")
    _check_meeting_lengths(topic=fields["topic"], place=place, lecturer=lecturer, minutes=minutes)
    topic, chosen = _clean_meeting(
        org=org,
        held_on=fields["held_on"],
        kinds=fields["kinds"],
        topic=fields["topic"],
        presided_by=presided_by,
        lecturer=lecturer,
        today=timezone.localdate(),
    )
    roster = selectors.meeting_roster(org, chosen, fields["held_on"])
    values = {
        "held_on": fields["held_on"],
        "start_time": fields.get("start_time"),
        "place": (place or "").strip(),
        "topic": topic,
        "presided_by": presided_by,
        "lecturer": (lecturer or "").strip(),
        "minutes": minutes or "",
    }
    return CheckedMeeting(values, chosen, roster, _clean_attendance(roster, fields.get("attendance", ())))


@transaction.atomic
def record_meeting(*, actor: User, org: PartyOrg, **fields: Unpack[MeetingFields]) -> Meeting:
    policy.require(actor, Capability.EDIT_PARTY, org)
    checked = _checked_meeting(org, fields)
    meeting = Meeting.objects.create(
        org=org, recorded_by=actor if getattr(actor, "pk", None) else None, **checked.values
    )
    _write(meeting, checked.kinds, checked.roster, checked.entries)
    rollups.refresh_orgs([org.pk])
    audit.record_create(
        actor=actor, action=events.MEETING_RECORDED, target=meeting, after=_snapshot(meeting), **audit.at_org(org)
    )
    return meeting


@transaction.atomic
def update_meeting(*, actor: User, meeting: Meeting, **fields: Unpack[MeetingFields]) -> Meeting:
    """Change a meeting; its organisation stays. Kinds and attendance are replaced as given."""
    policy.require(actor, Capability.EDIT_PARTY, meeting)
    org = meeting.org
    checked = _checked_meeting(org, fields)
    before = _snapshot(meeting)
    model_update(meeting, fields=Meeting.EDITABLE, data=checked.values)
    _write(meeting, checked.kinds, checked.roster, checked.entries)
    rollups.refresh_orgs([org.pk])
    audit.record_update(
        actor=actor,
        action=events.MEETING_UPDATED,
        target=meeting,
        before=before,
        after=_snapshot(meeting),
        **audit.at_org(org),
    )
    return meeting


@transaction.atomic
def delete_meeting(*, actor: User, meeting: Meeting) -> None:
    policy.require(actor, Capability.EDIT_PARTY, meeting)
    audit.record_delete(
        actor=actor,
        action=events.MEETING_DELETED,
        target=meeting,
        before=_snapshot(meeting),
        **audit.at_org(meeting.org),
    )
    meeting.delete()
    rollups.refresh_orgs([meeting.org_id])


# ---- local rules ----------------------------------------------------------------------------


def _annual(frequency: str, times: int) -> int:
    return units_per_year(frequency) * times


def _clean_rule(
    *, kind: str, area: AreaNode, frequency: str, times: int, remind_days: int, source: str, exclude: int | None
) -> MeetingRule:
    """Validate a local rule against the rule that would govern its area without it (the nearest
    rule above, else the default): it may only be as strict or stricter — as often or more often,
    and at least as many meetings a year. Returns that baseline."""
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("请选择会议类型。")})
    if frequency not in MONTHS_PER_UNIT:
        raise ValidationError({"frequency": _("请选择频次。")})
    book = selectors.rule_book()
    candidates = [(p, r) for p, r in book.by_kind.get(kind, []) if r.pk != exclude and area.path.startswith(p)]
    candidates = [(p, r) for p, r in candidates if p != area.path]
    baseline = candidates[0][1] if candidates else None
    if baseline is None:
        raise ValidationError({"kind": _("该会议类型没有默认规则,不能设置地方规则。")})
    if times is None or times < 1 or times > 31:
        errors["times"] = _("每期次数应在 1 到 31 之间。")
    elif MONTHS_PER_UNIT[frequency] > MONTHS_PER_UNIT[baseline.frequency] or _annual(frequency, times) < _annual(
        baseline.frequency, baseline.times
    ):
        errors["frequency"] = _("地方规则不能低于上级或默认规则(%(freq)s %(times)s 次):只能更频繁或次数更多。") % {
            "freq": baseline.get_frequency_display(),
            "times": baseline.times,
        }
    if remind_days is None or remind_days > 90:
        errors["remind_days"] = _("提醒天数应在 0 到 90 之间。")
    if not (source or "").strip():
        errors["source"] = _("请填写依据(文件名称及条款)。")
    if errors:
        raise ValidationError(errors)
    return baseline


@transaction.atomic
def create_rule(
    *,
    actor: User,
    kind: str,
    area: AreaNode,
    frequency: str,
    times: int = 1,
    remind_days: int = 7,
    source: str,
    note: str = "",
) -> MeetingRule:
    if not policy.can_edit_rules(actor, area):
        raise PermissionDenied(_("只有镇或县管理员可以设置本地区的组织生活规则。"))
    check_lengths(MeetingRule, {"source": (source or "").strip(), "note": note or ""})
    baseline = _clean_rule(
        kind=kind, area=area, frequency=frequency, times=times, remind_days=remind_days, source=source, exclude=None
    )
    if MeetingRule.objects.filter(kind=kind, area=area).exists():
        raise ValidationError({"kind": _("该地区已有这一会议类型的规则,请直接修改。")})
    rule = MeetingRule.objects.create(
        kind=kind,
        area=area,
        frequency=frequency,
        times=times,
        owed_by=baseline.owed_by,
        needs_committee=baseline.needs_committee,
        remind_days=remind_days,
        source=source.strip(),
        note=note or "",
    )
    rollups.refresh_area(area.path)
    audit.record_create(
        actor=actor,
        action=events.MEETING_RULE_CREATED,
        target=rule,
        after=audit.snapshot(rule, MeetingRule.AUDITED),
        area_path=area.path,
    )
    return rule


@transaction.atomic
def update_rule(
    *,
    actor: User,
    rule: MeetingRule,
    frequency: str,
    times: int,
    remind_days: int,
    source: str,
    note: str = "",
) -> MeetingRule:
    """Change a local rule (its kind and area stay). The deployment defaults are not edited here."""
    if rule.area is None:
        raise PermissionDenied(_("默认规则依据党内法规设定,不能在此修改;可为本地区另设更严格的规则。"))
    if not policy.can_edit_rules(actor, rule.area):
        raise PermissionDenied(_("只有镇或县管理员可以设置本地区的组织生活规则。"))
    check_lengths(MeetingRule, {"source": (source or "").strip(), "note": note or ""})
    _clean_rule(
        kind=rule.kind,
        area=rule.area,
        frequency=frequency,
        times=times,
        remind_days=remind_days,
        source=source,
        exclude=rule.pk,
    )
    before = audit.snapshot(rule, MeetingRule.AUDITED)
    values = {
        "frequency": frequency,
        "times": times,
        "remind_days": remind_days,
        "source": source.strip(),
        "note": note or "",
    }
    if model_update(rule, fields=MeetingRule.EDITABLE, data=values):
        rollups.refresh_area(rule.area.path)
    audit.record_update(
        actor=actor,
        action=events.MEETING_RULE_UPDATED,
        target=rule,
        before=before,
        after=audit.snapshot(rule, MeetingRule.AUDITED),
        area_path=rule.area.path,
    )
    return rule


@transaction.atomic
def delete_rule(*, actor: User, rule: MeetingRule) -> None:
    if rule.area is None:
        raise PermissionDenied(_("默认规则不能删除。"))
    if not policy.can_edit_rules(actor, rule.area):
        raise PermissionDenied(_("只有镇或县管理员可以设置本地区的组织生活规则。"))
    audit.record_delete(
        actor=actor,
        action=events.MEETING_RULE_DELETED,
        target=rule,
        before=audit.snapshot(rule, MeetingRule.AUDITED),
        area_path=rule.area.path,
    )
    area_path = rule.area.path
    rule.delete()
    rollups.refresh_area(area_path)


# ---- reminders ------------------------------------------------------------------------------


def _reminder_text(ob: selectors.Obligation) -> str:
    return _(
        "【组织生活提醒】%(org)s %(unit)s的%(kind)s尚未完成(应 %(times)s 次,已 %(held)s 次),"
        "本期将于 %(end)s 结束,请及时召开并登记。"
    ) % {
        "org": ob.org_name,
        "unit": ob.unit.label,
        "kind": ob.kind_label,
        "times": ob.times,
        "held": ob.held,
        "end": f"{ob.unit.end.month}月{ob.unit.end.day}日",
    }


def send_due_reminders(*, today: dt.date | None = None) -> int:
    """Run daily by huey. For each obligation still pending whose unit ends within its rule's
    `remind_days`, notify once (recorded in `ReminderSent`, so never twice): the users with a role
    assignment on the branch (or the party group) or on the branch's area — the village
    secretary — and so the instructors assigned to the branch (enterprise party work keeps an
    instructor's role on each branch they guide in step with the assignment). Returns the number
    of reminders."""
    today = today or timezone.localdate()
    obs = [
        o
        for o in selectors.compute_obligations(Scope(everything=True), paths=None, start=today, end=today, today=today)
        if o.status == selectors.PENDING and o.due_soon
    ]
    if not obs:
        return 0
    sent = set(ReminderSent.objects.filter(unit_end__gte=today).values_list("org_id", "kind", "unit_start"))
    obs = [o for o in obs if (o.org_id, o.kind, o.unit.start) not in sent]
    if not obs:
        return 0
    org_ids = {o.org_id for o in obs} | {o.branch_id for o in obs}
    areas = dict(PartyOrg.objects.filter(pk__in=org_ids).values_list("pk", "area_id"))
    people: dict[tuple[str, int | None], list[Any]] = defaultdict(list)
    assignments = RoleAssignment.objects.filter(
        Q(org_id__in=org_ids) | Q(area_id__in=set(areas.values())), user__is_active=True
    ).select_related("user")
    for a in assignments:
        if a.org_id:
            people[("org", a.org_id)].append(a.user)
        else:
            people[("area", a.area_id)].append(a.user)
    count = 0
    for ob in obs:
        recipients = [
            *people.get(("org", ob.org_id), []),
            *(people.get(("org", ob.branch_id), []) if ob.branch_id != ob.org_id else []),
            *people.get(("area", areas.get(ob.branch_id, 0)), []),
        ]
        unique = list({u.pk: u for u in recipients}.values())
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(
                org_id=ob.org_id,
                kind=ob.kind,
                unit_start=ob.unit.start,
                defaults={"unit_end": ob.unit.end, "recipients": len(unique)},
            )
            if not created:
                continue
            notifications.notify(people=unique, message=_reminder_text(ob))
            count += 1
    return count
