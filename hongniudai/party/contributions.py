"""What party adds to the counters and pages of `places` (registered in `PartyConfig.ready`).

A hamlet's count of party members, the "党员" flag on residents, a subtree's member total, a grid
page's party groups and centre households, a hamlet page's centre household and a resident page's
member record: see `places.contributions`. The pages of party that the packages above add to are
in `pages` ("org": an organisation's page, given the user and the organisation); whoever keeps
figures that depend on an organisation's fields listens with `on_org_changed`; whoever keeps
figures that depend on a member's status or a branch's type, and must find its rows before they
go, listens with `on_members_changing` and `on_orgs_changing`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.urls import reverse

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import scope_for
from hongniudai.common.contributions import PageParts
from hongniudai.places import contributions
from hongniudai.places.counters import count_per_hamlet
from hongniudai.places.models import AreaKind, AreaNode, Resident

from . import selectors
from .models import Member

pages = PageParts()

# Called with an organisation's id after it is created or its area, founding date or committee
# changes (the packages above keep rollups that depend on them: orglife's obligations).
org_listeners: list[Callable[[list[int]], None]] = []


def on_org_changed(listener: Callable[[list[int]], None]) -> None:
    org_listeners.append(listener)


def org_changed(*org_ids: int) -> None:
    for listener in org_listeners:
        listener(list(org_ids))


# Called with members' ids before their status changes or they are deleted, and with branches'
# ids before their type changes or they are deleted; each listener returns what to run after the
# change (enterprises' coverage: the enterprises they work at or that belong to the branch).
Changing = Callable[[list[int]], Callable[[], None]]
member_listeners: list[Changing] = []
org_changing_listeners: list[Changing] = []


def on_members_changing(listener: Changing) -> None:
    member_listeners.append(listener)


def on_orgs_changing(listener: Changing) -> None:
    org_changing_listeners.append(listener)


@contextlib.contextmanager
def _changing(listeners: list[Changing], ids: list[int]) -> Iterator[None]:
    after = [listener(ids) for listener in listeners]
    yield
    for run in after:
        run()


def members_changing(*member_ids: int) -> contextlib.AbstractContextManager[None]:
    """Around a change of members' status or their deletion (in the service's transaction)."""
    return _changing(member_listeners, list(member_ids))


def orgs_changing(*org_ids: int) -> contextlib.AbstractContextManager[None]:
    """Around a change of branches' type or their deletion (in the service's transaction)."""
    return _changing(org_changing_listeners, list(org_ids))


def member_url(member: Member | None) -> str | None:
    """The page of a party member (None for none)."""
    return reverse("party:member_detail", args=[member.pk]) if member is not None else None


def members_in_households(household_ids: list[int]) -> int:
    return Member.objects.filter(resident__household_id__in=household_ids).count()


def members_per_hamlet(hamlet_ref: Any) -> Any:
    return count_per_hamlet(Member, "resident__household__hamlet_id", hamlet_ref)


def is_member() -> IsNull:
    """Whether the resident has a party-member record, as `(SELECT id … LIMIT 1) IS NOT NULL`: a
    scalar subquery runs for the rows of the page only, where PostgreSQL turns an EXISTS in the
    select list into a hash of every member in the county (17 ms a page instead of 0.1)."""
    return IsNull(Subquery(Member.objects.filter(resident=OuterRef("pk")).values("pk")[:1]), False)


def members_among(user: User, residents: QuerySet[Resident]) -> int:
    return Member.objects.filter(resident__in=residents).count()


def grid_page(user: User, grid: AreaNode) -> dict[str, Any]:
    """The grid's party group(s) with their members, and each hamlet's centre household."""
    overview = selectors.grid_overview(user, grid)
    by_group: dict[int, list[dict[str, Any]]] = {}
    for m in overview["group_members"]:
        by_group.setdefault(m.party_group_id, []).append({"member": m, "url": member_url(m)})
    groups = [{"org": g, "members": by_group.get(g.pk, [])} for g in overview["groups"]]
    hamlets = []
    for h in overview["hamlets"]:
        centre = getattr(h, "centre_household", None)
        hamlets.append({"hamlet": h, "centre": centre, "member_url": member_url(centre.member) if centre else None})
    return {"grid_groups": groups, "grid_hamlets": hamlets}


def hamlet_page(user: User, hamlet: AreaNode) -> dict[str, Any]:
    centre = selectors.centre_households(user, area=hamlet).first()
    return {"centre": centre, "centre_member_url": member_url(centre.member) if centre else None}


def resident_page(user: User, resident: Resident) -> dict[str, Any]:
    """The resident's party-member record, if the user may see it."""
    member = scope_for(user).filter(Member.objects.filter(resident=resident).select_related("org")).first()
    return {"member": member, "member_url": member_url(member)}


def register() -> None:
    contributions.add_hamlet_count(
        contributions.HamletCount(
            field="members_here", in_households=members_in_households, per_hamlet=members_per_hamlet
        )
    )
    contributions.add_resident_flag("is_member", is_member)
    contributions.add_resident_count("members", members_among)
    contributions.pages.add(f"area:{AreaKind.GRID.value}", grid_page)
    contributions.pages.add(f"area:{AreaKind.HAMLET.value}", hamlet_page)
    contributions.pages.add("resident", resident_page)
