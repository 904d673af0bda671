"""An optional field of the API is optional in the service: an agreement without
`signatures_noted` is recorded as not yet signed, not a 500."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts.services_tokens import issue_token
from hongniudai.governance import services
from hongniudai.governance.models import Agreement


def token_client(user):
    key, _token = issue_token(actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _report(gov):
    return services.report_matter(
        actor=gov.users["zhangshengfu"],
        category=gov.forest,
        title="山林界址纠纷",
        description="李某忠与赵某发因山林界址扯皮",
        channel="centre_household",
        place=gov.hemeifan.hamlet,
    )


def test_an_agreement_without_signatures_noted_is_recorded(gov):
    matter = _report(gov)
    r = token_client(gov.users["zhangshengfu"]).put(
        f"/api/v1/matters/{matter.pk}/agreement/",
        {
            "parties": "李某忠、赵某发",
            "facts": "双方因山林界址发生争议",
            "terms": "以1982年林权证界址为准",
            "mediators": "张圣福",
            "signed_on": str(timezone.localdate()),
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["signatures_noted"] is False
    assert Agreement.objects.get(matter=matter).signatures_noted is False
