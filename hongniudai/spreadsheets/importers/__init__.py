"""The import kinds, by what they import: households, residents, party members, user accounts, the
collective's books (opening balances, vouchers), and the collective economy (members of a collective
economic organisation, land parcels, land transfer contracts), resident services (soup recipients,
volunteers), the watch (cameras, patrol team members) and projects (projects, milestones, blockers)."""

from __future__ import annotations

from hongniudai.accounts.models import User
from hongniudai.spreadsheets.models import ImportKind

from .care import SoupRecipientImporter
from .collective import CollectiveMemberImporter
from .households import HouseholdImporter
from .land import ContractImporter, ParcelImporter
from .ledger import OpeningImporter, VoucherImporter
from .members import MemberImporter
from .projects import BlockerImporter, MilestoneImporter, ProjectImporter
from .residents import ResidentImporter
from .rows import Importer
from .users import UserImporter
from .volunteers import VolunteerImporter
from .watch import CameraImporter, PatrolMemberImporter

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.HOUSEHOLDS: HouseholdImporter,
    ImportKind.RESIDENTS: ResidentImporter,
    ImportKind.MEMBERS: MemberImporter,
    ImportKind.USERS: UserImporter,
    ImportKind.LEDGER_OPENING: OpeningImporter,
    ImportKind.LEDGER_VOUCHERS: VoucherImporter,
    ImportKind.ECONOMY_MEMBERS: CollectiveMemberImporter,
    ImportKind.LAND_PARCELS: ParcelImporter,
    ImportKind.LAND_CONTRACTS: ContractImporter,
    ImportKind.PROJECTS: ProjectImporter,
    ImportKind.PROJECT_MILESTONES: MilestoneImporter,
    ImportKind.PROJECT_BLOCKERS: BlockerImporter,
    ImportKind.WATCH_CAMERAS: CameraImporter,
    ImportKind.PATROL_MEMBERS: PatrolMemberImporter,
    ImportKind.SOUP_RECIPIENTS: SoupRecipientImporter,
    ImportKind.VOLUNTEERS: VolunteerImporter,
}


def importer_for(kind: str, user: User) -> Importer:
    """The importer of `kind` acting for `user`."""
    return IMPORTERS[kind](user)
