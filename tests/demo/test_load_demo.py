"""The demo town (loaded once for the tests that ask for `demo`, see conftest.py)."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from shapely.geometry import shape

from hongniudai.accounts.models import Role, RoleAssignment, User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.audit.models import AuditEvent
from hongniudai.common import geo
from hongniudai.common.identity import decrypt_id_number, parse_citizen_id
from hongniudai.demo import data
from hongniudai.demo.generate import plan_town
from hongniudai.demo.loader import COUNT_LABELS, account_rows, town_counts
from hongniudai.development.models import DevelopmentCase
from hongniudai.party.models import BranchType, CentreHousehold, Member, OrgKind, PartyOrg, Post
from hongniudai.places import events as place_events
from hongniudai.places.models import AreaKind, AreaNode, Household, Relation, Resident
from tests.demo import dated


def area_at(*names: str) -> AreaNode:
    node = AreaNode.objects.get(kind=AreaKind.TOWN, name=data.TOWN_NAME)
    for name in names:
        node = AreaNode.objects.get(parent=node, name=name)
    return node


def resident(name: str) -> Resident:
    return Resident.objects.select_related("household__hamlet__parent__parent").get(name=name)


def test_load_prints_progress_and_counts_in_range(demo: str, db: Any) -> None:
    assert "[15/15]" in demo and "徐桥村" in demo and "载入完成" in demo and "秒" in demo
    counts = town_counts()
    assert counts["districts"] == 4
    assert counts["villages"] + counts["communities"] == 15 and counts["communities"] == 2
    assert 900 <= counts["households"] <= 1200
    assert 2500 <= counts["residents"] <= 4000
    assert counts["elderly"] > 0
    adults = sum(1 for r in Resident.objects.only("birth_date") if r.age() >= 18)
    assert 0.05 <= counts["members"] / adults <= 0.08
    assert counts["demo_accounts"] == len(data.DEMO_ACCOUNTS) + 1  # and the demo instructor


def test_the_summary_counts_what_the_database_holds(demo: str, db: Any) -> None:
    """The last line counts from the database once everything is written: the members the
    development cases received are in it, and the demo accounts are those `demo_accounts` lists."""
    summary = next(line for line in demo.splitlines() if "载入完成" in line)
    counts = town_counts()
    for key, label in COUNT_LABELS.items():
        assert f"{label} {counts[key]}" in summary, key
    assert counts["members"] == Member.objects.count()
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    listed = [row for row in account_rows() if row.exists]
    assert len({row.username for row in listed}) == counts["demo_accounts"] == len(data.DEMO_ACCOUNTS) + 1 == 13
    for row in listed:
        assert row.username in out.getvalue()
    # The progress lines add up to it: the members written with the town, then those received.
    written = int(re.search(r"党员:(\d+) 名", demo).group(1))  # type: ignore[union-attr]
    received = int(re.search(r"其中 (\d+) 名已接收为党员", demo).group(1))  # type: ignore[union-attr]
    assert received > 0 and written + received == counts["members"]


def test_area_tree_codes_and_geometry(demo: str, db: Any) -> None:
    town = AreaNode.objects.get(kind=AreaKind.TOWN, name="宋河镇")
    assert town.code == data.TOWN_CODE and town.parent is not None and town.parent.code == "420703"
    villages = list(AreaNode.objects.filter(kind=AreaKind.VILLAGE, path__startswith=town.path))
    assert {v.name for v in villages if v.is_community} == {"宋河社区", "朝阳社区"}
    for v in villages:
        assert len(v.code) == 12 and v.code.startswith(data.TOWN_CODE)
        grids = list(v.children.all())
        assert 4 <= len(grids) <= 8
        for grid in grids:
            hamlets = list(grid.children.all())
            assert 1 <= len(hamlets) <= 4
            for h in hamlets:
                lon, lat = h.geometry["coordinates"]
                assert geo.contains(v.geometry, lon, lat), f"{h.name} lies outside {v.name}"
    shapes = [shape(v.geometry) for v in villages]
    assert not any(a.intersects(b) for i, a in enumerate(shapes) for b in shapes[i + 1 :])
    park = AreaNode.objects.get(kind=AreaKind.PARK, name="宋河精细化工产业园")
    assert park.parent == town


def test_article_people_in_their_places(demo: str, db: Any) -> None:
    huang = resident("黄文华")
    assert huang.household.hamlet.parent == area_at("东片区", "徐桥村", "5组")
    assert huang.household.is_formerly_poor and huang.household.head == huang

    shi = Member.objects.get(resident__name="施华成")
    assert shi.org.name == "发水河村党支部" and shi.post == Post.SECRETARY

    zhangjiachong = area_at("东片区", "何梅畈村", "6组", "张家冲")
    centre = CentreHousehold.objects.get(hamlet=zhangjiachong)
    assert centre.member.resident.name == "张圣福"
    assert centre.member.org.name == "何梅畈村党支部"
    assert centre.member.party_group is not None and centre.member.party_group.name == "何梅畈村6组党小组"
    assert centre.member.party_group.area == zhangjiachong.parent
    for name in ("李某忠", "赵某发"):
        household = resident(name).household
        assert household.hamlet == zhangjiachong
        assert centre.linked_households.filter(pk=household.pk).exists()

    luo = Member.objects.get(resident__name="罗华清")
    assert luo.centre_households.exists()
    chen = Member.objects.get(resident__name="陈磊")
    assert chen.resident.is_returnee
    ma = Member.objects.get(resident__name="马星")
    assert ma.resident.is_veteran


def test_party_tree(demo: str, db: Any) -> None:
    committee = PartyOrg.objects.get(name="宋河镇党委", parent=None)
    assert committee.kind == OrgKind.TOWN_COMMITTEE
    generals = PartyOrg.objects.filter(parent=committee, kind=OrgKind.GENERAL_BRANCH)
    assert generals.count() == 4
    assert PartyOrg.objects.get(parent=committee, branch_type=BranchType.GOVERNMENT_ORGAN).name == "宋河镇机关党支部"
    assert PartyOrg.objects.filter(parent=committee, kind=OrgKind.INDUSTRY_COMMITTEE).count() == 1

    park_org = PartyOrg.objects.get(parent=committee, kind=OrgKind.PARK_JOINT_ORG)
    assert park_org.area.kind == AreaKind.PARK
    kinds = Counter(park_org.children.filter(kind=OrgKind.BRANCH).values_list("branch_type", flat=True))
    assert kinds == {
        BranchType.PARK_SERVICE_CENTRE: 1,
        BranchType.CHAMBER: 1,
        BranchType.ENTERPRISE: 3,
        BranchType.JOINT: 1,
    }
    assert park_org.children.filter(name="徐桥酒业党支部").exists()

    # Every village branch sits under its district's general branch, with one party group per grid.
    for village in AreaNode.objects.filter(kind=AreaKind.VILLAGE):
        branch = PartyOrg.objects.get(area=village, kind=OrgKind.BRANCH, branch_type=BranchType.VILLAGE)
        assert branch.parent is not None and branch.parent.area == village.parent
        groups = PartyOrg.objects.filter(parent=branch, kind=OrgKind.PARTY_GROUP)
        assert sorted(g.area_id for g in groups) == sorted(village.children.values_list("pk", flat=True))
        for group in groups:
            assert Member.objects.filter(party_group=group, post=Post.GROUP_LEADER).count() == 1
    # Each branch has exactly one secretary.
    for branch in PartyOrg.objects.filter(kind=OrgKind.BRANCH):
        assert Member.objects.filter(org=branch, post=Post.SECRETARY).count() == 1, branch.name


def test_centre_household_per_hamlet(demo: str, db: Any) -> None:
    hamlets = AreaNode.objects.filter(kind=AreaKind.HAMLET)
    centres = {c.hamlet_id: c for c in CentreHousehold.objects.select_related("member__resident__household__hamlet")}
    assert set(centres) == set(hamlets.values_list("pk", flat=True))
    in_range = 0
    for hamlet in hamlets:
        centre = centres[hamlet.pk]
        grid_path = hamlet.parent.path
        assert centre.member.resident.household.hamlet.path.startswith(grid_path)
        linked = list(centre.linked_households.select_related("hamlet"))
        assert all(h.hamlet.path.startswith(grid_path) for h in linked)
        in_range += 5 <= len(linked) <= 15
    assert in_range >= 0.9 * len(centres)


def test_households_and_ids(demo: str, db: Any) -> None:
    for household in Household.objects.prefetch_related("members"):
        heads = [m for m in household.members.all() if m.relation == Relation.HEAD]
        assert len(heads) == 1 and household.head_id == heads[0].pk
    numbers = set()
    for r in Resident.objects.all():
        number = decrypt_id_number(r.id_cipher)
        cid = parse_citizen_id(number, sex=r.sex)  # raises on an invalid number or a wrong sex
        assert cid.birth_date == r.birth_date and number.startswith(data.COUNTY_CODE)
        numbers.add(number)
        assert not r.phone or (len(r.phone) == 11 and r.phone[0] == "1" and r.phone[1] in "3456789")
    assert len(numbers) == Resident.objects.count()
    assert Household.objects.filter(is_formerly_poor=True).count() > 20
    assert Household.objects.filter(is_monitored=True).exists()
    assert Resident.objects.filter(is_veteran=True).exists() and Resident.objects.filter(is_disabled=True).exists()


EXPECTED_ROLES = {
    "admin": (Role.TOWN_ADMIN, ("宋河镇",)),
    "dongpian": (Role.DISTRICT_SECRETARY, ("宋河镇", "东片区")),
    "xuqiao": (Role.VILLAGE_SECRETARY, ("宋河镇", "东片区", "徐桥村")),
    "fashuihe": (Role.VILLAGE_SECRETARY, ("宋河镇", "东片区", "发水河村")),
    "hemeifan": (Role.VILLAGE_SECRETARY, ("宋河镇", "东片区", "何梅畈村")),
    "zhangshengfu": (Role.CENTRE_HOUSEHOLD, ("宋河镇", "东片区", "何梅畈村", "6组", "张家冲")),
    "gridworker": (Role.GRID_WORKER, ("宋河镇", "东片区", "徐桥村", "5组")),
    "hmf_lawyer": (Role.LEGAL_ADVISER, ("宋河镇", "东片区", "何梅畈村")),
    "xq_kuaiji": (Role.VILLAGE_ACCOUNTANT, ("宋河镇", "东片区", "徐桥村")),
    "nongjing": (Role.RURAL_ECONOMY_OFFICER, ("宋河镇",)),
}


def test_demo_accounts(demo: str, db: Any) -> None:
    for username, (role, names) in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert user.display_name and not user.is_superuser
        assignment = RoleAssignment.objects.get(user=user)
        assert assignment.role == role and assignment.area == area_at(*names[1:])
        assert authenticate(username=username, password=data.DEMO_PASSWORD) == user

    xuqiao = User.objects.get(username="xuqiao")
    visible = scope_for(xuqiao, Capability.VIEW).filter(Resident.objects.all())
    in_xuqiao = Resident.objects.filter(household__hamlet__path__startswith=area_at("东片区", "徐桥村").path)
    assert visible.count() == in_xuqiao.count() > 100
    assert visible.filter(name="黄文华").exists()
    fashuihe_path = area_at("东片区", "发水河村").path
    assert not visible.filter(household__hamlet__path__startswith=fashuihe_path).exists()
    assert not visible.filter(name="施华成").exists()

    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    table = out.getvalue()
    assert "演示" in table and "生产环境" in table
    for username in EXPECTED_ROLES:
        assert username in table
    assert "宋河镇 › 东片区 › 何梅畈村 › 6组 › 张家冲" in table


def test_second_run_changes_nothing(demo: str, db: Any) -> None:
    before = (town_counts(), AuditEvent.objects.count(), Resident.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "已载入" in out.getvalue()
    assert (town_counts(), AuditEvent.objects.count(), Resident.objects.count(), User.objects.count()) == before


def test_second_run_restores_a_missing_demo_account(demo: str, db: Any) -> None:
    User.objects.filter(username="hmf_lawyer").delete()
    call_command("load_demo", stdout=io.StringIO())
    user = User.objects.get(username="hmf_lawyer")
    assert RoleAssignment.objects.get(user=user).area == area_at("东片区", "何梅畈村")


def test_audit_records_name_the_loader(demo: str, db: Any) -> None:
    resident_events = AuditEvent.objects.filter(target_type="places.resident")
    assert resident_events.filter(action=place_events.RESIDENT_CREATED).count() == Resident.objects.count()
    assert set(resident_events.values_list("actor_name", flat=True)) == {data.LOADER_USERNAME}


def test_refuses_under_production_settings(demo: str, db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "hongniudai.settings.prod")
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="生产环境"):
        call_command("load_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="生产环境"):
        call_command("demo_accounts", stdout=io.StringIO())
    assert AuditEvent.objects.count() == before


def test_plan_is_deterministic() -> None:
    a, b = plan_town(), plan_town()
    assert [(p.name, p.id_number, p.phone) for p in a.people()] == [(p.name, p.id_number, p.phone) for p in b.people()]


# ---- party work (issue 4) ----------------------------------------------------------------------


def test_enterprises_in_every_coverage_state(demo: str, db: Any) -> None:
    from hongniudai.enterprises import selectors as enterprise_selectors
    from hongniudai.enterprises.models import Coverage

    admin = User.objects.get(username="admin")
    rows = list(enterprise_selectors.enterprises_with_coverage(admin))
    assert {r.coverage for r in rows} == set(Coverage.values)
    gap = next(r for r in rows if r.coverage == Coverage.SHOULD_FOUND)
    assert gap.full_members >= 3 and gap.branch is None
    own = {r.branch.name for r in rows if r.coverage == Coverage.OWN_BRANCH}
    assert own == {"徐桥酒业党支部", "鑫润精细化工党支部", "宏达新材料党支部"}
    # The loader's writes around the services leave the kept coverage as defined (`rollups`).
    from hongniudai.enterprises import rollups as coverage_rollups
    from hongniudai.enterprises.models import Enterprise

    defined = coverage_rollups.computed(Enterprise.objects.all())
    assert {(e.pk, e.computed_full_members, e.computed_coverage) for e in defined} == {
        (e.pk, e.full_members, e.coverage) for e in defined
    }


def test_fourteen_instructors_and_the_demo_instructor_sees_only_their_own(demo: str, db: Any) -> None:
    from hongniudai.enterprises.models import Enterprise, GuidanceVisit, Instructor

    assert Instructor.objects.count() == 14
    user = User.objects.get(username="instructor")
    assert authenticate(username="instructor", password=data.DEMO_PASSWORD) == user
    branches = set(RoleAssignment.objects.filter(user=user, role=Role.INSTRUCTOR).values_list("org__name", flat=True))
    assert branches == {"徐桥酒业党支部", "园区企业联合党支部"}
    visible = scope_for(user).filter(Enterprise.objects.all())
    assert set(visible.values_list("name", flat=True)) >= {"湖北徐桥酒业有限公司", "湖北楚润生物科技有限公司"}
    assert not visible.filter(name="鄂州鑫润精细化工有限公司").exists()
    assert not scope_for(user).filter(Resident.objects.filter(name="施华成")).exists()
    visits = GuidanceVisit.objects.filter(instructor=user)
    assert visits.count() >= 6 and visits.filter(follow_ups__closed_on__isnull=True).exists()

    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert "instructor" in out.getvalue() and "徐桥酒业党支部" in out.getvalue()


def test_all_fourteen_instructors_are_posted_to_enterprises(demo: str, db: Any) -> None:
    """ "选派14名红色指导员到企业": each has an enterprise of their own (some also guide a branch),
    and the coverage page shows the firms they watch as covered."""
    from hongniudai.enterprises import selectors as enterprise_selectors
    from hongniudai.enterprises.models import Coverage, Instructor, InstructorAssignment

    for instructor in Instructor.objects.select_related("user"):
        current = InstructorAssignment.objects.filter(instructor=instructor.user, ended_on=None)
        assert current.filter(enterprise__isnull=False).exists(), instructor.user.display_name
    for name in ("马丽娟", "胡志勇"):
        posted = InstructorAssignment.objects.filter(instructor__display_name=name, enterprise__isnull=False)
        assert (
            posted.exists()
            and InstructorAssignment.objects.filter(
                instructor__display_name=name, org__branch_type=BranchType.VILLAGE
            ).exists()
        )
    admin = User.objects.get(username="admin")
    coverage = {e.name: e.coverage for e in enterprise_selectors.enterprises_with_coverage(admin)}
    assert coverage["鄂州金盛塑业有限公司"] == coverage["宋河镇福源食品厂"] == Coverage.WATCHED
    # The one firm left without an instructor registered last month; the page lists it as a gap.
    assert [name for name, state in coverage.items() if state == Coverage.NO_INSTRUCTOR] == ["宋河镇顺心农资经营部"]
    page = Client()
    page.force_login(admin)
    response = page.get("/enterprises/coverage/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "宋河镇顺心农资经营部" in html
    assert "鄂州金盛塑业有限公司" not in html and "宋河镇福源食品厂" not in html


def test_every_village_member_is_in_the_party_group_of_their_grid(demo: str, db: Any) -> None:
    members = Member.objects.filter(org__branch_type=BranchType.VILLAGE).select_related(
        "org", "party_group", "resident__household__hamlet"
    )
    assert members.count() > 150
    received = DevelopmentCase.objects.filter(member__isnull=False, org__branch_type=BranchType.VILLAGE)
    assert received.exists()  # the members the demo's development cases received are checked too
    for m in members:
        grid_id = m.resident.household.hamlet.parent_id
        assert m.party_group is not None, m.resident.name
        assert m.party_group.kind == OrgKind.PARTY_GROUP and m.party_group.parent_id == m.org_id, m.resident.name
        assert m.party_group.area_id == grid_id, m.resident.name


def test_a_year_of_meetings_with_its_gaps(demo: str, db: Any) -> None:
    dated.check_meetings(timezone.localdate())


def test_people_in_every_stage_of_development(demo: str, db: Any) -> None:
    from hongniudai.development.models import DevelopmentCase, Stage

    assert set(DevelopmentCase.objects.values_list("stage", flat=True)) == set(Stage.values)
    probationary = DevelopmentCase.objects.get(stage=Stage.PROBATIONARY)
    assert probationary.member is not None and probationary.member.status == "probationary"


def test_vanguard_posts_and_activities(demo: str, db: Any) -> None:
    from hongniudai.vanguard.models import Activity, VanguardPost

    assert VanguardPost.objects.filter(enterprise__name="湖北徐桥酒业有限公司").count() == 2
    assert Activity.objects.filter(participants__isnull=False).distinct().count() >= 10


def test_rollups_and_counters_are_true_after_the_load(demo: str, db: Any) -> None:
    """The loader defers the per-write refreshes and rebuilds once: the measures summed from the
    rollup and the tree's counts equal counting the rows themselves."""
    import datetime as dt

    from django.utils import timezone

    from hongniudai.governance import selectors as gov_selectors
    from hongniudai.governance.models import Matter
    from hongniudai.places import selectors as place_selectors

    admin = User.objects.get(username="admin")
    town = AreaNode.objects.get(kind=AreaKind.TOWN, name=data.TOWN_NAME)
    today = timezone.localdate()
    start = (today - dt.timedelta(days=330)).replace(day=1)
    summed = gov_selectors.measures(admin, node=town, start=start, end=today)
    counted = gov_selectors.Measures(node=town, start=start, end=today)
    base = Matter.objects.filter(origin_path__startswith=town.path)
    gov_selectors.measures_from_matters(counted, admin, base, town, start, today)
    assert summed.reported == counted.reported > 100
    assert (summed.by_level, summed.repeat_matters, summed.follow_ups) == (
        counted.by_level,
        counted.repeat_matters,
        counted.follow_ups,
    )
    for row in place_selectors.area_children_with_counts(admin, town):
        path = row.node.path
        assert row.residents == Resident.objects.filter(household__hamlet__path__startswith=path).count()
        assert row.members == Member.objects.filter(resident__household__hamlet__path__startswith=path).count()
