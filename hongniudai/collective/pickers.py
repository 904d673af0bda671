"""The organisation picker (`common.pick`): a filter or form names a collective economic organisation
or cooperative by typing its name or its village's (pinyin too), never from a list of a county's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hongniudai.common import pick

from .models import EconomicOrg


def org_label(org: EconomicOrg) -> str:
    return org.name


def org_widget(placeholder: str = "") -> pick.LabelledPickWidget:
    """The organisation picker on a form's organisation field (its queryset still validates the id)."""
    return pick.LabelledPickWidget(
        url_name="collective:org_pick",
        label=org_label,
        placeholder=placeholder or _("输入组织或村的名称、拼音"),
        aria_label=_("集体经济组织"),
    )
