"""Every read the import pages and tasks make, always for an acting user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from hongniudai.accounts.models import Role
from hongniudai.accounts.scope import Capability, roles_of, scope_for
from hongniudai.common.tree import ancestor_ids
from hongniudai.party.models import Member, OrgKind, PartyOrg
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident

from .models import ImportJob

# ---- jobs ---------------------------------------------------------------------------------


def can_import(user: Any) -> bool:
    return not scope_for(user, Capability.IMPORT).is_empty


def sees_others_jobs(user: Any) -> bool:
    """Town admins (and superusers) also see the jobs of others inside their scope."""
    return bool(getattr(user, "is_superuser", False)) or Role.TOWN_ADMIN in roles_of(user)


def import_jobs(user: Any) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("user").defer("errors")
    if sees_others_jobs(user):
        scope = scope_for(user, Capability.IMPORT)
        if scope.everything:
            return qs
        return qs.filter(scope.q(ImportJob) | _own(user))
    return qs.filter(user=user)


def _own(user: Any) -> Q:
    return Q(user=user)


def import_job_get(user: Any, pk: int) -> ImportJob:
    """The job if the user may see it; otherwise 404, the same as for a job that does not exist."""
    qs = ImportJob.objects.select_related("user")
    if sees_others_jobs(user):
        scope = scope_for(user, Capability.IMPORT)
        if not scope.everything:
            qs = qs.filter(scope.q(ImportJob) | _own(user))
    else:
        qs = qs.filter(user=user)
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


# ---- what an importing user may write to --------------------------------------------------


def _import_scope_filter(user: Any, capability: Capability, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Rows inside both the user's import scope and the scope of the capability the write needs."""
    return scope_for(user, capability).filter(scope_for(user, Capability.IMPORT).filter(qs))


@dataclass(frozen=True)
class HamletChoice:
    hamlet: AreaNode
    names: tuple[str, ...]  # names from the root down to the hamlet
    label: str  # 村/组/湾


def import_hamlets(user: Any) -> list[HamletChoice]:
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


def import_households_numbered(user: Any, number: str) -> list[Household]:
    """Households in the user's scope with this number (at most two: enough to tell ambiguity)."""
    qs = Household.objects.filter(number=number).select_related("hamlet")
    return list(_import_scope_filter(user, Capability.EDIT_PEOPLE, qs).order_by("id")[:2])


def import_household_numbers(user: Any) -> set[str]:
    """The household numbers already used in the user's scope (one query for a whole file)."""
    qs = Household.objects.exclude(number="").values_list("number", flat=True)
    return set(_import_scope_filter(user, Capability.EDIT_PEOPLE, qs))


def id_digest_registered(digest: str) -> bool:
    """ID numbers are unique across the whole platform (the services say so for any user)."""
    return Resident.objects.filter(id_digest=digest).exists()


def import_resident_by_digest(user: Any, digest: str) -> Resident | None:
    qs = Resident.objects.filter(id_digest=digest).select_related("household__hamlet")
    return _import_scope_filter(user, Capability.VIEW, qs).first()


def resident_is_member(resident: Resident) -> bool:
    return Member.objects.filter(resident=resident).exists()


def import_branches(user: Any) -> list[PartyOrg]:
    qs = PartyOrg.objects.filter(kind=OrgKind.BRANCH).select_related("area")
    return list(_import_scope_filter(user, Capability.EDIT_PARTY, qs).order_by("path"))


def import_party_groups(user: Any) -> list[PartyOrg]:
    qs = PartyOrg.objects.filter(kind=OrgKind.PARTY_GROUP).select_related("parent")
    return list(_import_scope_filter(user, Capability.EDIT_PARTY, qs).order_by("path"))
