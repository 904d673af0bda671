"""A NUL character in a query string is refused before any view reads it (PostgreSQL cannot
compare text holding NUL: every filter page answered 500 there)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import Town


@pytest.mark.parametrize(
    "url",
    ["/places/residents/?q=%00", "/audit/?actor=a%00b", "/matters/?q=x&q=%00", "/places/households/?%00=1"],
)
def test_a_nul_in_a_page_query_is_refused(admin_client: Client, url: str) -> None:
    response = admin_client.get(url)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_nul_in_an_api_query_is_refused_as_json(town: Town) -> None:
    client = town.client_for("admin")
    response = client.get("/api/v1/residents/", {"q": "张\x00"})
    assert response.status_code == 400
    assert "空字符" in response.json()["detail"]


def test_an_ordinary_query_passes(admin_client: Client) -> None:
    assert admin_client.get("/places/residents/", {"q": "黄文华"}).status_code == 200


def test_open311_refuses_a_nul_in_its_own_error_format(town: Town) -> None:
    client = Client()
    response = client.get("/open311/v2/services.json", {"jurisdiction_id": "宋河镇\x00"})
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert "空字符" in response.json()[0]["description"]
    posted = client.post("/open311/v2/requests.xml", {"description": "垃圾\x00"})
    assert posted.status_code == 400
    assert posted["Content-Type"].startswith("text/xml")
