"""Every write to the collective economy's organisations, decisions, members and share register.

- A decision (四议两公开) is recorded, then its steps one by one, in `StepKind` order: a step needs
  every earlier one recorded, on a day not before them; the committee's proposal (PROPOSE) and the
  members' meeting's review (REVIEW) may point to the orglife meeting of the village's branch that
  took them.
- A village registers its collective economic organisation once (a kind of `COLLECTIVE_KINDS`),
  which keeps books in the ledger; it founds cooperatives by a decision of subject COOPERATIVE whose
  REVIEW and RESOLVE steps are recorded, each cooperative opening books of its own (2023 chart).
- Households of the organisation's village are confirmed as members once, and leave on a day.
- The share register only grows: shares added or taken away for a member household or the
  collective share, never taking a holder below zero; a cash contribution is posted to the books
  (Dr 102 银行存款 / Cr 301 资本; a refund the other way) through `ledger.interface.post_entry`.

Every write checks ECONOMY_WRITE over the village, validates, writes and records one audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import uscc

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.interface import Account, Books, LineSpec, Voucher, post_entry
from hongniudai.ledger.models import OrgKind as BooksKind
from hongniudai.ledger.services import open_books
from hongniudai.orglife.interface import Meeting, MeetingKind
from hongniudai.places.models import AreaKind, AreaNode, Household

from . import events
from .models import (
    COLLECTIVE_KINDS,
    STEP_ORDER,
    ContributionKind,
    Decision,
    DecisionStep,
    DecisionSubject,
    EconomicOrg,
    Membership,
    OrgKind,
    ShareEntry,
    ShareKind,
    StepKind,
)
from .policy import require

CENT = Decimal("0.01")
BANK = "102"  # 银行存款
CAPITAL = "301"  # 资本

# The steps a party meeting takes, and the kind of meeting that takes each.
MEETING_KIND_OF_STEP: dict[str, str] = {
    StepKind.PROPOSE: MeetingKind.COMMITTEE_MEETING,
    StepKind.REVIEW: MeetingKind.MEMBER_MEETING,
}
# The steps a cooperative's founding decision must have recorded.
FOUNDING_STEPS = (StepKind.REVIEW, StepKind.RESOLVE)
COOPERATIVE_KINDS = (OrgKind.SHAREHOLDING_COOPERATIVE, OrgKind.SPECIALISED_COOPERATIVE)

# The kind of books (ledger) each kind of organisation keeps.
BOOKS_KIND: dict[str, str] = {
    OrgKind.SHAREHOLDING_COLLECTIVE: BooksKind.SHAREHOLDING,
    OrgKind.ECONOMIC_COOPERATIVE: BooksKind.COOPERATIVE,
    OrgKind.VILLAGE_COMMITTEE: BooksKind.VILLAGE_COMMITTEE,
    OrgKind.SHAREHOLDING_COOPERATIVE: BooksKind.SHAREHOLDING,
    OrgKind.SPECIALISED_COOPERATIVE: BooksKind.COOPERATIVE,
}

DECISION_FIELDS = ("village", "subject", "title", "content")
STEP_FIELDS = ("decision", "kind", "held_on", "meeting", "attended", "agreed", "note")
ORG_FIELDS = ("village", "name", "kind", "founded_by", "decision", "books", "credit_code", "founded_on", "business")
MEMBER_FIELDS = ("org", "household", "confirmed_on", "decision", "ended_on", "note")
SHARE_FIELDS = ("org", "household", "kind", "contribution", "shares", "amount", "effective_on", "reason", "decision")


def _where(obj: Decision | EconomicOrg) -> audit.Where:
    return {"area_path": obj.area_path, "org_path": ""}


def _step_label(kind: str) -> str:
    return str(StepKind(kind).label)


# ---- decisions ------------------------------------------------------------------------------


def _village_of(village: AreaNode, errors: dict[str, str]) -> None:
    if village.kind != AreaKind.VILLAGE:
        errors["village"] = _("请选择村(社区)。")


@transaction.atomic
def create_decision(*, actor: User, village: AreaNode, subject: str, title: str, content: str = "") -> Decision:
    """Record a village's major economic decision, to be taken through 四议两公开."""
    require(actor, Capability.ECONOMY_WRITE, village)
    title, content = (title or "").strip(), (content or "").strip()
    check_lengths(Decision, {"title": title, "content": content})
    errors: dict[str, str] = {}
    _village_of(village, errors)
    if subject not in DecisionSubject.values:
        errors["subject"] = _("请选择事项类别。")
    if not title:
        errors["title"] = _("请填写事项名称。")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        village=village, area_path=village.path, subject=subject, title=title, content=content, created_by=actor
    )
    audit.record_create(
        actor=actor,
        action=events.DECISION_CREATED,
        target=decision,
        after=audit.snapshot(decision, DECISION_FIELDS),
        **_where(decision),
    )
    return decision


def _check_meeting(decision: Decision, kind: str, meeting: Meeting, held_on: dt.date, errors: dict[str, str]) -> None:
    wanted = MEETING_KIND_OF_STEP.get(kind)
    if wanted is None:
        errors["meeting"] = _("“%(step)s”不由党组织会议进行,不能关联会议记录。") % {"step": _step_label(kind)}
        return
    org_path = meeting.org.area.path if meeting.org.area_id else ""
    if not org_path.startswith(decision.area_path):
        errors["meeting"] = _("所选会议不是本村党组织的会议。")
        return
    if not meeting.marks.filter(kind=wanted).exists():
        errors["meeting"] = _("“%(step)s”应关联%(kind)s的会议记录。") % {
            "step": _step_label(kind),
            "kind": MeetingKind(wanted).label,
        }
    elif meeting.held_on != held_on:
        errors["held_on"] = _("环节日期应与会议日期(%(day)s)一致。") % {"day": meeting.held_on.isoformat()}


@transaction.atomic
def record_step(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    held_on: dt.date,
    meeting: Meeting | None = None,
    attended: int | None = None,
    agreed: int | None = None,
    note: str = "",
) -> DecisionStep:
    """Record one step of `decision`: every earlier step must be recorded already, on a day not after
    this one; a party meeting named must be the village branch's meeting of the step's kind."""
    require(actor, Capability.ECONOMY_WRITE, decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    note = (note or "").strip()
    check_lengths(DecisionStep, {"note": note})
    errors: dict[str, str] = {}
    if kind not in STEP_ORDER:
        raise ValidationError({"kind": _("请选择环节。")})
    steps = list(decision.steps.all())
    if any(s.kind == kind for s in steps):
        errors["kind"] = _("“%(step)s”已经记录过了。") % {"step": _step_label(kind)}
    else:
        missing = [k for k in STEP_ORDER[: STEP_ORDER.index(kind)] if k not in {s.kind for s in steps}]
        if missing:
            errors["kind"] = _("请先记录“%(missing)s”,再记录“%(step)s”。") % {
                "missing": "”“".join(_step_label(k) for k in missing),
                "step": _step_label(kind),
            }
    if held_on is None:
        errors["held_on"] = _("请填写日期。")
    else:
        earlier = [s for s in steps if STEP_ORDER.index(s.kind) < STEP_ORDER.index(kind)]
        latest = max(earlier, key=lambda s: s.held_on, default=None)
        if latest is not None and held_on < latest.held_on:
            errors["held_on"] = _("日期不能早于上一环节“%(step)s”的日期(%(day)s)。") % {
                "step": _step_label(latest.kind),
                "day": latest.held_on.isoformat(),
            }
    if attended is not None and agreed is not None and agreed > attended:
        errors["agreed"] = _("同意人数不能多于参会人数。")
    if meeting is not None and held_on is not None and "kind" not in errors:
        _check_meeting(decision, kind, meeting, held_on, errors)
    if errors:
        raise ValidationError(errors)
    step = DecisionStep.objects.create(
        decision=decision,
        kind=kind,
        held_on=held_on,
        meeting=meeting,
        attended=attended,
        agreed=agreed,
        note=note,
        recorded_by=actor,
    )
    audit.record_create(
        actor=actor,
        action=events.STEP_RECORDED,
        target=step,
        after=audit.snapshot(step, STEP_FIELDS),
        **_where(decision),
    )
    return step


# ---- organisations --------------------------------------------------------------------------


def clean_credit_code(value: str, errors: dict[str, str]) -> str:
    """The unified social credit code (统一社会信用代码) as stored: compact, upper case; "" when none."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return str(uscc.validate(value))
    except stdnum_exc.ValidationError:
        errors["credit_code"] = _("统一社会信用代码“%(code)s”无效(18位,末位为校验码)。") % {"code": value[:30]}
        return value


def _org_values(name: str, business: str, credit_code: str, errors: dict[str, str]) -> tuple[str, str, str]:
    name, business = (name or "").strip(), (business or "").strip()
    check_lengths(EconomicOrg, {"name": name, "business": business})
    if not name:
        errors["name"] = _("请填写组织名称。")
    return name, business, clean_credit_code(credit_code, errors)


def _open_books(actor: User, *, village: AreaNode, name: str, kind: str, opened_on: dt.date) -> Books:
    return open_books(
        actor=actor,
        village=village,
        name=name,
        kind=BOOKS_KIND[kind],
        opened_on=opened_on,
        chart=load_chart(CK_2023).accounts,
    )


@transaction.atomic
def register_collective(
    *,
    actor: User,
    village: AreaNode,
    name: str,
    kind: str,
    founded_on: dt.date,
    books: Books | None = None,
    credit_code: str = "",
    business: str = "",
) -> EconomicOrg:
    """Register the village's collective economic organisation (one per village), keeping `books`
    (the village's books already open in the ledger) or, without them, opening its books."""
    require(actor, Capability.ECONOMY_WRITE, village)
    errors: dict[str, str] = {}
    _village_of(village, errors)
    name, business, credit_code = _org_values(name, business, credit_code, errors)
    if kind not in COLLECTIVE_KINDS:
        errors["kind"] = _("请选择集体经济组织的类型。")
    if founded_on is None:
        errors["founded_on"] = _("请填写成立日期。")
    if EconomicOrg.objects.filter(village=village, founded_by__isnull=True).exists():
        errors["village"] = _("该村已登记集体经济组织。")
    if books is not None:
        if books.village_id != village.pk:
            errors["books"] = _("所选账套不属于该村。")
        elif EconomicOrg.objects.filter(books=books).exists():
            errors["books"] = _("所选账套已属于另一个组织。")
    if errors:
        raise ValidationError(errors)
    if books is None:
        books = _open_books(actor, village=village, name=name, kind=kind, opened_on=founded_on)
    org = EconomicOrg.objects.create(
        village=village,
        area_path=village.path,
        name=name,
        kind=kind,
        books=books,
        credit_code=credit_code,
        founded_on=founded_on,
        business=business,
    )
    audit.record_create(
        actor=actor, action=events.ORG_REGISTERED, target=org, after=audit.snapshot(org, ORG_FIELDS), **_where(org)
    )
    return org


@transaction.atomic
def found_cooperative(
    *,
    actor: User,
    founder: EconomicOrg,
    decision: Decision,
    name: str,
    kind: str,
    founded_on: dt.date,
    credit_code: str = "",
    business: str = "",
) -> EconomicOrg:
    """Found a cooperative of the village's collective economic organisation `founder`, as
    `decision` (subject COOPERATIVE, same village, reviewed and resolved) authorised; it opens
    books of its own (2023 chart)."""
    require(actor, Capability.ECONOMY_WRITE, founder)
    errors: dict[str, str] = {}
    name, business, credit_code = _org_values(name, business, credit_code, errors)
    if founder.founded_by_id is not None:
        errors["founder"] = _("合作社只能由村集体经济组织发起。")
    if kind not in COOPERATIVE_KINDS:
        errors["kind"] = _("请选择合作社的类型。")
    if founded_on is None:
        errors["founded_on"] = _("请填写成立日期。")
    if decision.village_id != founder.village_id:
        errors["decision"] = _("所选事项不是本村的事项。")
    elif decision.subject != DecisionSubject.COOPERATIVE:
        errors["decision"] = _("组建合作社须依据“组建合作社”类的四议两公开事项。")
    else:
        recorded = {s.kind for s in decision.steps.all()}
        missing = [k for k in FOUNDING_STEPS if k not in recorded]
        if missing:
            errors["decision"] = _("该事项尚未完成“%(missing)s”,不能组建合作社。") % {
                "missing": "”“".join(_step_label(k) for k in missing)
            }
    if errors:
        raise ValidationError(errors)
    village = founder.village
    books = _open_books(actor, village=village, name=name, kind=kind, opened_on=founded_on)
    org = EconomicOrg.objects.create(
        village=village,
        area_path=founder.area_path,
        name=name,
        kind=kind,
        founded_by=founder,
        decision=decision,
        books=books,
        credit_code=credit_code,
        founded_on=founded_on,
        business=business,
    )
    audit.record_create(
        actor=actor,
        action=events.COOPERATIVE_FOUNDED,
        target=org,
        after=audit.snapshot(org, ORG_FIELDS),
        **_where(org),
    )
    return org


# ---- members --------------------------------------------------------------------------------


def _same_village(decision: Decision | None, org: EconomicOrg, errors: dict[str, str]) -> None:
    if decision is not None and decision.village_id != org.village_id:
        errors["decision"] = _("所选事项不是本村的事项。")


@transaction.atomic
def confirm_member(
    *,
    actor: User,
    org: EconomicOrg,
    household: Household,
    confirmed_on: dt.date,
    decision: Decision | None = None,
    note: str = "",
) -> Membership:
    """Confirm `household` (of the organisation's village) as a member of `org`, once."""
    require(actor, Capability.ECONOMY_WRITE, org)
    note = (note or "").strip()
    check_lengths(Membership, {"note": note})
    errors: dict[str, str] = {}
    if not household.hamlet.path.startswith(org.area_path):
        errors["household"] = _("只能确认本村的农户为成员。")
    elif Membership.objects.filter(org=org, household=household).exists():
        errors["household"] = _("该户已是本组织的成员(或曾经是)。")
    if confirmed_on is None:
        errors["confirmed_on"] = _("请填写确认日期。")
    _same_village(decision, org, errors)
    if errors:
        raise ValidationError(errors)
    membership = Membership.objects.create(
        org=org, household=household, confirmed_on=confirmed_on, decision=decision, note=note
    )
    audit.record_create(
        actor=actor,
        action=events.MEMBER_CONFIRMED,
        target=membership,
        after=audit.snapshot(membership, MEMBER_FIELDS),
        **_where(org),
    )
    return membership


@transaction.atomic
def end_membership(*, actor: User, membership: Membership, ended_on: dt.date) -> Membership:
    """End a household's membership on `ended_on` (withdrawal, merger)."""
    require(actor, Capability.ECONOMY_WRITE, membership)
    membership = Membership.objects.select_for_update().select_related("org").get(pk=membership.pk)
    before = audit.snapshot(membership, MEMBER_FIELDS)
    if membership.ended_on is not None:
        raise ValidationError({"ended_on": _("该成员已于 %(day)s 退出。") % {"day": membership.ended_on.isoformat()}})
    if ended_on is None:
        raise ValidationError({"ended_on": _("请填写退出日期。")})
    if ended_on < membership.confirmed_on:
        raise ValidationError({"ended_on": _("退出日期不能早于确认日期。")})
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    audit.record_update(
        actor=actor,
        action=events.MEMBERSHIP_ENDED,
        target=membership,
        before=before,
        after=audit.snapshot(membership, MEMBER_FIELDS),
        **_where(membership.org),
    )
    return membership


# ---- shares ---------------------------------------------------------------------------------


def _decimal(value: object, field: str, errors: dict[str, str], *, what: str) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = _("%(what)s“%(value)s”不是有效的数字。") % {"what": what, "value": str(value)[:30]}
        return None
    if not number.is_finite():
        errors[field] = _("%(what)s“%(value)s”不是有效的数字。") % {"what": what, "value": str(value)[:30]}
        return None
    if number != number.quantize(CENT):
        errors[field] = _("%(what)s最多保留两位小数。") % {"what": what}
        return None
    if abs(number) >= Decimal("1e10"):
        errors[field] = _("%(what)s过大。") % {"what": what}
        return None
    return number


def holding(org: EconomicOrg, household: Household | None, on: dt.date | None = None) -> Decimal:
    """The shares `household` (None: the collective share) holds in `org`, on `on` (None: all entries)."""
    qs = ShareEntry.objects.filter(org=org, household=household)
    if on is not None:
        qs = qs.filter(effective_on__lte=on)
    return qs.aggregate(total=Sum("shares"))["total"] or Decimal(0)


def _book_account(books: Books, code: str) -> Account:
    account = Account.objects.filter(books=books, code=code).first()
    if account is None:
        raise ValidationError({"amount": _("账套中没有科目 %(code)s,无法记账。") % {"code": code}})
    return account


@transaction.atomic
def record_shares(
    *,
    actor: User,
    org: EconomicOrg,
    household: Household | None,
    contribution: str,
    shares: Decimal,
    effective_on: dt.date,
    reason: str,
    amount: Decimal = Decimal(0),
    decision: Decision | None = None,
) -> ShareEntry:
    """Add `shares` (or take them away, negative) for a member household of `org`, or for its
    collective share (`household` None). A holder never goes below zero shares. A cash contribution
    (`amount` yuan) is posted to the organisation's books: Dr 102 银行存款 / Cr 301 资本 (a refund,
    negative shares, the other way)."""
    require(actor, Capability.ECONOMY_WRITE, org)
    org = EconomicOrg.objects.select_for_update().get(pk=org.pk)  # one writer of the register at a time
    reason = (reason or "").strip()
    check_lengths(ShareEntry, {"reason": reason})
    errors: dict[str, str] = {}
    number = _decimal(shares, "shares", errors, what=_("股数"))
    money = _decimal(amount if amount is not None else 0, "amount", errors, what=_("金额"))
    if number is not None and number == 0:
        errors["shares"] = _("股数不能为零。")
    if money is not None and money < 0:
        errors["amount"] = _("金额不能为负数。")
    if contribution not in ContributionKind.values:
        errors["contribution"] = _("请选择出资方式。")
    elif contribution == ContributionKind.CASH and money is not None and money <= 0:
        errors["amount"] = _("现金入股须填写出资金额。")
    if not reason:
        errors["reason"] = _("请填写变动原因。")
    if effective_on is None:
        errors["effective_on"] = _("请填写生效日期。")
    if household is not None:
        member = Membership.objects.filter(org=org, household=household).first()
        if member is None:
            errors["household"] = _("该户不是本组织的成员,请先确认成员身份。")
        elif effective_on is not None and (
            member.confirmed_on > effective_on or (member.ended_on is not None and member.ended_on <= effective_on)
        ):
            errors["effective_on"] = _("生效日期不在该户的成员期间内。")
    _same_village(decision, org, errors)
    if number is not None and number < 0 and effective_on is not None and "household" not in errors:
        held = min(holding(org, household, effective_on), holding(org, household))
        if held + number < 0:
            errors["shares"] = _("持股不足:现有 %(held)s 股,不能减少 %(shares)s 股(股数不能为负)。") % {
                "held": held,
                "shares": -number,
            }
    if contribution == ContributionKind.CASH and org.books_id is None:
        errors["contribution"] = _("该组织尚未建账,不能登记现金入股。")
    if errors:
        raise ValidationError(errors)
    assert number is not None and money is not None
    entry = ShareEntry.objects.create(
        org=org,
        household=household,
        kind=ShareKind.MEMBER if household is not None else ShareKind.COLLECTIVE,
        contribution=contribution,
        shares=number,
        amount=money,
        effective_on=effective_on,
        reason=reason,
        decision=decision,
        recorded_by=actor,
    )
    if contribution == ContributionKind.CASH:
        entry.voucher = _post_cash(actor, org, entry)
        entry.save(update_fields=["voucher"])
    audit.record_create(
        actor=actor,
        action=events.SHARES_RECORDED,
        target=entry,
        after=audit.snapshot(entry, (*SHARE_FIELDS, "voucher")),
        **_where(org),
    )
    return entry


def _post_cash(actor: User, org: EconomicOrg, entry: ShareEntry) -> Voucher:
    assert org.books is not None
    bank, capital = _book_account(org.books, BANK), _book_account(org.books, CAPITAL)
    holder = str(entry.household) if entry.household_id else _("集体股")
    if entry.shares > 0:
        summary = _("%(holder)s现金入股") % {"holder": holder}
        lines = [LineSpec(bank, debit=entry.amount, summary=summary), LineSpec(capital, credit=entry.amount)]
    else:
        summary = _("%(holder)s退股退款") % {"holder": holder}
        lines = [LineSpec(capital, debit=entry.amount, summary=summary), LineSpec(bank, credit=entry.amount)]
    return post_entry(
        actor=actor,
        books=org.books,
        date=entry.effective_on,
        summary=summary,
        lines=lines,
        idempotency_key=f"collective-shares:{entry.pk}",
        source=entry,
    )
