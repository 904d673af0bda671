"""What the audit keeps of a resident, shared by the writes to residents and the town's reviews."""

from __future__ import annotations

from hongniudai.audit import services as audit
from hongniudai.common.identity import mask_phone

from ..models import Resident

# Personal data is audited in its masked form only: the ID number's masked form, never the phone.
RESIDENT_AUDITED = (*(f for f in Resident.EDITABLE if f != "phone"), "id_masked", "sex", "birth_date")


def resident_snapshot(resident: Resident) -> audit.Snapshot:
    """The audited values of `resident`: the ID number and the phone masked."""
    snap = audit.snapshot(resident, RESIDENT_AUDITED)
    snap["masked_phone"] = mask_phone(resident.phone)
    return snap
