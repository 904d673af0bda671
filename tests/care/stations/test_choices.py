"""The forms and filters offer the catalogue's items without counting each one's stations: the same
items, in the same order, as the catalogue lists."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniudai.care.stations import selectors
from hongniudai.care.stations.forms import RequestFilterForm, RequestForm


def _offered(field) -> list[tuple[int, str]]:
    return [(int(str(value)), label) for value, label in field.choices if value != ""]


def test_the_request_forms_offer_the_catalogue_without_counting_its_stations(town, stations):
    for username in ("admin", "xuqiao"):
        user = town.users[username]
        listed = [(i.pk, str(i)) for i in selectors.items(user)]
        active = [(i.pk, str(i)) for i in selectors.items(user, active=True)]
        for form, expected in ((RequestFilterForm(None, user=user), listed), (RequestForm(None, user=user), active)):
            with CaptureQueriesContext(connection) as ctx:
                offered = _offered(form.fields["item"])
            assert offered == expected and offered
            assert not any("care_servicestation_items" in q["sql"] for q in ctx.captured_queries)
