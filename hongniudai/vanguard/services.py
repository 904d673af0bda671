"""Every write to vanguard posts (党员先锋岗) and party activities (车间党日、党员夜校、技能比武、志愿服务).

A post belongs to one member and hangs on the member's branch; an activity is organised by a
branch. Both may name an enterprise the actor can see. Writes need EDIT_PARTY over the branch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update
from hongniudai.enterprises.interface import Enterprise
from hongniudai.party.models import Member, OrgKind, PartyOrg

from . import events, selectors
from .models import Activity, ActivityKind, PostPlace, VanguardPost
from .policy import can_view, require

# The audited fields: the member and branch fixed at creation, and the editable ones.
POST_FIELDS = ("member", "org", *VanguardPost.EDITABLE)


def _visible_enterprise(actor: User, enterprise: Enterprise | None, errors: dict[str, str]) -> None:
    if enterprise is not None and not can_view(actor, enterprise):
        errors["enterprise"] = _("所选企业不在您的权限范围之内。")


# ---- vanguard posts -----------------------------------------------------------------------


def _clean_post(
    *,
    actor: User,
    title: str,
    place_kind: str,
    place_name: str,
    enterprise: Enterprise | None,
    since: dt.date | None,
    until: dt.date | None,
) -> tuple[str, str]:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    place_name = (place_name or "").strip()
    if not title:
        errors["title"] = _("请填写岗位名称。")
    if place_kind not in PostPlace.values:
        errors["place_kind"] = _("请选择岗位所在。")
    if not place_name:
        errors["place_name"] = _("请填写车间、项目或窗口名称。")
    if since is None:
        errors["since"] = _("请填写设岗日期。")
    elif until is not None and until < since:
        errors["until"] = _("撤岗日期不能早于设岗日期。")
    _visible_enterprise(actor, enterprise, errors)
    if errors:
        raise ValidationError(errors)
    return title, place_name


def _post_snapshot(post: VanguardPost) -> audit.Snapshot:
    return audit.snapshot(post, POST_FIELDS)


class PostFields(TypedDict, total=False):
    """What setting up or changing a post takes (`VanguardPost.EDITABLE`): the title, the place's
    name and the day it starts always; the rest as `_checked_post` defaults them."""

    title: Required[str]
    place_name: Required[str]
    since: Required[dt.date]
    place_kind: str
    enterprise: Enterprise | None
    commitment: str
    until: dt.date | None


def _checked_post(
    actor: User, fields: PostFields, *, enterprise: Enterprise | None, check: Enterprise | None
) -> dict[str, Any]:
    """The values of a post to store, checked (`check`: the enterprise to check the actor sees, None
    when it is the post's own already)."""
    commitment = fields.get("commitment", "")
    check_lengths(
        VanguardPost,
        {
            "title": (fields["title"] or "").strip(),
            "place_name": (fields["place_name"] or "").strip(),
            "commitment": commitment or "",
        },
    )
    place_kind, until = fields.get("place_kind", PostPlace.WORKSHOP), fields.get("until")
    title, place_name = _clean_post(
        actor=actor,
        title=fields["title"],
        place_kind=place_kind,
        place_name=fields["place_name"],
        enterprise=check,
        since=fields["since"],
        until=until,
    )
    return {
        "title": title,
        "place_kind": place_kind,
        "place_name": place_name,
        "enterprise": enterprise,
        "commitment": (commitment or "").strip(),
        "since": fields["since"],
        "until": until,
    }


@transaction.atomic
def create_post(*, actor: User, member: Member, **fields: Unpack[PostFields]) -> VanguardPost:
    """Set up a post for `member` on the member's branch. Without an enterprise, the post takes
    the enterprise the member works at (when the actor may see it)."""
    require(actor, Capability.EDIT_PARTY, member)
    enterprise = fields.get("enterprise")
    if enterprise is None:
        enterprise = selectors.default_enterprise(actor, member)
    data = _checked_post(actor, fields, enterprise=enterprise, check=enterprise)
    if VanguardPost.objects.filter(member=member, title=data["title"], until__isnull=True).exists():
        raise ValidationError({"title": _("该党员已有同名且未撤销的先锋岗。")})
    post = VanguardPost.objects.create(member=member, org=member.org, **data)
    audit.record_create(
        actor=actor, action=events.POST_CREATED, target=post, after=_post_snapshot(post), **audit.at_org(post.org)
    )
    return post


@transaction.atomic
def update_post(*, actor: User, post: VanguardPost, **fields: Unpack[PostFields]) -> VanguardPost:
    """Change a post's description and dates; its member and branch stay as set up."""
    require(actor, Capability.EDIT_PARTY, post)
    enterprise = fields.get("enterprise")
    changed = enterprise if enterprise is None or enterprise.pk != post.enterprise_id else None
    data = _checked_post(actor, fields, enterprise=enterprise, check=changed)
    if (
        data["until"] is None
        and VanguardPost.objects.filter(member=post.member_id, title=data["title"], until__isnull=True)
        .exclude(pk=post.pk)
        .exists()
    ):
        raise ValidationError({"title": _("该党员已有同名且未撤销的先锋岗。")})
    before = _post_snapshot(post)
    model_update(post, fields=VanguardPost.EDITABLE, data=data)
    audit.record_update(
        actor=actor,
        action=events.POST_UPDATED,
        target=post,
        before=before,
        after=_post_snapshot(post),
        **audit.at_org(post.org),
    )
    return post


@transaction.atomic
def end_post(*, actor: User, post: VanguardPost, until: dt.date | None = None) -> VanguardPost:
    """Withdraw a post as of `until` (today by default; not later than today)."""
    require(actor, Capability.EDIT_PARTY, post)
    today = timezone.localdate()
    until = until or today
    if post.until is not None and post.until <= today:
        raise ValidationError({"until": _("该先锋岗已于 %(date)s 撤销。") % {"date": post.until.isoformat()}})
    if until > today:
        raise ValidationError({"until": _("撤岗日期不能晚于今天。")})
    if until < post.since:
        raise ValidationError({"until": _("撤岗日期不能早于设岗日期。")})
    before = _post_snapshot(post)
    model_update(post, fields=VanguardPost.EDITABLE, data={"until": until})
    audit.record_update(
        actor=actor,
        action=events.POST_ENDED,
        target=post,
        before=before,
        after=_post_snapshot(post),
        **audit.at_org(post.org),
    )
    return post


@transaction.atomic
def delete_post(*, actor: User, post: VanguardPost) -> None:
    require(actor, Capability.EDIT_PARTY, post)
    audit.record_delete(
        actor=actor, action=events.POST_DELETED, target=post, before=_post_snapshot(post), **audit.at_org(post.org)
    )
    post.delete()


# ---- activities ---------------------------------------------------------------------------


def _clean_activity(
    *,
    actor: User,
    kind: str,
    title: str,
    held_on: dt.date | None,
    org: PartyOrg,
    enterprise: Enterprise | None,
    participants: list[Member],
    other_participants: int | None,
) -> str:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if kind not in ActivityKind.values:
        errors["kind"] = _("请选择活动类型。")
    if not title:
        errors["title"] = _("请填写活动名称。")
    if held_on is None:
        errors["held_on"] = _("请填写活动日期。")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("活动日期不能晚于今天:请在活动举行后登记。")
    if org.kind != OrgKind.BRANCH:
        errors["org"] = _("请选择组织活动的党支部。")
    _visible_enterprise(actor, enterprise, errors)
    if other_participants is None or other_participants < 0:
        errors["other_participants"] = _("其他参加人数不能为负数。")
    outside = [m for m in participants if m.org_id != org.pk and not can_view(actor, m)]
    if outside:
        errors["participants"] = _("参加党员应为本支部或您权限范围内党支部的党员。")
    if errors:
        raise ValidationError(errors)
    return title


def _activity_snapshot(activity: Activity) -> audit.Snapshot:
    out = audit.snapshot(activity, Activity.EDITABLE)
    members = Member.objects.filter(activities=activity).select_related("resident")
    out["participants"] = sorted(str(m) for m in members)
    return out


def _unique(members: Iterable[Member]) -> list[Member]:
    seen: dict[int, Member] = {}
    for m in members:
        seen.setdefault(m.pk, m)
    return list(seen.values())


class ActivityFields(TypedDict, total=False):
    """What recording or changing an activity takes (`Activity.EDITABLE` and the participants):
    its kind, title, day and organisation always; the rest as `_checked_activity` defaults them."""

    kind: Required[str]
    title: Required[str]
    held_on: Required[dt.date]
    org: Required[PartyOrg]
    enterprise: Enterprise | None
    place: str
    description: str
    participants: Iterable[Member]
    other_participants: int


def _checked_activity(
    actor: User, fields: ActivityFields, *, check: Enterprise | None, newcomers: Callable[[list[Member]], list[Member]]
) -> tuple[dict[str, Any], list[Member]]:
    """The values of an activity to store, checked, and its participants (each once). `check` is the
    enterprise to check the actor sees (None when it is the activity's own already); `newcomers`
    picks the participants to check among them."""
    members = _unique(fields.get("participants", ()))
    place, description = (fields.get("place") or "").strip(), (fields.get("description") or "").strip()
    check_lengths(Activity, {"title": (fields["title"] or "").strip(), "place": place, "description": description})
    other_participants = fields.get("other_participants", 0)
    title = _clean_activity(
        actor=actor,
        kind=fields["kind"],
        title=fields["title"],
        held_on=fields["held_on"],
        org=fields["org"],
        enterprise=check,
        participants=newcomers(members),
        other_participants=other_participants,
    )
    data = {
        "kind": fields["kind"],
        "title": title,
        "held_on": fields["held_on"],
        "org": fields["org"],
        "enterprise": fields.get("enterprise"),
        "place": place,
        "description": description,
        "other_participants": other_participants,
    }
    return data, members


@transaction.atomic
def create_activity(*, actor: User, **fields: Unpack[ActivityFields]) -> Activity:
    org = fields["org"]
    require(actor, Capability.EDIT_PARTY, org)
    data, members = _checked_activity(actor, fields, check=fields.get("enterprise"), newcomers=list)
    activity = Activity.objects.create(recorded_by=actor if getattr(actor, "pk", None) else None, **data)
    activity.participants.set(members)
    audit.record_create(
        actor=actor,
        action=events.ACTIVITY_RECORDED,
        target=activity,
        after=_activity_snapshot(activity),
        **audit.at_org(org),
    )
    return activity


@transaction.atomic
def update_activity(*, actor: User, activity: Activity, **fields: Unpack[ActivityFields]) -> Activity:
    org, enterprise = fields["org"], fields.get("enterprise")
    require(actor, Capability.EDIT_PARTY, activity)
    if org.pk != activity.org_id:
        require(actor, Capability.EDIT_PARTY, org)
    # Participants already recorded stay acceptable even if the actor no longer sees them.
    kept = set(Member.objects.filter(activities=activity).values_list("pk", flat=True))
    data, members = _checked_activity(
        actor,
        fields,
        check=enterprise if enterprise is None or enterprise.pk != activity.enterprise_id else None,
        newcomers=lambda members: [m for m in members if m.pk not in kept],
    )
    before = _activity_snapshot(activity)
    model_update(activity, fields=Activity.EDITABLE, data=data)
    activity.participants.set(members)
    audit.record_update(
        actor=actor,
        action=events.ACTIVITY_UPDATED,
        target=activity,
        before=before,
        after=_activity_snapshot(activity),
        **audit.at_org(org),
    )
    return activity


@transaction.atomic
def delete_activity(*, actor: User, activity: Activity) -> None:
    require(actor, Capability.EDIT_PARTY, activity)
    audit.record_delete(
        actor=actor,
        action=events.ACTIVITY_DELETED,
        target=activity,
        before=_activity_snapshot(activity),
        **audit.at_org(activity.org),
    )
    activity.delete()
