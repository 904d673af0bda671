"""Template filters used everywhere (loaded as builtins)."""

from __future__ import annotations

from django import template
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
