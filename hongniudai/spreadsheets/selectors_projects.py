"""The reads of the projects' import kinds (projects, milestones, blockers): what a row may name,
inside both the importer's import scope and their PROJECTS scope (a row naming anything else is
refused on its own, as a row naming what does not exist)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.enterprises.interface import Enterprise
from hongniudai.places.models import AreaNode
from hongniudai.projects import selectors as projects
from hongniudai.projects import selectors_blockers
from hongniudai.projects.models import Blocker, BlockerCategory, Milestone, Project, ServiceTeam

FOUND_MAX = 2  # enough to tell a name that is ambiguous
TEMPLATE_MAX = 500  # teams listed in a template


def _importable(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return scope_for(user, Capability.IMPORT).filter(qs)


def import_project_nodes(user: User) -> list[AreaNode]:
    """The parks and towns where `user` may import projects (IMPORT and PROJECTS)."""
    return list(_importable(user, projects.project_nodes(user)))


def import_projects(user: User, name: str) -> list[Project]:
    """The projects of this name `user` may import milestones or blockers of."""
    qs = _importable(user, scope_for(user, Capability.PROJECTS).filter(Project.objects.filter(name=name)))
    return list(qs.select_related("team").order_by("id")[:FOUND_MAX])


def import_project_names(user: User) -> set[tuple[int, str]]:
    """(area id, name) of the projects already registered where `user` may import them."""
    qs = _importable(user, scope_for(user, Capability.PROJECTS).filter(Project.objects.all()))
    return set(qs.values_list("area_id", "name"))


def import_teams(user: User, name: str) -> list[ServiceTeam]:
    """The service teams of this name a project `user` imports may be served by."""
    qs = _importable(user, projects.teams_for_choice(user, Capability.PROJECTS)).filter(name=name)
    return list(qs.order_by("id")[:FOUND_MAX])


def import_teams_all(user: User) -> list[ServiceTeam]:
    """Every such team (the template's list), with its node."""
    qs = scope_for(user, Capability.PROJECTS).filter(ServiceTeam.objects.select_related("area"))
    return list(_importable(user, qs).order_by("area_path", "name")[:TEMPLATE_MAX])


def import_cadres(user: User, text: str) -> list[User]:
    """The cadres (users with a role on a park or a town `user` sees) of this username or name."""
    qs = projects.users_for_choice(user).filter(Q(username=text) | Q(display_name=text))
    return list(qs.order_by("id")[:FOUND_MAX])


def import_enterprises(user: User, text: str) -> list[Enterprise]:
    """The enterprises `user` sees of this name or USCC (统一社会信用代码)."""
    qs = scope_for(user, Capability.VIEW).filter(Enterprise.objects.filter(Q(name=text) | Q(uscc=text.upper())))
    return list(qs.order_by("id")[:FOUND_MAX])


def town_categories(user: User, project: Project) -> list[BlockerCategory]:
    """The blocker categories of the project's town (its list, by name)."""
    return list(selectors_blockers.categories_for(user, project))


def import_categories(user: User) -> list[BlockerCategory]:
    """The blocker categories of the towns over what `user` sees, with their town (the template's list)."""
    return list(selectors_blockers.categories_for(user).select_related("town"))


def project_milestone_names(project: Project) -> set[str]:
    return set(Milestone.objects.filter(project=project).values_list("name", flat=True))


def project_blocker_keys(project: Project) -> set[tuple[int, str]]:
    """(category id, description) of the project's blockers: an imported row equal to one is skipped."""
    return set(Blocker.objects.filter(project=project).values_list("category_id", "description"))
