"""The watch's forms pick areas and people by search: however many villages and grids a county has,
a rota's route, a campaign's villages, a duty's or a point's grid, a camera's grid and a team's new
member are no lists of every one; what is picked still saves, and what lies outside is refused."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from hongniudai.places.models import AreaKind
from hongniudai.watch.patrols import services
from hongniudai.watch.patrols.models import Campaign, PatrolShift
from tests import factories as f

from .conftest import at

MANY = 12


@pytest.fixture
def county(pt: Any) -> Any:
    """`MANY` more villages of two grids each, and a flood patrol over the whole district."""
    pt.more = []
    for i in range(MANY):
        village = f.area(pt.district, f"新村{i}", AreaKind.VILLAGE)
        pt.more += [village, f.area(village, "1组", AreaKind.GRID), f.area(village, "2组", AreaKind.GRID)]
    with time_machine.travel(at(dt.date(2026, 5, 20), 9), tick=False):
        pt.flood = services.campaign_set_up(
            actor=pt.users["admin"],
            area=pt.town,
            areas=[v for v in pt.more if v.kind == AreaKind.VILLAGE],
            kind="flood",
            name="2026年汛期巡查",
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2026, 8, 31),
        )
        for grid in pt.more[1::3][:4]:
            services.point_add(
                actor=pt.users["admin"],
                campaign=pt.flood,
                grid=grid,
                kind="danger_spot",
                name="险情点",
                lat=30.4,
                lng=114.9,
            )
    return pt


def _options(page: str) -> int:
    """How many choices the page ships: options and boxes with a record's id."""
    return len(re.findall(r'<option value="\d+"', page)) + len(re.findall(r'type="checkbox"[^>]*value="\d+"', page))


def test_the_watch_forms_ship_a_handful_of_choices_however_many_villages(county: Any) -> None:
    admin = county.client_for("admin")
    pages = [
        reverse("patrols:rota_generate", args=[county.team.pk]),
        reverse("patrols:campaign_create"),
        reverse("patrols:duty_create", args=[county.flood.pk]),
        reverse("patrols:point_create", args=[county.flood.pk]),
        reverse("patrols:member_add", args=[county.team.pk]),
        reverse("cameras:camera_create"),
    ]
    for url in pages:
        response = admin.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert _options(page) <= 7, url  # the seven weekdays of a rota at most
        assert "新村5" not in page and "黄文华" not in page, url
        assert "data-pick" in page, url
    with time_machine.travel(at(dt.date(2026, 6, 2), 9), tick=False):
        page = admin.get(reverse("patrols:campaign_today", args=[county.flood.pk])).content.decode()
    assert _options(page) == 0 and "data-pick" in page  # the town's administrator picks the grid


def test_a_route_and_a_campaign_s_villages_are_picked_one_by_one_and_saved(county: Any) -> None:
    admin = county.client_for("admin")
    url = reverse("patrols:rota_generate", args=[county.team.pk])
    grids = [county.xuqiao.grid.pk, county.more[1].pk]
    data = {"month": "2026-11", "start": "20:00", "hours": "4", "weekdays": ["0"], "route": grids}
    # Something wrong: the page comes back with the picked grids still ticked, by their names.
    page = admin.post(url, {**data, "hours": "99"}).content.decode()
    for pk in grids:
        assert re.search(rf'name="route" value="{pk}" checked', page)
    assert "新村0 › 1组" in page and "新村1" not in page
    assert admin.post(url, data).status_code == 302
    shift = PatrolShift.objects.filter(team=county.team).first()
    assert shift is not None and {g.pk for g in shift.route.all()} == set(grids)
    # A grid outside the team's area, or no grid at all, is a message.
    county.other_town = f.area(county.county, "外镇", AreaKind.TOWN)
    district = f.area(county.other_town, "外片区", AreaKind.DISTRICT)
    outside = f.area(f.area(district, "外村", AreaKind.VILLAGE), "1组", AreaKind.GRID)
    page = admin.post(url, {**data, "route": [outside.pk]}).content.decode()
    assert "请选择范围内的网格" in page

    r = admin.post(
        reverse("patrols:campaign_create"),
        {
            "area": county.town.pk,
            "kind": "epidemic",
            "name": "防疫巡查",
            "starts_on": "2026-11-01",
            "ends_on": "2026-11-30",
            "deadline_hour": "18",
            "villages": [county.more[0].pk, county.xuqiao.grid.pk],
        },
    )
    assert r.status_code == 302
    campaign = Campaign.objects.get(name="防疫巡查")
    assert set(campaign.grids.values_list("grid", flat=True)) == {
        county.more[1].pk,
        county.more[2].pk,
        county.xuqiao.grid.pk,
    }


def test_a_duty_s_grid_is_picked_and_must_be_one_of_the_campaign(county: Any) -> None:
    admin = county.client_for("admin")
    url = reverse("patrols:duty_create", args=[county.flood.pk])
    data = {"date": "2026-06-02", "person_name": "李值班"}
    page = admin.post(url, {**data, "grid": county.xuqiao.grid.pk}).content.decode()  # not in the flood patrol
    assert "请选择范围内的网格" in page
    assert admin.post(url, {**data, "grid": county.more[4].pk}).status_code == 302
