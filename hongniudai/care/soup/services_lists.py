"""The soup lists' writes: the town's February setting, the rules, the list of recipients
(proposed by the rules or by hand, approved or removed by the village) and the hamlets' volunteers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.audit.actions import Action
from hongniudai.common.text import check_lengths
from hongniudai.common.tree import ancestor_ids
from hongniudai.common.updates import model_update
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from hongniudai.volunteers.interface import Volunteer

from . import events
from .calendar import DEFAULT_FEBRUARY_RULE
from .models import (
    FebruaryRule,
    RecipientStatus,
    RuleKind,
    SoupHamletVolunteer,
    SoupRecipient,
    SoupRule,
    SoupSettings,
)
from .policy import require

REASON_SEPARATOR = "、"


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def user_or_none(actor: User | None) -> User | None:
    return actor if actor is not None and getattr(actor, "pk", None) else None


def ancestor_of_kind(area: AreaNode, kind: str) -> AreaNode | None:
    """The node of `kind` at or above `area`."""
    if area.kind == kind:
        return area
    return AreaNode.objects.filter(pk__in=ancestor_ids(area.path), kind=kind).first()


def village_of(area: AreaNode) -> AreaNode:
    village = ancestor_of_kind(area, AreaKind.VILLAGE)
    if village is None:
        raise ValidationError(_("该湾组不属于任何村。"))
    return village


# ---- the town's setting -----------------------------------------------------------------------


def february_rule_of(town: AreaNode | None) -> str:
    """The town's choice for a February without a 29th (the 28th when it has not chosen)."""
    if town is None:
        return DEFAULT_FEBRUARY_RULE
    rule = SoupSettings.objects.filter(town=town).values_list("february_rule", flat=True).first()
    return rule or DEFAULT_FEBRUARY_RULE


@transaction.atomic
def save_settings(*, actor: User, town: AreaNode, february_rule: str) -> SoupSettings:
    """Set what `town` does in a February without a 29th."""
    if town.kind != AreaKind.TOWN:
        raise ValidationError({"town": _("爱心汤设置按镇设定。")})
    require(actor, Capability.SERVICES, town)
    if february_rule not in FebruaryRule.values:
        raise ValidationError({"february_rule": _("请选择平年二月的送汤安排。")})
    row, _created = SoupSettings.objects.select_for_update().get_or_create(town=town, defaults={"area_path": town.path})
    before = audit.snapshot(row, ("february_rule",))
    model_update(row, fields=("february_rule",), data={"february_rule": february_rule})
    audit.record_update(
        actor=actor,
        action=events.SETTINGS_SAVED,
        target=row,
        before=before if not _created else {},
        after=audit.snapshot(row, ("february_rule",)),
        area_path=town.path,
    )
    return row


# ---- rules ------------------------------------------------------------------------------------

RULE_FIELDS = ("area", "kind", *SoupRule.EDITABLE)


@transaction.atomic
def save_rule(
    *,
    actor: User,
    area: AreaNode,
    kind: str,
    min_age: int | None = None,
    is_active: bool = True,
    source: str = "",
    note: str = "",
) -> SoupRule:
    """Keep the rule of `kind` for `area` (a town, or a village overriding its town's rule of that
    kind): created the first time, changed afterwards."""
    if area.kind not in (AreaKind.TOWN, AreaKind.VILLAGE):
        raise ValidationError({"area": _("送汤对象条件由镇或村制定。")})
    require(actor, Capability.SERVICES, area)
    source, note = clean_text(source), clean_text(note)
    check_lengths(SoupRule, {"source": source, "note": note})
    errors: dict[str, str] = {}
    if kind not in RuleKind.values:
        errors["kind"] = _("请选择条件。")
    if kind == RuleKind.AGE:
        if (is_active or min_age is not None) and (min_age is None or not 50 <= min_age <= 120):
            errors["min_age"] = _("年龄条件请填写 50 至 120 之间的周岁数。")
    else:
        min_age = None
    if errors:
        raise ValidationError(errors)
    data = {"min_age": min_age, "is_active": bool(is_active), "source": source, "note": note}
    rule = SoupRule.objects.select_for_update().filter(area=area, kind=kind).first()
    if rule is None:
        rule = SoupRule.objects.create(area=area, area_path=area.path, kind=kind, **data)
        audit.record_create(
            actor=actor,
            action=events.RULE_SAVED,
            target=rule,
            after=audit.snapshot(rule, RULE_FIELDS),
            area_path=area.path,
        )
        return rule
    before = audit.snapshot(rule, RULE_FIELDS)
    model_update(rule, fields=SoupRule.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.RULE_SAVED,
        target=rule,
        before=before,
        after=audit.snapshot(rule, RULE_FIELDS),
        area_path=area.path,
    )
    return rule


def rules_for(village: AreaNode) -> dict[str, SoupRule]:
    """The rules in force in `village`, by kind: the village's own, else its town's (the nearest
    area's rule of a kind wins; an inactive one turns the criterion off)."""
    ids = ancestor_ids(village.path)
    depth = {pk: i for i, pk in enumerate(ids)}
    chosen: dict[str, SoupRule] = {}
    for rule in SoupRule.objects.filter(area_id__in=ids):
        kept = chosen.get(rule.kind)
        if kept is None or depth[rule.area_id] > depth[kept.area_id]:
            chosen[rule.kind] = rule
    return {kind: rule for kind, rule in chosen.items() if rule.is_active}


# ---- recipients -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A resident the rules propose, with every reason met."""

    resident: Resident
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return REASON_SEPARATOR.join(self.reasons)


def _age_cutoff(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def evaluate_rules(village: AreaNode, *, today: dt.date | None = None) -> list[Proposal]:
    """The residents of `village` the rules in force propose, each with the reasons met, in the
    order of the rules' kinds. Four queries whatever the residents."""
    today = today or timezone.localdate()
    rules = rules_for(village)
    if not rules:
        return []
    residents = Resident.objects.filter(household__hamlet__path__under=village.path).select_related("household")
    alone: set[int] = set()
    if RuleKind.ALONE in rules:
        alone = set(
            Household.objects.filter(hamlet__path__under=village.path)
            .annotate(n=Count("members"))
            .filter(n=1)
            .values_list("pk", flat=True)
        )
    age = rules.get(RuleKind.AGE)
    cutoff = _age_cutoff(today, age.min_age) if age is not None and age.min_age else None
    found: list[Proposal] = []
    for resident in residents.order_by("household__hamlet__path", "household_id", "id"):
        reasons: list[Any] = []
        if cutoff is not None and resident.birth_date <= cutoff:
            reasons.append(str(age))
        if RuleKind.ALONE in rules and resident.household_id in alone:
            reasons.append(RuleKind.ALONE.label)
        if RuleKind.DISABLED in rules and resident.is_disabled:
            reasons.append(RuleKind.DISABLED.label)
        if RuleKind.FORMERLY_POOR in rules and resident.household.is_formerly_poor:
            reasons.append(RuleKind.FORMERLY_POOR.label)
        if reasons:
            found.append(Proposal(resident, tuple(str(r) for r in reasons)))
    return found


RECIPIENT_FIELDS = ("resident", "reasons", "by_hand", "status", "removed_reason")


def _new_recipient(actor: User | None, resident: Resident, reasons: str, *, by_hand: bool) -> SoupRecipient:
    hamlet = resident.household.hamlet
    recipient = SoupRecipient.objects.create(
        village=village_of(hamlet),
        hamlet=hamlet,
        area_path=hamlet.path,
        resident=resident,
        reasons=reasons[:200],
        by_hand=by_hand,
    )
    audit.record_create(
        actor=actor,
        action=events.RECIPIENT_PROPOSED,
        target=recipient,
        after=audit.snapshot(recipient, RECIPIENT_FIELDS),
        area_path=recipient.area_path,
    )
    return recipient


@transaction.atomic
def propose_recipients(*, actor: User, village: AreaNode, today: dt.date | None = None) -> list[SoupRecipient]:
    """Put on `village`'s list, as proposed, every resident the rules propose who is not on it yet;
    a proposed row's reasons are brought up to date. A resident the village removed stays removed
    (the village adds them again by hand). Returns the new rows."""
    if village.kind != AreaKind.VILLAGE:
        raise ValidationError({"village": _("请选择村。")})
    require(actor, Capability.SERVICES, village)
    proposals = evaluate_rules(village, today=today)
    existing = {
        r.resident_id: r
        for r in SoupRecipient.objects.select_for_update().filter(resident__in=[p.resident for p in proposals])
    }
    created: list[SoupRecipient] = []
    for proposal in proposals:
        row = existing.get(proposal.resident.pk)
        if row is None:
            created.append(_new_recipient(actor, proposal.resident, proposal.reason_text, by_hand=False))
        elif row.status == RecipientStatus.PROPOSED and not row.by_hand and row.reasons != proposal.reason_text:
            row.reasons = proposal.reason_text[:200]
            row.save(update_fields=["reasons"])
    return created


def rule_reason(resident: Resident, kind: str, *, today: dt.date | None = None) -> str:
    """The reason kept for `resident` put on the list by the rule of `kind` in force in their
    village ("年满 80 周岁", "独居" …); a ValidationError when no such rule is in force there or
    the resident does not meet it."""
    rule = rules_for(village_of(resident.household.hamlet)).get(kind)
    if rule is None:
        raise ValidationError({"reason": _("本村未启用该送汤条件。")})
    if kind == RuleKind.AGE:
        age = rule.min_age or 0
        met = bool(age) and resident.birth_date <= _age_cutoff(today or timezone.localdate(), age)
    elif kind == RuleKind.ALONE:
        met = Resident.objects.filter(household_id=resident.household_id).count() == 1
    elif kind == RuleKind.DISABLED:
        met = resident.is_disabled
    else:
        met = resident.household.is_formerly_poor
    if not met:
        raise ValidationError({"reason": _("该居民不符合“%(rule)s”条件。") % {"rule": rule}})
    return str(rule)


@transaction.atomic
def add_recipient_by_rule(*, actor: User, resident: Resident, kind: str) -> SoupRecipient:
    """Put `resident` on their village's list because they meet the rule of `kind` in force there
    (proposed, for the village to approve), as the rules would propose them."""
    require(actor, Capability.SERVICES, resident)
    return _put_on_list(actor, resident, rule_reason(resident, kind), by_hand=False)


@transaction.atomic
def add_recipient(*, actor: User, resident: Resident, reason: str) -> SoupRecipient:
    """Put `resident` on their village's list by hand, with the reason typed in (proposed, for the
    village to approve). A removed resident comes back this way."""
    require(actor, Capability.SERVICES, resident)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("请填写送汤原因。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("送汤原因不能超过 200 字。")})
    return _put_on_list(actor, resident, reason, by_hand=True)


def _put_on_list(actor: User, resident: Resident, reason: str, *, by_hand: bool) -> SoupRecipient:
    row = SoupRecipient.objects.select_for_update().filter(resident=resident).first()
    if row is None:
        return _new_recipient(actor, resident, reason, by_hand=by_hand)
    if row.status != RecipientStatus.REMOVED:
        raise ValidationError({"resident": _("%(name)s 已在送汤名单上。") % {"name": resident.name}})
    before = audit.snapshot(row, RECIPIENT_FIELDS)
    model_update(
        row,
        fields=("reasons", "by_hand", "status", "removed_reason", "decided_by", "decided_at"),
        data={
            "reasons": reason,
            "by_hand": by_hand,
            "status": RecipientStatus.PROPOSED,
            "removed_reason": "",
            "decided_by": None,
            "decided_at": None,
        },
    )
    audit.record_update(
        actor=actor,
        action=events.RECIPIENT_PROPOSED,
        target=row,
        before=before,
        after=audit.snapshot(row, RECIPIENT_FIELDS),
        area_path=row.area_path,
    )
    return row


def _decide(actor: User, row: SoupRecipient, status: str, reason: str, action: Action) -> SoupRecipient:
    before = audit.snapshot(row, RECIPIENT_FIELDS)
    model_update(
        row,
        fields=("status", "removed_reason", "decided_by", "decided_at"),
        data={
            "status": status,
            "removed_reason": reason,
            "decided_by": user_or_none(actor),
            "decided_at": timezone.now(),
        },
    )
    audit.record_update(
        actor=actor,
        action=action,
        target=row,
        before=before,
        after=audit.snapshot(row, RECIPIENT_FIELDS),
        area_path=row.area_path,
    )
    return row


@transaction.atomic
def approve_recipient(*, actor: User, recipient: SoupRecipient) -> SoupRecipient:
    """The village approves a proposed recipient: who approved and when are kept."""
    require(actor, Capability.SERVICES, recipient)
    row = SoupRecipient.objects.select_for_update().get(pk=recipient.pk)
    if row.status != RecipientStatus.PROPOSED:
        raise ValidationError({"status": _("只有待审核的送汤对象可以确认。")})
    return _decide(actor, row, RecipientStatus.APPROVED, "", events.RECIPIENT_APPROVED)


@transaction.atomic
def approve_proposed(*, actor: User, village: AreaNode, hamlet: AreaNode | None = None) -> int:
    """Approve every proposed recipient of `village` (of `hamlet` only, when given). Returns how many."""
    require(actor, Capability.SERVICES, village)
    rows = SoupRecipient.objects.select_for_update().filter(village=village, status=RecipientStatus.PROPOSED)
    if hamlet is not None:
        rows = rows.filter(hamlet=hamlet)
    count = 0
    for row in rows:
        _decide(actor, row, RecipientStatus.APPROVED, "", events.RECIPIENT_APPROVED)
        count += 1
    return count


@transaction.atomic
def remove_recipient(*, actor: User, recipient: SoupRecipient, reason: str) -> SoupRecipient:
    """Take a recipient off the list (the row stays, with why, who and when)."""
    require(actor, Capability.SERVICES, recipient)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("请填写移除原因。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("移除原因不能超过 200 字。")})
    row = SoupRecipient.objects.select_for_update().get(pk=recipient.pk)
    if row.status == RecipientStatus.REMOVED:
        raise ValidationError({"status": _("该送汤对象已移除。")})
    return _decide(actor, row, RecipientStatus.REMOVED, reason, events.RECIPIENT_REMOVED)


# ---- volunteers -------------------------------------------------------------------------------


def check_volunteer(volunteer: Volunteer | None, village: AreaNode) -> None:
    if volunteer is None:
        return
    if not volunteer.is_active or not volunteer.area_path.startswith(village.path):
        raise ValidationError({"volunteer": _("请选择本村在册的志愿者。")})


@transaction.atomic
def set_hamlet_volunteer(*, actor: User, hamlet: AreaNode, volunteer: Volunteer | None) -> SoupHamletVolunteer | None:
    """The volunteer who carries soup in `hamlet` by default (None: nobody by default). Rounds
    created afterwards give the hamlet's visits to them."""
    if hamlet.kind != AreaKind.HAMLET:
        raise ValidationError({"hamlet": _("请选择湾组。")})
    require(actor, Capability.SERVICES, hamlet)
    check_volunteer(volunteer, village_of(hamlet))
    row = SoupHamletVolunteer.objects.select_for_update().filter(hamlet=hamlet).first()
    before = audit.snapshot(row, ("hamlet", "volunteer")) if row else {}
    if volunteer is None:
        if row is not None:
            row.delete()
            audit.record_update(
                actor=actor,
                action=events.HAMLET_VOLUNTEER_SET,
                target=hamlet,
                before=before,
                after={},
                area_path=hamlet.path,
            )
        return None
    if row is None:
        row = SoupHamletVolunteer.objects.create(hamlet=hamlet, area_path=hamlet.path, volunteer=volunteer)
    else:
        model_update(row, fields=("volunteer",), data={"volunteer": volunteer})
    audit.record_update(
        actor=actor,
        action=events.HAMLET_VOLUNTEER_SET,
        target=row,
        before=before,
        after=audit.snapshot(row, ("hamlet", "volunteer")),
        area_path=hamlet.path,
    )
    return row
