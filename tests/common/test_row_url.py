"""`{% row_url %}`: the same URL as `{% url %}` for a row's id, reversed once per name."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix


@pytest.mark.parametrize("name", ["places:resident_detail", "governance:matter_detail", "users:role_end"])
@pytest.mark.parametrize("pk", [1, 42, 987654])
def test_the_same_url_as_url_for_any_id(name, pk):
    rendered = Template("{% row_url name pk %}").render(Context({"name": name, "pk": pk}))
    assert rendered == reverse(name, args=[pk])


def test_the_script_prefix_is_kept():
    try:
        set_script_prefix("/town/")
        assert Template("{% row_url 'places:resident_detail' 7 %}").render(Context()) == "/town/places/residents/7/"
    finally:
        set_script_prefix("/")
    assert Template("{% row_url 'places:resident_detail' 7 %}").render(Context()) == "/places/residents/7/"


def test_an_unknown_name_fails_like_url():
    with pytest.raises(NoReverseMatch):
        Template("{% row_url 'places:nothing' 7 %}").render(Context())
