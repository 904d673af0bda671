"""The county generator's watch stage (`hongniudai.demo.county_watch`) at a tiny scale: cameras at
most grids, the market town's patrol with last month's rota and logs, last autumn's straw-burning
season with its reports; model-valid rows, no matters; on an existing county nothing is written
twice, and a town lacking the watch gets it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from hongniudai.demo.county import TOWN_NAMES
from hongniudai.demo.county_watch import straw_window
from hongniudai.places.models import AreaKind, AreaNode
from hongniudai.watch.cameras.models import Camera, CameraStatus
from hongniudai.watch.patrols.models import (
    Campaign,
    CampaignDuty,
    CampaignKind,
    CampaignReport,
    PatrolIncident,
    PatrolLog,
    PatrolMember,
    PatrolShift,
    PatrolTeam,
    ShiftStatus,
    WatchPoint,
)
from tests import factories as f

SCALE = "0.01"


@pytest.fixture(scope="module")
def county(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        root = f.area(None, "鄂州县", AreaKind.COUNTY, code="420704")
        f.area(root, "宋河镇", AreaKind.TOWN)
        out = io.StringIO()
        call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def towns() -> list[AreaNode]:
    return list(AreaNode.objects.filter(kind=AreaKind.TOWN, name__in=TOWN_NAMES).order_by("sort_order"))


def watch_counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (
            Camera,
            PatrolTeam,
            PatrolMember,
            PatrolShift,
            PatrolLog,
            Campaign,
            CampaignDuty,
            WatchPoint,
            CampaignReport,
        )
    )


def last_month() -> set[dt.date]:
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return {first + dt.timedelta(days=i) for i in range((today.replace(day=1) - first).days)}


def test_every_town_has_cameras_a_patrolled_month_and_a_straw_season(county: str, db: Any) -> None:
    assert "平安守护" in county
    for town in towns():
        grids = AreaNode.objects.filter(path__startswith=town.path, kind=AreaKind.GRID).count()
        cameras = Camera.objects.filter(town=town)
        with_cameras = cameras.values("grid").distinct().count()
        assert 0 < with_cameras < grids  # some grids have none
        assert cameras.filter(status=CameraStatus.WORKING).count() > cameras.count() // 2
        team = PatrolTeam.objects.get(area=town)
        assert team.members.filter(kind="party_member").exists() and team.members.filter(kind="militia").exists()
        shifts = PatrolShift.objects.filter(team=team)
        assert set(shifts.values_list("date", flat=True)) == last_month()
        kept = shifts.filter(status=ShiftStatus.KEPT)
        assert PatrolLog.objects.filter(shift__team=team).count() == kept.count() > 0
        assert all(s.route.exists() for s in shifts[:3])
        campaign = Campaign.objects.get(area=town, kind=CampaignKind.STRAW_BURNING)
        assert (campaign.starts_on, campaign.ends_on) == straw_window(timezone.localdate())
        covered = campaign.grids.count()
        days = (campaign.ends_on - campaign.starts_on).days + 1
        reports = CampaignReport.objects.filter(campaign=campaign)
        assert 0.9 * covered * days < reports.count() < covered * days  # a few missing
        assert reports.filter(nothing_found=True).count() > reports.count() // 2
        assert reports.filter(on_time=False).exists()
        assert WatchPoint.objects.filter(campaign=campaign).count() == covered
    assert not PatrolIncident.objects.exists()
    assert not CampaignReport.objects.exclude(matters=None).exists()


def test_the_rows_are_model_valid(county: str, db: Any) -> None:
    for model in (
        Camera,
        PatrolTeam,
        PatrolMember,
        PatrolShift,
        PatrolLog,
        Campaign,
        CampaignDuty,
        WatchPoint,
        CampaignReport,
    ):
        for row in model.objects.order_by("id")[:5]:
            row.full_clean()


def test_on_an_existing_county_nothing_is_written_twice(county: str, db: Any) -> None:
    before = watch_counts()
    call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=io.StringIO())
    assert watch_counts() == before


def strip_watch(town: AreaNode) -> None:
    """The town as a county generated before the watch existed."""
    campaigns = Campaign.objects.filter(area=town)
    CampaignReport.objects.filter(campaign__in=campaigns).delete()
    CampaignDuty.objects.filter(campaign__in=campaigns).delete()
    WatchPoint.objects.filter(campaign__in=campaigns).delete()
    campaigns.delete()
    PatrolLog.objects.filter(shift__team__area=town).delete()
    PatrolShift.objects.filter(team__area=town).delete()
    PatrolMember.objects.filter(team__area=town).delete()
    PatrolTeam.objects.filter(area=town).delete()
    Camera.objects.filter(town=town).delete()


def test_a_town_of_an_existing_county_lacking_the_watch_gets_it(county: str, db: Any) -> None:
    before = watch_counts()
    first, second = towns()[:2]
    cameras_second = Camera.objects.filter(town=second).count()
    strip_watch(first)
    assert not Camera.objects.filter(town=first).exists()
    out = io.StringIO()
    call_command("generate_county", "--scale", SCALE, "--seed", "7", stdout=out)
    assert watch_counts() == before  # the same seed gives the same rows
    assert Camera.objects.filter(town=second).count() == cameras_second
    assert PatrolTeam.objects.filter(area=first).exists()
