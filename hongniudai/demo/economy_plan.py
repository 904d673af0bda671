"""The demo town's collective economy as plain data: the 徐桥村 red-sorghum story of the article, the
three returnees of 归雁工程 and two smaller cooperatives, with every figure and every date. Read
by `economy`, which writes it through the economy packages' services.

Dates are counted back from the demo's reference day ("today"): the story takes the eleven
months before it (the demo's books cover the twelve months before today's month, see
`ledger_plan.start_of_books`), so it lies in open months whatever day the demo is loaded on and
ends a few days before today. Loaded in late autumn or winter it follows the seasons: the decision
in the winter (on the branch's own committee and members' meetings where organisational life has
one in the weeks before the founding), planting in spring, the harvest in early autumn, the liquor
sold before the winter, the dividends paid before the year ends; loaded at another time of year
the story keeps its order and spacing, not the seasons.

The 徐桥村 figures, all exact (yuan, two places):

- 36 households transfer 9.00 mu each of slope land (324.00 mu) to the cooperative at 400.00 yuan
  per mu a year (出租, five years, rent paid yearly in advance): 3,600.00 yuan a household,
  129,600.00 yuan the first year.
- The harvest: 100,000 kg. The purchase contract with 湖北徐桥酒业有限公司: 95,000 kg at 1.40 yuan
  a jin (2.80 yuan a kg), 266,000.00 yuan, delivered in two lots and paid.
- The remaining 5,000 kg (10,000 jin) brewed into 4,000 jin of liquor, sold in three lots at 25.00
  yuan a jin: 1,500 + 1,500 + 1,000 jin = 37,500.00 + 37,500.00 + 25,000.00 = **100,000.00 yuan**,
  the collective's income from the liquor (the article's 10万元: the "白酒销售" line of the
  cooperative's income by source, Cr 501 经营收入 on the three sales' vouchers).
- Field work at 120.00 yuan a day (`SORGHUM_WORK`), paid after each stage.
- The distributable surplus: the sales (366,000.00) less the rent and the wages of the year; 10 %
  reserve, 5 % public welfare, 80 % dividends over the shares held on the record date (the
  collective's 100 shares and each member's 2), the rest left undistributed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

XUQIAO = "徐桥村"
HUANG_WENHUA = "黄文华"
DISTILLERY = "湖北徐桥酒业有限公司"
SEED_COMPANY = "鄂州种业"
COOPERATIVE = "徐桥村红高粱种植股份制合作社"

# How many days before "today" each step of the sorghum story is dated.
STEPS_DAYS = (335, 331, 327, 323, 320)  # 四议两公开 of the founding: propose … publish the resolution
LAND_STEPS_DAYS = (334, 330, 326, 322, 319)
FOUNDED_DAYS = 315
SIGNED_DAYS = 308
RENT_PAID_DAYS = 298
PLANTED_DAYS = 280
PUBLISH_RESULT_DAYS = 270
CONTRACT_DAYS = 130
HARVEST_DAYS = 95
DELIVERIES = ((90, Decimal("50000.000")), (82, Decimal("45000.000")))  # (days before, kg)
RECEIPT_LAG = 8
PROCESSED_DAYS = 78
SALES = ((60, Decimal("1500")), (45, Decimal("1500")), (30, Decimal("1000")))  # (days before, jin)
SALE_BUYERS = ("宋河镇供销超市", "县城酒类经销商", "村民及游客零售")
DISTRIBUTION_STEPS_DAYS = (28, 25, 22, 19, 17)
RECORD_DATE_DAYS = 16
APPROVED_DAYS = 12
PAYOUT_DAYS = 8
DISTRIBUTION_RESULT_DAYS = 4

# Land and money.
HOUSEHOLDS = 36
MU_EACH = Decimal("9.00")
RENT_PER_MU = Decimal("400.00")
TERM_YEARS = 5
COLLECTIVE_SHARES = Decimal("100")
COLLECTIVE_CASH = Decimal("100000.00")
MEMBER_SHARES = Decimal("2")
MEMBER_CASH = Decimal("2000.00")
PLANTED_MU = HOUSEHOLDS * MU_EACH
HARVEST_KG = Decimal("100000.000")
CONTRACT_KG = Decimal("95000.000")
PRICE_PER_JIN = Decimal("1.40")
BREWED_KG = Decimal("5000.000")  # 10,000 jin
LIQUOR_JIN = Decimal("4000")
LIQUOR_PRICE = Decimal("25.00")  # a jin
LIQUOR_INCOME = Decimal("100000.00")
DAILY_RATE = Decimal("120.00")
RESERVE_PCT, WELFARE_PCT, DIVIDEND_PCT = Decimal("10"), Decimal("5"), Decimal("80")


@dataclass(frozen=True)
class WorkStage:
    """A stage of field work: who works how many days, ending so many days before today."""

    task: str
    ends_days: int
    days: Decimal
    workers: int  # how many of the hired villagers (黄文华 always among them)


SORGHUM_WORK = (
    WorkStage("整地播种", 276, Decimal("6"), 12),
    WorkStage("间苗除草", 230, Decimal("8"), 10),
    WorkStage("施肥培土", 180, Decimal("5"), 8),
    WorkStage("病虫害防治", 140, Decimal("3.5"), 6),
    WorkStage("收割晾晒", 92, Decimal("7"), 12),
)
WAGE_LAG = 5  # wages paid so many days after a stage ends


@dataclass(frozen=True)
class SmallCoop:
    """A smaller cooperative of another village: its land, one sale, and (specialised) a plan."""

    village: str
    actor: str  # the demo account that records it (the village's secretary)
    name: str
    kind: str  # collective.OrgKind value
    crop: str
    households: int
    mu_each: Decimal
    rent_per_mu: Decimal
    product: str
    quantity_jin: Decimal
    price: Decimal
    distributes: bool


SMALL_COOPS = (
    SmallCoop(
        "发水河村",
        "fashuihe",
        "发水河村优质稻种植专业合作社",
        "specialised_cooperative",
        "优质稻",
        8,
        Decimal("6.50"),
        Decimal("450.00"),
        "优质大米",
        Decimal("40000"),
        Decimal("2.60"),
        True,
    ),
    SmallCoop(
        "何梅畈村",
        "hemeifan",
        "何梅畈村油茶股份制合作社",
        "shareholding_cooperative",
        "油茶",
        6,
        Decimal("12.00"),
        Decimal("300.00"),
        "山茶油",
        Decimal("1200"),
        Decimal("60.00"),
        False,
    ),
)
# The specialised cooperative's plan: at least 60 % returned by transaction volume (农民专业合作社法
# 第四十四条), the rest reserve and dividends on the shares.
SMALL_PLAN = (("reserve", Decimal("10")), ("returns", Decimal("60")), ("dividends", Decimal("25")))
SMALL_WORKERS = 3
SMALL_WORK_DAYS = Decimal("10")


@dataclass(frozen=True)
class ReturneePlan:
    name: str
    village: str
    came_from: str
    previous_work: str
    skills: str
    returned: dt.date
    business: str
    kind: str  # returnees.BusinessKind value
    started: dt.date
    investment: Decimal
    scale: str
    employs: int  # formerly poor households' members employed
    wage: Decimal  # a worker's wages for a whole year
    support: tuple[tuple[str, str, Decimal | None, str], ...]  # (kind, given by, amount, note)


RETURNEES = (
    ReturneePlan(
        "罗华清",
        "龙岗村",
        "广东省东莞市",
        "在外从事水果批发生意",
        "葡萄种植、果品销售",
        dt.date(2017, 3, 1),
        "金地葡萄种植",
        "planting",
        dt.date(2017, 9, 1),
        Decimal("1200000.00"),
        "葡萄园 260 亩",
        5,
        Decimal("18000.00"),
        (("training", "宋河镇农业服务中心", None, "葡萄修剪和病害防治培训"),),
    ),
    ReturneePlan(
        "陈磊",
        "檀树村",
        "浙江省杭州市",
        "在外经营饲料公司",
        "生猪养殖、饲料配方",
        dt.date(2018, 5, 1),
        "万头生猪养殖场",
        "breeding",
        dt.date(2018, 10, 1),
        Decimal("5600000.00"),
        "年出栏生猪 10000 头",
        5,
        Decimal("30000.00"),
        (("loan_interest", "县农业农村局", Decimal("80000.00"), "创业担保贷款贴息"),),
    ),
    ReturneePlan(
        "马星",
        "双河村",
        "部队退役",
        "服役十二年",
        "水产养殖、管理",
        dt.date(2016, 12, 1),
        "皓宇高端鱼繁育",
        "breeding",
        dt.date(2019, 4, 1),
        Decimal("2300000.00"),
        "繁育池 120 亩,年繁育鱼苗 3000 万尾",
        4,
        Decimal("26000.00"),
        (
            ("subsidy", "县退役军人事务局", Decimal("50000.00"), "退役军人创业补贴"),
            ("site", "双河村村委会", None, "村集体坑塘租赁"),
        ),
    ),
)


def before(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def years_later(day: dt.date, years: int) -> dt.date:
    """The day before the same day `years` later (the last day of a term of `years` years)."""
    try:
        same = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        same = day.replace(year=day.year + years, day=28)
    return same - dt.timedelta(days=1)
