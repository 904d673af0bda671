"""What enterprise party work adds to the pages of the packages below it (`common.contributions`):
an organisation's page lists the enterprises under it; and what it listens to there: a member's
status or a branch's type changing moves the coverage kept on enterprises (`rollups`)."""

from __future__ import annotations

from typing import Any

from hongniudai.accounts.models import User
from hongniudai.party import contributions as party_contributions
from hongniudai.party.models import PartyOrg

from . import rollups, selectors


def org_page(user: User, org: PartyOrg) -> dict[str, Any]:
    return {"org_enterprises": selectors.enterprises_of_org(user, org)}


def register() -> None:
    party_contributions.pages.add("org", org_page)
    party_contributions.on_members_changing(rollups.members_changing)
    party_contributions.on_orgs_changing(rollups.orgs_changing)
