"""Every write of guidance visits: a visit to a branch or an enterprise with the items checked and
its findings, and the follow-ups due by dates until someone closes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.common.text import length_errors
from hongniudai.party.models import OrgKind, PartyOrg

from . import events, policy
from .models import CheckItem, Enterprise, GuidanceFollowUp, GuidanceVisit, Instructor


def _visit_where(visit: GuidanceVisit) -> audit.Where:
    return audit.at(area=visit.area, org=visit.org)


def _clean_follow_ups(rows: Iterable[tuple[str, dt.date | None]], visited_on: dt.date) -> list[tuple[str, dt.date]]:
    out: list[tuple[str, dt.date]] = []
    for description, due_on in rows:
        description = (description or "").strip()
        if not description and due_on is None:
            continue
        if not description:
            raise ValidationError({"follow_ups": _("请填写整改事项的内容。")})
        if due_on is None:
            raise ValidationError({"follow_ups": _("请为整改事项“%(d)s”填写整改期限。") % {"d": description}})
        if due_on < visited_on:
            raise ValidationError({"follow_ups": _("整改期限不能早于指导日期。")})
        out.append((description[:200], due_on))
    return out


@transaction.atomic
def record_visit(
    *,
    actor: User,
    visited_on: dt.date,
    org: PartyOrg | None = None,
    enterprise: Enterprise | None = None,
    checked: Sequence[str] = (),
    findings: str = "",
    follow_ups: Iterable[tuple[str, dt.date | None]] = (),
    instructor: User | None = None,
) -> GuidanceVisit:
    """Record a guidance visit to a branch or an enterprise (its branch is taken when it has
    one), with the items checked, the findings and follow-ups due by dates."""
    if org is None and enterprise is None:
        raise ValidationError({"org": _("请选择所指导的党支部或企业。")})
    if org is None and enterprise is not None and enterprise.branch_id:
        org = enterprise.branch
    if org is not None and org.kind != OrgKind.BRANCH:
        raise ValidationError({"org": _("指导对象应为党支部。")})
    if not policy.can_guide(actor, org=org, enterprise=enterprise):
        raise PermissionDenied(_("您不是该党支部或企业的指导员,不能登记指导记录。"))
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = _("请填写指导日期。")
    elif visited_on > timezone.localdate():
        errors["visited_on"] = _("指导日期不能晚于今天。")
    unknown = [c for c in checked if c not in CheckItem.values]
    if unknown:
        errors["checked"] = _("检查内容“%(v)s”无效。") % {"v": "、".join(unknown)}
    if enterprise is not None and org is not None and enterprise.branch_id and enterprise.branch_id != org.pk:
        errors["enterprise"] = _("企业“%(e)s”不属于党支部“%(o)s”。") % {"e": enterprise.name, "o": org.name}
    errors.update(length_errors(GuidanceVisit, {"findings": findings}))
    if errors:
        raise ValidationError(errors)
    rows = _clean_follow_ups(follow_ups, visited_on)
    who = instructor or actor
    if who.pk != getattr(actor, "pk", None) and not Instructor.objects.filter(user=who).exists():
        raise ValidationError({"instructor": _("请选择一名党建指导员。")})
    area = org.area if org is not None else enterprise.area  # type: ignore[union-attr]
    visit = GuidanceVisit.objects.create(
        instructor=who,
        org=org,
        enterprise=enterprise,
        area=area,
        visited_on=visited_on,
        checked=list(dict.fromkeys(checked)),
        findings=(findings or "").strip(),
    )
    audit.record_create(
        action=events.GUIDANCE_VISIT_RECORDED,
        actor=actor,
        target=visit,
        after=audit.snapshot(visit, ("instructor", "org", "enterprise", "visited_on", "checked", "findings")),
        **_visit_where(visit),
    )
    for description, due_on in rows:
        _create_follow_up(actor=actor, visit=visit, description=description, due_on=due_on)
    return visit


def _create_follow_up(*, actor: User, visit: GuidanceVisit, description: str, due_on: dt.date) -> GuidanceFollowUp:
    follow_up = GuidanceFollowUp.objects.create(visit=visit, description=description, due_on=due_on)
    audit.record_create(
        action=events.FOLLOW_UP_ADDED,
        actor=actor,
        target=follow_up,
        after=audit.snapshot(follow_up, ("visit", "description", "due_on")),
        **_visit_where(visit),
    )
    return follow_up


@transaction.atomic
def add_follow_up(*, actor: User, visit: GuidanceVisit, description: str, due_on: dt.date | None) -> GuidanceFollowUp:
    if not policy.can_edit_visit(actor, visit):
        raise PermissionDenied(_("只有该指导记录的指导员可以添加整改事项。"))
    rows = _clean_follow_ups([(description, due_on)], visit.visited_on)
    if not rows:
        raise ValidationError({"description": _("请填写整改事项的内容。")})
    return _create_follow_up(actor=actor, visit=visit, description=rows[0][0], due_on=rows[0][1])


@transaction.atomic
def close_follow_up(
    *, actor: User, follow_up: GuidanceFollowUp, note: str, closed_on: dt.date | None = None
) -> GuidanceFollowUp:
    if not policy.can_close_follow_up(actor, follow_up):
        raise PermissionDenied(_("只有指导员或该党支部的维护人员可以办结整改事项。"))
    if follow_up.closed_on is not None:
        raise ValidationError(_("该整改事项已于 %(d)s 办结。") % {"d": follow_up.closed_on.isoformat()})
    note = (note or "").strip()
    closed_on = closed_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not note:
        errors["closing_note"] = _("请填写完成情况。")
    if closed_on > timezone.localdate():
        errors["closed_on"] = _("完成日期不能晚于今天。")
    elif closed_on < follow_up.visit.visited_on:
        errors["closed_on"] = _("完成日期不能早于指导日期。")
    if errors:
        raise ValidationError(errors)
    fields = ("closed_on", "closing_note", "closed_by")
    before = audit.snapshot(follow_up, fields)
    follow_up.closed_on, follow_up.closing_note, follow_up.closed_by = closed_on, note[:200], actor
    follow_up.save(update_fields=list(fields))
    audit.record_update(
        action=events.FOLLOW_UP_CLOSED,
        actor=actor,
        target=follow_up,
        before=before,
        after=audit.snapshot(follow_up, fields),
        **_visit_where(follow_up.visit),
    )
    return follow_up
