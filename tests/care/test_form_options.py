"""Forms that scale at county size (issue 17): the forms and list filters of the service stations,
the soup rounds and the volunteers list no county's villages, stations, organisations, volunteers or
teams as <option>s: those are picked by search. A few dozen villages with a station, an
organisation, volunteers and a team each leave every page with a handful of options."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from hongniudai.care.soup.models import SoupRecipient
from hongniudai.care.stations.models import MassOrg, MassOrgKind, ServiceStation
from hongniudai.places.models import AreaKind
from hongniudai.volunteers.models import TaskKind, Volunteer, VolunteerTask, VolunteerTeam
from tests import factories as f

VILLAGES = 24
MAX_OPTIONS = 20  # fixed lists only (statuses, kinds, the town's catalogue): never one per village

PAGES = (
    "stations:station_list",
    "stations:station_create",
    "stations:request_list",
    "stations:request_create",
    "stations:measures",
    "stations:org_list",
    "stations:org_create",
    "stations:activity_list",
    "stations:activity_create",
    "soup:rule_list",
    "soup:rule_create",
    "soup:recipient_list",
    "soup:recipient_create",
    "soup:round_list",
    "volunteers:volunteer_list",
    "volunteers:volunteer_create",
    "volunteers:team_list",
    "volunteers:team_create",
    "volunteers:task_list",
    "volunteers:task_create",
    "volunteers:ranking",
)


def _county(town: Any) -> dict[str, Any]:
    """`VILLAGES` more villages, each with a hamlet, a station, a women's federation, three volunteers
    and a team; a town-level task and a town-level volunteer."""
    rows: dict[str, Any] = {"volunteers": [], "stations": [], "orgs": [], "teams": []}
    for i in range(VILLAGES):
        village = f.area(town.district, f"新村{i}", AreaKind.VILLAGE)
        hamlet = f.area(f.area(village, "1组", AreaKind.GRID), f"新湾{i}", AreaKind.HAMLET)
        rows["stations"].append(
            ServiceStation.objects.create(village=village, area_path=village.path, name=f"新村{i}便民服务站")
        )
        rows["orgs"].append(
            MassOrg.objects.create(
                kind=MassOrgKind.WOMENS_FEDERATION, area=village, area_path=village.path, name=f"新村{i}妇联"
            )
        )
        team = VolunteerTeam.objects.create(area=village, area_path=village.path, name=f"新村{i}服务队")
        rows["teams"].append(team)
        for j in range(3):
            rows["volunteers"].append(f.volunteer(hamlet, f"志愿者{i}号{j}", team=team, phone="13912340000"))
    rows["town_volunteer"] = f.volunteer(town.town, "镇志愿者", phone="13912340001")
    rows["task"] = VolunteerTask.objects.create(
        area=town.town,
        area_path=town.town.path,
        kind=TaskKind.ACTIVITY,
        title="全镇大扫除",
        starts_at=dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC),
    )
    return rows


def _named(page: str, rows: dict[str, Any]) -> list[str]:
    """The county's records a page lists as <option>s."""
    named = [*rows["stations"], *rows["orgs"], *rows["teams"], *rows["volunteers"], rows["town_volunteer"]]
    return [r.name for r in named if re.search(rf'<option value="{r.pk}"[^>]*>[^<]*{r.name}', page)]


def _options(page: str) -> int:
    return len(re.findall(r"<option\b", page))


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_list_a_handful_of_options_whatever_the_county(town: Any, name: str) -> None:
    rows = _county(town)
    page = town.client_for("admin").get(reverse(name)).content.decode()
    assert _options(page) <= MAX_OPTIONS, (name, _options(page))
    assert not _named(page, rows), name


def test_the_pages_of_one_record_list_a_handful_of_options_too(town: Any) -> None:
    rows = _county(town)
    client = town.client_for("admin")
    volunteer = Volunteer.objects.get(name="镇志愿者")
    recipient_village = town.xuqiao.area
    SoupRecipient.objects.all().delete()
    pages = [
        reverse("volunteers:task_participant", args=[rows["task"].pk]),
        reverse("volunteers:volunteer_edit", args=[volunteer.pk]),
        reverse("soup:review", args=[recipient_village.pk]),
        reverse("soup:hamlet_volunteer", args=[town.xuqiao.hamlet.pk]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert _options(page) <= MAX_OPTIONS, (url, _options(page))
        assert not _named(page, rows), url


def test_the_pickers_find_by_name_within_the_user_s_scope(town: Any) -> None:
    _county(town)
    admin, xuqiao = town.client_for("admin"), town.client_for("xuqiao")
    ServiceStation.objects.create(village=town.xuqiao.area, area_path=town.xuqiao.area.path, name="徐桥村便民服务站")
    page = admin.get(reverse("stations:station_pick"), {"station__q": "新村1"}).content.decode()
    assert "新村1便民服务站" in page and "新村2便民服务站" not in page
    assert "新村1便民服务站" not in xuqiao.get(reverse("stations:station_pick"), {"q": "新村"}).content.decode()
    assert "徐桥村便民服务站" in xuqiao.get(reverse("stations:station_pick"), {"q": "徐桥"}).content.decode()
    assert "新村3妇联" in admin.get(reverse("stations:org_pick"), {"q": "新村3"}).content.decode()
    assert "新村3妇联" not in xuqiao.get(reverse("stations:org_pick"), {"q": "新村3"}).content.decode()
    page = admin.get(reverse("volunteers:volunteer_pick"), {"q": "志愿者5号"}).content.decode()
    assert "志愿者5号0 · 新湾5" in page
    assert "志愿者5号0" not in xuqiao.get(reverse("volunteers:volunteer_pick"), {"q": "志愿者"}).content.decode()
    assert "新村7服务队" in admin.get(reverse("volunteers:team_pick"), {"q": "新村7"}).content.decode()
    assert "新村7服务队" not in xuqiao.get(reverse("volunteers:team_pick"), {"q": "新村7"}).content.decode()
    assert (
        len(re.findall(r"data-pick-id|data-id=", admin.get(reverse("volunteers:volunteer_pick")).content.decode()))
        <= 20
    )


def test_a_volunteer_picked_is_put_on_the_task(town: Any) -> None:
    rows = _county(town)
    chosen = rows["volunteers"][4]
    url = reverse("volunteers:task_participant", args=[rows["task"].pk])
    response = town.client_for("admin").post(url, {"volunteer": chosen.pk, "confirm": "on"})
    assert response.status_code == 302
    assert rows["task"].participations.filter(volunteer=chosen).exists()
    page = town.client_for("admin").get(reverse("volunteers:task_detail", args=[rows["task"].pk])).content.decode()
    assert chosen.name in page
