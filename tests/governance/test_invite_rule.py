"""Who may be invited to a matter is one rule, kept by the service, with one message: the legal
advisers, sent-down cadres and volunteers of the matter's village and the levels above it. The
page and the API only ask the service, and say what it says."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hongniudai.accounts.models import Role
from hongniudai.governance import selectors, services
from hongniudai.governance.models import Channel, Matter
from tests import factories as f
from tests.governance.test_api import token_client

RULE = "只能邀请本村及上级的法律顾问、下沉干部或志愿者。"


def _matter(gov: Any) -> Matter:
    return services.report_matter(
        actor=gov.users["zhangshengfu"],
        category=gov.forest,
        title="张家冲山林界址纠纷",
        description="李某忠与赵某发因山林界址多次扯皮",
        channel=Channel.CENTRE_HOUSEHOLD,
        place=gov.hemeifan.hamlet,
    )


@pytest.fixture
def other_lawyer(gov: Any) -> Any:
    """The legal adviser of another village (发水河村): not one this matter may call on."""
    return f.user("fsh_lawyer", Role.LEGAL_ADVISER, area=gov.fashuihe.area)


def test_the_service_refuses_someone_outside_the_village_and_above(gov, other_lawyer):
    matter = _matter(gov)
    with pytest.raises(ValidationError) as refused:
        services.invite(actor=gov.users["zhangshengfu"], matter=matter, user=other_lawyer)
    assert refused.value.message_dict == {"user": [RULE]}
    assert not matter.invited.exists()
    services.invite(actor=gov.users["zhangshengfu"], matter=matter, user=gov.users["hmf_lawyer"])
    assert list(matter.invited.all()) == [gov.users["hmf_lawyer"]]
    assert other_lawyer not in selectors.invitable_users(matter)


def test_the_page_offers_only_the_invitable_and_says_the_services_rule(gov, other_lawyer):
    matter = _matter(gov)
    zsf = gov.client_for("zhangshengfu")
    url = reverse("governance:matter_invite", args=[matter.pk])
    page = zsf.get(url).content.decode()
    assert "hmf_lawyer" in page and "fsh_lawyer" not in page
    response = zsf.post(url, {"user": other_lawyer.pk})
    assert response.status_code == 200 and RULE in response.content.decode()
    assert not matter.invited.exists()


def test_the_api_says_the_services_rule(gov, other_lawyer):
    matter = _matter(gov)
    zsf = token_client(gov.users["zhangshengfu"])
    url = f"/api/v1/matters/{matter.pk}/invite/"
    assert [u["username"] for u in zsf.get(url).json()] == ["hmf_lawyer"]
    response = zsf.post(url, {"user": other_lawyer.pk}, format="json")
    assert response.status_code == 400 and response.json() == {"user": [RULE]}
    assert not matter.invited.exists()
