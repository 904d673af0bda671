"""The rows of a list page, rendered by Jinja2 from rows prepared in Python.

A list page renders the same few cells for 30-50 rows. Django's template engine resolves every
`{{ row.field }}` through its lookup chain, localisation and escaping (about 10 µs each), so the
rows of a list cost more than everything else the page does: on the county, the residents' 50 rows
took 6.3 ms in Django's engine and 2.2 ms in Jinja2 from the same objects (see docs/bench/README.md).
The page itself (layout, filters, pagination) stays a Django template; only its `<tbody>` rows
come from a `*_rows.jinja` template next to it, rendered here from dicts whose values the view has
already prepared (labels translated, amounts formatted, URLs made): the row template only places and
escapes them, so it needs no translation, filter or tag of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jinja2
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from hongniudai.common.templatetags.hnd import row_url

ENGINE = "rows"


def environment(**options: Any) -> jinja2.Environment:
    """The Jinja2 environment of the row templates: autoescaped, and an undefined name is an error
    (a misspelt field must fail the page's tests, not print nothing)."""
    options["autoescape"] = True
    options["undefined"] = jinja2.StrictUndefined
    env = jinja2.Environment(**options)
    env.globals["row_url"] = row_url
    return env


def render_rows(template_name: str, rows: Iterable[Mapping[str, Any]], **context: Any) -> SafeString:
    """The HTML of `rows` through the row template `template_name` (escaped there)."""
    template = engines[ENGINE].get_template(template_name)
    return mark_safe(template.render({"rows": rows, **context}))
