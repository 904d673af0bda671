"""Registrations the town reviews: a village registered someone whose ID number is on file outside
its scope; the town moves the resident into the household asked for, or refuses with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.common.updates import model_update

from .. import counters, events
from ..models import Household, RegistrationReview, Relation, Resident, ReviewStatus
from ..policy import require, require_reviewer
from .records import resident_snapshot

REVIEW_FIELDS = ("resident", "household", "name", "relation", "status", "reason", "decided_by")


def review_requested_message() -> str:
    """What a user hears when a registration goes to the town: no more than that."""
    return _("该居民的登记需经镇里审核,已提交审核申请。")


@transaction.atomic
def request_registration_review(
    *, actor: User, household: Household, resident: Resident, name: str, relation: str = Relation.OTHER
) -> RegistrationReview:
    """Ask the town to move `resident` (registered outside the actor's scope) into `household`. A
    pending request for the same person and household is not repeated."""
    require(actor, Capability.EDIT_PEOPLE, household)
    pending = RegistrationReview.objects.filter(
        resident=resident, household=household, status=ReviewStatus.PENDING
    ).first()
    if pending is not None:
        return pending
    review = RegistrationReview.objects.create(
        resident=resident,
        household=household,
        name=name[:50],
        relation=relation if relation in Relation.values else Relation.OTHER,
        requested_by=actor if actor.pk else None,
    )
    audit.record_create(
        actor=actor,
        action=events.REVIEW_REQUESTED,
        target=review,
        after=audit.snapshot(review, REVIEW_FIELDS),
        area_path=household.hamlet.path,
    )
    return review


def _locked_pending(actor: User, review: RegistrationReview) -> RegistrationReview:
    """`review` locked for the decision; refused unless `actor` reviews it and it is still pending."""
    review = (
        RegistrationReview.objects.select_for_update(of=("self",))
        .select_related("resident__household__hamlet", "household__hamlet")
        .get(pk=review.pk)
    )
    require_reviewer(actor, review)
    if review.status != ReviewStatus.PENDING:
        raise ValidationError(_("该申请已审核,不能再次处理。"))
    return review


@transaction.atomic
def approve_registration_review(*, actor: User, review: RegistrationReview) -> Resident:
    """Move the resident into the requested household: a move between villages, audited as such; the
    counters of both hamlets are recomputed and the old household loses the resident as its head."""
    review = _locked_pending(actor, review)
    resident, target = review.resident, review.household
    old = resident.household
    before = resident_snapshot(resident)
    model_update(resident, fields=Resident.EDITABLE, data={"household": target, "relation": review.relation})
    if old.head_id == resident.pk:
        old.head = None
        old.save(update_fields=["head"])
    if review.relation == Relation.HEAD and target.head_id is None:
        target.head = resident
        target.save(update_fields=["head"])
    counters.refresh(old.hamlet_id, target.hamlet_id)
    changes = audit.diff(before, resident_snapshot(resident))
    changes["hamlet"] = [str(old.hamlet), str(target.hamlet)]
    audit.record(
        actor=actor,
        action=events.RESIDENT_MOVED,
        target=resident,
        changes=changes,
        note=_("登记审核同意迁入"),
        area_path=target.hamlet.path,
    )
    _decide(actor, review, ReviewStatus.APPROVED)
    return resident


@transaction.atomic
def reject_registration_review(*, actor: User, review: RegistrationReview, reason: str) -> RegistrationReview:
    """Refuse the move, with a reason for the village that asked."""
    review = _locked_pending(actor, review)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写驳回理由。")})
    check_lengths(RegistrationReview, {"reason": reason})
    review.reason = reason
    return _decide(actor, review, ReviewStatus.REJECTED)


def _decide(actor: User, review: RegistrationReview, status: str) -> RegistrationReview:
    before = audit.snapshot(review, REVIEW_FIELDS)
    review.status = status
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record_update(
        actor=actor,
        action=events.REVIEW_APPROVED if status == ReviewStatus.APPROVED else events.REVIEW_REJECTED,
        target=review,
        before=before,
        after=audit.snapshot(review, REVIEW_FIELDS),
        area_path=review.household.hamlet.path,
    )
    return review
