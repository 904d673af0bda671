"""The reads of the administrator's pages: the working calendar, the categories with their
extra questions, and the Open311 api keys."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.places.models import AreaKind, AreaNode

from ..calendar import official_working
from ..models import CalendarDay, Category, CategoryAttribute, Open311Key


def categories(*, active_only: bool = True) -> QuerySet[Category]:
    """The categories with their extra questions (every user may read them): the active ones, or all."""
    qs = Category.objects.prefetch_related("attributes")
    return qs.filter(is_active=True) if active_only else qs


def calendar_corrections(user: User, *, start: dt.date, end: dt.date) -> dict[dt.date, CalendarDay]:
    """The administrator's corrections of the working calendar between two dates, by date."""
    return {d.date: d for d in CalendarDay.objects.filter(date__gte=start, date__lte=end)}


def calendar_day(user: User, *, day: dt.date) -> tuple[CalendarDay | None, bool]:
    """The administrator's correction of `day` (None when there is none) and whether it is a working day."""
    correction = calendar_corrections(user, start=day, end=day).get(day)
    return correction, correction.is_working if correction is not None else official_working(day)


class CalendarCell(TypedDict):
    date: dt.date
    in_month: bool
    today: bool
    official: bool  # a working day by the official calendar
    working: bool  # a working day once corrected
    correction: CalendarDay | None


@dataclass
class CalendarMonth:
    """A month of the working calendar as the page shows it: whole weeks from Monday to Sunday."""

    first: dt.date
    weeks: list[list[CalendarCell]]
    prev_month: dt.date
    next_month: dt.date
    month_corrections: list[CalendarDay]  # the corrections within the month itself
    selected_correction: CalendarDay | None  # the correction of the selected day, wherever it is


def calendar_month(user: User, *, first: dt.date, today: dt.date, selected: dt.date | None) -> CalendarMonth:
    """The month starting on `first`, each day official and corrected; `selected` is the day being edited."""
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    grid_start = first - dt.timedelta(days=first.weekday())
    grid_end = last + dt.timedelta(days=6 - last.weekday())
    corrections = calendar_corrections(user, start=grid_start, end=grid_end)
    weeks: list[list[CalendarCell]] = []
    day = grid_start
    while day <= grid_end:
        week: list[CalendarCell] = []
        for _i in range(7):
            correction = corrections.get(day)
            official = official_working(day)
            week.append(
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "today": day == today,
                    "official": official,
                    "working": correction.is_working if correction is not None else official,
                    "correction": correction,
                }
            )
            day += dt.timedelta(days=1)
        weeks.append(week)
    if selected is not None and selected not in corrections:
        selected_correction = calendar_corrections(user, start=selected, end=selected).get(selected)
    else:
        selected_correction = corrections.get(selected) if selected else None
    return CalendarMonth(
        first=first,
        weeks=weeks,
        prev_month=(first - dt.timedelta(days=1)).replace(day=1),
        next_month=last + dt.timedelta(days=1),
        month_corrections=[c for c in corrections.values() if c.date.month == first.month],
        selected_correction=selected_correction,
    )


def category_get(user: User, pk: int) -> Category:
    """One category with its extra questions, for the administrator's page (404 when missing)."""
    return get_object_or_404(Category.objects.prefetch_related("attributes"), pk=pk)


def category_attribute_get(user: User, pk: int) -> CategoryAttribute:
    """One extra question of a category, for the administrator's page (404 when missing)."""
    return get_object_or_404(CategoryAttribute.objects.select_related("category"), pk=pk)


def open311_keys(user: User) -> QuerySet[Open311Key]:
    """The Open311 api keys of the areas where the user may edit places."""
    qs = Open311Key.objects.select_related("area", "issued_by").order_by("-is_active", "-issued_at", "-id")
    return scope_for(user, Capability.EDIT_PLACES).filter(qs)


def open311_key_get(user: User, pk: int) -> Open311Key:
    return get_scoped_or_404(user, Open311Key.objects.select_related("area"), pk=pk)


def open311_key_areas(user: User) -> QuerySet[AreaNode]:
    """Areas an Open311 key may be issued for: county, town, district or village nodes where the
    user may edit places."""
    kinds = (AreaKind.COUNTY, AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.VILLAGE)
    qs = AreaNode.objects.filter(kind__in=kinds).order_by("path")
    return scope_for(user, Capability.EDIT_PLACES).filter(qs)
