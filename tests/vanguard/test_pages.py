"""The vanguard pages: lists with filters, search and export, details, forms with their Chinese
messages; 404 outside the user's scope and 403 without the right to change."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hongniudai.audit.models import AuditEvent
from hongniudai.vanguard import events, services
from hongniudai.vanguard.models import Activity, ActivityKind, PostPlace, VanguardPost

from .conftest import errors, xlsx_rows
from .url_scope import fashuihe_activity, fashuihe_post


@pytest.fixture
def records(vt):
    """Posts and activities in 徐桥村 and 发水河村."""
    t = vt.town
    xq = t.users["xuqiao"]
    p1 = services.create_post(
        actor=xq, member=t.xuqiao.member, title="安全生产先锋岗", place_name="碾米车间", since=dt.date(2024, 3, 1)
    )
    p2 = services.create_post(
        actor=xq,
        member=vt.xu_ming,
        title="便民服务先锋岗",
        place_kind=PostPlace.SERVICE_WINDOW,
        place_name="党群服务中心窗口",
        since=dt.date(2023, 1, 1),
    )
    services.end_post(actor=xq, post=p2, until=dt.date(2024, 12, 31))
    a1 = services.create_activity(
        actor=xq,
        kind=ActivityKind.WORKSHOP_PARTY_DAY,
        title="车间党日:安全月",
        held_on=dt.date(2025, 6, 15),
        org=t.xuqiao.branch,
        enterprise=vt.xq_enterprise,
        participants=[t.xuqiao.member, vt.xu_ming],
        other_participants=20,
    )
    a2 = services.create_activity(
        actor=xq,
        kind=ActivityKind.VOLUNTEER_SERVICE,
        title="清扫村道",
        held_on=dt.date(2024, 4, 2),
        org=t.xuqiao.branch,
        participants=[vt.xu_ming],
    )
    return {"p1": p1, "p2": p2, "a1": a1, "a2": a2, "fp": fashuihe_post(t), "fa": fashuihe_activity(t)}


def _titles(response, prefix: str) -> set[str]:
    html = response.content.decode()
    html = html.split('id="results"', 1)[1] if 'id="results"' in html else html
    return set(re.findall(rf'href="{re.escape(prefix)}\d+/">([^<]+)</a>', html))


# ---- posts ----------------------------------------------------------------------------------


def test_post_list_is_scoped_and_filters(vt, records):
    t = vt.town
    url = reverse("vanguard:post_list")
    admin = t.client_for("admin")
    assert _titles(admin.get(url), "/vanguard/posts/") == {"安全生产先锋岗", "便民服务先锋岗", "防汛值守先锋岗"}
    xq = t.client_for("xuqiao")
    response = xq.get(url)
    assert response.status_code == 200
    assert _titles(response, "/vanguard/posts/") == {"安全生产先锋岗", "便民服务先锋岗"}
    assert "发水河" not in response.content.decode() and "施华成" not in response.content.decode()
    assert _titles(xq.get(url, {"state": "active"}), "/vanguard/posts/") == {"安全生产先锋岗"}
    assert _titles(xq.get(url, {"state": "ended"}), "/vanguard/posts/") == {"便民服务先锋岗"}
    assert _titles(xq.get(url, {"place_kind": "service_window"}), "/vanguard/posts/") == {"便民服务先锋岗"}
    assert _titles(xq.get(url, {"q": "xm"}), "/vanguard/posts/") == {"便民服务先锋岗"}  # pinyin initials of 徐明
    assert _titles(xq.get(url, {"q": "安全"}), "/vanguard/posts/") == {"安全生产先锋岗"}  # title
    assert _titles(xq.get(url, {"enterprise": vt.xq_enterprise.pk}), "/vanguard/posts/") == {"安全生产先锋岗"}
    assert _titles(xq.get(url, {"q": "施华成"}), "/vanguard/posts/") == set()
    assert _titles(admin.get(url, {"org": t.fashuihe.branch.pk}), "/vanguard/posts/") == {"防汛值守先锋岗"}
    # Another village's branch is not even a choice for xuqiao.
    response = xq.get(url, {"org": t.fashuihe.branch.pk})
    assert errors(response, "org") and _titles(response, "/vanguard/posts/") == {"安全生产先锋岗", "便民服务先锋岗"}


def test_post_export_is_scoped_and_audited(vt, records):
    t = vt.town
    response = t.client_for("xuqiao").get(reverse("vanguard:post_list"), {"export": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:3] == ["岗位名称", "党员", "党支部"]
    assert sorted((r[0], r[1], r[-1]) for r in rows[1:]) == [
        ("便民服务先锋岗", "徐明", "已撤岗"),
        ("安全生产先锋岗", "黄文华", "在岗"),
    ]
    assert rows[1][5] == "徐桥米业有限公司" or rows[2][5] == "徐桥米业有限公司"
    assert AuditEvent.objects.filter(action="export", target_repr="党员先锋岗 (2)").exists()


def test_post_detail_and_scope(vt, records):
    t = vt.town
    p1, fp = records["p1"], records["fp"]
    html = t.client_for("xuqiao").get(reverse("vanguard:post_detail", args=[p1.pk])).content.decode()
    assert "安全生产先锋岗" in html and "黄文华" in html and "徐桥米业有限公司" in html and "在岗" in html
    assert reverse("vanguard:post_end", args=[p1.pk]) in html
    assert f"/audit/history/vanguard.vanguardpost/{p1.pk}/" in html
    assert t.client_for("xuqiao").get(reverse("vanguard:post_detail", args=[fp.pk])).status_code == 404
    for name in ("post_edit", "post_end", "post_delete"):
        assert t.client_for("xuqiao").get(reverse(f"vanguard:{name}", args=[fp.pk])).status_code == 404
        assert t.client_for("xuqiao").post(reverse(f"vanguard:{name}", args=[fp.pk])).status_code == 404
    # A view-only user sees the post but gets 403 on every change, and no edit buttons.
    viewer = t.client_for("xq_viewer")
    html = viewer.get(reverse("vanguard:post_detail", args=[p1.pk])).content.decode()
    assert "安全生产先锋岗" in html and reverse("vanguard:post_edit", args=[p1.pk]) not in html
    for name in ("post_edit", "post_end", "post_delete"):
        assert viewer.get(reverse(f"vanguard:{name}", args=[p1.pk])).status_code == 403
        assert viewer.post(reverse(f"vanguard:{name}", args=[p1.pk])).status_code == 403
    assert VanguardPost.objects.filter(pk=p1.pk, until__isnull=True).exists()


def test_gridworker_may_not_create(vt):
    client = vt.town.client_for("gridworker")
    for name in ("post_create", "activity_create"):
        assert client.get(reverse(f"vanguard:{name}")).status_code == 403
        assert client.post(reverse(f"vanguard:{name}"), {"title": "x"}).status_code == 403
    assert "设立先锋岗" not in client.get(reverse("vanguard:post_list")).content.decode()


def test_post_create_with_member_search(vt):
    t = vt.town
    client = t.client_for("xuqiao")
    url = reverse("vanguard:post_create")
    # The HTMX member search lists only members the user may give a post to.
    html = client.get(reverse("vanguard:member_options"), {"member_q": "xm"}).content.decode()
    assert "徐明 · 徐桥村党支部" in html
    assert "施华成" not in client.get(reverse("vanguard:member_options"), {"member_q": "施"}).content.decode()
    html = client.get(url, {"member_q": "徐明"}).content.decode()
    assert f'value="{vt.xu_ming.pk}"' in html
    response = client.post(
        url,
        {
            "member": t.xuqiao.member.pk,
            "title": "技术攻关先锋岗",
            "place_kind": "workshop",
            "place_name": "烘干车间",
            "since": "2025-02-01",
        },
    )
    post = VanguardPost.objects.get(title="技术攻关先锋岗")
    assert response.status_code == 302 and response["Location"] == reverse("vanguard:post_detail", args=[post.pk])
    assert post.enterprise == vt.xq_enterprise  # where 黄文华 works
    # Another village's member is not a valid choice.
    response = client.post(
        url,
        {
            "member": t.fashuihe.member.pk,
            "title": "岗",
            "place_kind": "workshop",
            "place_name": "x",
            "since": "2025-02-01",
        },
    )
    assert response.status_code == 200 and errors(response, "member") == [
        "选择一个有效的选项： 该选择不在可用的选项中。"
    ]


def test_post_form_messages(vt, records):
    t = vt.town
    client = t.client_for("xuqiao")
    p1 = records["p1"]
    response = client.post(
        reverse("vanguard:post_edit", args=[p1.pk]),
        {
            "title": "安全生产先锋岗",
            "place_kind": "workshop",
            "place_name": "碾米车间",
            "since": "2024-03-01",
            "until": "2024-01-01",
        },
    )
    assert response.status_code == 200 and errors(response, "until") == ["撤岗日期不能早于设岗日期。"]
    response = client.post(reverse("vanguard:post_create"), {"since": "2025-13-01"})
    assert response.status_code == 200
    assert errors(response, "title") == ["该字段是必填项。"]
    assert errors(response, "since")
    response = client.post(
        reverse("vanguard:post_edit", args=[p1.pk]),
        {"title": "安全生产先锋岗", "place_kind": "workshop", "place_name": "一号车间", "since": "2024-03-01"},
    )
    assert response.status_code == 302
    p1.refresh_from_db()
    assert p1.place_name == "一号车间"


def test_post_end_and_delete_pages(vt, records):
    t = vt.town
    client = t.client_for("xuqiao")
    p1 = records["p1"]
    url = reverse("vanguard:post_end", args=[p1.pk])
    assert "确认撤岗" in client.get(url).content.decode()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"until": future})
    assert errors(response, "until") == ["撤岗日期不能晚于今天。"]
    response = client.post(url, {"until": "2025-01-31"})
    assert response.status_code == 302
    p1.refresh_from_db()
    assert p1.until == dt.date(2025, 1, 31)
    assert "已撤岗" in client.get(reverse("vanguard:post_detail", args=[p1.pk])).content.decode()
    # The withdrawal is audited as such, and the record's history names it.
    assert AuditEvent.objects.filter(action=events.POST_ENDED, target_id=str(p1.pk)).exists()
    history = t.client_for("admin").get(reverse("audit:history", args=["vanguard.vanguardpost", str(p1.pk)]))
    assert "撤销党员先锋岗" in history.content.decode()
    response = client.post(reverse("vanguard:post_delete", args=[p1.pk]))
    assert response.status_code == 302 and not VanguardPost.objects.filter(pk=p1.pk).exists()


# ---- activities -----------------------------------------------------------------------------


def test_activity_list_is_scoped_and_filters(vt, records):
    t = vt.town
    url = reverse("vanguard:activity_list")
    xq = t.client_for("xuqiao")
    response = xq.get(url)
    assert _titles(response, "/vanguard/activities/") == {"车间党日:安全月", "清扫村道"}
    assert "发水河" not in response.content.decode()
    assert _titles(xq.get(url, {"kind": "volunteer_service"}), "/vanguard/activities/") == {"清扫村道"}
    assert _titles(xq.get(url, {"q": "安全"}), "/vanguard/activities/") == {"车间党日:安全月"}
    assert _titles(xq.get(url, {"date_from": "2025-01-01"}), "/vanguard/activities/") == {"车间党日:安全月"}
    assert _titles(xq.get(url, {"date_to": "2024-12-31"}), "/vanguard/activities/") == {"清扫村道"}
    assert _titles(xq.get(url, {"enterprise": vt.xq_enterprise.pk}), "/vanguard/activities/") == {"车间党日:安全月"}
    admin = t.client_for("admin")
    assert _titles(admin.get(url, {"org": t.fashuihe.branch.pk}), "/vanguard/activities/") == {"发水河村清淤志愿服务"}
    assert _titles(admin.get(url, {"q": "发水河"}), "/vanguard/activities/") == {"发水河村清淤志愿服务"}
    assert _titles(xq.get(url, {"q": "发水河"}), "/vanguard/activities/") == set()


def test_activity_export_is_the_ledger(vt, records):
    response = vt.town.client_for("xuqiao").get(reverse("vanguard:activity_list"), {"export": "xlsx"})
    rows = xlsx_rows(response)
    assert rows[0][:4] == ["日期", "活动类型", "活动名称", "组织党支部"]
    assert [(r[1], r[2], r[6], r[7]) for r in rows[1:]] == [
        ("车间党日", "车间党日:安全月", "2", "20"),
        ("志愿服务", "清扫村道", "1", "0"),
    ]
    assert AuditEvent.objects.filter(action="export", target_repr="党建活动台账 (2)").exists()


def test_activity_detail_shows_participants_and_scope(vt, records):
    t = vt.town
    a1, fa = records["a1"], records["fa"]
    html = t.client_for("xuqiao").get(reverse("vanguard:activity_detail", args=[a1.pk])).content.decode()
    for text in ("车间党日:安全月", "黄文华", "徐明", "徐桥米业有限公司", "党员 2 人,其他 20 人"):
        assert text in html
    for name in ("activity_detail", "activity_edit", "activity_delete"):
        assert t.client_for("xuqiao").get(reverse(f"vanguard:{name}", args=[fa.pk])).status_code == 404
    viewer = t.client_for("xq_viewer")
    assert viewer.get(reverse("vanguard:activity_detail", args=[a1.pk])).status_code == 200
    for name in ("activity_edit", "activity_delete"):
        assert viewer.get(reverse(f"vanguard:{name}", args=[a1.pk])).status_code == 403
        assert viewer.post(reverse(f"vanguard:{name}", args=[a1.pk])).status_code == 403
    assert Activity.objects.filter(pk=a1.pk).exists()


def test_activity_from_another_branch_shows_hidden_participants_as_a_count(vt):
    t = vt.town
    activity = services.create_activity(
        actor=t.users["admin"],
        kind=ActivityKind.SKILL_CONTEST,
        title="全镇技能比武",
        held_on=dt.date(2025, 9, 9),
        org=t.xuqiao.branch,
        participants=[t.xuqiao.member, t.fashuihe.member],
    )
    html = t.client_for("xuqiao").get(reverse("vanguard:activity_detail", args=[activity.pk])).content.decode()
    assert "黄文华" in html and "施华成" not in html and "另有 1 名其他支部党员参加。" in html
    # Editing it keeps the participant xuqiao cannot see.
    response = t.client_for("xuqiao").post(
        reverse("vanguard:activity_edit", args=[activity.pk]),
        {
            "kind": "skill_contest",
            "title": "全镇技能比武(初赛)",
            "held_on": "2025-09-09",
            "org": t.xuqiao.branch.pk,
            "participants": [t.xuqiao.member.pk, vt.xu_ming.pk],
            "other_participants": "3",
        },
    )
    assert response.status_code == 302
    assert set(activity.participants.all()) == {t.xuqiao.member, vt.xu_ming, t.fashuihe.member}


def test_activity_form_checklist_and_messages(vt):
    t = vt.town
    client = t.client_for("xuqiao")
    url = reverse("vanguard:activity_create")
    html = client.get(url).content.decode()
    # 徐桥村's only branch is chosen already, so its members are listed to tick.
    assert 'name="participants"' in html and "徐明" in html and "黄文华" in html and "施华成" not in html
    # The HTMX checklist for a chosen branch; another village's branch gives nothing.
    html = client.get(reverse("vanguard:participant_options"), {"org": t.xuqiao.branch.pk}).content.decode()
    assert "徐明" in html and "<html" not in html
    html = client.get(reverse("vanguard:participant_options"), {"org": t.fashuihe.branch.pk}).content.decode()
    assert "施华成" not in html and "请先选择组织党支部" in html
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        url, {"kind": "night_class", "title": "党员夜校", "held_on": tomorrow, "org": t.xuqiao.branch.pk}
    )
    assert errors(response, "held_on") == ["活动日期不能晚于今天:请在活动举行后登记。"]
    response = client.post(
        url,
        {
            "kind": "night_class",
            "title": "党员夜校",
            "held_on": "2025-03-03",
            "org": t.xuqiao.branch.pk,
            "participants": [t.fashuihe.member.pk],
        },
    )
    assert response.status_code == 200 and errors(response, "participants")
    response = client.post(
        url,
        {
            "kind": "night_class",
            "title": "党员夜校:电商培训",
            "held_on": "2025-03-03",
            "org": t.xuqiao.branch.pk,
            "place": "村委会",
            "participants": [vt.xu_ming.pk],
            "other_participants": "",
        },
    )
    activity = Activity.objects.get(title="党员夜校:电商培训")
    assert response.status_code == 302 and response["Location"] == reverse(
        "vanguard:activity_detail", args=[activity.pk]
    )
    assert list(activity.participants.all()) == [vt.xu_ming] and activity.other_participants == 0
    # The edit form ticks who took part.
    html = client.get(reverse("vanguard:activity_edit", args=[activity.pk])).content.decode()
    assert re.search(rf'value="{vt.xu_ming.pk}" id="participant_{vt.xu_ming.pk}" checked', html)
    response = client.post(reverse("vanguard:activity_delete", args=[activity.pk]))
    assert response.status_code == 302 and not Activity.objects.filter(pk=activity.pk).exists()


def test_activity_form_for_several_branches_lists_members_once_a_branch_is_chosen(vt):
    t = vt.town
    client = t.client_for("admin")
    url = reverse("vanguard:activity_create")
    html = client.get(url).content.decode()
    assert "请先选择组织党支部,再勾选参加党员。" in html and 'name="participants"' not in html
    assert 'hx-get="/vanguard/activities/participant-options/"' in html
    # Without JavaScript the form reloads with the chosen branch.
    html = client.get(url, {"org": t.fashuihe.branch.pk, "kind": "skill_contest"}).content.decode()
    assert f'name="participants" value="{t.fashuihe.member.pk}"' in html and "施华成" in html
    # With HTMX: the chosen branch's members, boxes already ticked elsewhere kept.
    html = client.get(
        reverse("vanguard:participant_options"),
        {"org": t.hemeifan.branch.pk, "participants": [t.xuqiao.member.pk]},
    ).content.decode()
    assert "张圣福" in html and re.search(
        rf'value="{t.xuqiao.member.pk}" id="participant_{t.xuqiao.member.pk}" checked', html
    )


def test_pages_fit_a_phone(vt, records):
    """Lists scroll sideways inside their own box rather than widening the page."""
    client = vt.town.client_for("xuqiao")
    for name in ("vanguard:post_list", "vanguard:activity_list"):
        html = client.get(reverse(name)).content.decode()
        assert 'class="table-responsive"' in html and "width:" not in html.split('id="results"', 1)[1]
