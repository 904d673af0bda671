"""Writes of vanguard posts and activities: audited, validated with Chinese messages keyed by
field, refused outside the actor's EDIT_PARTY scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hongniudai.audit.models import AuditEvent
from hongniudai.vanguard import events, services
from hongniudai.vanguard.models import Activity, ActivityKind, PostPlace, VanguardPost


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _audit(action: str, obj) -> AuditEvent:
    return AuditEvent.objects.get(action=action, target_type=obj._meta.label_lower, target_id=str(obj.pk))


# ---- posts ----------------------------------------------------------------------------------


def test_post_lifecycle_is_audited_and_takes_the_members_branch(vt):
    t = vt.town
    xq = t.users["xuqiao"]
    post = services.create_post(
        actor=xq,
        member=vt.xu_ming,
        title="  安全生产先锋岗 ",
        place_kind=PostPlace.WORKSHOP,
        place_name="碾米车间",
        commitment="带头落实安全规程",
        since=dt.date(2025, 3, 1),
    )
    assert post.org == t.xuqiao.branch and post.title == "安全生产先锋岗" and post.enterprise is None
    event = _audit(events.POST_CREATED, post)
    assert event.actor_name == "xuqiao" and event.org_path == t.xuqiao.branch.path
    assert event.area_path == t.xuqiao.area.path and event.changes["title"] == [None, "安全生产先锋岗"]

    services.update_post(
        actor=xq,
        post=post,
        title="安全生产先锋岗",
        place_kind=PostPlace.PROJECT,
        place_name="新仓库项目",
        enterprise=vt.xq_enterprise,
        since=dt.date(2025, 3, 1),
    )
    post.refresh_from_db()
    assert post.place_name == "新仓库项目" and post.enterprise == vt.xq_enterprise
    changes = _audit(events.POST_UPDATED, post).changes
    assert changes["place_name"] == ["碾米车间", "新仓库项目"] and changes["enterprise"] == [None, "徐桥米业有限公司"]

    today = timezone.localdate()
    services.end_post(actor=xq, post=post)
    post.refresh_from_db()
    assert post.until == today
    assert _audit(events.POST_ENDED, post).changes["until"] == [None, today.isoformat()]
    assert _audit(events.POST_ENDED, post).action_label == "撤销党员先锋岗"

    pk = post.pk
    services.delete_post(actor=xq, post=post)
    assert not VanguardPost.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(
        action=events.POST_DELETED, target_type="vanguard.vanguardpost", target_id=str(pk)
    ).exists()


def test_post_defaults_to_the_enterprise_the_member_works_at(vt):
    t = vt.town
    post = services.create_post(
        actor=t.users["xuqiao"],
        member=t.xuqiao.member,
        title="质量攻关先锋岗",
        place_name="包装车间",
        since=dt.date(2025, 1, 1),
    )
    assert post.enterprise == vt.xq_enterprise


def test_post_validation_messages(vt):
    t = vt.town
    xq = t.users["xuqiao"]
    with pytest.raises(ValidationError) as exc:
        services.create_post(
            actor=xq,
            member=vt.xu_ming,
            title=" ",
            place_kind="garden",
            place_name="",
            since=dt.date(2025, 3, 1),
            until=dt.date(2025, 2, 1),
        )
    assert _messages(exc) == {
        "title": ["请填写岗位名称。"],
        "place_kind": ["请选择岗位所在。"],
        "place_name": ["请填写车间、项目或窗口名称。"],
        "until": ["撤岗日期不能早于设岗日期。"],
    }
    with pytest.raises(ValidationError) as exc:
        services.create_post(
            actor=xq,
            member=vt.xu_ming,
            title="先锋岗",
            place_name="车间",
            since=dt.date(2025, 3, 1),
            enterprise=vt.fsh_enterprise,
        )
    assert _messages(exc) == {"enterprise": ["所选企业不在您的权限范围之内。"]}
    services.create_post(actor=xq, member=vt.xu_ming, title="先锋岗", place_name="车间", since=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.create_post(actor=xq, member=vt.xu_ming, title="先锋岗", place_name="车间", since=dt.date(2025, 4, 1))
    assert _messages(exc) == {"title": ["该党员已有同名且未撤销的先锋岗。"]}
    assert VanguardPost.objects.count() == 1


def test_end_post_checks_its_date(vt):
    t = vt.town
    xq = t.users["xuqiao"]
    today = timezone.localdate()
    post = services.create_post(actor=xq, member=vt.xu_ming, title="岗", place_name="车间", since=today)
    with pytest.raises(ValidationError) as exc:
        services.end_post(actor=xq, post=post, until=today + dt.timedelta(days=1))
    assert _messages(exc) == {"until": ["撤岗日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as exc:
        services.end_post(actor=xq, post=post, until=today - dt.timedelta(days=1))
    assert _messages(exc) == {"until": ["撤岗日期不能早于设岗日期。"]}
    services.end_post(actor=xq, post=post)
    with pytest.raises(ValidationError) as exc:
        services.end_post(actor=xq, post=post)
    assert _messages(exc) == {"until": [f"该先锋岗已于 {today.isoformat()} 撤销。"]}


def test_post_writes_need_edit_party_over_the_member(vt):
    t = vt.town
    with pytest.raises(PermissionDenied):
        services.create_post(
            actor=t.users["xuqiao"], member=t.fashuihe.member, title="岗", place_name="车间", since=dt.date(2025, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.create_post(
            actor=t.users["gridworker"],
            member=t.xuqiao.member,
            title="岗",
            place_name="车间",
            since=dt.date(2025, 1, 1),
        )
    post = services.create_post(
        actor=t.users["admin"], member=t.xuqiao.member, title="岗", place_name="车间", since=dt.date(2025, 1, 1)
    )
    for actor in (vt.viewer, t.users["fashuihe"]):
        with pytest.raises(PermissionDenied):
            services.end_post(actor=actor, post=post)
        with pytest.raises(PermissionDenied):
            services.delete_post(actor=actor, post=post)
    assert VanguardPost.objects.filter(pk=post.pk, until__isnull=True).exists()


# ---- activities -----------------------------------------------------------------------------


def test_activity_lifecycle_is_audited(vt):
    t = vt.town
    xq = t.users["xuqiao"]
    activity = services.create_activity(
        actor=xq,
        kind=ActivityKind.NIGHT_CLASS,
        title="党员夜校:农业技术",
        held_on=dt.date(2025, 5, 20),
        org=t.xuqiao.branch,
        enterprise=vt.xq_enterprise,
        place="村党群服务中心",
        participants=[t.xuqiao.member, vt.xu_ming, vt.xu_ming],
        other_participants=12,
    )
    assert set(activity.participants.all()) == {t.xuqiao.member, vt.xu_ming}
    assert activity.recorded_by == xq
    event = _audit(events.ACTIVITY_RECORDED, activity)
    assert event.changes["participants"] == [None, ["徐明", "黄文华"]] and event.org_path == t.xuqiao.branch.path

    services.update_activity(
        actor=xq,
        activity=activity,
        kind=ActivityKind.NIGHT_CLASS,
        title="党员夜校:水稻种植",
        held_on=dt.date(2025, 5, 20),
        org=t.xuqiao.branch,
        participants=[vt.xu_ming],
        other_participants=15,
    )
    activity.refresh_from_db()
    assert activity.title == "党员夜校:水稻种植" and list(activity.participants.all()) == [vt.xu_ming]
    changes = _audit(events.ACTIVITY_UPDATED, activity).changes
    assert changes["participants"] == [["徐明", "黄文华"], ["徐明"]]
    assert changes["other_participants"] == [12, 15] and changes["enterprise"] == ["徐桥米业有限公司", None]

    pk = activity.pk
    services.delete_activity(actor=xq, activity=activity)
    assert not Activity.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(
        action=events.ACTIVITY_DELETED, target_type="vanguard.activity", target_id=str(pk)
    ).exists()


def test_activity_validation_messages(vt):
    t = vt.town
    xq = t.users["xuqiao"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.create_activity(
            actor=xq,
            kind="party",
            title="",
            held_on=tomorrow,
            org=t.xuqiao.group,
            enterprise=vt.fsh_enterprise,
            participants=[t.fashuihe.member],
            other_participants=-1,
        )
    assert _messages(exc) == {
        "kind": ["请选择活动类型。"],
        "title": ["请填写活动名称。"],
        "held_on": ["活动日期不能晚于今天:请在活动举行后登记。"],
        "org": ["请选择组织活动的党支部。"],
        "enterprise": ["所选企业不在您的权限范围之内。"],
        "other_participants": ["其他参加人数不能为负数。"],
        "participants": ["参加党员应为本支部或您权限范围内党支部的党员。"],
    }
    assert Activity.objects.count() == 0


def test_activity_of_a_branch_outside_edit_scope_is_refused(vt):
    t = vt.town
    for actor, org in ((t.users["xuqiao"], t.fashuihe.branch), (t.users["gridworker"], t.xuqiao.branch)):
        with pytest.raises(PermissionDenied):
            services.create_activity(
                actor=actor, kind=ActivityKind.VOLUNTEER_SERVICE, title="清扫", held_on=dt.date(2025, 1, 1), org=org
            )


def test_town_admin_may_bring_members_of_several_branches(vt):
    t = vt.town
    activity = services.create_activity(
        actor=t.users["admin"],
        kind=ActivityKind.SKILL_CONTEST,
        title="全镇技能比武",
        held_on=dt.date(2025, 9, 9),
        org=t.xuqiao.branch,
        participants=[t.xuqiao.member, t.fashuihe.member, t.hemeifan.member],
    )
    assert activity.participants.count() == 3
