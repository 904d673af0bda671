"""Every write of the soup rounds (爱心汤), one topic per module: `services_lists` (the February
setting, the rules, the recipients, the hamlets' volunteers) and `services_rounds` (rounds, visits,
check-off with welfare observations raising matters). Writes need Capability.SERVICES over the
record's village (the check-off also the visit's own volunteer); each is atomic and audited."""

from .services_lists import (
    REASON_SEPARATOR,
    Proposal,
    add_recipient,
    add_recipient_by_rule,
    ancestor_of_kind,
    approve_proposed,
    approve_recipient,
    evaluate_rules,
    february_rule_of,
    propose_recipients,
    remove_recipient,
    rule_reason,
    rules_for,
    save_rule,
    save_settings,
    set_hamlet_volunteer,
)
from .services_rounds import assign_visit, check_off, create_due_rounds, create_round

__all__ = [
    "REASON_SEPARATOR",
    "Proposal",
    "add_recipient",
    "add_recipient_by_rule",
    "ancestor_of_kind",
    "approve_proposed",
    "approve_recipient",
    "assign_visit",
    "check_off",
    "create_due_rounds",
    "create_round",
    "evaluate_rules",
    "february_rule_of",
    "propose_recipients",
    "remove_recipient",
    "rule_reason",
    "rules_for",
    "save_rule",
    "save_settings",
    "set_hamlet_volunteer",
]
