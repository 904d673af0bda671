"""The enterprise picker (`common.pick`): a form names an enterprise (a buyer, an adviser, a
transferee) by typing its name, never from a list of every enterprise of a county."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hongniudai.common import pick

from .models import Enterprise


def enterprise_label(enterprise: Enterprise) -> str:
    return enterprise.name


def enterprise_widget(
    placeholder: str = "", *, url_name: str = "enterprises:enterprise_pick"
) -> pick.LabelledPickWidget:
    """The enterprise picker on a form's enterprise field (its queryset still validates the id);
    `url_name` names the endpoint listing the matches (the user's scope, or `counterparties`)."""
    return pick.LabelledPickWidget(
        url_name=url_name,
        label=enterprise_label,
        placeholder=placeholder or _("输入企业名称"),
        aria_label=_("企业"),
    )
