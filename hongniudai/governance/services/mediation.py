"""Mediation: visits and sessions, the mediation agreement, and inviting someone (typically the
village legal adviser) to take part."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.common.text import length_errors
from hongniudai.common.updates import model_update

from .. import events, notify, policy, selectors
from ..models import Agreement, EventKind, Matter, MatterStatus, MediationSession
from .ladder import add_event, check_note, lock, require_open

# The one message of the invitation rule (`selectors.invitable_users`), wherever it is asked.
INVITE_RULE_MESSAGE = gettext_lazy("只能邀请本村及上级的法律顾问、下沉干部或志愿者。")


def _session_errors(*, held_on: dt.date, place: str, participants: str, summary: str, agreed: str) -> dict[str, str]:
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("走访日期不能晚于今天。")
    if not place.strip():
        errors["place"] = _("请填写地点。")
    if not participants.strip():
        errors["participants"] = _("请填写参加人员。")
    if not summary.strip():
        errors["summary"] = _("请填写调处经过。")
    errors.update(
        length_errors(
            MediationSession,
            {"place": place.strip(), "participants": participants.strip(), "summary": summary, "agreed": agreed},
        )
    )
    return errors


@transaction.atomic
def record_session(
    *,
    actor: User,
    matter: Matter,
    held_on: dt.date,
    place: str,
    participants: str,
    summary: str,
    agreed: str = "",
    legal_adviser_present: bool = False,
) -> MediationSession:
    """A visit or mediation session, by a handler or an invited person (the village legal adviser)."""
    matter = lock(matter)
    policy.require_participant(actor, matter)
    require_open(matter)
    errors = _session_errors(held_on=held_on, place=place, participants=participants, summary=summary, agreed=agreed)
    if errors:
        raise ValidationError(errors)
    session = MediationSession.objects.create(
        matter=matter,
        held_on=held_on,
        place=place.strip(),
        participants=participants.strip(),
        summary=summary.strip(),
        agreed=agreed.strip(),
        legal_adviser_present=legal_adviser_present,
        recorded_by=actor,
    )
    if matter.status == MatterStatus.NEW and policy.can_handle(actor, matter):
        matter.status, matter.accepted_at, matter.handler = MatterStatus.ACCEPTED, timezone.now(), actor
        matter.save()
    add_event(matter, EventKind.MEDIATE, actor, note=f"{held_on:%Y-%m-%d} {place}:{summary}"[:2000])
    audit.record_create(
        actor=actor,
        action=events.MEDIATION_RECORDED,
        target=session,
        after={"held_on": str(held_on), "place": place, "participants": participants},
        **audit.at(area=matter.area),
    )
    return session


@transaction.atomic
def sign_agreement(
    *,
    actor: User,
    matter: Matter,
    parties: str,
    facts: str,
    terms: str,
    mediators: str,
    signed_on: dt.date,
    signatures_noted: bool = False,
) -> Agreement:
    """Record (or correct) the mediation agreement of a dispute."""
    matter = lock(matter)
    policy.require_participant(actor, matter)
    if not matter.category.is_dispute:
        raise ValidationError(_("只有矛盾纠纷类事项需要调解协议。"))
    errors = {
        k: _("请填写此项。")
        for k, v in {"parties": parties, "facts": facts, "terms": terms, "mediators": mediators}.items()
        if not v.strip()
    }
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("签订日期不能晚于今天。")
    errors.update(
        length_errors(
            Agreement,
            {"parties": parties.strip(), "facts": facts.strip(), "terms": terms.strip(), "mediators": mediators},
        )
    )
    if errors:
        raise ValidationError(errors)
    data = {
        "parties": parties.strip(),
        "facts": facts.strip(),
        "terms": terms.strip(),
        "mediators": mediators.strip(),
        "signed_on": signed_on,
        "signatures_noted": signatures_noted,
    }
    agreement = Agreement.objects.select_for_update().filter(matter=matter).first()
    created = agreement is None
    if agreement is None:
        agreement = Agreement.objects.create(matter=matter, **data)
    else:
        model_update(agreement, fields=Agreement.EDITABLE, data=data)
    add_event(matter, EventKind.AGREEMENT, actor, note=_("签订日期 %(d)s") % {"d": signed_on})
    audit.record(
        actor=actor,
        action=events.AGREEMENT_SIGNED if created else events.AGREEMENT_UPDATED,
        target=agreement,
        changes={"terms": [None, terms.strip()[:200]], "signed_on": [None, str(signed_on)]},
        **audit.at(area=matter.area),
    )
    return agreement


@transaction.atomic
def invite(*, actor: User, matter: Matter, user: User, note: str = "") -> Matter:
    """Invite someone to a matter; they see it from then on. Only the legal advisers, sent-down
    cadres and volunteers of the matter's village and of the levels above it on its branch
    (`selectors.invitable_users`) may be invited, each once."""
    matter = lock(matter)
    policy.require_handler(actor, matter)
    if matter.invited.filter(pk=user.pk).exists():
        raise ValidationError({"user": _("已邀请过该人员。")})
    if not selectors.invitable_users(matter).filter(pk=user.pk).exists():
        raise ValidationError({"user": str(INVITE_RULE_MESSAGE)})
    check_note(note)
    matter.invited.add(user)
    add_event(matter, EventKind.INVITE, actor, note=f"{user}{(':' + note) if note else ''}")
    audit.record(
        actor=actor,
        action=events.MATTER_INVITED,
        target=matter,
        changes={"invited": [None, user.username]},
        **audit.at(area=matter.area),
    )
    notify.users([user], matter, _("您被邀请参与调处:%(t)s") % {"t": matter.title})
    return matter
