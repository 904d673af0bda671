"""Instructors: accounts, assignments kept in step with grants and roles, what an instructor
sees, guidance visits and follow-ups, the instructor's page and the roster."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hongniudai.accounts.models import Role, RoleAssignment
from hongniudai.accounts.scope import Capability, user_can
from hongniudai.enterprises import selectors, services
from hongniudai.enterprises.models import CheckItem, GuidanceFollowUp, GuidanceVisit, Instructor
from tests import factories as f

from .conftest import fresh, make_enterprise


@pytest.fixture
def assigned(town, park, instructor):
    """The instructor guides the park's joint branch and 徐桥米业 (no branch); other records exist."""
    admin = town.users["admin"]
    rice = make_enterprise("徐桥米业", town.xuqiao.area)
    logistics = make_enterprise("园区物流", town.park, branch=park.joint_branch)
    chem = make_enterprise("宋河化工", town.park, branch=park.own_branch)
    other = make_enterprise("何梅畈商店", town.hemeifan.area)
    branch_a = services.assign_instructor(actor=admin, instructor=instructor, org=park.joint_branch)
    rice_a = services.assign_instructor(actor=admin, instructor=instructor, enterprise=rice)
    return {"rice": rice, "logistics": logistics, "chem": chem, "other": other, "branch_a": branch_a, "rice_a": rice_a}


# ---- accounts and assignments -------------------------------------------------------------------


def test_a_town_admin_creates_an_instructor_through_the_page(town):
    client = town.client_for("admin")
    response = client.post(
        reverse("enterprises:instructor_create"),
        {
            "username": "lizhidao",
            "display_name": "李指导",
            "password": "Zhidao-2026-long",
            "area": town.town.pk,
            "work_unit": "镇组织办",
            "phone": "13800002222",
        },
    )
    profile = Instructor.objects.get(user__username="lizhidao")
    assert response.status_code == 302
    assert profile.user.check_password("Zhidao-2026-long")
    assert profile.user.display_name == "李指导" and profile.phone == "13800002222"
    body = client.get(reverse("enterprises:instructor_detail", args=[profile.pk])).content.decode()
    assert "138****2222" in body and "13800002222" not in body


def test_instructor_creation_is_for_town_admins(town):
    assert town.client_for("xuqiao").get(reverse("enterprises:instructor_create")).status_code == 403
    assert town.client_for("gridworker").post(reverse("enterprises:instructor_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_instructor(actor=town.users["xuqiao"], username="x", display_name="x", area=town.town)
    with pytest.raises(ValidationError) as exc:
        services.create_instructor(actor=town.users["admin"], username="x", display_name="x", area=town.xuqiao.area)
    assert "请选择镇" in exc.value.message_dict["area"][0]


def test_assignments_keep_the_grant_and_the_role_in_step(town, park, instructor, assigned):
    user = instructor.user
    assert list(assigned["rice"].instructors.all()) == [user]
    assert RoleAssignment.objects.filter(user=user, role=Role.INSTRUCTOR, org=park.joint_branch).exists()
    assert user_can(fresh(user), Capability.GUIDE, park.joint_branch)
    assert not user_can(fresh(user), Capability.EDIT_PARTY, park.joint_branch)

    with pytest.raises(ValidationError):  # already assigned
        services.assign_instructor(actor=town.users["admin"], instructor=instructor, org=park.joint_branch)

    services.end_assignment(actor=town.users["admin"], assignment=assigned["branch_a"])
    services.end_assignment(actor=town.users["admin"], assignment=assigned["rice_a"])
    assert not assigned["rice"].instructors.exists()
    assert not RoleAssignment.objects.filter(user=user).exists()
    history = selectors.assignments(town.users["admin"], instructor=user)
    assert {a.ended_on for a in history} == {timezone.localdate()}
    with pytest.raises(ValidationError):
        services.end_assignment(actor=town.users["admin"], assignment=assigned["rice_a"])
    # The ended instructor no longer sees them.
    client = town.client_for("instructor")
    assert client.get(reverse("enterprises:enterprise_detail", args=[assigned["rice"].pk])).status_code == 404
    assert client.get(reverse("party:org_detail", args=[park.joint_branch.pk])).status_code == 404


def test_assignment_pages(town, park, instructor):
    rice = make_enterprise("徐桥米业", town.xuqiao.area)
    client = town.client_for("admin")
    url = reverse("enterprises:assignment_create", args=[instructor.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"enterprise": rice.pk, "org": park.joint_branch.pk})
    assert response.status_code == 200 and "只选其一" in response.content.decode()
    assert client.post(url, {"enterprise": rice.pk}).status_code == 302
    assert client.post(url, {"org": park.joint_branch.pk}).status_code == 302
    assignments = list(selectors.assignments(town.users["admin"], instructor=instructor.user, current=True))
    assert len(assignments) == 2
    end_url = reverse("enterprises:assignment_end", args=[assignments[0].pk])
    assert client.get(end_url).status_code == 200
    assert client.post(end_url).status_code == 302
    assert len(selectors.assignments(town.users["admin"], instructor=instructor.user, current=True)) == 1
    # A village secretary sees the enterprise but may not assign instructors: 403 / 404.
    xq = town.client_for("xuqiao")
    assert xq.get(url).status_code == 404  # the instructor belongs to the town
    with pytest.raises(PermissionDenied):
        services.assign_instructor(actor=town.users["xuqiao"], instructor=instructor, enterprise=rice)


# ---- what an instructor sees ------------------------------------------------------------------


def test_an_instructor_sees_the_assigned_branches_and_enterprises_and_404_for_others(town, park, instructor, assigned):
    client = town.client_for("instructor")
    for key in ("rice", "logistics"):  # assigned, and an enterprise of the assigned branch
        assert client.get(reverse("enterprises:enterprise_detail", args=[assigned[key].pk])).status_code == 200
    for key in ("chem", "other"):
        assert client.get(reverse("enterprises:enterprise_detail", args=[assigned[key].pk])).status_code == 404
    assert client.get(reverse("party:org_detail", args=[park.joint_branch.pk])).status_code == 200
    for org in (park.own_branch, park.joint_org, town.xuqiao.branch, town.committee):
        assert client.get(reverse("party:org_detail", args=[org.pk])).status_code == 404
    listing = client.get(reverse("enterprises:enterprise_list")).content.decode()
    assert "徐桥米业" in listing and "园区物流" in listing
    assert "宋河化工" not in listing and "何梅畈商店" not in listing
    # Nothing else: no residents, no other members.
    assert client.get(reverse("places:resident_detail", args=[town.xuqiao.head.pk])).status_code == 404
    assert client.get(reverse("party:member_detail", args=[town.xuqiao.member.pk])).status_code == 404
    # Reading is not editing.
    assert client.get(reverse("enterprises:enterprise_edit", args=[assigned["rice"].pk])).status_code == 403


# ---- visits and follow-ups --------------------------------------------------------------------


def test_an_instructor_records_a_visit_with_follow_ups_through_the_page(town, park, instructor, assigned):
    client = town.client_for("instructor")
    today = timezone.localdate()
    assert client.get(reverse("enterprises:visit_create"), {"org": park.joint_branch.pk}).status_code == 200
    response = client.post(
        reverse("enterprises:visit_create"),
        {
            "visited_on": today.isoformat(),
            "org": park.joint_branch.pk,
            "checked": [CheckItem.MEETING_RECORDS, CheckItem.DUES],
            "findings": "三会一课记录不全",
            "follow_up_1": "补齐会议记录",
            "due_on_1": (today + dt.timedelta(days=30)).isoformat(),
        },
    )
    visit = GuidanceVisit.objects.get()
    assert response.status_code == 302
    assert visit.instructor == instructor.user and visit.org == park.joint_branch and visit.area == town.park
    assert visit.checked == [CheckItem.MEETING_RECORDS, CheckItem.DUES]
    assert visit.follow_ups.get().description == "补齐会议记录"
    body = client.get(reverse("enterprises:visit_detail", args=[visit.pk])).content.decode()
    assert "三会一课记录" in body and "党费收缴" in body and "补齐会议记录" in body


def test_a_visit_to_an_enterprise_without_a_branch(town, instructor, assigned):
    visit = services.record_visit(
        actor=fresh(instructor.user),
        visited_on=timezone.localdate(),
        enterprise=assigned["rice"],
        checked=[CheckItem.POSITION],
        findings="尚无党员,宣传阵地待建",
    )
    assert visit.org is None and visit.area == town.xuqiao.area
    # The village secretary of 徐桥村 sees it (area), 发水河村's does not.
    assert town.client_for("xuqiao").get(reverse("enterprises:visit_detail", args=[visit.pk])).status_code == 200
    assert town.client_for("fashuihe").get(reverse("enterprises:visit_detail", args=[visit.pk])).status_code == 404


def test_an_enterprise_with_a_branch_is_visited_under_its_branch(town, park, instructor, assigned):
    visit = services.record_visit(
        actor=fresh(instructor.user), visited_on=timezone.localdate(), enterprise=assigned["logistics"]
    )
    assert visit.org == park.joint_branch


def test_an_instructor_cannot_record_visits_elsewhere(town, park, instructor, assigned):
    user = fresh(instructor.user)
    with pytest.raises(PermissionDenied):
        services.record_visit(actor=user, visited_on=timezone.localdate(), org=park.own_branch)
    with pytest.raises(PermissionDenied):
        services.record_visit(actor=user, visited_on=timezone.localdate(), enterprise=assigned["other"])
    with pytest.raises(PermissionDenied):
        services.record_visit(actor=town.users["xuqiao"], visited_on=timezone.localdate(), enterprise=assigned["rice"])
    assert town.client_for("xuqiao").get(reverse("enterprises:visit_create")).status_code == 403
    assert town.client_for("gridworker").post(reverse("enterprises:visit_create")).status_code == 403


def test_visit_input_is_checked(town, park, instructor, assigned):
    user = fresh(instructor.user)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.record_visit(actor=user, visited_on=today + dt.timedelta(days=1), org=park.joint_branch)
    assert "visited_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_visit(
            actor=user, visited_on=today, org=park.joint_branch, follow_ups=[("补记录", today - dt.timedelta(days=1))]
        )
    assert "整改期限不能早于指导日期" in exc.value.message_dict["follow_ups"][0]
    with pytest.raises(ValidationError):
        services.record_visit(actor=user, visited_on=today, org=park.joint_branch, follow_ups=[("补记录", None)])
    assert not GuidanceVisit.objects.exists()


def _visit_with_follow_ups(town, park, instructor):
    today = timezone.localdate()
    return services.record_visit(
        actor=fresh(instructor.user),
        visited_on=today - dt.timedelta(days=40),
        org=park.joint_branch,
        follow_ups=[("补齐会议记录", today - dt.timedelta(days=10)), ("建立党员档案", today + dt.timedelta(days=20))],
    )


def test_overdue_follow_ups_are_marked(town, park, instructor, assigned):
    visit = _visit_with_follow_ups(town, park, instructor)
    items = {fu.description: fu.overdue for fu in selectors.follow_ups(town.users["admin"], visit=visit)}
    assert items == {"补齐会议记录": True, "建立党员档案": False}
    body = town.client_for("instructor").get(reverse("enterprises:visit_detail", args=[visit.pk])).content.decode()
    assert body.count("已逾期") == 1


def test_closing_a_follow_up_by_the_instructor_and_by_the_branch_editors(town, park, instructor, assigned):
    visit = _visit_with_follow_ups(town, park, instructor)
    late, later = visit.follow_ups.order_by("due_on")
    client = town.client_for("instructor")
    url = reverse("enterprises:follow_up_close", args=[late.pk])
    response = client.post(url, {"closing_note": ""})
    assert response.status_code == 200  # the form again, with its message
    late.refresh_from_db()
    assert late.closed_on is None
    response = client.post(url, {"closing_note": "已补齐"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert (
        late.closed_on == timezone.localdate() and late.closed_by == instructor.user and late.closing_note == "已补齐"
    )
    with pytest.raises(ValidationError):
        services.close_follow_up(actor=fresh(instructor.user), follow_up=late, note="再次")
    # The town admin edits the park's party data: may close too. A village secretary may not see it.
    assert town.client_for("xuqiao").post(reverse("enterprises:follow_up_close", args=[later.pk])).status_code == 404
    services.close_follow_up(actor=town.users["admin"], follow_up=later, note="档案已建")
    assert not GuidanceFollowUp.objects.filter(closed_on__isnull=True).exists()


def test_the_secretary_of_the_village_closes_a_follow_up_of_an_enterprise_there(town, instructor, assigned):
    today = timezone.localdate()
    visit = services.record_visit(
        actor=fresh(instructor.user),
        visited_on=today,
        enterprise=assigned["rice"],
        follow_ups=[("设立党员活动室", today + dt.timedelta(days=30))],
    )
    item = visit.follow_ups.get()
    reader = f.user("reader", "sent_down_cadre", area=town.xuqiao.area)
    with pytest.raises(PermissionDenied):
        services.close_follow_up(actor=reader, follow_up=item, note="x")
    town.users["reader"] = reader
    assert town.client_for("reader").post(reverse("enterprises:follow_up_close", args=[item.pk])).status_code == 403
    response = town.client_for("xuqiao").post(
        reverse("enterprises:follow_up_close", args=[item.pk]), {"closing_note": "活动室已设立"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.closed_by == town.users["xuqiao"]


def test_adding_a_follow_up_later(town, park, instructor, assigned):
    visit = _visit_with_follow_ups(town, park, instructor)
    url = reverse("enterprises:follow_up_add", args=[visit.pk])
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    assert (
        town.client_for("instructor").post(url, {"description": "整改发展党员材料", "due_on": due}).status_code == 302
    )
    assert visit.follow_ups.count() == 3
    reader = f.user("reader", "sent_down_cadre", area=town.town)
    town.users["reader"] = reader
    assert town.client_for("reader").post(url, {"description": "x", "due_on": due}).status_code == 403


# ---- the instructor's page and the roster -----------------------------------------------------


def test_my_guidance_lists_branches_enterprises_follow_ups_and_visits(town, park, instructor, assigned):
    _visit_with_follow_ups(town, park, instructor)
    response = town.client_for("instructor").get(reverse("enterprises:my_guidance"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "园区企业联合党支部" in body and "徐桥米业" in body
    assert "补齐会议记录" in body and "建立党员档案" in body and "已逾期" in body
    assert "宋河化工" not in body and "何梅畈商店" not in body


def test_my_guidance_shows_orglife_compliance(town, park, instructor, assigned, monkeypatch):
    from dataclasses import dataclass

    from hongniudai.enterprises import selectors as enterprise_selectors

    @dataclass
    class Counts:
        due: int
        met: int
        missing: int
        pending: int

        @property
        def rate(self):
            return self.met / self.due if self.due else None

    calls = []

    def org_compliance(user, *, orgs, start, end):
        calls.append((list(orgs), start, end))
        return {o.pk: Counts(due=8, met=6, missing=2, pending=0) for o in orgs}

    monkeypatch.setattr(enterprise_selectors, "org_compliance", org_compliance)
    body = town.client_for("instructor").get(reverse("enterprises:my_guidance")).content.decode()
    today = timezone.localdate()
    assert calls == [([park.joint_branch], dt.date(today.year, 1, 1), today)]
    assert "已开展 6/8" in body and "75.0%" in body


def test_my_guidance_for_someone_without_assignments(town):
    body = town.client_for("xuqiao").get(reverse("enterprises:my_guidance")).content.decode()
    assert "尚未被选派为党建指导员" in body


def test_the_roster_shows_assignments_and_open_follow_ups(town, park, instructor, assigned):
    _visit_with_follow_ups(town, park, instructor)
    response = town.client_for("admin").get(reverse("enterprises:instructor_list"))
    body = response.content.decode()
    assert "李指导" in body and "园区企业联合党支部" in body and "徐桥米业" in body
    row = selectors.instructors(town.users["admin"]).get()
    assert (row.open_follow_ups, row.overdue_follow_ups, row.current_assignments) == (2, 1, 2)
    # Village secretaries do not see the town's roster.
    assert "李指导" not in town.client_for("xuqiao").get(reverse("enterprises:instructor_list")).content.decode()
    assert (
        town.client_for("xuqiao").get(reverse("enterprises:instructor_detail", args=[instructor.pk])).status_code == 404
    )
    # The instructor sees their own profile.
    assert (
        town.client_for("instructor").get(reverse("enterprises:instructor_detail", args=[instructor.pk])).status_code
        == 200
    )


def test_editing_an_instructor(town, instructor):
    client = town.client_for("admin")
    url = reverse("enterprises:instructor_edit", args=[instructor.pk])
    response = client.post(url, {"display_name": "李红", "work_unit": "组织办", "phone": "138 0000 3333"})
    assert response.status_code == 302
    instructor.refresh_from_db()
    assert instructor.user.display_name == "李红" and instructor.phone == "13800003333"
    assert town.client_for("instructor").post(url, {"display_name": "x"}).status_code == 403


def test_visit_list_pages_and_export(town, park, instructor, assigned):
    visit = _visit_with_follow_ups(town, park, instructor)
    admin = town.client_for("admin")
    body = admin.get(reverse("enterprises:visit_list")).content.decode()
    assert "园区企业联合党支部" in body and "逾期 1" in body and "待整改 2" in body
    response = admin.get(reverse("enterprises:visit_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert admin.get(reverse("enterprises:follow_up_add", args=[visit.pk])).status_code == 200
    item = visit.follow_ups.first()
    assert admin.get(reverse("enterprises:follow_up_close", args=[item.pk])).status_code == 200
    # The park's visits are not shown to a village secretary.
    assert "园区企业联合党支部" not in town.client_for("xuqiao").get(reverse("enterprises:visit_list")).content.decode()


def test_an_instructor_lands_on_their_own_page(town, instructor, park):
    """Before any assignment (only the profile) and after one (the branch's role), the home page
    takes an instructor to 我的指导; a village secretary still starts on the area tree."""
    assert town.client_for("instructor").get("/")["Location"] == reverse("enterprises:my_guidance")
    services.assign_instructor(actor=town.users["admin"], instructor=instructor, org=park.joint_branch)
    assert town.client_for("instructor").get("/")["Location"] == reverse("enterprises:my_guidance")
    assert town.client_for("xuqiao").get("/")["Location"] == reverse("places:tree")
