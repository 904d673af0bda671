"""The measures of source governance for any node and period (小事不出湾率, 大事不出村率 …),
with the matters behind every number, the node's children side by side, two charts and an
.xlsx export. Thin: the numbers come from `selectors.measures` and friends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.models import User
from hongniudai.accounts.pages import export_response
from hongniudai.common import parsing
from hongniudai.common.pagination import CappedPaginator
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column, wants_xlsx
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode

from . import selectors
from .models import LADDER, Level, Matter

PAGE_SIZE = 50
DEFAULT_PRESET = "12m"
PRESETS: dict[str, Any] = {
    "month": gettext_lazy("本月"),
    "quarter": gettext_lazy("本季度"),
    "year": gettext_lazy("本年"),
    "12m": gettext_lazy("近12个月"),
}
MEASURE_LABELS: dict[str, Any] = {
    "reported": gettext_lazy("上报事项"),
    "settled": gettext_lazy("办结事项"),
    "open": gettext_lazy("未办结事项"),
    "overdue": gettext_lazy("超时事项"),
    "settled_hamlet": gettext_lazy("在湾组化解的事项(小事不出湾)"),
    "settled_village": gettext_lazy("在村及以下化解的事项(大事不出村)"),
    "rated": gettext_lazy("已回访评价的办结事项"),
    "repeat": gettext_lazy("重复事项"),
    f"{selectors.SETTLED_AT}{Level.HAMLET}": gettext_lazy("在湾组化解的事项"),
    f"{selectors.SETTLED_AT}{Level.GRID}": gettext_lazy("在村组(网格)化解的事项"),
    f"{selectors.SETTLED_AT}{Level.VILLAGE}": gettext_lazy("在村级化解的事项"),
    f"{selectors.SETTLED_AT}{Level.TOWN}": gettext_lazy("在镇级化解的事项"),
}


# ---- the period and the node --------------------------------------------------------------


@dataclass
class Period:
    start: dt.date
    end: dt.date
    preset: str  # "" for a custom range
    error: str = ""

    @property
    def params(self) -> dict[str, str]:
        """The query parameters that name this period again."""
        if self.preset:
            return {"period": self.preset}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _preset_start(preset: str, today: dt.date) -> dt.date:
    if preset == "month":
        return today.replace(day=1)
    if preset == "quarter":
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    if preset == "year":
        return today.replace(month=1, day=1)
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


def parse_period(request: AuthedHttpRequest) -> Period:
    """A preset (本月, 本季度, 本年, 近12个月) or a from/to range; bad input falls back to the
    default preset with a message, never an error page."""
    today = timezone.localdate()
    raw_from = (request.GET.get("from") or "").strip()[:20]
    raw_to = (request.GET.get("to") or "").strip()[:20]
    error = ""
    if raw_from or raw_to:
        start = parsing.parse_date(raw_from) if raw_from else None
        end = parsing.parse_date(raw_to) if raw_to else today
        if (raw_from and start is None) or end is None:
            error = _("日期格式应为“年-月-日”,在 1900-01-01 至 2100-12-31 之间,例如 2026-01-31。")
        else:
            start = start or end.replace(month=1, day=1)
            errors = parsing.period_errors(start, end)
            if errors:
                error = errors[0]
            else:
                return Period(start=start, end=end, preset="")
    preset = request.GET.get("period") or DEFAULT_PRESET
    if preset not in PRESETS:
        error = error or _("未知的统计时段,已按“近12个月”统计。")
        preset = DEFAULT_PRESET
    return Period(start=_preset_start(preset, today), end=today, preset=preset, error=error)


def _node(request: AuthedHttpRequest) -> tuple[AreaNode | None, list[AreaNode]]:
    """The node asked for (404 when out of scope), else the user's root area; and the roots."""
    roots = place_selectors.area_roots(request.user)
    node = place_selectors.area_get_optional(request.user, request.GET.get("area"))
    if node is None and len(roots) == 1:
        node = roots[0]
    return node, roots


# ---- formatting ---------------------------------------------------------------------------


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def matter_url(pk: int) -> str:
    try:
        return reverse("governance:matter_detail", args=[pk])
    except NoReverseMatch:
        return f"/matters/{pk}/"


def _query(node: AreaNode | None, period: Period, **extra: Any) -> str:
    params: dict[str, Any] = {}
    if node is not None:
        params["area"] = node.pk
    params.update(period.params)
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def _crumbs(user: User, node: AreaNode | None, period: Period) -> list[tuple[str, str]]:
    """(name, measures-page link) for each visible ancestor of the node."""
    if node is None:
        return []
    page = reverse("governance:measures")
    return [(a.name, f"{page}?{_query(a, period)}") for a in place_selectors.area_ancestors(user, node)]


def _cards(m: selectors.Measures, node: AreaNode | None, period: Period) -> list[dict[str, Any]]:
    drill = reverse("governance:measures_drill")

    def link(measure: str) -> str:
        return f"{drill}?{_query(node, period, measure=measure)}"

    cards: list[dict[str, Any]] = [
        {"label": _("上报"), "value": m.reported, "unit": _("件"), "url": link("reported")},
        {"label": _("办结"), "value": m.settled, "unit": _("件"), "url": link("settled")},
        {"label": _("未办结"), "value": m.open, "unit": _("件"), "url": link("open"), "hint": _("截至期末")},
        {
            "label": _("超时"),
            "value": m.overdue,
            "unit": _("件"),
            "url": link("overdue"),
            "hint": _("当前仍超时未办"),
            "alert": m.overdue > 0,
        },
        {
            "label": _("小事不出湾率"),
            "value": pct(m.hamlet_rate),
            "url": link("settled_hamlet"),
            "hint": _("湾组化解 %(a)s / 办结 %(b)s") % {"a": m.settled_hamlet, "b": m.settled},
        },
        {
            "label": _("大事不出村率"),
            "value": pct(m.village_rate),
            "url": link("settled_village"),
            "hint": _("村及以下化解 %(a)s / 办结 %(b)s") % {"a": m.settled_village_or_below, "b": m.settled},
        },
        {"label": _("平均办结用时"), "value": days(m.mean_days), "unit": _("天"), "url": link("settled")},
        {"label": _("90%办结用时"), "value": days(m.p90_days), "unit": _("天"), "url": link("settled")},
        {
            "label": _("满意度"),
            "value": score(m.satisfaction),
            "unit": "/ 5" if m.satisfaction is not None else "",
            "url": link("rated"),
            "hint": _("回访 %(n)s 件") % {"n": m.follow_ups},
        },
        {"label": _("重复事项"), "value": m.repeat_matters, "unit": _("件"), "url": link("repeat")},
    ]
    for card in cards:
        if card["value"] == "—":
            card["unit"] = ""
    return cards


def _row(m: selectors.Measures, period: Period, *, label: str = "") -> dict[str, Any]:
    """One line of the per-child table: formatted values and their drill-down links (the node's
    and period's query encoded once for its eleven links, not once per link)."""
    node = m.node
    query = _query(node, period)
    drill = f"{reverse('governance:measures_drill')}?{query}&measure="

    def link(measure: str) -> str:  # as _query(node, period, measure=measure): the measure comes last
        return drill + quote_plus(measure)

    return {
        "node": node,
        "label": label or (node.name if node else _("全部")),
        "page": f"{reverse('governance:measures')}?{query}",
        "kind": str(node.kind_label) if node else "",
        "measures": m,
        "cells": [
            (m.reported, link("reported")),
            (m.settled, link("settled")),
            (m.open, link("open")),
            (m.overdue, link("overdue")),
            (pct(m.hamlet_rate), link("settled_hamlet")),
            (pct(m.village_rate), link("settled_village")),
            (days(m.mean_days), link("settled")),
            (days(m.p90_days), link("settled")),
            (score(m.satisfaction), link("rated")),
            (m.repeat_matters, link("repeat")),
        ],
    }


TABLE_HEADERS = (
    gettext_lazy("上报"),
    gettext_lazy("办结"),
    gettext_lazy("未办结"),
    gettext_lazy("超时"),
    gettext_lazy("小事不出湾率"),
    gettext_lazy("大事不出村率"),
    gettext_lazy("平均办结天数"),
    gettext_lazy("90%办结天数"),
    gettext_lazy("满意度"),
    gettext_lazy("重复事项"),
)


def _cell(i: int) -> Any:
    def value(row: dict[str, Any]) -> Any:
        return row["cells"][i][0]

    return value


def _table_columns() -> list[Column]:
    columns = [Column(_("地区"), lambda r: r["label"], 24)]
    for i, header in enumerate(TABLE_HEADERS):
        columns.append(Column(str(header), _cell(i), 12))
    return columns


# ---- pages --------------------------------------------------------------------------------


def measures(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    node, roots = _node(request)
    period = parse_period(request)
    start, end = period.start, period.end
    if node is not None:
        total, children = selectors.measures_with_children(user, node=node, start=start, end=end)
    else:
        total = selectors.measures(user, node=node, start=start, end=end)
        children = [selectors.measures(user, node=root, start=start, end=end) for root in roots]
    rows = [_row(m, period) for m in children]
    total_row = _row(total, period, label=_("%(n)s(合计)") % {"n": node.name if node else _("全部")})
    if wants_xlsx(request):
        title = _("治理指标")
        name = node.name if node else _("全部")
        return export_response(
            request,
            filename=f"{title}-{name}-{start:%Y%m%d}-{end:%Y%m%d}",
            title=title,
            columns=_table_columns(),
            rows=[total_row, *rows],
            area_path=node.path if node else "",
        )
    months = selectors.monthly_counts(user, node, start, end)
    drill = reverse("governance:measures_drill")
    chart = {
        "levels": [str(Level(lvl).label) for lvl in LADDER],
        "settledByLevel": [total.by_level.get(lvl, 0) for lvl in LADDER],
        "levelLinks": [f"{drill}?{_query(node, period, measure=selectors.SETTLED_AT + lvl)}" for lvl in LADDER],
        "months": [mc.label for mc in months],
        "reported": [mc.reported for mc in months],
        "settled": [mc.settled for mc in months],
        "names": {"settled": _("办结"), "reported": _("上报")},
    }
    context = {
        "node": node,
        "crumbs": _crumbs(user, node, period),
        "period": period,
        "presets": PRESETS,
        "cards": _cards(total, node, period),
        "rows": rows,
        "rows_html": render_rows("governance/_measures_rows.jinja", rows, title=_("查看该地区的指标")),
        "total_row": total_row,
        "headers": TABLE_HEADERS,
        "chart": chart,
        "node_query": _query(node, period),
        "area_param": node.pk if node is not None else "",
    }
    return render(request, "governance/measures.html", context)


def _place_label(m: Matter) -> str:
    place = m.place
    return f"{place.parent.name} {place.name}" if place.parent_id and place.parent else place.name


def measures_drill(request: AuthedHttpRequest) -> HttpResponseBase:
    """The matters behind one number of the measures page."""
    user = request.user
    node, _roots = _node(request)
    period = parse_period(request)
    measure = (request.GET.get("measure") or "reported").strip()[:40]
    error = period.error
    if measure not in MEASURE_LABELS:
        error = _("未知的指标“%(m)s”。") % {"m": measure}
        qs = selectors.matters(user).none()
    else:
        qs = selectors.matters_behind(user, node=node, start=period.start, end=period.end, measure=measure)
    if wants_xlsx(request):
        columns = [
            Column(_("编号"), lambda m: m.number, 14, text=True),
            Column(_("标题"), lambda m: m.title, 30),
            Column(_("类别"), lambda m: m.category.name, 14),
            Column(_("发生地"), _place_label, 20),
            Column(_("当前办理单位"), lambda m: m.area.name, 16),
            Column(_("当前层级"), lambda m: m.get_level_display(), 10),
            Column(_("状态"), lambda m: m.get_status_display(), 10),
            Column(_("上报时间"), lambda m: m.reported_at, 18),
            Column(_("办结时间"), lambda m: m.resolved_at, 18),
            Column(_("化解层级"), lambda m: m.get_resolved_level_display() if m.resolved_level else "", 10),
            Column(_("办理结果"), lambda m: m.get_outcome_display() if m.outcome else "", 14),
            Column(_("满意度"), lambda m: m.satisfaction, 8),
        ]
        label = str(MEASURE_LABELS.get(measure, _("事项")))
        name = node.name if node else _("全部")
        return export_response(
            request,
            filename=f"{label}-{name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
            title=label,
            columns=columns,
            rows=qs,
            chunk_size=500,
            area_path=node.path if node else "",
        )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"matter": m, "url": matter_url(m.pk), "place": _place_label(m)} for m in page.object_list]
    context = {
        "node": node,
        "crumbs": _crumbs(user, node, period),
        "period": period,
        "measure": measure,
        "measure_label": MEASURE_LABELS.get(measure, ""),
        "measures_list": [(k, v) for k, v in MEASURE_LABELS.items() if not k.startswith(selectors.SETTLED_AT)],
        "error": error,
        "page": page,
        "rows": rows,
        "back": f"{reverse('governance:measures')}?{_query(node, period)}",
        "area_param": node.pk if node is not None else "",
    }
    return render(request, "governance/measures_drill.html", context)
