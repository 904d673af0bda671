"""Every party page renders for the town admin and shows what a user comes for."""

from __future__ import annotations

from django.urls import reverse

from hongniudai.party.models import OrgKind

from .conftest import linked_names, xlsx_rows


def test_tree_shows_the_five_levels_with_counts(party_town):
    t = party_town.town
    client = t.client_for("admin")
    # Without JavaScript: ?node= opens the way down to the party group, whose centre households show.
    response = client.get(reverse("party:org_tree"), {"node": t.xuqiao.group.pk})
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("宋河镇党委", "东片区大总支", "徐桥村党支部", "徐桥村5组党小组", "黄家湾", "黄文华"):
        assert text in html
    assert "片区大总支" in html and "村(社区)党支部" in html and "党小组" in html  # kind labels
    assert "党员 3" in html  # the general branch counts the members of all three villages


def test_tree_children_partial_for_htmx(party_town):
    t = party_town.town
    client = t.client_for("admin")
    response = client.get(reverse("party:org_tree_children", args=[t.general_branch.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "徐桥村党支部" in html and "发水河村党支部" in html and "何梅畈村党支部" in html
    assert 'hx-swap-oob="true"' in html
    # A party group's children are its grid's centre households.
    response = client.get(reverse("party:org_tree_children", args=[t.hemeifan.group.pk]))
    assert "张家冲" in response.content.decode() and "张圣福" in response.content.decode()


def test_org_list_filters_and_exports(party_town):
    t = party_town.town
    client = t.client_for("admin")
    response = client.get(reverse("party:org_list"), {"kind": OrgKind.BRANCH})
    assert response.status_code == 200
    assert linked_names(response, "/party/orgs/") == {"徐桥村党支部", "发水河村党支部", "何梅畈村党支部"}
    response = client.get(reverse("party:org_list"), {"q": "发水河"})
    assert linked_names(response, "/party/orgs/") == {"发水河村党支部", "发水河村1组党小组"}
    response = client.get(reverse("party:org_list"), {"kind": OrgKind.BRANCH, "export": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:2] == ["名称", "类型"]
    assert {r[0] for r in rows[1:]} == {"徐桥村党支部", "发水河村党支部", "何梅畈村党支部"}


def test_org_detail_of_branch_and_group(party_town):
    t = party_town.town
    client = t.client_for("admin")
    html = client.get(reverse("party:org_detail", args=[t.xuqiao.branch.pk])).content.decode()
    assert "徐桥村5组党小组" in html  # its party groups
    assert "黄文华" in html  # its members
    assert f"/audit/history/party.partyorg/{t.xuqiao.branch.pk}/" in html
    html = client.get(reverse("party:org_detail", args=[t.xuqiao.group.pk])).content.decode()
    assert "5组" in html and "黄文华" in html and "黄家湾" in html


def test_member_list_search_and_detail(party_town):
    t = party_town.town
    client = t.client_for("admin")
    response = client.get(reverse("party:member_list"))
    assert linked_names(response, "/party/members/") == {"黄文华", "施华成", "张圣福"}
    response = client.get(reverse("party:member_list"), {"q": "zsf"})
    assert linked_names(response, "/party/members/") == {"张圣福"}
    response = client.get(reverse("party:member_list"), {"q": "施"})
    assert linked_names(response, "/party/members/") == {"施华成"}
    response = client.get(reverse("party:member_list"), {"org": t.fashuihe.branch.pk})
    assert linked_names(response, "/party/members/") == {"施华成"}
    response = client.get(reverse("party:member_list"), {"org": t.general_branch.pk})  # a subtree
    assert linked_names(response, "/party/members/") == {"黄文华", "施华成", "张圣福"}
    html = client.get(reverse("party:member_detail", args=[t.hemeifan.member.pk])).content.decode()
    assert "何梅畈村党支部" in html and "张家冲" in html and "正式党员" in html
    assert f"/audit/history/party.member/{t.hemeifan.member.pk}/" in html


def test_member_search_by_exact_id_number(party_town, town):
    from hongniudai.party import services

    admin = town.users["admin"]
    resident = town.xuqiao.household.members.get(name="徐明")
    services.create_member(
        actor=admin, resident=resident, org=town.xuqiao.branch, joined_on=resident.birth_date.replace(year=2015)
    )
    client = town.client_for("admin")
    number = party_town.id_numbers[0]
    response = client.get(reverse("party:member_list"), {"q": number}, follow=True)
    assert linked_names(response, "/party/members/") == {"徐明"}
    html = response.content.decode()
    assert number not in html and number not in response.request["QUERY_STRING"]
    assert f"{number[:3]}{'*' * 11}{number[-4:]}" in html  # the search is shown masked
    rows = xlsx_rows(
        client.get(response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"] + "&export=xlsx")
    )
    assert [r[0] for r in rows[1:]] == ["徐明"]


def test_forms_render(party_town):
    t = party_town.town
    client = t.client_for("admin")
    for url in (
        reverse("party:org_create", args=[t.general_branch.pk]),
        reverse("party:org_edit", args=[t.xuqiao.branch.pk]),
        reverse("party:org_delete", args=[t.xuqiao.group.pk]),
        reverse("party:member_create"),
        reverse("party:member_edit", args=[t.xuqiao.member.pk]),
        reverse("party:member_delete", args=[t.xuqiao.member.pk]),
        reverse("party:centre_edit", args=[t.xuqiao.hamlet.pk]),
        reverse("party:centre_delete", args=[party_town.centres["xuqiao"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<form" in response.content.decode()


def test_confirm_pages_name_their_action(party_town):
    """A delete page says 删除 without being told; the centre household's says 撤销."""
    t = party_town.town
    client = t.client_for("admin")
    html = client.get(reverse("party:member_delete", args=[t.xuqiao.member.pk])).content.decode()
    assert "删除党员档案" in html and "确认删除" in html
    html = client.get(reverse("party:centre_delete", args=[party_town.centres["xuqiao"].pk])).content.decode()
    assert "撤销党员中心户" in html and "确认撤销" in html


def test_new_org_kind_choices_follow_the_parent(party_town):
    t = party_town.town
    client = t.client_for("admin")
    html = client.get(reverse("party:org_create", args=[t.xuqiao.branch.pk])).content.decode()
    assert 'value="party_group"' in html and 'value="general_branch"' not in html
    html = client.get(reverse("party:org_create", args=[t.committee.pk])).content.decode()
    assert 'value="general_branch"' in html and 'value="park_joint_org"' in html and 'value="party_group"' not in html


def test_resident_picker_offers_non_members_only(party_town):
    t = party_town.town
    client = t.client_for("admin")
    html = client.get(reverse("party:resident_options"), {"resident_q": "xm"}).content.decode()
    assert "徐明" in html
    html = client.get(reverse("party:resident_options"), {"resident_q": "黄文华"}).content.decode()
    assert "黄文华" not in html  # already a member
    # Without JavaScript the search reloads the form with the matches in the select.
    html = client.get(reverse("party:member_create"), {"resident_q": "徐明"}).content.decode()
    assert "徐明" in html


def test_group_options_follow_the_branch(party_town):
    t = party_town.town
    client = t.client_for("admin")
    html = client.get(reverse("party:group_options"), {"org": t.fashuihe.branch.pk}).content.decode()
    assert "发水河村1组党小组" in html and "徐桥村5组党小组" not in html


def test_centre_list_and_export(party_town):
    t = party_town.town
    client = t.client_for("admin")
    html = client.get(reverse("party:centre_list")).content.decode()
    for text in ("徐桥村", "黄家湾", "黄文华", "发水河村", "施家湾", "张家冲", "张圣福"):
        assert text in html
    rows = xlsx_rows(client.get(reverse("party:centre_list"), {"export": "xlsx"}))
    assert "联系户数" in rows[0]
    assert ["何梅畈村", "6组", "张家冲", "张圣福", "何梅畈村党支部", "1"] == rows[-1][:6]


def test_resident_picker_finds_by_id_number_without_showing_it(party_town):
    t = party_town.town
    client = t.client_for("admin")
    number = party_town.id_numbers[0]
    response = client.get(reverse("party:member_create"), {"resident_q": number}, follow=True)
    html = response.content.decode()
    assert number not in html and number not in response.request["QUERY_STRING"]
    resident = t.xuqiao.household.members.get(name="徐明")
    assert f'<option value="{resident.pk}" selected>' in html
    assert "施秀英" not in html
