"""Every write of source governance, one module per topic:

- `report`: reporting a matter (with its photos);
- `ladder`: accept, escalate, hand down, resolve, follow up, reopen;
- `mediation`: visits and sessions, the mediation agreement, invitations;
- `attachments`: photos and documents of a matter;
- `deadlines`: the job that hands up overdue matters;
- `settings`: the working calendar, deadline rules, categories and their questions;
- `open311`: Open311 api keys and the service requests of their clients.

The functions are re-exported here: `services.report_matter(...)`."""

from .attachments import ALLOWED_UPLOADS, add_attachment, check_upload
from .deadlines import enforce_deadlines
from .ladder import MATTER_FIELDS, accept, escalate, follow_up, hand_down, reopen, resolve
from .mediation import INVITE_RULE_MESSAGE, invite, record_session, sign_agreement
from .open311 import (
    OPEN311_KEY_KINDS,
    issue_open311_key,
    register_open311_key,
    report_open311_request,
    revoke_open311_key,
)
from .report import clean_attributes, report_matter, report_with_attachments
from .settings import (
    MAX_DEADLINE_DAYS,
    clear_calendar_day,
    delete_category_attribute,
    save_category,
    save_category_attribute,
    set_calendar_day,
    set_deadline_rule,
)

__all__ = [
    "ALLOWED_UPLOADS",
    "INVITE_RULE_MESSAGE",
    "MATTER_FIELDS",
    "MAX_DEADLINE_DAYS",
    "OPEN311_KEY_KINDS",
    "accept",
    "add_attachment",
    "check_upload",
    "clean_attributes",
    "clear_calendar_day",
    "delete_category_attribute",
    "enforce_deadlines",
    "escalate",
    "follow_up",
    "hand_down",
    "invite",
    "issue_open311_key",
    "record_session",
    "register_open311_key",
    "reopen",
    "report_matter",
    "report_open311_request",
    "report_with_attachments",
    "resolve",
    "revoke_open311_key",
    "save_category",
    "save_category_attribute",
    "set_calendar_day",
    "set_deadline_rule",
    "sign_agreement",
]
