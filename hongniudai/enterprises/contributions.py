"""What enterprise party work adds to the pages of the packages below it (`common.contributions`):
an organisation's page lists the enterprises under it."""

from __future__ import annotations

from typing import Any

from hongniudai.accounts.models import User
from hongniudai.party import contributions as party_contributions
from hongniudai.party.models import PartyOrg

from . import selectors


def org_page(user: User, org: PartyOrg) -> dict[str, Any]:
    return {"org_enterprises": selectors.enterprises_of_org(user, org)}


def register() -> None:
    party_contributions.pages.add("org", org_page)
