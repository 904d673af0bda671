"""A row's figures and dates (common.cells) read as Django's template engine wrote them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from hongniudai.common import cells

VALUES = [Decimal("12.50"), Decimal("0.00"), Decimal("-3.105"), Decimal("1234567.8"), Decimal("2.005"), 7, 0, None]


def _django(source: str, value) -> str:
    return Template(source).render(Context({"v": value}))


@pytest.mark.parametrize("value", VALUES)
def test_the_figures_read_as_the_template_engine_wrote_them(value):
    assert cells.figure(value) == _django("{{ v }}", value)
    assert cells.figure_or(value, "0") == _django('{{ v|default:"0" }}', value)
    assert cells.two_places(value) == _django("{{ v|floatformat:2 }}", value)


@pytest.mark.parametrize("value", [dt.date(2025, 3, 9), dt.date(1999, 12, 31), None])
def test_a_day_reads_as_the_date_filter_wrote_it(value):
    assert cells.day(value) == _django('{{ v|date:"Y-m-d" }}', value)


TEXTS = ["", "缺电", "场地平整" * 7 + "一二", "场地平整" * 7 + "一二三", "e\u0301" * 30, "Cafe\u0301 " * 8, "a" * 31]
TEXTS += ["秸秆" * 20, "秸秆" * 21, "a" * 41, "e\u0301" * 41, "Cafe\u0301 " * 9]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", [0, 1, 24, 30, 40])
def test_a_truncated_text_reads_as_truncator_wrote_it(text, length):
    from django.utils.text import Truncator

    assert cells.truncated(text, length) == Truncator(text).chars(length)
