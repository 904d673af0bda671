"""Search-and-pick for tree nodes: a filter or a form names one area or organisation without shipping
the tree. The user types a name, its pinyin or initials (or walks the tree a level at a time); an
HTMX request fetches at most `PICK_LIMIT` matches from a scoped selector of the package that owns the
tree; picking one fills a hidden input with its id. One widget, one result list, one script
(`static/js/pick.js`) for every picker.

A package offers a picker by
- a selector that returns the matching nodes of the user's scope (`matching`, `children`, `roots`
  below give the queries), turned into rows with `rows_for` (labels from one query of ancestors);
- a view returning `results_response(request, rows, ...)` (`search_view` makes it for a model that
  is no tree: a policy check, a scoped selector and a label);
- `PickWidget(url_name=...)` on a form's ModelChoiceField (its queryset, the scoped nodes, still
  validates the id sent), or `pick_context(...)` for a hand-written filter form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from . import parsing
from .pinyin import typed
from .tree import chains

PICK_LIMIT = 20
QUERY_MAX = 30


@dataclass(frozen=True)
class PickRow:
    pk: int
    label: str
    expandable: bool


def query_of(request: HttpRequest) -> str:
    """The text typed in a picker: its input is named `<field>__q` (so that it never collides with
    the page's own parameters); `q` also works."""
    for key in request.GET:
        if key.endswith("__q"):
            return str(request.GET.get(key, "")).strip()[:QUERY_MAX]
    return str(request.GET.get("q", "")).strip()[:QUERY_MAX]


def matching(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """The nodes whose name contains `text`, or whose pinyin or initials start with it; highest first."""
    text = text.strip()[:QUERY_MAX]
    key = typed(text)
    condition = Q(name__contains=text)
    if key:
        condition |= Q(search_key__startswith=key) | Q(search_key__contains=f" {key}")
    return queryset.filter(condition).order_by("depth", "path")


def rows_for(
    nodes: Sequence[Any],
    *,
    top_depth: int = 1,
    leaf: Iterable[str] = (),
    hide: Iterable[str] = (),
    limit: int = PICK_LIMIT,
) -> tuple[list[PickRow], bool]:
    """Rows for the result list: each node labelled with its names from `top_depth` down
    (东片区 › 徐桥村 › 5组; a node above `top_depth`, by its name), from one query of the
    ancestors; whether there were more than `limit`.
    Nodes whose kind is in `leaf` cannot be walked into; ancestors whose kind is in `hide` are left
    out of the labels (a county above the towns)."""
    more = len(nodes) > limit
    nodes = list(nodes[:limit])
    if not nodes:
        return [], more
    hidden, leaves = set(hide), set(leaf)
    along = chains(nodes)
    rows = []
    for node in nodes:
        shown = [name for _pk, name, kind in along[node.pk][max(top_depth, 1) - 1 :] if kind not in hidden]
        label = " › ".join(shown or [node.name])
        rows.append(PickRow(node.pk, label, getattr(node, "kind", "") not in leaves))
    return rows, more


def pick_nodes(
    visible: QuerySet[Any], *, q: str, parent: Any, roots: QuerySet[Any], top_depth: int, leaf: Iterable[str] = ()
) -> tuple[list[PickRow], bool, Any]:
    """A picker's answer over the `visible` nodes of one tree: the children of `parent` when it is
    visible, else the nodes matching `q`, else the `roots`; (rows, more, the parent shown)."""
    parent_id = parsing.parse_id(parent)
    above = visible.filter(pk=parent_id).first() if parent_id is not None else None
    if above is not None:
        nodes = visible.filter(parent=above).order_by("sort_order", "path")
    elif q and "›" not in q:  # a label put back in the box is no search
        nodes = matching(visible, q)
    else:
        nodes = roots.order_by("path")
    found = list(nodes.only("id", "name", "kind", "path", "depth")[: PICK_LIMIT + 1])
    rows, more = rows_for(found, top_depth=top_depth, leaf=leaf)
    return rows, more, above


def label_of(node: Any, *, top_depth: int = 1) -> str:
    """The label of one chosen node, as in the result list."""
    if node is None:
        return ""
    rows, _more = rows_for([node], top_depth=top_depth)
    return rows[0].label


def results_response(
    request: HttpRequest, rows: list[PickRow], *, more: bool = False, parent: Any = None, empty_label: str = ""
) -> HttpResponse:
    """The result list of a picker (the HTMX fragment its input fetches)."""
    context = {
        "rows": rows,
        "more": more,
        "parent": parent,
        "url": request.path,
        "empty_label": empty_label,
        "limit": PICK_LIMIT,
    }
    return render(request, "common/pick_results.html", context)


def pick_context(
    *, name: str, url: str, value: Any = None, label: str = "", placeholder: str = "", aria_label: str = ""
) -> dict[str, Any]:
    """What `common/pick.html` renders: the hidden id, the text box and the list it fills."""
    return {
        "name": name,
        "value": "" if value is None else value,
        "url": url,
        "label": label,
        "placeholder": placeholder,
        "aria_label": aria_label or placeholder,
    }


class PickWidget(forms.Widget):
    """A ModelChoiceField's widget that picks by search instead of listing every choice: only the
    chosen node is read (one query, and one for its label's ancestors)."""

    template_name = "common/pick.html"

    def __init__(self, *, url_name: str, placeholder: str = "", top_depth: int = 1, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        self.placeholder = placeholder
        self.top_depth = top_depth
        self.choices: Any = ()
        # The chosen row when the form has already read it (it is not read again to be labelled).
        self.known: Any = None

    def chosen(self, value: Any) -> Any:
        queryset = getattr(self.choices, "queryset", None)
        if value in (None, "") or queryset is None:
            return None
        if self.known is not None and str(value) == str(self.known.pk):
            return self.known
        try:
            return queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError, OverflowError):
            return None

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        node = self.chosen(value)
        context["pick"] = pick_context(
            name=name,
            url=reverse(self.url_name),
            value=node.pk if node is not None else "",
            label=label_of(node, top_depth=self.top_depth),
            placeholder=self.placeholder,
        )
        context["pick"]["id"] = context["widget"]["attrs"].get("id", "")
        return context

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        """Rendered with the project's templates (the form renderer only looks in the apps')."""
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class LabelledPickWidget(PickWidget):
    """A picker over a model that is no tree (households, residents, enterprises): the chosen row is
    labelled by `label(row)`, as the endpoint labels its matches."""

    def __init__(
        self, *, url_name: str, label: Callable[[Any], str], placeholder: str = "", aria_label: str = ""
    ) -> None:
        super().__init__(url_name=url_name, placeholder=placeholder)
        self.label = label
        self.aria_label = aria_label

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)
        row = self.chosen(value)
        context["pick"] = pick_context(
            name=name,
            url=reverse(self.url_name),
            value=row.pk if row is not None else "",
            label=self.label(row) if row is not None else "",
            placeholder=self.placeholder,
            aria_label=self.aria_label,
        )
        context["pick"]["id"] = context["widget"]["attrs"].get("id", "")
        return context


class MultiPickWidget(PickWidget):
    """A ModelMultipleChoiceField's picker (a route's grids, a campaign's villages): each node picked
    joins the chosen list as a ticked box with its label (untick to drop it); only the chosen nodes
    are read (one query, and one for their labels' ancestors), never every choice."""

    template_name = "common/pick_many.html"
    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter is not None else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an empty list is a choice: none

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, None, attrs)
        queryset = getattr(self.choices, "queryset", None)
        values = value if isinstance(value, list | tuple) else [value]
        ids = [pk for pk in (parsing.parse_id(getattr(v, "pk", v)) for v in values) if pk is not None]
        nodes = list(queryset.filter(pk__in=ids).order_by("path")) if queryset is not None and ids else []
        rows, _more = rows_for(nodes, top_depth=self.top_depth, limit=max(len(nodes), 1))
        context["pick"] = pick_context(name=name, url=reverse(self.url_name), placeholder=self.placeholder)
        context["pick"]["id"] = context["widget"]["attrs"].get("id", "")
        context["pick"]["chosen"] = rows
        return context


def rows_of(
    found: Sequence[Any], label: Callable[[Any], str], *, limit: int = PICK_LIMIT
) -> tuple[list[PickRow], bool]:
    """Rows for a picker over a model that is no tree: (the first `limit` labelled, whether more)."""
    return [PickRow(row.pk, label(row), False) for row in found[:limit]], len(found) > limit


def search_view(
    select: Callable[..., Sequence[Any]],
    label: Callable[[Any], str],
    *,
    require: Callable[[Any], object] | None = None,
    doc: str = "",
) -> Callable[[HttpRequest], HttpResponse]:
    """The result-list view of a picker over a model that is no tree: `require(user)` (a policy
    check that raises), then `select(user, q=...)` (a scoped selector answering at most
    `PICK_LIMIT` + 1 rows), each labelled by `label(row)`."""

    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        if require is not None:
            require(request.user)
        found = select(request.user, q=query_of(request))
        rows, more = rows_of(found, label)
        return results_response(request, rows, more=more)

    view.__doc__ = doc or select.__doc__
    return view


def attach(field: forms.ModelChoiceField, widget: PickWidget) -> None:
    """Give `field` the picker `widget`, which reads the chosen row through the field's queryset
    (a widget assigned after the queryset would not know it)."""
    field.widget = widget
    widget.choices = field.choices
