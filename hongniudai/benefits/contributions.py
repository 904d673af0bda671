"""What 利益联结 adds to the household's page of `places` (registered in `BenefitsConfig.ready`):
a link to the household's year with what it received, for users who read the collective economy."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, scope_for
from hongniudai.places import contributions

from . import selectors


def household_link(user: User, household: Any) -> tuple[str, str] | None:
    if not scope_for(user, Capability.ECONOMY_VIEW).covers(household):
        return None
    year = timezone.localdate().year
    total = selectors.household_year_total(user, household, year)
    label = _("利益联结 %(year)s年: %(total)s 元") % {"year": year, "total": f"{total:,.2f}"}
    return label, reverse("benefits:household_year", args=[household.pk]) + f"?year={year}"


def register() -> None:
    contributions.add_household_link(household_link)
