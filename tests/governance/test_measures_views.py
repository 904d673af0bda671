"""The measures page: the right rates for a small scenario, every number drilling down to exactly
the matters behind it, scoping, export, monthly chart data, and a query count that does not grow
with the number of matters."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hongniudai.governance import selectors, services
from hongniudai.governance.models import Matter, Outcome
from hongniudai.governance.views_measures import matter_url

pytestmark = pytest.mark.django_db

MEASURES = "/matters/measures/"
DRILL = "/matters/measures/drill/"


def _report(gov, actor="zhangshengfu", title="山林纠纷", **kw):
    return services.report_matter(
        actor=gov.users[actor],
        category=kw.pop("category", gov.forest),
        title=title,
        description="争议",
        channel="centre_household",
        place=kw.pop("place", gov.hemeifan.hamlet),
        **kw,
    )


@pytest.fixture
def scenario(gov):
    """In 何梅畈村: one matter settled at the hamlet, one at the village, one at the town, one open."""
    zsf, admin = gov.users["zhangshengfu"], gov.users["admin"]
    hamlet = _report(gov, title="甲-湾组化解", parties=[gov.li, gov.zhao])
    services.resolve(actor=zsf, matter=hamlet, outcome=Outcome.RECONCILED, resolution="和好")
    village = _report(gov, title="乙-村级化解")
    services.escalate(actor=zsf, matter=village, reason="难")
    services.escalate(actor=admin, matter=village, reason="难")
    services.resolve(actor=admin, matter=village, outcome=Outcome.RECONCILED, resolution="村调委会调解")
    town = _report(gov, title="丙-镇级化解")
    for _ in range(3):
        services.escalate(actor=admin, matter=town, reason="难")
    services.resolve(actor=admin, matter=town, outcome=Outcome.REFERRED_COURT, resolution="引导诉讼")
    still_open = _report(gov, title="丁-未办结", reporter_phone="13912345678")
    gov.m = {"hamlet": hamlet, "village": village, "town": town, "open": still_open}
    return gov


def _cards(response):
    return {c["label"]: c for c in response.context["cards"]}


def _drill_numbers(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return {row["matter"].number for row in response.context["rows"]}, response


def test_measures_page_shows_the_rates_of_the_scenario(scenario):
    client = scenario.client_for("admin")
    response = client.get(MEASURES, {"area": scenario.hemeifan.area.pk, "period": "month"})
    assert response.status_code == 200
    cards = _cards(response)
    assert cards["上报"]["value"] == 4
    assert cards["办结"]["value"] == 3
    assert cards["未办结"]["value"] == 1
    assert cards["小事不出湾率"]["value"] == "33.3%"
    assert cards["大事不出村率"]["value"] == "66.7%"
    body = response.content.decode()
    assert "33.3%" in body and "66.7%" in body
    assert "何梅畈村" in body


def test_rates_show_a_dash_when_nothing_is_settled(gov):
    _report(gov)
    response = gov.client_for("admin").get(MEASURES, {"area": gov.hemeifan.area.pk})
    cards = _cards(response)
    assert cards["上报"]["value"] == 1
    assert cards["小事不出湾率"]["value"] == "—"
    assert cards["大事不出村率"]["value"] == "—"
    assert cards["平均办结用时"]["value"] == "—"


def test_every_number_drills_down_to_exactly_its_matters(scenario):
    client = scenario.client_for("admin")
    m = scenario.m
    response = client.get(MEASURES, {"area": scenario.hemeifan.area.pk, "period": "month"})
    cards = _cards(response)
    expected = {
        "上报": {m["hamlet"], m["village"], m["town"], m["open"]},
        "办结": {m["hamlet"], m["village"], m["town"]},
        "未办结": {m["open"]},
        "小事不出湾率": {m["hamlet"]},
        "大事不出村率": {m["hamlet"], m["village"]},
    }
    for label, matters in expected.items():
        numbers, drill = _drill_numbers(client, cards[label]["url"])
        assert numbers == {x.number for x in matters}, label
    # The rows link to the matter pages.
    numbers, drill = _drill_numbers(client, cards["小事不出湾率"]["url"])
    body = drill.content.decode()
    assert f'href="{matter_url(m["hamlet"].pk)}"' in body
    assert m["village"].number not in body
    # The counts shown and the lists behind them agree.
    for label in ("上报", "办结", "未办结", "超时", "重复事项"):
        numbers, _drill = _drill_numbers(client, cards[label]["url"])
        assert len(numbers) == cards[label]["value"], label


def test_settled_by_level_bars_drill_down(scenario):
    client = scenario.client_for("admin")
    response = client.get(MEASURES, {"area": scenario.hemeifan.area.pk, "period": "month"})
    chart = response.context["chart"]
    assert chart["settledByLevel"] == [1, 0, 1, 1]  # hamlet, grid, village, town
    numbers, _r = _drill_numbers(client, chart["levelLinks"][3])
    assert numbers == {scenario.m["town"].number}


def test_children_table_compares_villages(scenario):
    client = scenario.client_for("admin")
    response = client.get(MEASURES, {"area": scenario.district.pk, "period": "month"})
    rows = {r["label"]: r for r in response.context["rows"]}
    assert set(rows) == {"徐桥村", "发水河村", "何梅畈村"}
    assert rows["何梅畈村"]["measures"].reported == 4
    assert rows["何梅畈村"]["cells"][4][0] == "33.3%"
    assert rows["徐桥村"]["measures"].reported == 0
    assert rows["徐桥村"]["cells"][4][0] == "—"
    # A row drills down to that child.
    numbers, _r = _drill_numbers(client, rows["何梅畈村"]["cells"][1][1])
    assert len(numbers) == 3
    assert client.get(rows["何梅畈村"]["page"]).context["node"] == scenario.hemeifan.area


def test_xuqiao_sees_none_of_hemeifan(scenario):
    client = scenario.client_for("xuqiao")
    response = client.get(MEASURES, {"period": "month"})
    assert response.status_code == 200
    assert response.context["node"] == scenario.xuqiao.area
    assert all(c["value"] in (0, "—") for c in response.context["cards"])
    assert "何梅畈村" not in response.content.decode()
    numbers, drill = _drill_numbers(client, DRILL + "?measure=reported&period=year")
    assert numbers == set()
    assert client.get(MEASURES, {"area": scenario.hemeifan.area.pk}).status_code == 404
    assert client.get(DRILL, {"area": scenario.hemeifan.area.pk, "measure": "reported"}).status_code == 404
    export = client.get(DRILL, {"measure": "reported", "export": "xlsx"})
    assert scenario.m["hamlet"].number not in _xlsx(export)


def _xlsx(response) -> str:
    data = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    )


def test_exports_open_with_openpyxl(scenario):
    client = scenario.client_for("admin")
    table = client.get(MEASURES, {"area": scenario.district.pk, "period": "month", "export": "xlsx"})
    assert table.status_code == 200
    text = _xlsx(table)
    assert "何梅畈村" in text and "徐桥村" in text and "33.3%" in text and "小事不出湾率" in text
    listing = client.get(
        DRILL, {"area": scenario.hemeifan.area.pk, "period": "month", "measure": "reported", "export": "xlsx"}
    )
    text = _xlsx(listing)
    for matter in scenario.m.values():
        assert matter.number in text
    assert "13912345678" not in text  # the reporter's phone never leaves in clear


def test_monthly_counts_group_by_local_month(gov):
    tz = ZoneInfo("Asia/Shanghai")
    today = timezone.localdate()
    first = today.replace(day=1)
    # 00:30 on the 1st in China is still the previous month in UTC: it counts in this month.
    early = dt.datetime.combine(first, dt.time(0, 30), tzinfo=tz)
    _report(gov, reported_at=early)
    last_month = (first - dt.timedelta(days=1)).replace(day=10)
    _report(gov, reported_at=dt.datetime.combine(last_month, dt.time(12), tzinfo=tz))
    matter = _report(gov)
    services.resolve(actor=gov.users["zhangshengfu"], matter=matter, outcome=Outcome.HANDLED, resolution="已处理")
    start = (last_month - dt.timedelta(days=40)).replace(day=1)
    admin = gov.users["admin"]
    selectors.monthly_counts(admin, gov.hemeifan.area, start, today)  # the user's scope is now cached
    with CaptureQueriesContext(connection) as ctx:
        months = selectors.monthly_counts(admin, gov.hemeifan.area, start, today)
    assert len(ctx.captured_queries) == 1  # one grouped query for both lines
    by_label = {mc.label: (mc.reported, mc.settled) for mc in months}
    assert by_label[f"{first:%Y-%m}"] == (2, 1)
    assert by_label[f"{last_month:%Y-%m}"] == (1, 0)
    assert by_label[f"{start:%Y-%m}"] == (0, 0)
    span = (today.year - start.year) * 12 + today.month - start.month + 1
    assert [mc.label for mc in months][0] == f"{start:%Y-%m}" and len(months) == span  # no month missing
    # The page hands the same numbers to the chart.
    response = gov.client_for("admin").get(MEASURES, {"area": gov.hemeifan.area.pk, "period": "12m"})
    chart = json.loads(re.search(r'id="measures-chart"[^>]*>(.*?)</script>', response.content.decode()).group(1))
    month_index = chart["months"].index(f"{first:%Y-%m}")
    assert (chart["reported"][month_index], chart["settled"][month_index]) == (2, 1)
    assert len(chart["months"]) == 12


def test_bad_period_and_measure_give_a_message_not_an_error(gov):
    client = gov.client_for("admin")
    response = client.get(MEASURES, {"from": "2026-13-45"})
    assert response.status_code == 200
    assert "日期格式" in response.content.decode()
    response = client.get(MEASURES, {"from": "2026-05-01", "to": "2026-01-01"})
    assert "开始日期不能晚于结束日期" in response.content.decode()
    response = client.get(MEASURES, {"period": "forever"})
    assert response.status_code == 200 and "未知的统计时段" in response.content.decode()
    response = client.get(DRILL, {"measure": "nonsense"})
    assert response.status_code == 200 and "未知的指标" in response.content.decode()
    assert client.get(MEASURES, {"area": "abc"}).status_code == 200
    assert client.get(MEASURES, {"area": "999999"}).status_code == 404


def test_custom_range_excludes_matters_outside_it(gov):
    tz = ZoneInfo("Asia/Shanghai")
    _report(gov, reported_at=dt.datetime(2025, 3, 10, 9, tzinfo=tz))
    _report(gov)
    response = gov.client_for("admin").get(
        MEASURES, {"area": gov.hemeifan.area.pk, "from": "2025-03-01", "to": "2025-03-31"}
    )
    assert _cards(response)["上报"]["value"] == 1
    numbers, _r = _drill_numbers(gov.client_for("admin"), _cards(response)["上报"]["url"])
    assert len(numbers) == 1


def _grow(gov, n: int) -> None:
    zsf = gov.users["zhangshengfu"]
    while Matter.objects.count() < n:
        i = Matter.objects.count()
        matter = _report(gov, title=f"事项{i}", parties=[gov.li] if i % 3 == 0 else [])
        if i % 2 == 0:
            services.resolve(actor=zsf, matter=matter, outcome=Outcome.RECONCILED, resolution="和好")


def _query_counts(client, urls):
    out = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        out[url] = len(ctx.captured_queries)
    return out


def test_query_count_does_not_grow_with_matters(gov):
    client = gov.client_for("admin")
    urls = [
        f"{MEASURES}?area={gov.district.pk}",
        f"{MEASURES}?area={gov.hemeifan.area.pk}",
        f"{MEASURES}?area={gov.hemeifan.hamlet.parent_id}",
        f"{DRILL}?area={gov.hemeifan.area.pk}&measure=reported",
        f"{DRILL}?area={gov.hemeifan.area.pk}&measure=settled_hamlet",
    ]
    _grow(gov, 5)
    small = _query_counts(client, urls)
    _grow(gov, 50)
    large = _query_counts(client, urls)
    assert _cards(client.get(urls[1]))["上报"]["value"] == 50
    assert large == small
    assert reverse("governance:measures") == MEASURES
