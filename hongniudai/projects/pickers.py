"""The projects' pickers (`common.pick`): a form or a filter names a cadre, a service team or a
project by typing, never from a list of every one of a county."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.common import pick

from . import policy, selectors_pick
from .models import Project, ServiceTeam


def cadre_label(user: User) -> str:
    return f"{user.display_name}({user.username})" if user.display_name else user.username


def team_label(team: ServiceTeam) -> str:
    return team.name


def project_label(project: Project) -> str:
    return project.name


def cadre_widget() -> pick.LabelledPickWidget:
    return pick.LabelledPickWidget(
        url_name="projects:cadre_pick",
        label=cadre_label,
        placeholder=_("输入干部姓名或用户名"),
        aria_label=_("干部"),
    )


def team_widget(placeholder: str = "") -> pick.LabelledPickWidget:
    return pick.LabelledPickWidget(
        url_name="projects:team_pick",
        label=team_label,
        placeholder=placeholder or _("输入专班名称"),
        aria_label=_("服务专班"),
    )


def project_widget() -> pick.LabelledPickWidget:
    return pick.LabelledPickWidget(
        url_name="projects:project_pick", label=project_label, placeholder=_("输入项目名称"), aria_label=_("项目")
    )


def attach(form: forms.Form, name: str, queryset: Any, widget: pick.PickWidget) -> None:
    """`form.fields[name]` validates against `queryset` and is picked with `widget`."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    pick.attach(field, widget)


# ---- the result lists -------------------------------------------------------------------------


cadre_pick = pick.search_view(selectors_pick.pick_cadres, cadre_label, require=policy.require_any_view)


team_pick = pick.search_view(selectors_pick.pick_teams, team_label, require=policy.require_any_view)


project_pick = pick.search_view(selectors_pick.pick_projects, project_label, require=policy.require_any_view)
