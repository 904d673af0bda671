"""Creating, changing and deleting organisations, members and centre households through the
pages: audited, validated with Chinese messages on the right fields, refused without the right."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.party import events, services
from hongniudai.party.models import BranchType, CentreHousehold, Member, MemberStatus, OrgKind, PartyOrg
from tests import factories as f

REQUIRED = "该字段是必填项。"
INVALID_CHOICE = "选择一个有效的选项： 该选择不在可用的选项中。"


def _audit(action: str, obj_type: str, pk: int) -> AuditEvent | None:
    return AuditEvent.objects.filter(action=action, target_type=obj_type, target_id=str(pk)).first()


def _field_errors(response, field: str) -> list[str]:
    form = response.context["form"]
    return form.errors.get(field, [])


# ---- organisations --------------------------------------------------------------------------


def test_org_create_edit_delete_are_audited(party_town):
    t = party_town.town
    client = t.client_for("xuqiao")
    response = client.post(
        reverse("party:org_create", args=[t.xuqiao.branch.pk]),
        {"name": "徐桥村6组党小组", "kind": OrgKind.PARTY_GROUP, "area": t.xuqiao.grid.pk, "has_committee": ""},
    )
    org = PartyOrg.objects.get(name="徐桥村6组党小组")
    assert response.status_code == 302 and response["Location"] == reverse("party:org_detail", args=[org.pk])
    assert org.parent == t.xuqiao.branch and org.path.startswith(t.xuqiao.branch.path)
    event = _audit(events.ORG_CREATED, "party.partyorg", org.pk)
    assert event is not None and event.actor_name == "xuqiao"

    response = client.post(
        reverse("party:org_edit", args=[org.pk]),
        {"name": "徐桥村六组党小组", "area": t.xuqiao.grid.pk, "founded_on": "2021-07-01", "sort_order": "2"},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "徐桥村六组党小组" and org.founded_on == dt.date(2021, 7, 1)
    event = _audit(events.ORG_UPDATED, "party.partyorg", org.pk)
    assert event is not None and event.changes["name"] == ["徐桥村6组党小组", "徐桥村六组党小组"]

    response = client.post(reverse("party:org_delete", args=[org.pk]))
    assert response.status_code == 302
    assert not PartyOrg.objects.filter(pk=org.pk).exists()
    assert _audit(events.ORG_DELETED, "party.partyorg", org.pk) is not None


def test_org_with_members_cannot_be_deleted(party_town):
    t = party_town.town
    client = t.client_for("admin")
    response = client.post(reverse("party:org_delete", args=[t.xuqiao.branch.pk]), follow=True)
    assert response.status_code == 200
    assert "该党组织下还有下级组织或党员,不能删除。" in response.content.decode()
    assert PartyOrg.objects.filter(pk=t.xuqiao.branch.pk).exists()


def test_org_bad_input_gives_chinese_messages_and_saves_nothing(party_town):
    t = party_town.town
    client = t.client_for("admin")
    before = PartyOrg.objects.count()
    url = reverse("party:org_create", args=[t.general_branch.pk])
    # A branch without a branch type.
    response = client.post(url, {"name": "新支部", "kind": OrgKind.BRANCH, "area": t.xuqiao.area.pk})
    assert response.status_code == 200
    assert _field_errors(response, "branch_type") == ["请选择支部类别。"]
    # A duplicate name under the same parent.
    response = client.post(
        url,
        {"name": "徐桥村党支部", "kind": OrgKind.BRANCH, "branch_type": BranchType.VILLAGE, "area": t.xuqiao.area.pk},
    )
    assert _field_errors(response, "name") == ["同一上级下已有名为“徐桥村党支部”的党组织。"]
    # A kind that may not sit under a general branch is not even offered.
    response = client.post(url, {"name": "某小组", "kind": OrgKind.PARTY_GROUP, "area": t.xuqiao.grid.pk})
    assert _field_errors(response, "kind") == ["选择一个有效的选项。 party_group 不在可用的选项中。"]
    # A party group must sit on a grid.
    response = client.post(
        reverse("party:org_create", args=[t.xuqiao.branch.pk]),
        {"name": "某小组", "kind": OrgKind.PARTY_GROUP, "area": t.xuqiao.hamlet.pk},
    )
    assert _field_errors(response, "area") == [INVALID_CHOICE]  # only grids are offered
    # A blank name and a malformed date.
    response = client.post(url, {"name": " ", "kind": OrgKind.BRANCH, "area": "x", "founded_on": "2021-13-45"})
    assert response.status_code == 200
    assert _field_errors(response, "name") and _field_errors(response, "founded_on")
    assert PartyOrg.objects.count() == before


# ---- members --------------------------------------------------------------------------------


def _member_data(t, resident, **over):
    data = {
        "resident": resident.pk,
        "org": t.xuqiao.branch.pk,
        "party_group": t.xuqiao.group.pk,
        "status": MemberStatus.FULL,
        "joined_on": "2015-07-01",
        "full_on": "2016-07-01",
        "post": "",
        "note": "",
    }
    data.update(over)
    return data


def test_member_create_edit_delete_are_audited(party_town):
    t = party_town.town
    client = t.client_for("xuqiao")
    resident = t.xuqiao.household.members.get(name="徐明")
    response = client.post(reverse("party:member_create"), _member_data(t, resident))
    member = Member.objects.get(resident=resident)
    assert response.status_code == 302 and response["Location"] == reverse("party:member_detail", args=[member.pk])
    assert member.party_group == t.xuqiao.group and member.joined_on == dt.date(2015, 7, 1)
    assert _audit(events.MEMBER_CREATED, "party.member", member.pk).actor_name == "xuqiao"

    data = _member_data(t, resident, post="group_leader")
    del data["resident"]
    response = client.post(reverse("party:member_edit", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.post == "group_leader"
    assert _audit(events.MEMBER_UPDATED, "party.member", member.pk).changes["post"] == ["", "group_leader"]

    response = client.post(reverse("party:member_delete", args=[member.pk]))
    assert response.status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()
    assert _audit(events.MEMBER_DELETED, "party.member", member.pk) is not None


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"party_group": "GROUP_OF_OTHER_BRANCH"}, "party_group", "党小组必须属于所选党支部。"),
        ({"joined_on": "YOUNG"}, "joined_on", "入党时应年满 18 周岁。"),
        ({"full_on": "2014-07-01"}, "full_on", "转正日期不能早于入党日期。"),
        ({"status": MemberStatus.PROBATIONARY}, "full_on", "预备党员尚未转正,不应填写转正日期。"),
        ({"joined_on": ""}, "joined_on", REQUIRED),
        ({"joined_on": "2015-02-30"}, "joined_on", "输入一个有效的日期。"),
        ({"org": "abc"}, "org", INVALID_CHOICE),
    ],
)
def test_member_bad_input_gives_chinese_message_on_the_field(party_town, over, field, message):
    t = party_town.town
    client = t.client_for("admin")
    resident = t.xuqiao.household.members.get(name="徐明")
    if over.get("party_group") == "GROUP_OF_OTHER_BRANCH":
        over = {"party_group": t.fashuihe.group.pk}
    if over.get("joined_on") == "YOUNG":
        over = {"joined_on": (resident.birth_date + dt.timedelta(days=365 * 17)).isoformat(), "full_on": ""}
    before = AuditEvent.objects.count()
    response = client.post(reverse("party:member_create"), _member_data(t, resident, **over))
    assert response.status_code == 200
    assert message in _field_errors(response, field)
    assert message in response.content.decode()
    assert not Member.objects.filter(resident=resident).exists()
    assert AuditEvent.objects.count() == before
    # The form is shown again with the resident still chosen.
    assert f'<option value="{resident.pk}" selected' in response.content.decode()


def test_member_edit_bad_input_keeps_the_record(party_town):
    t = party_town.town
    client = t.client_for("admin")
    member = t.xuqiao.member
    data = _member_data(t, member.resident, party_group=t.hemeifan.group.pk)
    del data["resident"]
    response = client.post(reverse("party:member_edit", args=[member.pk]), data)
    assert response.status_code == 200
    assert _field_errors(response, "party_group") == ["党小组必须属于所选党支部。"]
    member.refresh_from_db()
    assert member.party_group == t.xuqiao.group


def test_a_resident_can_have_one_member_record_only(party_town):
    t = party_town.town
    client = t.client_for("admin")
    response = client.post(reverse("party:member_create"), _member_data(t, t.xuqiao.head))
    assert response.status_code == 200
    assert _field_errors(response, "resident")  # not offered: already a member
    assert Member.objects.filter(resident=t.xuqiao.head).count() == 1


def test_a_centre_household_member_cannot_be_deleted(party_town):
    t = party_town.town
    client = t.client_for("admin")
    response = client.post(reverse("party:member_delete", args=[t.xuqiao.member.pk]), follow=True)
    assert "该党员担任党员中心户,请先另行指定。" in response.content.decode()
    assert Member.objects.filter(pk=t.xuqiao.member.pk).exists()


# ---- centre households ----------------------------------------------------------------------


def test_centre_household_set_and_removed(town):
    client = town.client_for("xuqiao")
    hh2 = f.household(town.xuqiao.hamlet, "徐桥村黄家湾2号")
    url = reverse("party:centre_edit", args=[town.xuqiao.hamlet.pk])
    response = client.post(
        url,
        {
            "member": town.xuqiao.member.pk,
            "linked_households": [town.xuqiao.household.pk, hh2.pk],
            "since": "2022-01-01",
        },
    )
    assert response.status_code == 302
    centre = CentreHousehold.objects.get(hamlet=town.xuqiao.hamlet)
    assert centre.member == town.xuqiao.member and set(centre.linked_households.all()) == {town.xuqiao.household, hh2}
    assert _audit(events.CENTRE_SET, "party.centrehousehold", centre.pk) is not None
    html = client.get(reverse("party:centre_list")).content.decode()
    assert "黄文华" in html
    assert f"/audit/history/party.centrehousehold/{centre.pk}/" in client.get(url).content.decode()

    response = client.post(reverse("party:centre_delete", args=[centre.pk]))
    assert response.status_code == 302
    assert not CentreHousehold.objects.filter(pk=centre.pk).exists()
    assert _audit(events.CENTRE_REMOVED, "party.centrehousehold", centre.pk) is not None


def test_centre_household_refuses_households_of_another_grid(party_town):
    t = party_town.town
    client = t.client_for("admin")
    url = reverse("party:centre_edit", args=[t.xuqiao.hamlet.pk])
    response = client.post(url, {"member": t.xuqiao.member.pk, "linked_households": [t.hemeifan.household.pk]})
    assert response.status_code == 200
    assert _field_errors(response, "linked_households")
    centre = CentreHousehold.objects.get(hamlet=t.xuqiao.hamlet)
    assert list(centre.linked_households.all()) == [t.xuqiao.household]
    response = client.post(url, {"member": "", "since": "yesterday"})
    assert _field_errors(response, "member") == [REQUIRED]
    assert _field_errors(response, "since") == ["输入一个有效的日期。"]


# ---- permission -----------------------------------------------------------------------------


def test_grid_worker_may_look_but_not_change(party_town):
    t = party_town.town
    client = t.client_for("gridworker")
    # The grid worker sees the party group of their grid ...
    assert client.get(reverse("party:org_detail", args=[t.xuqiao.group.pk])).status_code == 200
    assert client.get(reverse("party:centre_list")).status_code == 200
    # ... but every create and edit answers 403.
    forbidden = [
        reverse("party:org_edit", args=[t.xuqiao.group.pk]),
        reverse("party:org_delete", args=[t.xuqiao.group.pk]),
        reverse("party:org_create"),
        reverse("party:member_create"),
        reverse("party:centre_edit", args=[t.xuqiao.hamlet.pk]),
        reverse("party:centre_delete", args=[party_town.centres["xuqiao"].pk]),
    ]
    for url in forbidden:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "改名", "area": t.xuqiao.grid.pk}).status_code == 403, url
    assert PartyOrg.objects.get(pk=t.xuqiao.group.pk).name == "徐桥村5组党小组"
    assert CentreHousehold.objects.filter(pk=party_town.centres["xuqiao"].pk).exists()
    # No edit buttons are offered.
    html = client.get(reverse("party:org_detail", args=[t.xuqiao.group.pk])).content.decode()
    assert reverse("party:org_edit", args=[t.xuqiao.group.pk]) not in html


def test_village_secretary_cannot_edit_the_town_tree_above_them(party_town):
    t = party_town.town
    client = t.client_for("xuqiao")
    # The general branch is out of sight: 404, not 403.
    assert client.get(reverse("party:org_create", args=[t.general_branch.pk])).status_code == 404


def test_a_member_change_is_recorded_as_member_updated_and_the_history_names_it(town, admin_client):
    member = town.xuqiao.member
    url = reverse("party:member_edit", args=[member.pk])
    data = {
        "org": member.org_id,
        "party_group": member.party_group_id or "",
        "status": MemberStatus.PROBATIONARY,
        "joined_on": member.joined_on.isoformat(),
        "full_on": "",
        "post": "",
        "note": "",
    }
    assert admin_client.post(url, data).status_code == 302
    event = _audit(events.MEMBER_UPDATED, "party.member", member.pk)
    assert event is not None and event.changes["status"] == [MemberStatus.FULL, MemberStatus.PROBATIONARY]
    history = admin_client.get(reverse("audit:history", args=["party.member", str(member.pk)]))
    assert "修改党员档案" in history.content.decode()


def test_placing_a_member_in_a_group_is_recorded_as_such(town):
    member = town.xuqiao.member
    services.place_member_in_group(actor=town.users["admin"], member=member, group=None)
    event = _audit(events.MEMBER_GROUPED, "party.member", member.pk)
    assert event is not None and event.action_label == "编入党小组"
