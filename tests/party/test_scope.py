"""A village secretary (徐桥村) never reaches another village's party records: 404 on every page
of 发水河村's branch, party group, member and centre household, and absent from every list,
tree, search and export."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hongniudai.party.models import CentreHousehold, Member, PartyOrg

from .conftest import linked_names, xlsx_rows


def _foreign_urls(party_town):
    t = party_town.town
    fsh = t.fashuihe
    centre = party_town.centres["fashuihe"]
    return [
        reverse("party:org_detail", args=[fsh.branch.pk]),
        reverse("party:org_edit", args=[fsh.branch.pk]),
        reverse("party:org_delete", args=[fsh.branch.pk]),
        reverse("party:org_create", args=[fsh.branch.pk]),
        reverse("party:org_tree_children", args=[fsh.branch.pk]),
        reverse("party:org_detail", args=[fsh.group.pk]),
        reverse("party:org_edit", args=[fsh.group.pk]),
        reverse("party:org_delete", args=[fsh.group.pk]),
        reverse("party:org_tree_children", args=[fsh.group.pk]),
        reverse("party:member_detail", args=[fsh.member.pk]),
        reverse("party:member_edit", args=[fsh.member.pk]),
        reverse("party:member_delete", args=[fsh.member.pk]),
        reverse("party:centre_edit", args=[fsh.hamlet.pk]),
        reverse("party:centre_delete", args=[centre.pk]),
    ]


def test_other_village_pages_answer_404(party_town):
    client = party_town.town.client_for("xuqiao")
    for url in _foreign_urls(party_town):
        assert client.get(url).status_code == 404, url
        if "/edit/" not in url and "/delete/" not in url and "/add/" not in url and "/hamlet/" not in url:
            continue  # a page that only reads
        assert client.post(url, {"name": "改名", "member": party_town.town.xuqiao.member.pk}).status_code == 404, url


def test_404_is_the_same_as_for_a_missing_record(party_town):
    client = party_town.town.client_for("xuqiao")
    missing = client.get(reverse("party:member_detail", args=[999999]))
    foreign = client.get(reverse("party:member_detail", args=[party_town.town.fashuihe.member.pk]))
    assert missing.status_code == foreign.status_code == 404

    def normalised(body: bytes) -> bytes:
        # The masked CSRF token differs on every page; the language form returns to the page asked for.
        return re.sub(
            rb'("X-CSRFToken": |name="csrfmiddlewaretoken" value=|name="next" type="hidden" value=)"[^"]*"', b"", body
        )

    assert normalised(missing.content) == normalised(foreign.content)


def test_posts_to_other_village_change_nothing(party_town):
    t = party_town.town
    fsh = t.fashuihe
    client = t.client_for("xuqiao")
    client.post(reverse("party:org_delete", args=[fsh.group.pk]))
    client.post(reverse("party:member_delete", args=[fsh.member.pk]))
    client.post(reverse("party:centre_delete", args=[party_town.centres["fashuihe"].pk]))
    client.post(reverse("party:org_edit", args=[fsh.branch.pk]), {"name": "改名", "area": fsh.area.pk})
    assert PartyOrg.objects.filter(pk=fsh.group.pk).exists()
    assert PartyOrg.objects.get(pk=fsh.branch.pk).name == "发水河村党支部"
    assert Member.objects.filter(pk=fsh.member.pk).exists()
    assert CentreHousehold.objects.filter(pk=party_town.centres["fashuihe"].pk).exists()


def test_lists_tree_and_search_show_only_own_village(party_town):
    t = party_town.town
    client = t.client_for("xuqiao")
    tree = client.get(reverse("party:org_tree"), {"node": t.xuqiao.group.pk}).content.decode()
    assert "徐桥村党支部" in tree and "徐桥村5组党小组" in tree and "黄家湾" in tree
    for foreign in ("发水河", "施华成", "施家湾", "何梅畈", "宋河镇党委", "东片区大总支"):
        assert foreign not in tree
    # Asking the tree to open a foreign node opens nothing foreign.
    tree = client.get(reverse("party:org_tree"), {"node": t.fashuihe.group.pk}).content.decode()
    assert "发水河" not in tree

    assert linked_names(client.get(reverse("party:org_list")), "/party/orgs/") == {"徐桥村党支部", "徐桥村5组党小组"}
    assert linked_names(client.get(reverse("party:org_list"), {"q": "发水河"}), "/party/orgs/") == set()
    assert linked_names(client.get(reverse("party:member_list")), "/party/members/") == {"黄文华"}
    for q in ("施华成", "shc", "施"):
        assert linked_names(client.get(reverse("party:member_list"), {"q": q}), "/party/members/") == set()
    # Filtering by a foreign organisation does not reveal its members.
    response = client.get(reverse("party:member_list"), {"org": t.fashuihe.branch.pk})
    assert "施华成" not in response.content.decode()
    centres = client.get(reverse("party:centre_list")).content.decode()
    assert "黄家湾" in centres and "施家湾" not in centres and "发水河" not in centres


def test_org_filter_offers_only_own_orgs(party_town):
    client = party_town.town.client_for("xuqiao")
    html = client.get(reverse("party:member_list")).content.decode()
    assert "发水河" not in html and "何梅畈" not in html


def test_exports_show_only_own_village(party_town):
    client = party_town.town.client_for("xuqiao")
    orgs = xlsx_rows(client.get(reverse("party:org_list"), {"export": "xlsx"}))
    assert {r[0] for r in orgs[1:]} == {"徐桥村党支部", "徐桥村5组党小组"}
    members = xlsx_rows(client.get(reverse("party:member_list"), {"export": "xlsx"}))
    assert [r[0] for r in members[1:]] == ["黄文华"]
    members = xlsx_rows(client.get(reverse("party:member_list"), {"export": "xlsx", "q": "施华成"}))
    assert members[1:] == []
    centres = xlsx_rows(client.get(reverse("party:centre_list"), {"export": "xlsx"}))
    assert [r[2] for r in centres[1:]] == ["黄家湾"]


def test_pickers_offer_only_own_village(party_town):
    t = party_town.town
    client = t.client_for("xuqiao")
    html = client.get(reverse("party:resident_options"), {"resident_q": "施秀英"}).content.decode()
    assert "施秀英" not in html
    html = client.get(reverse("party:group_options"), {"org": t.fashuihe.branch.pk}).content.decode()
    assert "发水河" not in html
    html = client.get(reverse("party:member_create")).content.decode()
    assert "徐桥村党支部" in html and "发水河" not in html and "何梅畈" not in html
    html = client.get(reverse("party:centre_edit", args=[t.xuqiao.hamlet.pk])).content.decode()
    assert "黄文华" in html and "施华成" not in html and "施家湾" not in html


@pytest.mark.parametrize("field", ["resident", "org", "party_group"])
def test_foreign_choices_are_refused_on_create(party_town, field):
    t = party_town.town
    client = t.client_for("xuqiao")
    foreign_resident = t.fashuihe.household.members.get(name="施秀英")
    own_resident = t.xuqiao.household.members.get(name="徐明")
    data = {
        "resident": own_resident.pk,
        "org": t.xuqiao.branch.pk,
        "party_group": "",
        "status": "full",
        "joined_on": "2015-07-01",
        "post": "",
    }
    data[field] = {"resident": foreign_resident.pk, "org": t.fashuihe.branch.pk, "party_group": t.fashuihe.group.pk}[
        field
    ]
    response = client.post(reverse("party:member_create"), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Member.objects.filter(resident__in=[foreign_resident, own_resident]).exists()


def test_the_roots_of_the_whole_tree_are_those_of_the_visible_nodes(party_town):
    """Seeing the whole tree (a superuser, a county's administrator on PostgreSQL), the roots are
    read by the index (no parent) and equal the top visible nodes found the general way."""
    from hongniudai.accounts.scope import scope_for
    from hongniudai.party.selectors import org_roots
    from tests import factories as f

    t = party_town.town
    extra = PartyOrg.objects.create(name="另一镇党委", kind=t.committee.kind, area=t.committee.area)
    root = f.superuser()
    visible = scope_for(root).filter(PartyOrg.objects.all())
    general = list(visible.exclude(parent__in=visible.values("pk")).order_by("path"))
    assert [o.pk for o in org_roots(root)] == [o.pk for o in general]
    assert extra in general and t.committee in general
