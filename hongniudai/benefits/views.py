"""Pages of 利益联结: a village's year (what reached each household, Excel export), a household's
year (each amount with its event and voucher) and the yearly statement a household can be handed.
Thin: the selectors read within the user's ECONOMY_VIEW scope (404 outside it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import export_or_none
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.common.pagination import page_of
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column, wants_xlsx
from hongniudai.places import pickers
from hongniudai.places import selectors as places_selectors
from hongniudai.places.models import AreaNode

from . import rows as rows_of
from . import selectors
from .selectors import SOURCES


def _year(request: AuthedHttpRequest) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return timezone.localdate().year
    year = selectors.valid_year(raw)
    if year is None:
        raise Http404(_("年度不正确。"))
    return year


def _village(request: AuthedHttpRequest) -> AreaNode | None:
    """The village chosen by the area picker (the area itself, the village it lies in or the first
    below it); with no choice, the user's first village."""
    area = places_selectors.area_get_optional(request.user, request.GET.get("area"))
    return selectors.village_at(request.user, area)


def _columns() -> list[Column]:
    columns = [
        Column(_("湾组"), lambda r: r.household.hamlet.name, width=12),
        Column(_("户主"), lambda r: r.household.head.name if r.household.head_id else "", width=10),
        Column(_("住址"), lambda r: r.household.address, width=20),
        Column(_("脱贫户"), lambda r: r.household.is_formerly_poor, width=8),
        Column(_("监测户"), lambda r: r.household.is_monitored, width=8),
    ]
    for key, label in SOURCES:
        columns.append(Column(str(label), _getter(key), width=12))
    columns.append(Column(_("合计(元)"), lambda r: r.totals.total, width=12))
    return columns


def _getter(key: str) -> Any:
    return lambda r: getattr(r.totals, key)


PER_PAGE = 50  # households per page of a village's year (its totals are over all of them)


@require_GET
def village_year(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    if scope_for(user, Capability.ECONOMY_VIEW).is_empty:
        raise PermissionDenied(_("您没有查看集体经济的权限。"))
    year = _year(request)
    village = _village(request)
    report = selectors.village_year(user, village, year) if village is not None else None
    if village is not None and report is not None and wants_xlsx(request):
        title = _("%(village)s%(year)s年利益联结") % {"village": village.name, "year": year}
        export = export_or_none(request, filename=title, title=title, columns=_columns(), rows=report.rows())
        if export is not None:
            return export
    page = rows = None
    if report is not None:
        households = report.households.values(*rows_of.VILLAGE_ROW_FIELDS)
        page = page_of(request, households, PER_PAGE, total=report.count)
        cells = rows_of.village_rows(page.object_list, year)
        rows = render_rows("benefits/_village_rows.jinja", cells, poor=_("脱贫户"), monitored=_("监测户"))
    context = {
        "page": page,
        "rows": rows,
        "report": report,
        "village": village,
        "year": year,
        "years": selectors.recent_years(timezone.localdate()),
        "sources": SOURCES,
        "area_pick": pickers.area_filter(user, village, placeholder=_("选择村:输入名称或拼音")),
    }
    return render(request, "benefits/village_year.html", context)


@require_GET
def household_year(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk)
    year = _year(request)
    report = selectors.household_year(request.user, household, year)
    context = {
        "report": report,
        "household": household,
        "year": year,
        "years": selectors.recent_years(timezone.localdate()),
        "sources": SOURCES,
    }
    return render(request, "benefits/household_year.html", context)


@require_GET
def household_statement(request: AuthedHttpRequest, pk: int, year: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk)
    if selectors.valid_year(year) is None:
        raise Http404(_("年度不正确。"))
    report = selectors.household_year(request.user, household, year)
    context = {"report": report, "household": household, "year": year, "printed_on": dt.date.today()}
    return render(request, "benefits/statement.html", context)
