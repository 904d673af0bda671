"""The import kinds, by what they import: households, residents, party members, user accounts, the
collective's books (opening balances, vouchers), and the collective economy (members of a collective
economic organisation, land parcels, land transfer contracts), and resident services (soup recipients,
volunteers)."""

from __future__ import annotations

from hongniudai.accounts.models import User
from hongniudai.spreadsheets.models import ImportKind

from .care import SoupRecipientImporter
from .collective import CollectiveMemberImporter
from .households import HouseholdImporter
from .land import ContractImporter, ParcelImporter
from .ledger import OpeningImporter, VoucherImporter
from .members import MemberImporter
from .residents import ResidentImporter
from .rows import Importer
from .users import UserImporter
from .volunteers import VolunteerImporter

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
    ImportKind.SOUP_RECIPIENTS: SoupRecipientImporter,
    ImportKind.VOLUNTEERS: VolunteerImporter,
}


def importer_for(kind: str, user: User) -> Importer:
    """The importer of `kind` acting for `user`."""
    return IMPORTERS[kind](user)
