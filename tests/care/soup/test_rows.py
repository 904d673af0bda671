"""The soup's list pages show each row's cells (rendered from values by the rows' Jinja
templates): the name linking to the review, the status's label, a round's date and figures."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hongniudai.care.soup.models import SoupRecipient, SoupRound

from .conftest import SoupTown
from .test_queries import _grow

pytestmark = pytest.mark.django_db


def test_the_recipients_list_shows_each_ones_cells(soup: SoupTown) -> None:
    _grow(soup, 1, start=0)
    client = Client()
    client.force_login(soup.hmf)
    body = client.get(reverse("soup:recipient_list")).content.decode()
    r = SoupRecipient.objects.select_related("resident", "village", "hamlet").get(resident__name="老人0")
    url = reverse("soup:review", args=[r.village_id])
    assert f'<a href="{url}#recipient-{r.pk}">老人0</a>' in body
    assert f"<td>{r.village.name}</td><td>{r.hamlet.name}</td>" in body
    assert f'<td class="small">{r.reasons}</td>' in body and f"<td>{r.get_status_display()}</td>" in body


def test_the_rounds_list_shows_each_ones_date_and_figures(soup: SoupTown) -> None:
    _grow(soup, 1, start=0)
    client = Client()
    client.force_login(soup.hmf)
    body = client.get(reverse("soup:round_list")).content.decode()
    rnd = SoupRound.objects.order_by("-date").first()
    assert rnd is not None
    url = reverse("soup:round_detail", args=[rnd.pk])
    assert f'<a href="{url}">{rnd.date:%Y-%m-%d}</a>' in body
    n = rnd.visits.count()
    assert n > 0 and f'<td class="text-end">{n}</td>' in body
