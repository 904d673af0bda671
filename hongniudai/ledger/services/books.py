"""Opening an organisation's books with its chart, and the sub-accounts a village adds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common.text import check_lengths
from hongniudai.places.models import AreaKind, AreaNode

from .. import events
from ..models import Account, Books, Category, OrgKind, Side, Standard
from ..policy import require
from ..specs import ChartAccount
from .posting import stored

BOOKS_FIELDS = ("village", "name", "kind", "standard", "opened_on")
ACCOUNT_FIELDS = ("code", "name", "category", "normal_balance", "parent", "is_postable", "standard")


def _chart_errors(chart: Sequence[ChartAccount]) -> list[str]:
    """What is wrong with a chart: codes repeated, parents missing or after their children,
    categories or balances unknown or differing from the parent's."""
    errors: list[str] = []
    seen: dict[str, ChartAccount] = {}
    for spec in chart:
        if not spec.code or not spec.name:
            errors.append(_("科目编码和名称不能为空。"))
        elif spec.code in seen:
            errors.append(_("科目编码 %(code)s 重复。") % {"code": spec.code})
        if spec.category not in Category.values or spec.normal_balance not in Side.values:
            errors.append(_("科目 %(code)s 的类别或余额方向无效。") % {"code": spec.code})
        if spec.parent_code is not None:
            parent = seen.get(spec.parent_code)
            if parent is None:
                errors.append(_("科目 %(code)s 的上级科目须列在它之前。") % {"code": spec.code})
            elif (parent.category, parent.normal_balance) != (spec.category, spec.normal_balance):
                errors.append(_("明细科目 %(code)s 的类别和余额方向须与上级科目一致。") % {"code": spec.code})
        seen[spec.code] = spec
    return errors


@transaction.atomic
def open_books(
    *,
    actor: User,
    village: AreaNode,
    name: str,
    kind: str,
    opened_on: dt.date,
    chart: Sequence[ChartAccount],
    standard: str = Standard.CK_2023,
) -> Books:
    """Open the books of a village's collective economic organisation with the accounts of `chart`
    (a chart loader's list, parents first), each account marked as coming from `standard`."""
    require(actor, Capability.BOOKS_WRITE, village)
    name = (name or "").strip()
    check_lengths(Books, {"name": name})
    errors: dict[str, str] = {}
    if village.kind != AreaKind.VILLAGE:
        errors["village"] = _("账套只能建在村(社区)。")
    if not name:
        errors["name"] = _("请填写集体经济组织名称。")
    elif Books.objects.filter(village=village, name=name).exists():
        errors["name"] = _("该村已有同名的账套。")
    if kind not in OrgKind.values:
        errors["kind"] = _("请选择组织类型。")
    if standard not in Standard.values:
        errors["standard"] = _("请选择会计制度。")
    if not chart:
        errors["chart"] = _("科目表不能为空。")
    chart_errors = _chart_errors(chart)
    if chart_errors:
        errors["chart"] = " ".join(chart_errors[:5])
    if errors:
        raise ValidationError(errors)
    books = Books.objects.create(
        village=village,
        area_path=village.path,
        name=name,
        kind=kind,
        standard=standard,
        opened_on=opened_on,
        created_by=stored(actor),
    )
    by_code: dict[str, Account] = {}
    for spec in chart:
        by_code[spec.code] = Account.objects.create(
            books=books,
            code=spec.code,
            name=spec.name,
            category=spec.category,
            normal_balance=spec.normal_balance,
            parent=by_code[spec.parent_code] if spec.parent_code else None,
            is_postable=spec.is_postable,
            standard=standard,
        )
    after = {**audit.snapshot(books, BOOKS_FIELDS), "accounts": len(by_code)}
    audit.record_create(actor=actor, action=events.BOOKS_OPENED, target=books, after=after, area_path=books.area_path)
    return books


@transaction.atomic
def add_sub_account(*, actor: User, parent: Account, code: str, name: str) -> Account:
    """Add a sub-account (明细科目) below `parent`: its code extends the parent's, it takes the parent's
    category and normal balance, and the parent stops taking postings."""
    require(actor, Capability.BOOKS_WRITE, parent.books)
    parent = Account.objects.select_for_update().get(pk=parent.pk)
    code, name = (code or "").strip(), (name or "").strip()
    check_lengths(Account, {"code": code, "name": name})
    errors: dict[str, str] = {}
    if not code.isdigit() or not code.startswith(parent.code) or len(code) <= len(parent.code):
        errors["code"] = _("明细科目编码须以上级科目编码 %(code)s 开头并加上数字。") % {"code": parent.code}
    elif Account.objects.filter(books_id=parent.books_id, code=code).exists():
        errors["code"] = _("科目编码 %(code)s 已存在。") % {"code": code}
    if not name:
        errors["name"] = _("请填写科目名称。")
    if parent.is_postable and parent.lines.exists():
        errors["parent"] = _("科目“%(account)s”已有分录,不能再增设明细科目。") % {"account": parent}
    if errors:
        raise ValidationError(errors)
    account = Account.objects.create(
        books_id=parent.books_id,
        code=code,
        name=name,
        category=parent.category,
        normal_balance=parent.normal_balance,
        parent=parent,
        is_postable=True,
        standard="",
    )
    if parent.is_postable:
        parent.is_postable = False
        parent.save(update_fields=["is_postable"])
    audit.record_create(
        actor=actor,
        action=events.ACCOUNT_ADDED,
        target=account,
        after=audit.snapshot(account, ACCOUNT_FIELDS),
        area_path=parent.books.area_path,
    )
    return account
