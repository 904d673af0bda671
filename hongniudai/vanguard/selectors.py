"""Every read of vanguard posts and party activities, for an acting user, and the per-branch and
per-enterprise summaries that the organisation and enterprise pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, get_scoped_or_404, scope_for
from hongniudai.common import parsing
from hongniudai.enterprises.interface import Employment, Enterprise
from hongniudai.party.models import Member, OrgKind, PartyOrg
from hongniudai.places.models import Resident
from hongniudai.places.selectors import resident_search_q

from .models import Activity, VanguardPost

ACTIVE = "active"
ENDED = "ended"


def active_q(on: dt.date | None = None) -> Q:
    """Posts in force on `on` (today): set up by then and not withdrawn by then."""
    on = on or timezone.localdate()
    return Q(since__lte=on) & (Q(until__isnull=True) | Q(until__gt=on))


def is_active(post: VanguardPost, on: dt.date | None = None) -> bool:
    on = on or timezone.localdate()
    return post.since <= on and (post.until is None or post.until > on)


def post_state_q(state: str, on: dt.date | None = None) -> Q:
    """ "active": in force on `on` (today); "ended": withdrawn by then; anything else: all."""
    on = on or timezone.localdate()
    if state == ACTIVE:
        return active_q(on)
    if state == ENDED:
        return Q(until__lte=on)
    return Q()


def post_search_q(q: str) -> Q:
    """The member's name (or pinyin initials) or the post's title."""
    q = q.strip()
    if not q:
        return Q()
    return Q(title__icontains=q) | Q(member__resident__in=_member_search(q))


def _member_search(q: str) -> Any:
    return Resident.objects.filter(resident_search_q(q)).values("pk")


# ---- vanguard posts -----------------------------------------------------------------------


def posts(
    user: User,
    *,
    q: str = "",
    place_kind: str = "",
    enterprise: Enterprise | None = None,
    org: PartyOrg | None = None,
    state: str = "",
) -> QuerySet[VanguardPost]:
    """Visible posts. `org` takes its whole subtree; `state` is "active", "ended" or blank; `q`
    matches the member's name (or pinyin initials) or the post's title."""
    qs = scope_for(user).filter(
        VanguardPost.objects.select_related("member__resident", "org", "org__area", "enterprise")
    )
    if place_kind:
        qs = qs.filter(place_kind=place_kind)
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    if org is not None:
        qs = qs.filter(org__path__under=org.path)
    return qs.filter(post_state_q(state), post_search_q(q)).order_by("org__path", "-since", "-id")


def post_get(user: User, pk: int) -> VanguardPost:
    return get_scoped_or_404(
        user,
        VanguardPost.objects.select_related("member__resident", "member__org", "org", "org__area", "enterprise"),
        pk=pk,
    )


def members_for_post_choice(user: User, *, q: str = "") -> QuerySet[Member]:
    """Members the user may give a post to (EDIT_PARTY scope), searchable by name or initials."""
    qs = scope_for(user, Capability.EDIT_PARTY).filter(Member.objects.select_related("resident", "org"))
    q = q.strip()
    if q:
        qs = qs.filter(resident__in=_member_search(q))
    return qs.order_by("org__path", "resident__name", "id")


# ---- activities ---------------------------------------------------------------------------


def activities(
    user: User,
    *,
    q: str = "",
    kind: str = "",
    org: PartyOrg | None = None,
    enterprise: Enterprise | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Activity]:
    """Visible activities with the number of member participants (`member_count`)."""
    qs = scope_for(user).filter(Activity.objects.select_related("org", "org__area", "enterprise"))
    if kind:
        qs = qs.filter(kind=kind)
    if org is not None:
        qs = qs.filter(org__path__under=org.path)
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    if date_from is not None:
        qs = qs.filter(held_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(held_on__lte=date_to)
    q = q.strip()
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.annotate(member_count=Count("participants", distinct=True)).order_by("-held_on", "-id")


def activity_get(user: User, pk: int) -> Activity:
    return get_scoped_or_404(
        user,
        Activity.objects.select_related("org", "org__area", "enterprise", "recorded_by"),
        pk=pk,
    )


def activity_participants(user: User, activity: Activity) -> list[Member]:
    """The activity's member participants. Those outside the user's sight appear only as a count
    (see `hidden_participant_count`)."""
    return list(
        scope_for(user)
        .filter(activity.participants.select_related("resident", "org"))
        .order_by("org__path", "resident__name", "id")
    )


def hidden_participant_count(user: User, activity: Activity, shown: int) -> int:
    return max(activity.participants.count() - shown, 0)


def recorded_participants(user: User, activity: Activity) -> list[Member]:
    """Every member recorded as taking part in `activity`, seen by `user` or not (an update that does
    not name the participants keeps them all)."""
    return list(Member.objects.filter(activities=activity))


def hidden_participants(user: User, activity: Activity) -> list[Member]:
    """Participants of `activity` the user cannot see (kept as they are when the user edits it)."""
    if activity.pk is None:
        return []
    visible = scope_for(user).filter(Member.objects.all()).values("pk")
    return list(Member.objects.filter(activities=activity).exclude(pk__in=visible))


def branches_for_choice(user: User) -> QuerySet[PartyOrg]:
    """Branches where the user may record activities."""
    return (
        scope_for(user, Capability.EDIT_PARTY)
        .filter(PartyOrg.objects.filter(kind=OrgKind.BRANCH))
        .only("id", "name", "depth", "path", "kind", "branch_type")
        .order_by("path")
    )


def members_for_participants(user: User, *, org: PartyOrg | None = None) -> QuerySet[Member]:
    """Members a user may record as participants: of `org` when given (its checklist), otherwise
    every member the user can see."""
    qs = scope_for(user).filter(Member.objects.select_related("resident", "org"))
    if org is not None:
        qs = qs.filter(org=org)
    return qs.order_by("org__path", "resident__name", "id")


def branches_for_editing(user: User, activity: Activity) -> QuerySet[PartyOrg]:
    """`branches_for_choice`, and the branch that organised `activity` even if the user no longer
    records activities there (so that saving keeps it)."""
    branches = branches_for_choice(user)
    if branches.filter(pk=activity.org_id).exists():
        return branches
    return PartyOrg.objects.filter(Q(pk__in=branches.values("pk")) | Q(pk=activity.org_id)).order_by("path")


def participants_for_editing(user: User, activity: Activity | None) -> QuerySet[Member]:
    """Members a user may tick for `activity`: those they may record, and those already recorded."""
    allowed = members_for_participants(user)
    if activity is None:
        return allowed
    return Member.objects.filter(
        Q(pk__in=allowed.values("pk")) | Q(pk__in=activity.participants.values("pk"))
    ).select_related("resident", "org")


def participants_chosen(user: User, ids: set[int], activity: Activity | None) -> list[Member]:
    """The members `ids` ticked in the form that the user may record (or that `activity` already has),
    in checklist order."""
    visible = Q(pk__in=members_for_participants(user).values("pk"))
    if activity is not None:
        visible |= Q(pk__in=activity.participants.values("pk"))
    extra = Member.objects.filter(visible, pk__in=ids).select_related("resident", "org")
    return list(extra.order_by("org__path", "resident__name", "id"))


# ---- choices shared by the pages and the API ------------------------------------------------


def enterprises_for_choice(user: User) -> QuerySet[Enterprise]:
    """Enterprises the user can see (choice lists and filters)."""
    return scope_for(user).filter(Enterprise.objects.only("id", "name", "area", "branch")).order_by("name", "id")


def enterprises_keeping(user: User, enterprise_id: int) -> QuerySet[Enterprise]:
    """`enterprises_for_choice`, and the enterprise a record already names even if the user no longer
    sees it (so that saving does not drop it)."""
    return Enterprise.objects.filter(
        Q(pk__in=enterprises_for_choice(user).values("pk")) | Q(pk=enterprise_id)
    ).order_by("name", "id")


def orgs_for_filter(user: User) -> QuerySet[PartyOrg]:
    return (
        scope_for(user)
        .filter(PartyOrg.objects.only("id", "name", "kind", "branch_type", "depth", "path"))
        .order_by("path")
    )


def visible_org(user: User, value: Any) -> PartyOrg | None:
    pk = parsing.parse_id(value)
    if pk is None:
        return None
    return scope_for(user).filter(PartyOrg.objects.select_related("area").filter(pk=pk)).first()


# ---- summaries ----------------------------------------------------------------------------


@dataclass
class VanguardSummary:
    """For one branch (with its subtree) or one enterprise: posts in force today, activities in
    the year, and how many took part in them (member participations and others)."""

    active_posts: int = 0
    activities: int = 0
    member_participations: int = 0
    other_participants: int = 0

    @property
    def participants(self) -> int:
        return self.member_participations + self.other_participants


def _year_bounds(year: int | None) -> tuple[dt.date, dt.date]:
    year = year or timezone.localdate().year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def org_summaries(user: User, *, orgs: Sequence[PartyOrg], year: int | None = None) -> dict[int, VanguardSummary]:
    """{org id: summary} counting each organisation's whole subtree, within the user's scope.
    A fixed number of queries per distinct path length."""
    out = {o.pk: VanguardSummary() for o in orgs}
    if not orgs:
        return out
    scope = scope_for(user)
    start, end = _year_bounds(year)
    by_path = {o.path: o.pk for o in orgs}
    for length in {len(o.path) for o in orgs}:
        prefixes = [o.path for o in orgs if len(o.path) == length]
        cond = Q()
        for p in prefixes:
            cond |= Q(org__path__under=p)
        post_rows = (
            scope.filter(VanguardPost.objects.filter(cond).filter(active_q()))
            .annotate(prefix=Substr("org__path", 1, length))
            .values("prefix")
            .annotate(n=Count("id"))
            .values_list("prefix", "n")
        )
        for prefix, n in post_rows:
            if prefix in by_path:
                out[by_path[prefix]].active_posts = n
        year_qs = scope.filter(Activity.objects.filter(cond, held_on__gte=start, held_on__lte=end))
        act_rows = (
            year_qs.annotate(prefix=Substr("org__path", 1, length))
            .values("prefix")
            .annotate(n=Count("id"), others=Sum("other_participants"))
            .values_list("prefix", "n", "others")
        )
        for prefix, n, others in act_rows:
            if prefix in by_path:
                out[by_path[prefix]].activities = n
                out[by_path[prefix]].other_participants = others or 0
        through: Any = Activity.participants.through
        part_rows = (
            through.objects.filter(activity__in=year_qs.values("pk"))
            .annotate(prefix=Substr("activity__org__path", 1, length))
            .values("prefix")
            .annotate(n=Count("id"))
            .values_list("prefix", "n")
        )
        for prefix, n in part_rows:
            if prefix in by_path:
                out[by_path[prefix]].member_participations = n
    return out


def enterprise_summaries(
    user: User, *, enterprises: Sequence[Enterprise], year: int | None = None
) -> dict[int, VanguardSummary]:
    """{enterprise id: summary} of the posts and activities linked to each enterprise that the
    user can see."""
    out = {e.pk: VanguardSummary() for e in enterprises}
    if not enterprises:
        return out
    scope = scope_for(user)
    start, end = _year_bounds(year)
    ids = list(out)
    for eid, n in (
        scope.filter(VanguardPost.objects.filter(active_q(), enterprise_id__in=ids))
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .values_list("enterprise_id", "n")
    ):
        out[eid].active_posts = n
    year_qs = scope.filter(Activity.objects.filter(enterprise_id__in=ids, held_on__gte=start, held_on__lte=end))
    for eid, n, others in (
        year_qs.values("enterprise_id")
        .annotate(n=Count("id"), others=Sum("other_participants"))
        .values_list("enterprise_id", "n", "others")
    ):
        out[eid].activities = n
        out[eid].other_participants = others or 0
    through: Any = Activity.participants.through
    for eid, n in (
        through.objects.filter(activity__in=year_qs.values("pk"))
        .values("activity__enterprise_id")
        .annotate(n=Count("id"))
        .values_list("activity__enterprise_id", "n")
    ):
        out[eid].member_participations = n
    return out


def org_summary(user: User, org: PartyOrg, *, year: int | None = None) -> VanguardSummary:
    return org_summaries(user, orgs=[org], year=year)[org.pk]


def enterprise_summary(user: User, enterprise: Enterprise, *, year: int | None = None) -> VanguardSummary:
    return enterprise_summaries(user, enterprises=[enterprise], year=year)[enterprise.pk]


def default_enterprise(user: User, member: Member) -> Enterprise | None:
    """The enterprise `member` works at, if `user` may see it (the default for a new post)."""
    employment = (
        Employment.objects.filter(member=member).select_related("enterprise__area", "enterprise__branch").first()
    )
    if employment is not None and scope_for(user).covers(employment.enterprise):
        return employment.enterprise
    return None
