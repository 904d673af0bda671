"""Every write to the area tree, households and residents, by topic: `areas`, `people` (households
and residents), `reviews` (registrations the town reviews). Keyword-only, atomic, audited with
the actions of `places.events`; each checks that the actor holds the capability over the node it
writes to (`places.policy`)."""

from .accounts import link_account, unlink_account
from .areas import create_area, delete_area, update_area
from .people import (
    create_household,
    create_resident,
    delete_household,
    delete_resident,
    name_pinyin,
    reveal_id_number,
    update_household,
    update_resident,
)
from .reviews import (
    approve_registration_review,
    reject_registration_review,
    request_registration_review,
    review_requested_message,
)

__all__ = [
    "approve_registration_review",
    "create_area",
    "create_household",
    "create_resident",
    "delete_area",
    "delete_household",
    "delete_resident",
    "link_account",
    "name_pinyin",
    "reject_registration_review",
    "request_registration_review",
    "reveal_id_number",
    "review_requested_message",
    "update_area",
    "update_household",
    "unlink_account",
    "update_resident",
]
