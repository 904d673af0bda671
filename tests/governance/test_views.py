"""The work pages of source governance, driven through the test client as the people who use them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from openpyxl import load_workbook

from hongniudai.common.identity import decrypt_id_number
from hongniudai.governance import selectors, services
from hongniudai.governance.models import (
    Attachment,
    Channel,
    EventKind,
    Level,
    Matter,
    MatterStatus,
    Outcome,
)
from hongniudai.governance.services import attachments as attachment_services
from hongniudai.places.models import AreaNode

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _photo(name: str = "scene.jpg", data: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def _report(gov: Any, actor: str = "zhangshengfu", **kw: Any) -> Matter:
    kw.setdefault("category", gov.forest)
    kw.setdefault("title", "张家冲山林界址纠纷")
    kw.setdefault("description", "李某忠与赵某发因山林界址多次扯皮")
    kw.setdefault("channel", Channel.CENTRE_HOUSEHOLD)
    kw.setdefault("place", gov.hemeifan.hamlet)
    return services.report_matter(actor=gov.users[actor], **kw)


def _body(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        data = b"".join(response.streaming_content)
        wb = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
        )
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()


def _url(name: str, matter: Matter) -> str:
    return reverse(f"governance:{name}", args=[matter.pk])


# ---- the 张家冲 story, through the pages --------------------------------------------------


def test_zhangjiachong_story_through_the_web_pages(gov):
    zsf = gov.client_for("zhangshengfu")
    lawyer = gov.client_for("hmf_lawyer")
    today = timezone.localdate().isoformat()

    # 张圣福 reports from his phone, with a photo, naming both parties.
    page = zsf.get(reverse("governance:report"))
    assert page.status_code == 200 and 'capture="environment"' in page.content.decode()
    response = zsf.post(
        reverse("governance:report"),
        {
            "category": gov.forest.pk,
            "description": "李某忠与赵某发因山林界址多次扯皮,发生肢体冲突",
            "place": gov.hemeifan.hamlet.pk,
            "urgency": "urgent",
            "parties": [gov.li.pk, gov.zhao.pk],
            "attribute[area_mu]": "3.5",
            "photos": [_photo()],
        },
    )
    matter = Matter.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("matter_detail", matter)
    assert matter.channel == Channel.CENTRE_HOUSEHOLD and matter.level == Level.HAMLET
    assert matter.title.startswith("李某忠与赵某发") and matter.attributes == {"area_mu": "3.5"}
    assert set(matter.parties.all()) == {gov.li, gov.zhao}
    assert matter.attachments.count() == 1

    detail = zsf.get(_url("matter_detail", matter)).content.decode()
    assert gov.li.id_masked in detail and decrypt_id_number(gov.li.id_cipher) not in detail
    assert "争议面积(亩)" in detail and 'aria-current="step"' in detail

    assert zsf.post(_url("matter_accept", matter), {"note": ""}).status_code == 302
    invite_form = zsf.get(_url("matter_invite", matter)).content.decode()
    assert "hmf_lawyer" in invite_form
    assert zsf.post(_url("matter_invite", matter), {"user": gov.users["hmf_lawyer"].pk}).status_code == 302

    # The village legal adviser records the visit they made together.
    response = lawyer.post(
        _url("matter_session", matter),
        {
            "held_on": today,
            "place": "张家冲李某忠家",
            "participants": "张圣福、村法律顾问、李某忠、赵某发",
            "legal_adviser_present": "on",
            "summary": "上门宣讲政策,反复做工作",
            "agreed": "双方同意按原界址",
        },
    )
    assert response.status_code == 302
    response = zsf.post(
        _url("matter_agreement", matter),
        {
            "parties": "李某忠、赵某发",
            "facts": "山林界址争议",
            "terms": "按1982年林权证界址为准,互不侵占",
            "mediators": "张圣福、村法律顾问",
            "signed_on": today,
            "signatures_noted": "on",
        },
    )
    assert response.status_code == 302
    printed = zsf.get(_url("agreement_print", matter)).content.decode()
    assert "人民调解协议书" in printed and "按1982年林权证界址为准" in printed and "@media print" in printed
    assert gov.li.id_masked in printed and decrypt_id_number(gov.li.id_cipher) not in printed

    response = zsf.post(
        _url("matter_resolve", matter),
        {"outcome": Outcome.AGREEMENT, "resolution": "双方握手言和,签订调解协议", "public_notes": ""},
    )
    assert response.status_code == 302
    response = zsf.post(_url("matter_follow_up", matter), {"visited_on": today, "held": "1", "satisfaction": "5"})
    assert response.status_code == 302

    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED and matter.resolved_level == Level.HAMLET
    assert matter.satisfaction == 5
    assert list(matter.events.values_list("kind", flat=True)) == [
        EventKind.REPORT,
        EventKind.ATTACH,
        EventKind.ACCEPT,
        EventKind.INVITE,
        EventKind.MEDIATE,
        EventKind.AGREEMENT,
        EventKind.RESOLVE,
        EventKind.FOLLOW_UP,
    ]
    detail = zsf.get(_url("matter_detail", matter)).content.decode()
    for label in ("上报", "受理", "邀请参与", "调处", "调解协议", "办结", "回访", "上门宣讲政策"):
        assert label in detail

    # It counts toward 何梅畈村's hamlet resolution rate.
    day = timezone.localdate()
    m = selectors.measures(gov.users["hemeifan"], node=gov.hemeifan.area, start=day, end=day)
    assert m.settled == 1 and m.settled_hamlet == 1 and m.hamlet_rate == 1.0

    # The photo comes back only as a download, with its stored type.
    attachment = matter.attachments.get()
    download = zsf.get(reverse("governance:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "image/jpeg" and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == JPEG


def test_actions_work_through_htmx_fragments(gov):
    matter = _report(gov)
    zsf = gov.client_for("zhangshengfu")
    fragment = zsf.get(_url("matter_escalate", matter), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    bad = zsf.post(_url("matter_escalate", matter), {"reason": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "请说明上交理由" in bad.content.decode()
    ok = zsf.post(_url("matter_escalate", matter), {"reason": "双方不接受湾组调解"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 204 and ok["HX-Redirect"] == _url("matter_detail", matter)
    matter.refresh_from_db()
    assert matter.level == Level.GRID


def test_village_hands_down_only_to_nodes_on_the_branch(gov):
    matter = _report(gov)
    services.escalate(actor=gov.users["zhangshengfu"], matter=matter, reason="上交")
    services.escalate(actor=gov.users["hmf_grid"], matter=matter, reason="上交")
    village = gov.client_for("hemeifan")
    form = village.get(_url("matter_hand_down", matter)).content.decode()
    assert "张家冲" in form and "6组" in form and "黄家湾" not in form
    refused = village.post(_url("matter_hand_down", matter), {"to": gov.xuqiao.hamlet.pk, "reason": "请办理"})
    assert refused.status_code == 200 and "只能交办给本事项发生地所在的下级单位" in refused.content.decode()
    ok = village.post(_url("matter_hand_down", matter), {"to": gov.hemeifan.hamlet.pk, "reason": "请湾组继续做工作"})
    assert ok.status_code == 302
    matter.refresh_from_db()
    assert matter.level == Level.HAMLET


def test_service_refusals_show_on_the_form_in_chinese(gov):
    matter = _report(gov)
    zsf = gov.client_for("zhangshengfu")
    # Resolving "agreement signed" without an agreement.
    response = zsf.post(_url("matter_resolve", matter), {"outcome": Outcome.AGREEMENT, "resolution": "已调解"})
    assert response.status_code == 200 and "请先登记调解协议" in response.content.decode()
    # A follow-up visit before the matter is settled: the page says the state does not allow it.
    response = zsf.get(_url("matter_follow_up", matter), follow=True)
    assert "当前状态下不能" in response.content.decode()
    response = zsf.post(
        _url("matter_follow_up", matter), {"visited_on": timezone.localdate(), "held": "1", "satisfaction": "4"}
    )
    assert response.status_code == 200 and "事项办结后才能回访" in response.content.decode()
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW


def test_visible_but_not_permitted_is_403(gov):
    matter = _report(gov)
    lawyer = gov.client_for("hmf_lawyer")  # sees 何梅畈村's matters, may not handle them
    assert lawyer.get(_url("matter_detail", matter)).status_code == 200
    assert lawyer.post(_url("matter_accept", matter), {}).status_code == 403
    assert lawyer.post(_url("matter_escalate", matter), {"reason": "x"}).status_code == 403
    assert lawyer.post(_url("matter_session", matter), {}).status_code == 403  # not invited yet
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW and matter.level == Level.HAMLET


# ---- scope --------------------------------------------------------------------------------

ACTION_URLS = (
    "matter_detail",
    "matter_accept",
    "matter_session",
    "matter_invite",
    "matter_agreement",
    "agreement_print",
    "matter_resolve",
    "matter_escalate",
    "matter_hand_down",
    "matter_follow_up",
    "matter_reopen",
    "matter_attach",
)


def test_xuqiao_sees_nothing_of_hemeifan(gov):
    matter = _report(gov, parties=[gov.li])
    zsf = gov.users["zhangshengfu"]
    services.sign_agreement(
        actor=zsf,
        matter=matter,
        parties="李某忠、赵某发",
        facts="山林界址争议",
        terms="互不侵占",
        mediators="张圣福",
        signed_on=timezone.localdate(),
        signatures_noted=True,
    )
    attachment = services.add_attachment(actor=zsf, matter=matter, upload=_photo())
    before = (matter.events.count(), Attachment.objects.count())
    xq = gov.client_for("xuqiao")
    for name in ACTION_URLS:
        url = _url(name, matter)
        assert xq.get(url).status_code == 404, url
        expected = {404, 405} if name in ("matter_detail", "agreement_print") else {404}  # those two are read-only
        assert xq.post(url, {"reason": "x", "note": "x"}).status_code in expected, url
    download = reverse("governance:attachment_download", args=[attachment.pk])
    assert xq.get(download).status_code == 404
    assert (matter.events.count(), Attachment.objects.count()) == before
    for url, params in (
        (reverse("governance:inbox"), {}),
        (reverse("governance:matter_list"), {}),
        (reverse("governance:matter_list"), {"q": matter.number}),
        (reverse("governance:matter_list"), {"export": "xlsx"}),
        (reverse("governance:matter_list"), {"status": "open", "export": "xlsx"}),
    ):
        response = xq.get(url, params)
        assert response.status_code == 200
        body = _body(response)
        for secret in (matter.title, "何梅畈村", "李某忠"):
            assert secret not in body, (url, params, secret)
    # A filter naming 何梅畈村 is a 404, like any out-of-scope record.
    assert xq.get(reverse("governance:matter_list"), {"area": gov.hemeifan.area.pk}).status_code == 404
    # The party search does not reach 何梅畈村's residents either.
    found = xq.get(reverse("governance:party_search"), {"party_q": "李某忠"}).content.decode()
    assert "李某忠" not in found


def test_list_and_export_for_the_village(gov):
    matter = _report(gov, parties=[gov.li, gov.zhao])
    client = gov.client_for("hemeifan")
    page = client.get(reverse("governance:matter_list"), {"status": "open", "kind": "dispute"}).content.decode()
    assert matter.title in page and "何梅畈村 / 6组 / 张家冲" in page
    assert matter.title not in client.get(reverse("governance:matter_list"), {"status": "closed"}).content.decode()
    export = client.get(reverse("governance:matter_list"), {"export": "xlsx", "q": matter.number})
    body = _body(export)
    assert matter.number in body and "李某忠" in body
    for person in (gov.li, gov.zhao):
        assert decrypt_id_number(person.id_cipher) not in body and person.id_masked not in body


def test_a_list_row_shows_every_cell(gov):
    """The list reads only the columns its rows show (`selectors.list_page_rows`): every cell of a
    row, pinned, and no query per row for a column left out."""
    matter = _report(gov, title="张家冲山林界址纠纷,双方多次扯皮,需要尽快调解处理", urgency="urgent")
    matter.refresh_from_db()
    client = gov.client_for("hemeifan")
    client.get(reverse("accounts:me"))
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("governance:matter_list")).content.decode()
    assert not [q for q in ctx.captured_queries if 'governance_matter"."description' in q["sql"]]
    local = timezone.localtime
    cells = [
        '<span class="hnd-signal hnd-signal-green" title="时限"><span class="dot" aria-hidden="true"></span>正常</span>',
        f'<td class="small">{matter.number}</td>',
        f'<a href="/matters/{matter.pk}/">{Truncator(matter.title).chars(24)}</a> '
        '<span class="badge text-bg-warning">紧急</span>',
        "<td>山林纠纷</td>",
        "<td>何梅畈村 / 6组 / 张家冲</td>",
        "<td>湾组</td>",
        "<td>待受理</td>",
        f'<td class="small">{local(matter.accept_due_at):%m-%d %H:%M}</td>',
        f'<td class="small">{local(matter.reported_at):%Y-%m-%d %H:%M}</td>',
    ]
    at = 0
    for cell in cells:
        at = page.index(cell, at)  # each cell, in order


def _export_queries(client: Any) -> int:
    client.get(reverse("accounts:me"))  # the session's save and the roles' caching happen here, not below
    with CaptureQueriesContext(connection) as ctx:
        _body(client.get(reverse("governance:matter_list"), {"export": "xlsx"}))
    return len(ctx.captured_queries)


def test_export_reads_its_rows_joined_in_one_cursor(gov):
    """Category, place (with its grid and village), holder and handler come with the rows; the
    parties in one more query; the count that guards the export's size and its audit record."""
    for i in range(3):
        _report(gov, title=f"事项{i}", parties=[gov.li])
    client = gov.client_for("hemeifan")
    few = _export_queries(client)
    for i in range(3, 20):
        _report(gov, title=f"事项{i}", parties=[gov.zhao])
    assert _export_queries(client) == few <= 5


# ---- bad input ----------------------------------------------------------------------------


@pytest.fixture
def mapped(gov):
    """Polygons for the hamlets and grids (张家冲 inside 6组)."""
    shapes = {
        gov.hemeifan.grid: _square(114.80, 30.40, 0.05),
        gov.hemeifan.hamlet: _square(114.81, 30.41, 0.01),
        gov.xuqiao.grid: _square(114.70, 30.40, 0.05),
        gov.xuqiao.hamlet: _square(114.71, 30.41, 0.01),
    }
    for node, geometry in shapes.items():
        AreaNode.objects.filter(pk=node.pk).update(geometry=geometry)
    return gov


def _post_report(client: Any, **data: Any) -> Any:
    base = {"category": "", "description": "村道边电线杆倾斜", "urgency": "normal"}
    base.update(data)
    return client.post(reverse("governance:report"), base)


def _no_matter_written() -> None:
    assert Matter.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_report_by_location_lands_in_the_hamlet_whose_polygon_holds_it(mapped):
    client = mapped.client_for("hmf_grid")
    response = _post_report(
        client, category=mapped.hazard.pk, lon="114.815", lat="30.415", **{"attribute[hazard_type]": "electric"}
    )
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert matter.place == mapped.hemeifan.hamlet and matter.channel == Channel.GRID_PATROL


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown_category", "请选择有效的事项类别"),
        ("outside", "该位置不在任何湾组或村组的范围之内"),
        ("oversized", "文件不能超过 1 MB"),
        ("disguised", "文件内容与扩展名“.jpg”不符"),
        ("good_then_disguised", "文件内容与扩展名“.jpg”不符"),
        ("missing_attribute", "请回答“隐患类型”"),
        ("no_place", "请选择发生地"),
        ("other_village", "请选择您工作范围内的湾组或村组"),
    ],
)
def test_bad_report_is_refused_with_a_chinese_message_and_writes_nothing(mapped, settings, case, message):
    settings.MATTER_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client = mapped.client_for("zhangshengfu")
    good = {
        "category": mapped.hazard.pk,
        "place": mapped.hemeifan.hamlet.pk,
        "attribute[hazard_type]": "electric",
    }
    data: dict[str, Any] = dict(good)
    if case == "unknown_category":
        data["category"] = 999999
    elif case == "outside":
        data.update(place="", lon="100.000001", lat="20.000001")
    elif case == "oversized":
        data["photos"] = [_photo(data=JPEG + b"\x00" * (1024 * 1024))]
    elif case == "disguised":
        data["photos"] = [_photo("photo.jpg", EXE)]
    elif case == "good_then_disguised":
        data["photos"] = [_photo("first.jpg"), _photo("photo.jpg", EXE)]
    elif case == "missing_attribute":
        data.pop("attribute[hazard_type]")
    elif case == "no_place":
        data["place"] = ""
    elif case == "other_village":
        data["place"] = mapped.xuqiao.hamlet.pk
    response = _post_report(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    _no_matter_written()


def test_attachment_refusals_on_a_matter(gov, settings):
    settings.MATTER_ATTACHMENT_MAX_BYTES = 1024 * 1024
    matter = _report(gov)
    client = gov.client_for("zhangshengfu")
    response = client.post(_url("matter_attach", matter), {"attachments": [_photo("virus.jpg", EXE)]})
    assert response.status_code == 200 and "不符,已拒收" in response.content.decode()
    response = client.post(_url("matter_attach", matter), {"attachments": [_photo("run.exe", EXE)]})
    assert response.status_code == 200 and "只接受照片" in response.content.decode()
    assert matter.attachments.count() == 0
    assert client.post(_url("matter_attach", matter), {"attachments": [_photo()]}).status_code == 302
    assert matter.attachments.count() == 1


def test_report_form_pieces(gov):
    client = gov.client_for("zhangshengfu")
    fragment = client.get(reverse("governance:report_attributes"), {"category": gov.hazard.pk}).content.decode()
    assert "隐患类型" in fragment and 'value="electric"' in fragment
    assert client.get(reverse("governance:report_attributes"), {"category": "nope"}).status_code == 200
    found = client.get(
        reverse("governance:party_search"), {"place": gov.hemeifan.hamlet.pk, "party_q": "李", "parties": [gov.zhao.pk]}
    ).content.decode()
    assert "李某忠" in found and gov.li.id_masked in found and "checked" in found  # 赵某发 stays ticked
    form = client.get(reverse("governance:report")).content.decode()
    assert "黄家湾" not in form and "张家冲" in form
    assert '<optgroup label="矛盾纠纷">' in form


# ---- signals, inbox, notifications --------------------------------------------------------


def test_overdue_matter_shows_red_and_due_today_shows_yellow(gov):
    late = _report(gov, title="超时未受理的事项")
    today = _report(gov, title="今天到期的事项")
    now = timezone.localtime()
    Matter.objects.filter(pk=late.pk).update(accept_due_at=timezone.now() - dt.timedelta(hours=2))
    end_of_today = now.replace(hour=23, minute=59, second=59, microsecond=0)
    Matter.objects.filter(pk=today.pk).update(accept_due_at=end_of_today)
    client = gov.client_for("zhangshengfu")
    inbox = client.get(reverse("governance:inbox")).content.decode()
    assert inbox.index("超时未受理的事项") < inbox.index("今天到期的事项")  # ordered by deadline
    assert "hnd-signal-red" in inbox and "hnd-signal-yellow" in inbox
    listing = client.get(reverse("governance:matter_list"), {"overdue": "1"}).content.decode()
    assert "超时未受理的事项" in listing and "今天到期的事项" not in listing and "已超时" in listing
    detail = client.get(_url("matter_detail", late)).content.decode()
    assert "hnd-signal-red" in detail


def _list_queries(client: Any) -> int:
    client.get(reverse("accounts:me"))  # the session's save and the roles' caching happen here, not below
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("governance:matter_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(gov):
    for i in range(3):
        _report(gov, title=f"事项{i}", parties=[gov.li])
    client = gov.client_for("hemeifan")
    few = _list_queries(client)
    for i in range(3, 20):
        _report(gov, title=f"事项{i}", parties=[gov.li])
    many = _list_queries(client)
    assert few == many
    zsf = gov.client_for("zhangshengfu")
    zsf.get(reverse("accounts:me"))  # the session's once-a-minute save; the user and roles cached
    with CaptureQueriesContext(connection) as ctx:
        zsf.get(reverse("governance:inbox"))
    inbox_many = len(ctx.captured_queries)
    Matter.objects.filter(title__in=[f"事项{i}" for i in range(3, 20)]).delete()
    with CaptureQueriesContext(connection) as ctx:
        zsf.get(reverse("governance:inbox"))
    assert len(ctx.captured_queries) == inbox_many


def _detail_queries(client: Any, matter: Matter) -> tuple[int, str]:
    client.get(reverse("accounts:me"))  # the session's save and the roles' caching happen here, not below
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url("matter_detail", matter))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_matter_page_reads_a_handful_of_queries_however_long_its_history(gov):
    matter = _report(gov, parties=[gov.li])
    zsf = gov.client_for("zhangshengfu")
    few, _page = _detail_queries(zsf, matter)
    # A long history: visits, an invited adviser, photos, a settlement and follow-up visits.
    actor, today = gov.users["zhangshengfu"], timezone.localdate()
    services.accept(actor=actor, matter=matter)
    services.invite(actor=actor, matter=matter, user=gov.users["hmf_lawyer"])
    for i in range(4):
        services.record_session(
            actor=actor, matter=matter, held_on=today, place="村委会", participants="双方", summary=f"第{i}次调处"
        )
        attachment_services.add_attachment(actor=actor, matter=matter, upload=_photo(f"scene{i}.jpg"))
    services.resolve(actor=actor, matter=matter, outcome=Outcome.RECONCILED, resolution="当面调解和好")
    for i in range(3):
        services.follow_up(actor=actor, matter=matter, visited_on=today, held=True, satisfaction=5, note=f"回访{i}")
    many, _page = _detail_queries(zsf, matter)
    # An open matter's page also reads the working calendar for its signal; a list with no row is
    # not read (`test_matter_page_reads_no_list_it_has_nothing_in`), one with rows in one query.
    assert few <= 8 and many <= 8
    services.follow_up(actor=actor, matter=matter, visited_on=today, held=True, satisfaction=5, note="回访9")
    matter.parties.add(gov.zhao)
    longer, page = _detail_queries(zsf, matter)
    assert longer == many
    lawyer = gov.users["hmf_lawyer"]
    assert all(text in page for text in ("第3次调处", "scene3.jpg", "回访2", gov.zhao.name, str(lawyer)))
    # The invited adviser is recognised from the list the page shows: the actions open to them.
    lawyer_count, lawyer_page = _detail_queries(gov.client_for("hmf_lawyer"), matter)
    assert lawyer_count <= 8 and _url("matter_attach", matter) in lawyer_page


def test_matter_page_reads_no_list_it_has_nothing_in(gov):
    """The matter's own query says which lists of its file have rows (sessions, follow-up visits,
    attachments, parties, invited people): a list with none is not read (most matters have no
    attachment and no one invited), and the page shows the same."""
    matter = _report(gov)
    zsf = gov.client_for("zhangshengfu")
    zsf.get(reverse("accounts:me"))
    with CaptureQueriesContext(connection) as ctx:
        page = zsf.get(_url("matter_detail", matter)).content.decode()
    read = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in ("mediationsession", "followup", "attachment"):
        assert f'"governance_{table}"."id"' not in read
    assert 'JOIN "governance_matter_parties"' not in read and 'JOIN "governance_matter_invited"' not in read
    assert 'FROM "governance_matterevent"' in read and matter.title in page
    # With a row in each, each list is read and shown.
    matter.parties.add(gov.li)
    services.invite(actor=gov.users["zhangshengfu"], matter=matter, user=gov.users["hmf_lawyer"])
    count, page = _detail_queries(zsf, matter)
    assert gov.li.name in page and str(gov.users["hmf_lawyer"]) in page and count <= 8


def test_print_without_agreement_goes_back_to_the_matter(gov):
    matter = _report(gov)
    response = gov.client_for("zhangshengfu").get(_url("agreement_print", matter), follow=True)
    assert response.redirect_chain[-1][0] == _url("matter_detail", matter)
    assert "尚未登记调解协议" in response.content.decode()


def test_outcome_that_did_not_hold_is_reopened(gov):
    matter = _report(gov)
    zsf = gov.client_for("zhangshengfu")
    zsf.post(_url("matter_resolve", matter), {"outcome": Outcome.RECONCILED, "resolution": "当面调解和好"})
    today = timezone.localdate().isoformat()
    zsf.post(_url("matter_follow_up", matter), {"visited_on": today, "held": "0", "satisfaction": "2"})
    matter.refresh_from_db()
    assert matter.status == MatterStatus.RESOLVED and matter.satisfaction == 2
    assert zsf.post(_url("matter_reopen", matter), {"reason": ""}).status_code == 200  # a reason is required
    assert zsf.post(_url("matter_reopen", matter), {"reason": "双方再起争执"}).status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW and matter.reopened == 1
    assert "双方再起争执" in zsf.get(_url("matter_detail", matter)).content.decode()


def test_report_and_its_photos_are_one_transaction(gov, monkeypatch):
    """Should storing the second photo fail, there is no matter, no attachment and no stored file."""
    real = services.add_attachment
    stored: list[str] = []

    def flaky(**kwargs: Any) -> Attachment:
        if stored:
            raise ValidationError({"file": "存储失败"})
        attachment = real(**kwargs)
        stored.append(attachment.file.name)
        return attachment

    monkeypatch.setattr(attachment_services, "add_attachment", flaky)
    response = gov.client_for("zhangshengfu").post(
        reverse("governance:report"),
        {
            "category": gov.forest.pk,
            "description": "山林纠纷",
            "place": gov.hemeifan.hamlet.pk,
            "urgency": "normal",
            "photos": [_photo("a.jpg"), _photo("b.jpg")],
        },
    )
    assert response.status_code == 200 and "存储失败" in response.content.decode()
    _no_matter_written()
    assert len(stored) == 1 and not default_storage.exists(stored[0])
