import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

URL_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


def test_schema_endpoint_serves_a_valid_openapi_document(client):
    r = client.get("/api/schema/")
    assert r.status_code == 200
    schema = yaml.safe_load(r.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/areas/",
        "/api/v1/households/",
        "/api/v1/residents/",
        "/api/v1/residents/{id}/reveal-id/",
        "/api/v1/party-orgs/",
        "/api/v1/members/",
        "/api/v1/centre-households/",
    ]:
        assert path in paths, path
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
    # The ID number is write-only: it is in the request body of residents, never in a response.
    assert "id_number" not in schema["components"]["schemas"]["Resident"]["properties"]
    assert "id_number" in schema["components"]["schemas"]["ResidentRequest"]["properties"]
    token = schema["paths"]["/api/v1/auth/token/"]
    assert not token["post"].get("security")  # getting a token needs no credentials
    assert token["delete"]["security"] == [{"tokenAuth": []}]
    assert "security" not in schema  # no global requirement that would override the above


def test_schema_generates_without_warnings():
    # Raises CommandError on any warning or validation error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_nothing_from_outside(client, url):
    r = client.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "/api/schema/" in html
    refs = URL_ATTR.findall(html)
    assert any(ref.endswith(".js") for ref in refs)
    for ref in refs:
        assert not re.match(r"^(https?:)?//", ref), ref
        assert ref.startswith("/static/"), ref
        assert finders.find(ref.removeprefix("/static/")), f"{ref} is not a local static file"
    assert not re.search(r"https?://", html.replace("http://www.w3.org", "")), "an outside URL in the page"
    if url == "/api/docs/":
        assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io


def test_the_schema_is_generated_once_per_process_and_format(client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from hongniudai.api.views import SchemaView

    SchemaView.forget()
    calls = []
    generate = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        calls.append(1)
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    first = client.get("/api/schema/")
    second = client.get("/api/schema/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(calls) == 1
    assert first["Content-Type"] == second["Content-Type"]
    as_json = client.get("/api/schema/", {"format": "json"})
    assert as_json.status_code == 200 and as_json.json()["openapi"].startswith("3.")
    assert len(calls) == 2
    client.get("/api/schema/", {"format": "json"})
    client.get("/api/schema/", {"lang": "nonsense"})  # an unknown language is the default one
    assert len(calls) == 2
    english = client.get("/api/schema/", {"lang": "en"})
    assert english.status_code == 200 and len(calls) == 3
