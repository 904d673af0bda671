"""Every read the import pages and tasks make: for an acting user, but for the job a background task picks up."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.care.soup.models import SoupRecipient
from hongniudai.collective.interface import Decision, EconomicOrg, Membership
from hongniudai.common.tree import ancestor_ids
from hongniudai.enterprises.interface import Enterprise
from hongniudai.land.interface import Parcel, TransferContract
from hongniudai.land.models import ContractParcel, ContractStatus
from hongniudai.party.models import Member, OrgKind, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident
from hongniudai.volunteers.models import Volunteer, VolunteerTeam
from hongniudai.watch.cameras.models import Camera
from hongniudai.watch.patrols.models import PatrolMember, PatrolTeam

from .models import ImportJob
from .policy import sees_others_jobs

# ---- jobs ---------------------------------------------------------------------------------


def _visible_jobs(user: User) -> QuerySet[ImportJob]:
    """One's own jobs; a town admin's also those of others inside the import scope."""
    qs = ImportJob.objects.select_related("user")
    if not sees_others_jobs(user):
        return qs.filter(user=user)
    scope = scope_for(user, Capability.IMPORT)
    if scope.everything:
        return qs
    return qs.filter(scope.q(ImportJob) | Q(user=user))


def import_jobs(user: User) -> QuerySet[ImportJob]:
    """The jobs `user` sees, newest first, without their error lists."""
    return _visible_jobs(user).defer("errors")


def import_job_get(user: User, pk: int) -> ImportJob:
    """The job if the user may see it; otherwise 404, the same as for a job that does not exist."""
    job = _visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def import_job_for_task(job_id: int) -> ImportJob | None:
    """The job a background task works on, with its owner (the task acts for the owner)."""
    return ImportJob.objects.select_related("user").filter(pk=job_id).first()


def import_area_path(user: User) -> str:
    """The deepest area path covering every area in which `user` may import."""
    scope = scope_for(user, Capability.IMPORT)
    if scope.everything or not scope.area_paths:
        return ""
    common = os.path.commonprefix(list(scope.area_paths))
    return common[: common.rfind("/") + 1] if "/" in common else ""


# ---- what an importing user may write to --------------------------------------------------


def _import_scope_filter(user: User, capability: Capability, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Rows inside both the user's import scope and the scope of the capability the write needs."""
    return scope_for(user, capability).filter(scope_for(user, Capability.IMPORT).filter(qs))


@dataclass(frozen=True)
class HamletChoice:
    hamlet: AreaNode
    names: tuple[str, ...]  # names from the root down to the hamlet
    label: str  # 村/组/湾


def import_hamlets(user: User) -> list[HamletChoice]:
    """Hamlets the user may import households into, with the names of their ancestors."""
    hamlets = list(
        _import_scope_filter(user, Capability.EDIT_PEOPLE, AreaNode.objects.filter(kind=AreaKind.HAMLET)).order_by(
            "path"
        )
    )
    ids = {pk for h in hamlets for pk in ancestor_ids(h.path)}
    nodes = {n.pk: n for n in AreaNode.objects.filter(pk__in=ids).only("pk", "name", "kind")}
    out = []
    for h in hamlets:
        chain = [nodes[pk] for pk in ancestor_ids(h.path) if pk in nodes]
        names = tuple(n.name for n in chain)
        label = "/".join(n.name for n in chain if n.kind in (AreaKind.VILLAGE, AreaKind.GRID, AreaKind.HAMLET))
        out.append(HamletChoice(hamlet=h, names=names, label=label))
    return out


def import_households_numbered(user: User, number: str) -> list[Household]:
    """Households in the user's scope with this number (at most two: enough to tell ambiguity)."""
    qs = Household.objects.filter(number=number).select_related("hamlet")
    return list(_import_scope_filter(user, Capability.EDIT_PEOPLE, qs).order_by("id")[:2])


def import_household_numbers(user: User) -> set[str]:
    """The household numbers already used in the user's scope (one query for a whole file)."""
    qs = Household.objects.exclude(number="").values_list("number", flat=True)
    return set(_import_scope_filter(user, Capability.EDIT_PEOPLE, qs))


def id_digest_registered(digest: str) -> bool:
    """ID numbers are unique across the whole platform (the services say so for any user)."""
    return Resident.objects.filter(id_digest=digest).exists()


def import_resident_by_digest(user: User, digest: str) -> Resident | None:
    """The resident with this ID digest, if the user may see them."""
    qs = Resident.objects.filter(id_digest=digest).select_related("household__hamlet")
    return _import_scope_filter(user, Capability.VIEW, qs).first()


def resident_is_member(resident: Resident) -> bool:
    """Whether the resident already has a member record."""
    return Member.objects.filter(resident=resident).exists()


def import_branches(user: User) -> list[PartyOrg]:
    """The party branches the user may import members into."""
    qs = PartyOrg.objects.filter(kind=OrgKind.BRANCH).select_related("area")
    return list(_import_scope_filter(user, Capability.EDIT_PARTY, qs).order_by("path"))


def import_party_groups(user: User) -> list[PartyOrg]:
    """The party groups the user may place imported members in."""
    qs = PartyOrg.objects.filter(kind=OrgKind.PARTY_GROUP).select_related("parent")
    return list(_import_scope_filter(user, Capability.EDIT_PARTY, qs).order_by("path"))


# ---- the collective economy (members, parcels, transfer contracts) --------------------------


def import_economy_villages(user: User) -> list[AreaNode]:
    """The villages in which `user` may import the collective economy (IMPORT and ECONOMY_WRITE)."""
    qs = AreaNode.objects.filter(kind=AreaKind.VILLAGE)
    return list(_import_scope_filter(user, Capability.ECONOMY_WRITE, qs).order_by("path"))


def import_economic_orgs(user: User) -> list[EconomicOrg]:
    """The collective economic organisations and cooperatives of those villages."""
    qs = EconomicOrg.objects.filter(is_active=True).select_related("village")
    return list(_import_scope_filter(user, Capability.ECONOMY_WRITE, qs).order_by("area_path", "id"))


def village_households(village: AreaNode) -> list[Household]:
    """Every household of a village, with its head (one query; the caller indexes them)."""
    qs = Household.objects.filter(hamlet__path__startswith=village.path).select_related("head", "hamlet")
    return list(qs.only("pk", "number", "address", "hamlet__path", "hamlet__name", "head__name").order_by("id"))


def village_decisions(village: AreaNode, title: str) -> list[Decision]:
    """The village's decisions (四议两公开) of this title (at most two: enough to tell ambiguity)."""
    return list(Decision.objects.filter(village=village, title=title).order_by("id")[:2])


def org_members(org: EconomicOrg) -> set[int]:
    """The ids of the households that are (or were) members of `org`."""
    return set(Membership.objects.filter(org=org).values_list("household_id", flat=True))


def village_parcels(village: AreaNode) -> list[Parcel]:
    """The parcels registered in a village, with their contracting household's number."""
    qs = Parcel.objects.filter(village=village).select_related("household")
    return list(qs.only("pk", "name", "registered_area", "measured_area", "household__number").order_by("id"))


def village_contract_numbers(village: AreaNode) -> set[str]:
    """The numbers of the transfer contracts registered in a village."""
    return set(TransferContract.objects.filter(village=village).values_list("number", flat=True))


def visible_enterprises(user: User, name: str) -> list[Enterprise]:
    """The enterprises of this name `user` may see (at most two: enough to tell ambiguity)."""
    qs = scope_for(user, Capability.VIEW).filter(Enterprise.objects.filter(name=name))
    return list(qs.order_by("id")[:2])


def parcel_taken(parcel: Parcel, starts: dt.date, ends: dt.date) -> Decimal:
    """The mu of `parcel` its active contracts overlapping `starts`..`ends` transfer."""
    qs = ContractParcel.objects.filter(
        parcel=parcel,
        contract__status=ContractStatus.ACTIVE,
        contract__starts_on__lte=ends,
        contract__ends_on__gte=starts,
    )
    return qs.aggregate(total=Sum("area"))["total"] or Decimal(0)


# ---- the watch (cameras, patrol team members) ------------------------------------------------


def import_watch_grids(user: User) -> list[tuple[AreaNode, str, int | None]]:
    """The grids in which `user` may import cameras (IMPORT and WATCH): (grid, its village's name,
    its town's id), from two queries."""
    grids = list(
        _import_scope_filter(user, Capability.WATCH, AreaNode.objects.filter(kind=AreaKind.GRID)).order_by("path")
    )
    above = {pk for g in grids for pk in ancestor_ids(g.path)}
    kinds = dict(AreaNode.objects.filter(pk__in=above).values_list("pk", "kind"))
    names = dict(AreaNode.objects.filter(pk__in=above, kind=AreaKind.VILLAGE).values_list("pk", "name"))
    out = []
    for grid in grids:
        chain = ancestor_ids(grid.path)
        village = next((names[pk] for pk in reversed(chain) if pk in names), "")
        town = next((pk for pk in reversed(chain) if kinds.get(pk) == AreaKind.TOWN), None)
        out.append((grid, village, town))
    return out


def camera_codes(town_ids: set[int]) -> dict[tuple[int, str], str]:
    """{(town id, code): the camera's area path} of the cameras registered in these towns."""
    rows = Camera.objects.filter(town_id__in=town_ids).values_list("town_id", "code", "area_path")
    return {(town, code): path for town, code, path in rows}


def import_patrol_teams(user: User) -> list[PatrolTeam]:
    """The patrol teams `user` may import members into (IMPORT and WATCH), with their areas."""
    qs = PatrolTeam.objects.filter(is_active=True).select_related("area")
    return list(_import_scope_filter(user, Capability.WATCH, qs).order_by("area_path", "name"))


def patrol_team_members(team_ids: set[int]) -> list[dict[str, Any]]:
    """Who is (or was) in these teams: the keys a row is matched against."""
    fields = ("team_id", "kind", "party_member_id", "volunteer_id", "resident_id", "name")
    return list(PatrolMember.objects.filter(team_id__in=team_ids).values(*fields))


def member_of_resident(resident: Resident) -> Member | None:
    """The party member record of a resident, if any."""
    return Member.objects.filter(resident=resident).select_related("resident").first()


def import_volunteers(
    user: User, *, resident: Resident | None = None, name: str = "", phone: str = ""
) -> list[Volunteer]:
    """The registered volunteers `user` may see who are this resident, or have this name and phone
    (at most two: enough to tell ambiguity)."""
    qs = Volunteer.objects.filter(is_active=True)
    qs = qs.filter(resident=resident) if resident is not None else qs.filter(name=name, phone=phone)
    return list(scope_for(user, Capability.VIEW).filter(qs).order_by("id")[:2])


# ---- resident services (soup recipients, volunteers) ----------------------------------------


def import_service_areas(user: User, kinds: tuple[str, ...] = (AreaKind.VILLAGE,)) -> list[AreaNode]:
    """The areas of `kinds` in which `user` may import resident services (IMPORT and SERVICES)."""
    qs = AreaNode.objects.filter(kind__in=kinds)
    return list(_import_scope_filter(user, Capability.SERVICES, qs).order_by("path"))


def soup_listed(village: AreaNode) -> dict[int, str]:
    """{resident id: status} of the residents on a village's soup list (removed ones included)."""
    return dict(SoupRecipient.objects.filter(village=village).values_list("resident_id", "status"))


def household_residents_named(household: Household, name: str) -> list[Resident]:
    """The residents of this name in a household (at most two: enough to tell ambiguity)."""
    qs = Resident.objects.filter(household=household, name=name).select_related("household__hamlet")
    return list(qs.order_by("id")[:2])


def area_volunteers(area: AreaNode) -> tuple[set[int], set[tuple[str, str]]]:
    """The volunteers registered in `area`: (their resident ids, their (name, phone) pairs)."""
    rows = Volunteer.objects.filter(area=area).values_list("resident_id", "name", "phone")
    return {r for r, _n, _p in rows if r is not None}, {(n, p) for _r, n, p in rows}


def volunteer_teams_named(name: str) -> list[VolunteerTeam]:
    """The volunteer teams of this name, wherever they are (the caller keeps those of a row's area)."""
    return list(VolunteerTeam.objects.filter(name=name).order_by("area_path", "id")[:50])
