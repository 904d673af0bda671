"""The demo town's collective economy, written through the economy packages' services as the demo's
users would record it: 徐桥村's red-sorghum story end to end (the figures and dates are in
`economy_plan`), two smaller cooperatives in 发水河村 and 何梅畈村, and the three returnees of
归雁工程 with the formerly poor villagers they employ.

It runs after the books are opened and before their months are closed (`loader.load`), so every
posting lies in an open month and the ledger's rules stay as they are. A town that has an economic
organisation already, or whose 徐桥村 books are closed, is left as it is."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.collective import services as collective
from hongniudai.collective.models import (
    STEP_ORDER,
    ContributionKind,
    Decision,
    DecisionSubject,
    EconomicOrg,
    OrgKind,
    StepKind,
)
from hongniudai.distribution import services as distribution
from hongniudai.distribution.models import Dividend
from hongniudai.enterprises.interface import Enterprise
from hongniudai.land import services as land
from hongniudai.land.models import LandGrade, LandKind, RentInstalment, TransferContract, TransferKind
from hongniudai.land.rent import pay_instalment
from hongniudai.ledger.interface import LineSpec, post_entry
from hongniudai.ledger.models import Account, Books, Period, PeriodStatus
from hongniudai.orglife.interface import Meeting, MeetingKind
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from hongniudai.production import services as production
from hongniudai.production.models import OutputUnit, Planting, PriceUnit, WorkRecord

from . import economy_plan as plan
from .economy_returnees import load_returnees

Say = Callable[[str], None]
CENT = Decimal("0.01")
FOUNDED_COLLECTIVES = dt.date(2020, 6, 30)  # 农村集体产权制度改革: the collectives registered
STEP_NOTES: dict[str, str] = {
    StepKind.PROPOSE: "村党支部委员会提出议题",
    StepKind.DISCUSS: "村“两委”联席会议商议",
    StepKind.REVIEW: "支部党员大会审议通过",
    StepKind.RESOLVE: "村民代表会议表决通过",
    StepKind.PUBLISH_RESOLUTION: "决议在村务公开栏公示七天",
    StepKind.PUBLISH_RESULT: "实施结果在村务公开栏公示",
}
STEP_VOTES: dict[str, tuple[int | None, int | None]] = {StepKind.RESOLVE: (46, 45)}  # representatives


@dataclass
class Village:
    """One village's economy as it is being written: who records it, its organisation."""

    area: AreaNode
    secretary: User
    accountant: User
    collective: EconomicOrg
    households: list[Household] = field(default_factory=list)


def user(username: str, fallback: User) -> User:
    return User.objects.filter(username=username).first() or fallback


def village_named(town: AreaNode, name: str) -> AreaNode:
    return AreaNode.objects.get(path__startswith=town.path, kind=AreaKind.VILLAGE, name=name)


def register(secretary: User, accountant: User, area: AreaNode) -> Village:
    """The village's collective economic organisation, keeping the village's books."""
    books = Books.objects.get(village=area)
    org = collective.register_collective(
        actor=secretary,
        village=area,
        name=books.name,
        kind=OrgKind.SHAREHOLDING_COLLECTIVE,
        founded_on=FOUNDED_COLLECTIVES,
        books=books,
        business=_("集体资产经营管理"),
    )
    return Village(area, secretary, accountant, org)


Steps = list[tuple[dt.date, Meeting | None]]


def on_days(today: dt.date, days: Iterable[int]) -> Steps:
    """Steps on the days given (counted back from today), with no meeting record."""
    return [(plan.before(today, n), None) for n in days]


def decide(v: Village, subject: str, title: str, content: str, steps: Steps) -> Decision:
    """A decision through 四议两公开, its steps in order on the days given, each with its meeting."""
    decision = collective.create_decision(
        actor=v.secretary, village=v.area, subject=subject, title=title, content=content
    )
    for kind, (day, meeting) in zip(STEP_ORDER, steps, strict=False):
        publish_step(v, decision, kind, day, meeting)
    return decision


def publish_step(v: Village, decision: Decision, kind: str, day: dt.date, meeting: Meeting | None = None) -> None:
    attended, agreed = STEP_VOTES.get(kind, (None, None))
    if meeting is not None and meeting.voting_present:  # the members present at the meeting, all agreeing
        attended = agreed = meeting.voting_present
    collective.record_step(
        actor=v.secretary,
        decision=decision,
        kind=kind,
        held_on=day,
        meeting=meeting,
        attended=attended,
        agreed=agreed,
        note=_(STEP_NOTES[kind]),
    )


def branch_meeting(area: AreaNode, kind: str, first: dt.date, last: dt.date) -> Meeting | None:
    """The village branch's latest meeting of `kind` held between `first` and `last`."""
    return (
        Meeting.objects.filter(org__area=area, marks__kind=kind, held_on__range=(first, last))
        .order_by("-held_on", "-id")
        .first()
    )


def founding_steps(area: AreaNode, today: dt.date) -> Steps:
    """The founding decision's steps on the branch's own meetings where organisational life has them:
    the committee's meeting proposes, the members' general meeting (支部党员大会) reviews, the
    villagers' representatives resolve three days later, the resolution is published after two more;
    all before the founding. Without such meetings, on the plan's days."""
    founded = plan.before(today, plan.FOUNDED_DAYS)
    review = branch_meeting(
        area, MeetingKind.MEMBER_MEETING, founded - dt.timedelta(days=85), founded - dt.timedelta(days=6)
    )
    if review is None:
        return on_days(today, plan.STEPS_DAYS)
    day = review.held_on
    proposal = branch_meeting(area, MeetingKind.COMMITTEE_MEETING, day - dt.timedelta(days=40), day)
    proposed = proposal.held_on if proposal is not None else day - dt.timedelta(days=6)
    return [
        (proposed, proposal),
        (proposed + (day - proposed) / 2, None),
        (day, review),
        (day + dt.timedelta(days=3), None),
        (day + dt.timedelta(days=5), None),
    ]


def village_households(area: AreaNode, count: int, first: Household | None = None) -> list[Household]:
    """`count` households of the village with a head, `first` first, then by hamlet and number."""
    qs = Household.objects.filter(hamlet__path__startswith=area.path, head__isnull=False)
    if first is not None:
        qs = qs.exclude(pk=first.pk)
    rest = list(qs.select_related("hamlet", "head").order_by("hamlet__path", "id")[: count - (first is not None)])
    return [first, *rest] if first is not None else rest


def working_age(households: Iterable[Household], today: dt.date, first: Resident | None = None) -> list[Resident]:
    """One villager of working age (18 to 62) per household, `first` first."""
    people = [first] if first is not None else []
    taken = {first.household_id} if first is not None else set()
    young, old = dt.date(today.year - 18, 1, 1), dt.date(today.year - 62, 1, 1)
    ids = [h.pk for h in households if h.pk not in taken]
    residents = Resident.objects.filter(household_id__in=ids, birth_date__lte=young, birth_date__gte=old)
    for r in residents.select_related("household__hamlet").order_by("household_id", "birth_date"):
        if r.household_id not in taken:
            taken.add(r.household_id)
            people.append(r)
    return people


# ---- land -----------------------------------------------------------------------------------


def transfer_land(
    v: Village, org: EconomicOrg, decision: Decision | None, today: dt.date, mu: Decimal, rent: Decimal, tag: str
) -> list[TransferContract]:
    """Each household's slope land transferred to `org` (出租, five years), first year's rent paid."""
    signed = plan.before(today, plan.SIGNED_DAYS)
    starts = signed + dt.timedelta(days=3)
    contracts = []
    for i, household in enumerate(v.households, start=1):
        parcel = land.create_parcel(
            actor=v.accountant,
            household=household,
            name=_("%(hamlet)s岗地%(n)d号") % {"hamlet": household.hamlet.name, "n": i},
            location=_("%(village)s%(hamlet)s后山坡地") % {"village": v.area.name, "hamlet": household.hamlet.name},
            registered_area=mu,
            kind=LandKind.ARABLE,
            grade=LandGrade.FIFTH,
            warrant_number=f"421{v.area.pk:04d}{household.pk:06d}J",
        )
        contracts.append(
            land.create_contract(
                actor=v.accountant,
                village=v.area,
                parcels=[(parcel, mu)],
                number=f"{tag}-{starts.year}-{i:03d}",
                kind=TransferKind.LEASE,
                org=org,
                decision=decision,
                starts_on=starts,
                ends_on=plan.years_later(starts, plan.TERM_YEARS),
                rent_per_mu=rent,
                due_month=starts.month,
                due_day=starts.day,
                signed_on=signed,
                note=_("流转农户打算撂荒的坡地岗田"),
            )
        )
    paid_on = plan.before(today, plan.RENT_PAID_DAYS)
    for instalment in RentInstalment.objects.filter(contract__in=contracts, due_on__lte=paid_on).order_by("id"):
        pay_instalment(actor=v.accountant, instalment=instalment, paid_on=paid_on, note=_("租金打入农户一卡通"))
    return contracts


# ---- members and shares ---------------------------------------------------------------------


def members_and_shares(
    v: Village, org: EconomicOrg, decision: Decision, collective_cash: Decimal, member_cash: Decimal
) -> None:
    """The households confirmed members, each paying `member_cash` for its shares (1,000 yuan a
    share), the village collective `collective_cash` for the collective share; the collective's
    payment is posted in its own books as a long-term investment (Dr 141 / Cr 102)."""
    day = org.founded_on
    assert day is not None  # a cooperative is founded on a day
    collective.record_shares(
        actor=v.accountant,
        org=org,
        household=None,
        contribution=ContributionKind.CASH,
        shares=(collective_cash / 1000).quantize(CENT),
        amount=collective_cash,
        effective_on=day,
        reason=_("村集体以集体资金入股"),
        decision=decision,
    )
    books = v.collective.books
    assert books is not None
    accounts = {a.code: a for a in Account.objects.filter(books=books, code__in=("141", "102"))}
    summary = _("向%(org)s投资入股") % {"org": org.name}
    post_entry(
        actor=v.accountant,
        books=books,
        date=day,
        summary=summary,
        lines=[
            LineSpec(account=accounts["141"], debit=collective_cash, summary=summary),
            LineSpec(account=accounts["102"], credit=collective_cash, summary=summary),
        ],
        idempotency_key=f"demo-economy-invest:{org.pk}",
        source=org,
    )
    for household in v.households:
        collective.confirm_member(actor=v.accountant, org=org, household=household, confirmed_on=day, decision=decision)
        collective.record_shares(
            actor=v.accountant,
            org=org,
            household=household,
            contribution=ContributionKind.CASH,
            shares=(member_cash / 1000).quantize(CENT),
            amount=member_cash,
            effective_on=day,
            reason=_("成员现金入股"),
            decision=decision,
        )


# ---- work -----------------------------------------------------------------------------------


def work_and_pay(
    v: Village, org: EconomicOrg, planting: Planting, worker: Resident, stage: plan.WorkStage, today: dt.date
) -> None:
    """One worker's days of a stage, accrued, and the wages due paid a few days later."""
    until = plan.before(today, stage.ends_days)
    span = int(stage.days) + 3
    production.record_work(
        actor=v.accountant,
        org=org,
        worker=worker,
        worked_on=until - dt.timedelta(days=span - 1),
        worked_until=until,
        days=stage.days,
        daily_rate=plan.DAILY_RATE,
        task=stage.task,
        planting=planting,
    )
    due = production.wages_due(org=org, worker=worker)
    production.pay_wages(
        actor=v.accountant, org=org, worker=worker, amount=due, paid_on=until + dt.timedelta(days=plan.WAGE_LAG)
    )


def year_costs(org: EconomicOrg) -> Decimal:
    """The rent paid and the wages accrued by `org` (the figures its surplus is reckoned on)."""
    rent = sum((i.amount for i in RentInstalment.objects.filter(contract__org=org, status="paid")), Decimal(0))
    wages = sum((w.amount for w in WorkRecord.objects.filter(org=org)), Decimal(0))
    return rent + wages


# ---- distribution ---------------------------------------------------------------------------


def distribute(
    v: Village, org: EconomicOrg, year: int, surplus: Decimal, items: Iterable[tuple[str, Decimal]], today: dt.date
) -> None:
    """The year's distribution: a 收益分配 decision, the plan and its items, approval and every payout."""
    decision = decide(
        v,
        DecisionSubject.DISTRIBUTION,
        _("%(org)s%(year)s年度收益分配方案") % {"org": org.name, "year": year},
        _("可分配收益 %(surplus)s 元,按方案提取公积公益金后向成员分红。") % {"surplus": surplus},
        on_days(today, plan.DISTRIBUTION_STEPS_DAYS),
    )
    drawn = distribution.create_plan(
        actor=v.accountant,
        org=org,
        year=year,
        surplus=surplus,
        record_date=plan.before(today, plan.RECORD_DATE_DAYS),
        decision=decision,
        note=_("经四议两公开通过"),
    )
    for kind, percentage in items:
        distribution.add_item(actor=v.accountant, plan=drawn, kind=kind, percentage=percentage)
    approved = distribution.approve_plan(
        actor=v.accountant, plan=drawn, approved_on=plan.before(today, plan.APPROVED_DAYS)
    )
    paid_on = plan.before(today, plan.PAYOUT_DAYS)
    for dividend in Dividend.objects.filter(plan=approved, household__isnull=False, amount__gt=0).order_by("id"):
        distribution.record_payout(actor=v.accountant, dividend=dividend, paid_on=paid_on)
    publish_step(v, decision, StepKind.PUBLISH_RESULT, plan.before(today, plan.DISTRIBUTION_RESULT_DAYS))


# ---- 徐桥村: the sorghum story --------------------------------------------------------------


def sorghum_founding(v: Village, today: dt.date) -> tuple[EconomicOrg, Decision]:
    """The members' meeting decides, the collective founds the shareholding cooperative, the land is
    transferred to it and its members pay in for their shares."""
    founding = decide(
        v,
        DecisionSubject.COOPERATIVE,
        _("村集体组建股份制合作社种植红高粱"),
        _(
            "徐桥酒业每年需要近百吨红高粱,村里有好几百亩机耕路不通、水源条件差的坡地岗田。"
            "经支部党员大会讨论,由村集体成立股份制合作社,流转村民打算撂荒的土地种植红高粱。"
        ),
        founding_steps(v.area, today),
    )
    transfer = decide(
        v,
        DecisionSubject.LAND_TRANSFER,
        _("流转村民打算撂荒的坡地岗田交合作社经营"),
        _("流转坡地岗田 %(mu)s 亩,每亩每年租金 %(rent)s 元,租金按年打入农户账户。")
        % {"mu": plan.PLANTED_MU, "rent": plan.RENT_PER_MU},
        on_days(today, plan.LAND_STEPS_DAYS),
    )
    org = collective.found_cooperative(
        actor=v.secretary,
        founder=v.collective,
        decision=founding,
        name=plan.COOPERATIVE,
        kind=OrgKind.SHAREHOLDING_COOPERATIVE,
        founded_on=plan.before(today, plan.FOUNDED_DAYS),
        business=_("红高粱种植、销售,白酒加工销售"),
    )
    members_and_shares(v, org, founding, plan.COLLECTIVE_CASH, plan.MEMBER_CASH)
    transfer_land(v, org, transfer, today, plan.MU_EACH, plan.RENT_PER_MU, "XQLZ")
    publish_step(v, transfer, StepKind.PUBLISH_RESULT, plan.before(today, plan.PUBLISH_RESULT_DAYS))
    publish_step(v, founding, StepKind.PUBLISH_RESULT, plan.before(today, plan.PUBLISH_RESULT_DAYS))
    return org, founding


def sorghum_season(v: Village, org: EconomicOrg, workers: list[Resident], today: dt.date) -> Planting:
    """Planting under 鄂州种业's guidance, the field work and wages, the autumn harvest."""
    harvest_day = plan.before(today, plan.HARVEST_DAYS)
    planting = production.record_planting(
        actor=v.accountant,
        org=org,
        crop=_("红高粱"),
        year=harvest_day.year,
        area_mu=plan.PLANTED_MU,
        land=_("流转的坡地岗田(%(n)d户)") % {"n": len(v.households)},
        started_on=plan.before(today, plan.PLANTED_DAYS),
        season=_("春播秋收"),
        note=_("%(company)s(省种子集团旗下)提供品种和全程技术指导") % {"company": plan.SEED_COMPANY},
    )
    for stage in plan.SORGHUM_WORK:
        for worker in workers[: stage.workers]:
            work_and_pay(v, org, planting, worker, stage, today)
    production.record_harvest(
        actor=v.accountant, planting=planting, harvested_on=harvest_day, quantity_kg=plan.HARVEST_KG, note=_("秋收")
    )
    return planting


def sorghum_sales(v: Village, org: EconomicOrg, buyer: Enterprise, today: dt.date) -> None:
    """The purchase contract, signed by the village's secretary with the distillery in the town's park
    (`enterprises.counterparties`), fulfilled (deliveries, the distillery's payments); 10,000 jin brewed into
    liquor and sold: 100,000.00 yuan (see `economy_plan`)."""
    contract = production.sign_contract(
        actor=v.secretary,
        org=org,
        buyer=buyer,
        crop=_("红高粱"),
        quantity_kg=plan.CONTRACT_KG,
        price=plan.PRICE_PER_JIN,
        price_unit=PriceUnit.JIN,
        signed_on=plan.before(today, plan.CONTRACT_DAYS),
        schedule=[(plan.before(today, n), kg) for n, kg in plan.DELIVERIES],
        number_=f"XQJY-{today.year}-01",
        note=_("订单收购,保底价收购合作社红高粱"),
    )
    for n, kg in plan.DELIVERIES:
        delivery = production.record_delivery(
            actor=v.accountant, contract=contract, delivered_on=plan.before(today, n), quantity_kg=kg
        )
        production.record_receipt(
            actor=v.accountant,
            delivery=delivery,
            received_on=plan.before(today, n - plan.RECEIPT_LAG),
            amount=delivery.amount,
        )
    production.record_processing(
        actor=v.accountant,
        org=org,
        input_crop=_("红高粱"),
        input_kg=plan.BREWED_KG,
        product=_("高粱白酒"),
        output_quantity=plan.LIQUOR_JIN,
        product_unit=OutputUnit.JIN,
        processed_on=plan.before(today, plan.PROCESSED_DAYS),
        note=_("与徐桥酒业商量,拿出1万斤红高粱酿成白酒投放市场"),
    )
    for (n, jin), buyer_name in zip(plan.SALES, plan.SALE_BUYERS, strict=True):
        production.record_sale(
            actor=v.accountant,
            org=org,
            product=_("高粱白酒"),
            quantity=jin,
            product_unit=OutputUnit.JIN,
            unit_price=plan.LIQUOR_PRICE,
            sold_on=plan.before(today, n),
            buyer_name=buyer_name,
        )


def load_sorghum(v: Village, today: dt.date) -> EconomicOrg:
    huang = Resident.objects.select_related("household").get(
        name=plan.HUANG_WENHUA, household__hamlet__path__startswith=v.area.path
    )
    v.households = village_households(v.area, plan.HOUSEHOLDS, first=huang.household)
    org, _founding = sorghum_founding(v, today)
    workers = working_age(v.households, today, first=huang)
    planting = sorghum_season(v, org, workers, today)
    buyer = Enterprise.objects.get(name=plan.DISTILLERY)
    sorghum_sales(v, org, buyer, today)
    surplus = (plan.CONTRACT_KG * 2 * plan.PRICE_PER_JIN + plan.LIQUOR_INCOME - year_costs(org)).quantize(CENT)
    items = (("reserve", plan.RESERVE_PCT), ("welfare", plan.WELFARE_PCT), ("dividends", plan.DIVIDEND_PCT))
    distribute(v, org, planting.year, surplus, items, today)
    return org


# ---- two smaller cooperatives ---------------------------------------------------------------


def load_small(v: Village, spec: plan.SmallCoop, today: dt.date) -> EconomicOrg:
    """A smaller cooperative: founded by decision, some land, a few workers, one sale, and for the
    specialised cooperative a distribution that returns 60 % by transaction volume."""
    founding = decide(
        v,
        DecisionSubject.COOPERATIVE,
        _("组建%(name)s") % {"name": spec.name},
        _("流转农户承包地发展%(crop)s种植。") % {"crop": spec.crop},
        on_days(today, plan.STEPS_DAYS),
    )
    org = collective.found_cooperative(
        actor=v.secretary,
        founder=v.collective,
        decision=founding,
        name=spec.name,
        kind=spec.kind,
        founded_on=plan.before(today, plan.FOUNDED_DAYS),
        business=_("%(crop)s种植与销售") % {"crop": spec.crop},
    )
    v.households = village_households(v.area, spec.households)
    members_and_shares(v, org, founding, Decimal("20000.00"), Decimal("1000.00"))
    transfer_land(v, org, None, today, spec.mu_each, spec.rent_per_mu, f"LZ{v.area.pk}")
    planting = production.record_planting(
        actor=v.accountant,
        org=org,
        crop=spec.crop,
        year=plan.before(today, plan.HARVEST_DAYS).year,
        area_mu=spec.mu_each * spec.households,
        land=_("流转的承包地(%(n)d户)") % {"n": spec.households},
        started_on=plan.before(today, plan.PLANTED_DAYS),
    )
    stage = plan.WorkStage(_("田间管理"), 120, plan.SMALL_WORK_DAYS, plan.SMALL_WORKERS)
    for worker in working_age(v.households, today)[: stage.workers]:
        work_and_pay(v, org, planting, worker, stage, today)
    production.record_sale(
        actor=v.accountant,
        org=org,
        product=spec.product,
        quantity=spec.quantity_jin,
        product_unit=OutputUnit.JIN,
        unit_price=spec.price,
        sold_on=plan.before(today, 40),
        buyer_name=_("宋河镇农产品经销商"),
    )
    if spec.distributes:
        income = (spec.quantity_jin * spec.price).quantize(CENT)
        distribute(v, org, planting.year, income - year_costs(org), plan.SMALL_PLAN, today)
    return org


# ---- all of it ------------------------------------------------------------------------------


def closed_already(area: AreaNode) -> bool:
    return Period.objects.filter(books__village=area, status=PeriodStatus.CLOSED).exists()


def load_economy(actor: User, town: AreaNode, say: Say, *, today: dt.date) -> bool:
    """The collective economy of the demo town, unless the town has one (or its books are closed
    already: a town loaded before the economy existed). Returns whether it was written."""
    start = time.monotonic()
    xuqiao = village_named(town, plan.XUQIAO)
    if EconomicOrg.objects.filter(area_path__startswith=town.path).exists() or closed_already(xuqiao):
        return False
    admin = user("admin", actor)
    v = register(user("xuqiao", actor), user("xq_kuaiji", actor), xuqiao)
    org = load_sorghum(v, today)
    for spec in plan.SMALL_COOPS:
        secretary = user(spec.actor, actor)
        load_small(register(secretary, secretary, village_named(town, spec.village)), spec, today)
    employed = load_returnees(admin, town, today)
    say(
        _(
            "  集体经济:%(org)s 流转 %(mu)s 亩,红高粱白酒销售 %(income)s 元;另有 %(n)d 个合作社、%(r)d 名返乡能人(%(t).1f 秒)"
        )
        % {
            "org": org.name,
            "mu": plan.PLANTED_MU,
            "income": plan.LIQUOR_INCOME,
            "n": len(plan.SMALL_COOPS),
            "r": employed,
            "t": time.monotonic() - start,
        }
    )
    return True
