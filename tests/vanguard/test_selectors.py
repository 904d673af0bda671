"""Summaries for the organisation and enterprise pages: posts in force, activities this year and
who took part, each branch's subtree counted, within the user's scope."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hongniudai.vanguard import selectors, services
from hongniudai.vanguard.models import ActivityKind

from .url_scope import fashuihe_activity, fashuihe_post


def _setup(vt):
    t = vt.town
    xq = t.users["xuqiao"]
    today = timezone.localdate()
    services.create_post(actor=xq, member=t.xuqiao.member, title="岗一", place_name="车间", since=dt.date(2024, 1, 1))
    ended = services.create_post(
        actor=xq, member=vt.xu_ming, title="岗二", place_name="车间", since=dt.date(2024, 1, 1)
    )
    services.end_post(actor=xq, post=ended, until=today)
    # A post set up for later does not count yet.
    services.create_post(
        actor=xq, member=vt.xu_ming, title="岗三", place_name="车间", since=today + dt.timedelta(days=10)
    )
    services.create_activity(
        actor=xq,
        kind=ActivityKind.NIGHT_CLASS,
        title="夜校",
        held_on=today,
        org=t.xuqiao.branch,
        enterprise=vt.xq_enterprise,
        participants=[t.xuqiao.member, vt.xu_ming],
        other_participants=10,
    )
    services.create_activity(
        actor=xq,
        kind=ActivityKind.VOLUNTEER_SERVICE,
        title="去年的志愿服务",
        held_on=dt.date(today.year - 1, 6, 1),
        org=t.xuqiao.branch,
        participants=[vt.xu_ming],
    )
    fashuihe_post(t)
    fashuihe_activity(t)


def test_org_summaries_count_subtrees_within_scope(vt, django_assert_max_num_queries):
    _setup(vt)
    t = vt.town
    orgs = [t.general_branch, t.xuqiao.branch, t.fashuihe.branch, t.hemeifan.branch]
    year = timezone.localdate().year
    with django_assert_max_num_queries(8):
        admin = selectors.org_summaries(t.users["admin"], orgs=orgs)
    xq = admin[t.xuqiao.branch.pk]
    assert (xq.active_posts, xq.activities, xq.member_participations, xq.other_participants) == (1, 1, 2, 10)
    assert xq.participants == 12
    assert admin[t.hemeifan.branch.pk] == selectors.VanguardSummary()
    # 发水河村's post counts; its activity was held in 2025.
    fsh_acts = 1 if year == 2025 else 0
    assert admin[t.fashuihe.branch.pk].active_posts == 1
    assert admin[t.fashuihe.branch.pk].activities == fsh_acts
    gb = admin[t.general_branch.pk]
    assert gb.active_posts == 2 and gb.activities == 1 + fsh_acts
    # xuqiao sees only 徐桥村's part of the general branch.
    mine = selectors.org_summaries(t.users["xuqiao"], orgs=[t.general_branch])[t.general_branch.pk]
    assert (mine.active_posts, mine.activities, mine.member_participations) == (1, 1, 2)
    last_year = selectors.org_summary(t.users["xuqiao"], t.xuqiao.branch, year=year - 1)
    assert (last_year.activities, last_year.member_participations, last_year.active_posts) == (1, 1, 1)


def test_enterprise_summaries(vt):
    _setup(vt)
    t = vt.town
    result = selectors.enterprise_summaries(t.users["admin"], enterprises=[vt.xq_enterprise, vt.fsh_enterprise])
    # 黄文华 works at 徐桥米业, so 岗一 took that enterprise by default.
    s = result[vt.xq_enterprise.pk]
    assert (s.active_posts, s.activities, s.member_participations, s.other_participants) == (1, 1, 2, 10)
    assert result[vt.fsh_enterprise.pk] == selectors.VanguardSummary()
    hidden = selectors.enterprise_summary(t.users["fashuihe"], vt.xq_enterprise)
    assert hidden == selectors.VanguardSummary()
