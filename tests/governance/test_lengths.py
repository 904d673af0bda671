"""A matter's free text has a limit that the page, the API, Open311, the schema and the service all keep:
a description up to 4,000 characters (Open311's limit), and nothing longer is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.governance import services
from hongniudai.governance.models import Channel, Matter

from .test_open311 import _hazard_post, o311, parse  # noqa: F401 (o311 is a fixture)

TOO_LONG = "长" * 4001


def _api(gov) -> APIClient:
    client = APIClient()
    client.force_authenticate(gov.users["zhangshengfu"])
    return client


def _api_body(gov, **extra):
    return {"category": "dispute-forest", "description": "山林界址纠纷", "place": gov.hemeifan.hamlet.pk, **extra}


def test_an_over_long_description_is_refused_by_the_api(gov):
    response = _api(gov).post("/api/v1/matters/", _api_body(gov, description=TOO_LONG), format="json")
    assert response.status_code == 400
    assert "4000" in str(response.data["description"])
    assert not Matter.objects.exists()
    response = _api(gov).post("/api/v1/matters/", _api_body(gov, description="长" * 4000), format="json")
    assert response.status_code == 201, response.data


def test_an_over_long_description_is_refused_by_the_report_page(gov):
    client = gov.client_for("zhangshengfu")
    data = {"category": gov.forest.pk, "place": gov.hemeifan.hamlet.pk, "urgency": "normal", "description": TOO_LONG}
    response = client.post(reverse("governance:report"), {**data, "attribute[area_mu]": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "4000" in html and 'maxlength="4000"' in html
    assert not Matter.objects.exists()


def test_an_over_long_description_is_refused_by_open311_and_4000_accepted(o311):  # noqa: F811
    response = _hazard_post(o311, "json", description=TOO_LONG)
    assert response.status_code == 400 and "4000" in parse(response)[0]["description"]
    assert not Matter.objects.exists()
    response = _hazard_post(o311, "json", description="长" * 4000)
    assert response.status_code == 200, response.content
    assert len(Matter.objects.get().description) == 4000


def test_the_service_refuses_texts_that_reached_it_without_a_form(gov):
    with pytest.raises(ValidationError) as caught:
        services.report_matter(
            actor=gov.users["zhangshengfu"],
            category=gov.forest,
            title="标" * 101,
            description=TOO_LONG,
            channel=Channel.CENTRE_HOUSEHOLD,
            place=gov.hemeifan.hamlet,
            address="地" * 201,
        )
    errors = caught.value.message_dict
    assert errors["description"] == ["情况描述不能超过 4000 字。"]
    assert errors["title"] == ["标题不能超过 100 字。"] and "address" in errors
    assert not Matter.objects.exists()


def test_the_schema_states_the_limits(client):
    schemas = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert schemas["MatterReportRequest"]["properties"]["description"]["maxLength"] == 4000
    assert schemas["HouseholdRequest"]["properties"]["note"]["maxLength"] == 2000
    assert schemas["MeetingRequest"]["properties"]["minutes"]["maxLength"] == 10000
