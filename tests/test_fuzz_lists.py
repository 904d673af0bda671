"""Query-parameter fuzzing of every HTML page without URL arguments, as the town administrator.

The pages are found by walking the URL conf; each page's parameters are read from the page itself
(the fields of its `<form method="get">` filter forms and the parameters of its `?…` links), so a
new list page or a new filter is covered without touching this file. Every parameter gets every
odd value alone (out-of-range ids, impossible dates, 5,000-character strings, unicode, empty),
then hypothesis combines several, repeated ones included. No answer may be a 500. Each request runs
in a rolled-back savepoint. Budget: `HND_FUZZ_EXAMPLES` × 2 combined examples per page.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzzing

ODD = [
    "",
    "0",
    "-1",
    "10.5",
    "1e30",
    "99999999999999999999",
    "-99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01",
    "x" * 5000,
    "宋河镇" * 700,
    "\U0001f600\u202e\ufeff",
    "%00\x00",
    "<script>",
    "true",
]
# Pages that are not GET pages of the site: they sign out, switch language, or belong to the API
# and Open311 (fuzzed by their own modules).
SKIP_PREFIXES = ("api:", "open311:")
SKIP = {"accounts:logout", "set_language"}
ALWAYS = ["page", "q", "sort"]


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groupindex:
            yield f"{namespace}{p.name}", p


def pages() -> list[str]:
    names = []
    for name, _pattern in _walk(get_resolver().url_patterns):
        if name in SKIP or name.startswith(SKIP_PREFIXES) or name in names:
            continue
        try:
            reverse(name)
        except NoReverseMatch:  # optional or unnamed groups (the Open311 catch-all): not a page
            continue
        names.append(name)
    return names


class GetParameters(HTMLParser):
    """Names of the fields of `<form method="get">` and of the parameters of relative `?…` links."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.in_get_form = 0

    def add(self, name: str | None) -> None:
        if name and name not in self.names and name != "csrfmiddlewaretoken":
            self.names.append(name)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.in_get_form += (a.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea", "button") and self.in_get_form:
            self.add(a.get("name"))
        if tag == "a" and (a.get("href") or "").startswith("?"):
            for name, _value in parse_qsl(urlsplit(a["href"] or "").query, keep_blank_values=True):
                self.add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_get_form:
            self.in_get_form -= 1


def get(client: Client, url: str, params: list[tuple[str, str]]) -> str | None:
    """None when the page answers below 500, else what went wrong."""
    with transaction.atomic():
        try:
            r = client.get(f"{url}?{urlencode(params)}")
        except Exception as exc:  # noqa: BLE001 - the test client re-raises the view's exception, whatever it is
            return f"{type(exc).__name__}: {str(exc)[:200]}"
        finally:
            transaction.set_rollback(True)
    return None if r.status_code < 500 else f"HTTP {r.status_code}"


@pytest.mark.parametrize("name", pages())
def test_page_survives_odd_query_parameters(town: Any, name: str) -> None:
    fuzzing.populate(town)
    client = town.client_for("admin")
    url = reverse(name)
    first = client.get(url)
    assert first.status_code < 500
    parser = GetParameters()
    if first.get("Content-Type", "").startswith("text/html"):
        parser.feed(first.content.decode(errors="replace"))
    names = parser.names + [n for n in ALWAYS if n not in parser.names]

    failures: dict[tuple[str, str], str] = {}
    for param in names:
        for value in ODD:
            problem = get(client, url, [(param, value)])
            if problem:
                failures[(param, value[:20])] = problem

    @settings(
        max_examples=fuzzing.examples() * 2,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(st.tuples(st.sampled_from(names), st.one_of(st.sampled_from(ODD), st.text())), max_size=8))
    def combined(params: list[tuple[str, str]]) -> None:
        problem = get(client, url, params)
        if problem:
            failures[(repr([(n, v[:20]) for n, v in params]), "")] = problem

    combined()
    assert not failures, f"{url}: " + "; ".join(f"{k[0]}={k[1]!r} → {v}" for k, v in failures.items())
