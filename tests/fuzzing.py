"""Shared pieces of the fuzz tests (the API schema, Open311 and the HTML lists): the budget, and a
town with one record of each kind so that detail pages and endpoints have something to hit.

The budget is the number of examples per operation, `HND_FUZZ_EXAMPLES` (default 8: the three fuzz
modules take a few minutes together on two workers). Runs are derandomized: the same code and
budget give the same requests every time.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hongniudai.collective import services as collective
from hongniudai.development import services as development
from hongniudai.enterprises import services as enterprises
from hongniudai.enterprises import services_instructors as instructors
from hongniudai.enterprises import services_visits as visits
from hongniudai.enterprises.models import Industry
from hongniudai.governance import services as governance
from hongniudai.governance.models import Category, Channel
from hongniudai.ledger import services as ledger
from hongniudai.ledger.models import Account, OrgKind
from hongniudai.ledger.specs import LineSpec
from hongniudai.orglife import selectors as orglife_selectors
from hongniudai.orglife import services as orglife
from hongniudai.orglife.models import MeetingKind
from hongniudai.party import services as party
from hongniudai.returnees import services as returnees
from hongniudai.vanguard import services as vanguard
from hongniudai.vanguard.models import ActivityKind
from tests import factories as f
from tests.ledger.chart import CHART


def examples(default: int = 8) -> int:
    """Examples per operation: `HND_FUZZ_EXAMPLES` or `default`."""
    return max(1, int(os.environ.get("HND_FUZZ_EXAMPLES", default)))


def coverage() -> bool:
    """Whether schemathesis' coverage phase runs too (`HND_FUZZ_COVERAGE=1`): every boundary and
    every wrong type of every parameter, some 300 requests an operation; for a deep run by hand."""
    return os.environ.get("HND_FUZZ_COVERAGE", "") not in ("", "0")


def populate(town: Any) -> None:
    """Add to the `town` fixture a matter (with an attachment), a meeting, an enterprise with an
    employee, an instructor assigned to 徐桥村党支部 with a guidance visit and a follow-up, a
    development case, a vanguard post and activity, a centre household, the collective's books with a voucher, and a
    returnee with a business, a worker's wages and a support: one of each, in 徐桥村."""
    admin = town.users["admin"]
    xq = town.xuqiao
    party.set_centre_household(
        actor=admin, hamlet=xq.hamlet, member=xq.member, linked_households=[xq.household], since=dt.date(2020, 1, 1)
    )
    matter = governance.report_matter(
        actor=admin,
        category=Category.objects.get(code="dispute-forest"),
        title="林地边界纠纷",
        description="黄家湾两户因林地边界发生争执。",
        channel=Channel.WALK_IN,
        place=xq.hamlet,
        reporter_name="黄文华",
        reporter_phone="13912345678",
        parties=[xq.head],
    )
    governance.add_attachment(
        actor=admin,
        matter=matter,
        upload=SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"),
    )
    orglife.record_meeting(
        actor=admin,
        org=xq.branch,
        held_on=dt.date(2025, 3, 10),
        topic="学习会议精神",
        kinds=[MeetingKind.MEMBER_MEETING],
        attendance=[
            orglife.AttendanceEntry(member=m, present=True, absence_reason="")
            for m in orglife_selectors.meeting_roster(xq.branch, [MeetingKind.MEMBER_MEETING], dt.date(2025, 3, 10))
        ],
    )
    enterprise = enterprises.create_enterprise(
        actor=admin, name="徐桥米业有限公司", uscc="91420704MA4XQ00018", industry=Industry.AGRI_PROCESSING, area=xq.area
    )
    enterprises.add_employment(actor=admin, enterprise=enterprise, member=xq.member, position="车间主任")
    profile = instructors.create_instructor(
        actor=admin,
        username="instructor",
        display_name="李指导",
        area=town.town,
        password="Hnd-test-2026!x",
        work_unit="宋河镇党政办",
        phone="13800001111",
    )
    instructors.assign_instructor(actor=admin, instructor=profile, org=xq.branch, since=dt.date(2024, 1, 1))
    visits.record_visit(
        actor=admin,
        visited_on=dt.date(2025, 4, 1),
        org=xq.branch,
        findings="三会一课记录不全。",
        follow_ups=[("补齐会议记录", dt.date(2025, 5, 1))],
        instructor=profile.user,
    )
    applicant = f.resident(xq.household, "黄小明", birth=dt.date(2000, 5, 6))
    development.open_case(actor=admin, resident=applicant, org=xq.branch, applied_on=dt.date(2024, 1, 10))
    vanguard.create_post(
        actor=admin, member=xq.member, title="党员示范岗", place_name="碾米车间", since=dt.date(2025, 1, 1)
    )
    vanguard.create_activity(
        actor=admin,
        kind=ActivityKind.WORKSHOP_PARTY_DAY,
        title="车间党日",
        held_on=dt.date(2025, 6, 1),
        org=xq.branch,
        enterprise=enterprise,
        participants=[xq.member],
    )
    books = ledger.open_books(
        actor=admin,
        village=xq.area,
        name="徐桥村股份经济合作社",
        kind=OrgKind.SHAREHOLDING,
        opened_on=dt.date(2025, 1, 1),
        chart=CHART,
    )
    bank, income = (Account.objects.get(books=books, code=code) for code in ("102", "501"))
    ledger.post_entry(
        actor=admin,
        books=books,
        date=dt.date(2025, 3, 1),
        summary="土地租金",
        lines=[LineSpec(bank, debit=Decimal(500)), LineSpec(income, credit=Decimal(500))],
        idempotency_key="",
    )
    returnee = returnees.register_returnee(
        actor=admin, resident=applicant, returned_on=dt.date(2024, 2, 1), came_from="广东深圳"
    )
    farm = returnees.register_business(
        actor=admin, founder=returnee, name="徐桥葡萄园", kind="planting", started_on=dt.date(2024, 3, 1)
    )
    job = returnees.employ_resident(actor=admin, business=farm, resident=xq.head, started_on=dt.date(2024, 4, 1))
    returnees.record_wages(actor=admin, employment=job, year=2024, amount=Decimal("8000.00"))
    returnees.record_support(
        actor=admin, business=farm, kind="training", given_on=dt.date(2024, 5, 1), given_by="区农业农村局"
    )
    # The collective economy: 徐桥村's organisation keeping those books, a decision, a member, shares.
    org = collective.register_collective(
        actor=admin,
        village=xq.area,
        name=books.name,
        kind="shareholding_collective",
        founded_on=books.opened_on,
        books=books,
    )
    collective.create_decision(actor=admin, village=xq.area, subject="cooperative", title="组建合作社")
    collective.confirm_member(actor=admin, org=org, household=xq.household, confirmed_on=dt.date(2025, 1, 2))
    collective.record_shares(
        actor=admin,
        org=org,
        household=xq.household,
        contribution="allotted",
        shares=Decimal(10),
        effective_on=dt.date(2025, 1, 2),
        reason="折股量化",
    )
    # Resident services (issue 17): 徐桥村's station with a request, a women's federation and an activity.
    from tests.care.stations.url_scope import xuqiao_stations

    xuqiao_stations(town)
