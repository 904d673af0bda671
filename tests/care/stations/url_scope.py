"""Out-of-scope targets for the service stations' URLs, merged into tests/test_url_scoping.py:
发水河村's station with a staff member, a request of 施华成 and a women's federation with an
activity and its photo (xuqiao must get 404 for each, admin must reach them). The town's catalogue
is seen by every village (its items are no village's records): editing it is the town admin's (403
for a village, tests/care/stations/test_pages.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def fashuihe_stations(town: Any) -> dict[str, Any]:
    records = getattr(town, "_station_records", None)
    if records is None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from hongniudai.care.stations import orgs, services

        admin, actor = town.users["admin"], town.users["fashuihe"]
        item = services.item_create(actor=admin, town=town.town, name="证明开具", time_limit=1)
        station = services.station_create(
            actor=actor, village=town.fashuihe.area, name="发水河村便民服务站", items=[item]
        )
        staff = services.staff_add(actor=actor, station=station, name="施站长", phone="13900001111")
        request = services.request_receive(
            actor=actor, station=station, item=item, channel="walk_in", resident=town.fashuihe.head
        )
        org = orgs.org_create(actor=actor, kind="womens_federation", area=town.fashuihe.area, name="发水河村妇联")
        activity = orgs.activity_record(actor=actor, org=org, title="发水河村巾帼宣讲", held_on=dt.date(2026, 3, 1))
        photo = orgs.activity_add_photo(
            actor=actor,
            activity=activity,
            upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, content_type="image/png"),
        )
        records = {"item": item, "station": station, "staff": staff, "request": request, "org": org}
        records.update({"activity": activity, "photo": photo})
        town._station_records = records
    return records


def _pk(what: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": fashuihe_stations(t)[what].pk}


OUT_OF_SCOPE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "stations:station_detail": _pk("station"),
    "stations:station_edit": _pk("station"),
    "stations:staff_add": _pk("station"),
    "stations:staff_remove": _pk("staff"),
    "stations:request_detail": _pk("request"),
    "stations:request_step": _pk("request"),
    "stations:request_complete": _pk("request"),
    "stations:request_rate": _pk("request"),
    "stations:request_to_matter": _pk("request"),
    "stations:org_detail": _pk("org"),
    "stations:org_edit": _pk("org"),
    "stations:activity_detail": _pk("activity"),
    "stations:activity_edit": _pk("activity"),
    "stations:activity_photo_add": _pk("activity"),
    "stations:photo_download": _pk("photo"),
    "api:service-station-detail": _pk("station"),
    "api:service-request-detail": _pk("request"),
    "api:service-request-steps": _pk("request"),
    "api:service-request-complete": _pk("request"),
    "api:service-request-satisfaction": _pk("request"),
    "api:service-request-to-matter": _pk("request"),
    "api:mass-org-detail": _pk("org"),
    "api:mass-activity-detail": _pk("activity"),
}
NOT_RECORDS: dict[str, dict[str, Any]] = {
    # The town's catalogue: read by every village, kept by the town admin (403 for a village).
    "stations:item_edit": {"pk": 1},
    "stations:item_limit": {"pk": 1},
    "api:service-item-detail": {"pk": 1},
    "api:service-item-limit": {"pk": 1},
}


def xuqiao_stations(town: Any) -> None:
    """徐桥村's station with a request of 黄文华 and a women's federation with an activity (for the
    API fuzzing, `tests.fuzzing.populate`)."""
    from hongniudai.care.stations import orgs, services

    admin = town.users["admin"]
    item = services.item_create(actor=admin, town=town.town, name="医保参保", time_limit=3)
    station = services.station_create(actor=admin, village=town.xuqiao.area, name="徐桥村便民服务站", items=[item])
    services.staff_add(actor=admin, station=station, name="黄站长", phone="13900002222")
    services.request_receive(actor=admin, station=station, item=item, channel="walk_in", resident=town.xuqiao.head)
    org = orgs.org_create(actor=admin, kind="womens_federation", area=town.xuqiao.area, name="徐桥村妇联")
    orgs.activity_record(actor=admin, org=org, title="巾帼宣讲", held_on=dt.date(2026, 3, 1), participant_count=5)
