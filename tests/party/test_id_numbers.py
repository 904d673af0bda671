"""The whole citizen ID number appears in no party page and no export; only the masked form."""

from __future__ import annotations

from django.urls import reverse

from hongniudai.party import services as party_services

from .conftest import xlsx_text


def test_no_full_id_number_in_any_page_or_export(party_town):
    t = party_town.town
    admin = t.users["admin"]
    xu = t.xuqiao.household.members.get(name="徐明")
    member = party_services.create_member(
        actor=admin, resident=xu, org=t.xuqiao.branch, joined_on=xu.birth_date.replace(year=2015)
    )
    number = party_town.id_numbers[0]
    other = party_town.id_numbers[1]  # 施秀英: not a member, offered in the resident picker
    client = t.client_for("admin")
    pages = [
        (reverse("party:org_tree"), {"node": t.xuqiao.group.pk}),
        (reverse("party:org_list"), {}),
        (reverse("party:org_detail", args=[t.xuqiao.branch.pk]), {}),
        (reverse("party:member_list"), {}),
        (reverse("party:member_list"), {"q": number}),
        (reverse("party:member_list"), {"q": "xm"}),
        (reverse("party:member_detail", args=[member.pk]), {}),
        (reverse("party:member_edit", args=[member.pk]), {}),
        (reverse("party:member_delete", args=[member.pk]), {}),
        (reverse("party:member_create"), {}),
        (reverse("party:member_create"), {"resident_q": other}),
        (reverse("party:member_create"), {"resident_q": "施秀英"}),
        (reverse("party:resident_options"), {"resident_q": other}),
        (reverse("party:centre_list"), {}),
        (reverse("party:centre_edit", args=[t.xuqiao.hamlet.pk]), {}),
    ]
    for url, params in pages:
        response = client.get(url, params, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert number not in html and other not in html, (url, params)
    # The masked forms are what is shown.
    html = client.get(reverse("party:member_list")).content.decode()
    assert f"{number[:3]}***********{number[-4:]}" in html
    html = client.get(reverse("party:resident_options"), {"resident_q": other}).content.decode()
    assert "施秀英" in html and f"{other[:3]}***********{other[-4:]}" in html

    for name in ("party:org_list", "party:member_list", "party:centre_list"):
        text = xlsx_text(client.get(reverse(name), {"export": "xlsx"}))
        assert number not in text and other not in text
    text = xlsx_text(client.get(reverse("party:member_list"), {"export": "xlsx"}))
    assert f"{number[:3]}***********{number[-4:]}" in text
