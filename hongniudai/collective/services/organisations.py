"""The village's collective economic organisation (one per village, keeping books in the ledger)
and the cooperatives it founds by a reviewed and resolved 组建合作社 decision, each opening books of
its own on the 2023 chart."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import uscc

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.ledger.charts import CK_2023, load_chart
from hongniudai.ledger.interface import Books
from hongniudai.ledger.services import open_books
from hongniudai.places.models import AreaNode

from .. import events, rollups
from ..models import (
    COLLECTIVE_KINDS,
    Decision,
    DecisionSubject,
    EconomicOrg,
)
from ..policy import require
from .common import (
    BOOKS_KIND,
    COOPERATIVE_KINDS,
    FOUNDING_STEPS,
    ORG_FIELDS,
    step_label,
    village_errors,
    where,
)

# ---- organisations --------------------------------------------------------------------------


def clean_credit_code(value: str, errors: dict[str, str]) -> str:
    """The unified social credit code (统一社会信用代码) as stored: compact, upper case; "" when none."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return str(uscc.validate(value))
    except stdnum_exc.ValidationError:
        errors["credit_code"] = _("统一社会信用代码“%(code)s”无效(18位,末位为校验码)。") % {"code": value[:30]}
        return value


def _org_values(name: str, business: str, credit_code: str, errors: dict[str, str]) -> tuple[str, str, str]:
    name, business = (name or "").strip(), (business or "").strip()
    check_lengths(EconomicOrg, {"name": name, "business": business})
    if not name:
        errors["name"] = _("请填写组织名称。")
    return name, business, clean_credit_code(credit_code, errors)


def _open_books(actor: User, *, village: AreaNode, name: str, kind: str, opened_on: dt.date) -> Books:
    return open_books(
        actor=actor,
        village=village,
        name=name,
        kind=BOOKS_KIND[kind],
        opened_on=opened_on,
        chart=load_chart(CK_2023).accounts,
    )


@transaction.atomic
def register_collective(
    *,
    actor: User,
    village: AreaNode,
    name: str,
    kind: str,
    founded_on: dt.date,
    books: Books | None = None,
    credit_code: str = "",
    business: str = "",
) -> EconomicOrg:
    """Register the village's collective economic organisation (one per village), keeping `books`
    (the village's books already open in the ledger) or, without them, opening its books."""
    require(actor, Capability.ECONOMY_WRITE, village)
    AreaNode.objects.select_for_update(of=("self",)).filter(pk=village.pk).first()  # one registration at a time
    errors: dict[str, str] = {}
    village_errors(village, errors)
    name, business, credit_code = _org_values(name, business, credit_code, errors)
    if kind not in COLLECTIVE_KINDS:
        errors["kind"] = _("请选择集体经济组织的类型。")
    if founded_on is None:
        errors["founded_on"] = _("请填写成立日期。")
    if EconomicOrg.objects.filter(village=village, founded_by__isnull=True).exists():
        errors["village"] = _("该村已登记集体经济组织。")
    if books is not None:
        if books.village_id != village.pk:
            errors["books"] = _("所选账套不属于该村。")
        elif EconomicOrg.objects.filter(books=books).exists():
            errors["books"] = _("所选账套已属于另一个组织。")
    if errors:
        raise ValidationError(errors)
    if books is None:
        books = _open_books(actor, village=village, name=name, kind=kind, opened_on=founded_on)
    org = EconomicOrg.objects.create(
        village=village,
        area_path=village.path,
        name=name,
        kind=kind,
        books=books,
        credit_code=credit_code,
        founded_on=founded_on,
        business=business,
    )
    audit.record_create(
        actor=actor, action=events.ORG_REGISTERED, target=org, after=audit.snapshot(org, ORG_FIELDS), **where(org)
    )
    return org


@transaction.atomic
def found_cooperative(
    *,
    actor: User,
    founder: EconomicOrg,
    decision: Decision,
    name: str,
    kind: str,
    founded_on: dt.date,
    credit_code: str = "",
    business: str = "",
) -> EconomicOrg:
    """Found a cooperative of the village's collective economic organisation `founder`, as
    `decision` (subject COOPERATIVE, same village, reviewed and resolved) authorised; it opens
    books of its own (2023 chart)."""
    require(actor, Capability.ECONOMY_WRITE, founder)
    errors: dict[str, str] = {}
    name, business, credit_code = _org_values(name, business, credit_code, errors)
    if founder.founded_by_id is not None:
        errors["founder"] = _("合作社只能由村集体经济组织发起。")
    if kind not in COOPERATIVE_KINDS:
        errors["kind"] = _("请选择合作社的类型。")
    if founded_on is None:
        errors["founded_on"] = _("请填写成立日期。")
    if decision.village_id != founder.village_id:
        errors["decision"] = _("所选事项不是本村的事项。")
    elif decision.subject != DecisionSubject.COOPERATIVE:
        errors["decision"] = _("组建合作社须依据“组建合作社”类的四议两公开事项。")
    else:
        recorded = {s.kind for s in decision.steps.all()}
        missing = [k for k in FOUNDING_STEPS if k not in recorded]
        if missing:
            errors["decision"] = _("该事项尚未完成“%(missing)s”,不能组建合作社。") % {
                "missing": "”“".join(step_label(k) for k in missing)
            }
    if errors:
        raise ValidationError(errors)
    village = founder.village
    books = _open_books(actor, village=village, name=name, kind=kind, opened_on=founded_on)
    org = EconomicOrg.objects.create(
        village=village,
        area_path=founder.area_path,
        name=name,
        kind=kind,
        founded_by=founder,
        decision=decision,
        books=books,
        credit_code=credit_code,
        founded_on=founded_on,
        business=business,
    )
    rollups.refresh(founder.pk)
    audit.record_create(
        actor=actor,
        action=events.COOPERATIVE_FOUNDED,
        target=org,
        after=audit.snapshot(org, ORG_FIELDS),
        **where(org),
    )
    return org
