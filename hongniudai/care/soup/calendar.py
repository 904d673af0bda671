"""The soup calendar (逢九送汤): a round falls on the 9th, 19th and 29th of every month. In a
February without a 29th the town chooses (`FebruaryRule`): no third round, the 28th instead, or
1 March instead. A pure function of the date and the rule, so that it is tested for every case."""

from __future__ import annotations

import calendar
import datetime as dt

from .models import FebruaryRule

SOUP_DAYS = (9, 19, 29)
DEFAULT_FEBRUARY_RULE = FebruaryRule.FEB_28  # the elderly are not skipped, and it stays in February


def is_round_day(day: dt.date, february_rule: str = DEFAULT_FEBRUARY_RULE) -> bool:
    """Whether `day` is a soup day under `february_rule`."""
    if day.day in SOUP_DAYS:
        return True
    short_february = not calendar.isleap(day.year)
    if not short_february:
        return False
    if february_rule == FebruaryRule.FEB_28:
        return day.month == 2 and day.day == 28
    if february_rule == FebruaryRule.MARCH_1:
        return day.month == 3 and day.day == 1
    return False
