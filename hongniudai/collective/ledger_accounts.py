"""A household's sub-account in an organisation's books, opened the first time money is owed to or
by the household under an account (内部往来 113, 应付劳务费 213, 应付款 211 …): the code is the
parent's followed by a four-digit sequence, the name the household's head and number."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.ledger.interface import Account, Books, add_sub_account
from hongniudai.places.models import Household

from .models import HouseholdAccount

INTERNAL = "113"  # 内部往来: what the collective owes each household, or is owed by it
LABOUR_PAYABLE = "213"  # 应付劳务费: villagers' wages for work done for the collective
PAYABLE = "211"  # 应付款


def household_account_name(household: Household) -> str:
    head = household.head.name if household.head_id and household.head else household.address
    return f"{head}({household.number})" if household.number else head


@transaction.atomic
def household_account(*, actor: User, books: Books, household: Household, parent_code: str) -> Account:
    """The household's sub-account below `parent_code` in `books`, opened when it has none."""
    found = (
        HouseholdAccount.objects.filter(books=books, household=household, parent_code=parent_code)
        .select_related("account")
        .first()
    )
    if found is not None:
        return found.account
    parent = Account.objects.select_for_update(of=("self",)).filter(books=books, code=parent_code).first()
    if parent is None:
        raise ValidationError(_("账套中没有科目 %(code)s,无法为农户设明细科目。") % {"code": parent_code})
    codes = Account.objects.filter(books=books, code__startswith=parent_code).values_list("code", flat=True)
    taken = [int(c[len(parent_code) :]) for c in codes if len(c) == len(parent_code) + 4 and c.isdigit()]
    code = f"{parent_code}{max(taken, default=0) + 1:04d}"
    account = add_sub_account(actor=actor, parent=parent, code=code, name=household_account_name(household))
    HouseholdAccount.objects.create(books=books, household=household, parent_code=parent_code, account=account)
    return account
