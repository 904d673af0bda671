"""Template filters and tags used everywhere (loaded as builtins)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from hongniudai.common.identity import mask_phone

register = template.Library()


@register.filter
def masked_phone(value: str | None) -> str:
    return mask_phone(value or "")


@register.filter
def yesno_zh(value: object) -> str:
    return _("是") if value else _("否")


@register.simple_tag(takes_context=True)
def url_replace(context: template.Context, **kwargs: object) -> str:
    """Current query string with some parameters replaced (pagination, export links)."""
    query = context["request"].GET.copy()
    for key, val in kwargs.items():
        if val in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(val)
    return query.urlencode()


# A number no record reaches, reversed in place of the id and then replaced by it.
_ROW_SENTINEL = 987654321987
_row_prefixes: dict[tuple[str, str, Any], tuple[str, str]] = {}


@register.simple_tag
def row_url(name: str, pk: int) -> str:
    """`{% url name pk %}` for the rows of a list: the URL is reversed once per name (and script
    prefix and URLconf) with a stand-in id, then each row's id is put in its place — a list of 30
    rows with two links each would otherwise reverse 60 times. Only for a URL with one integer
    argument."""
    key = (name, get_script_prefix(), get_urlconf())
    parts = _row_prefixes.get(key)
    if parts is None:
        head, _sep, tail = reverse(name, args=[_ROW_SENTINEL]).partition(str(_ROW_SENTINEL))
        parts = _row_prefixes[key] = (head, tail)
    return f"{parts[0]}{int(pk)}{parts[1]}"
