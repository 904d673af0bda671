"""Importing the members of a collective economic organisation (集体经济组织成员): one row a
household confirmed as a member, with the shares it is allotted, through `collective.services`
(`confirm_member`, then `record_shares`). A household already a member of the organisation (or
once one) is skipped: importing the same file twice confirms nobody twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from hongniudai.collective import services as collective
from hongniudai.collective.interface import EconomicOrg
from hongniudai.collective.models import ContributionKind
from hongniudai.spreadsheets import selectors
from hongniudai.spreadsheets.models import ImportKind

from .economy import HEAD_NAME, HOUSEHOLD_NOTE, HOUSEHOLD_NUMBER, EconomyImporter
from .rows import NOTE, NOTE_SPEC, SKIPPED, RowErrors, Spec, labels_of

ORG = "集体经济组织"
DECISION = "确认依据"


class CollectiveMemberImporter(EconomyImporter):
    kind = ImportKind.ECONOMY_MEMBERS
    sheet_title = "集体经济组织成员"
    specs = (
        Spec(
            "org",
            ORG,
            required=True,
            width=26,
            example="徐桥村股份经济合作社",
            help="组织或合作社的全称;填村名时为该村的集体经济组织。可选项见“可选村和组织”工作表。",
        ),
        HOUSEHOLD_NUMBER,
        HEAD_NAME,
        Spec("confirmed_on", "确认日期", required=True, width=12, example="2024-03-15", help="格式 2024-03-15。"),
        Spec("shares", "股数", width=10, example="10", help="可不填;填写时为确认时配给该户的股数,最多两位小数。"),
        Spec("contribution", "出资方式", width=14, example="折股量化", help="填写股数时适用;不填视为“折股量化”。"),
        Spec("amount", "出资金额(元)", width=14, example="", help="现金入股时必填,记入组织的账套。"),
        Spec(DECISION, DECISION, width=24, example="", help="可不填;该村四议两公开事项的名称。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "household": HOUSEHOLD_NUMBER.header,
        "confirmed_on": "确认日期",
        "effective_on": "确认日期",
        "decision": DECISION,
        "shares": "股数",
        "contribution": "出资方式",
        "amount": "出资金额(元)",
        "note": NOTE,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members: dict[int, set[int]] = {}

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一户成员。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "集体经济组织:填组织或合作社的全称,或填村名(即该村的集体经济组织);须在您的管辖范围内。",
            HOUSEHOLD_NOTE + "该户须是组织所在村的住户(先导入住户)。",
            "股数:可不填;填写时按“出资方式”登记到股权登记簿,现金入股须填出资金额,记入组织的账套。"
            "出资方式可填:" + "、".join(labels_of(ContributionKind.choices)) + "。",
            "已是该组织成员(或曾是成员)的户不会重复导入,在导入结果中列为“已登记,跳过”。",
            "有任何一行有误时,不会导入任何数据。",
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "contribution":
            return tuple(labels_of(ContributionKind.choices))
        return spec.values

    def example_row(self) -> list[str]:
        row = super().example_row()
        if self.orgs:
            row[0] = self.orgs[0].name
        return row

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        org = self._org(self.required_text(raw, ORG, e), e)
        village = org.village if org is not None else None
        household = self.household(village, raw, e)
        confirmed_on = self.date(raw, "确认日期", e, required=True)
        shares = self.number(raw, "股数", e, required=False, what=_("股数"))
        contribution = self.choice(raw, "出资方式", e, labels_of(ContributionKind.choices), ContributionKind.ALLOTTED)
        amount = self.number(raw, "出资金额(元)", e, required=False, what=_("出资金额"))
        if contribution == ContributionKind.CASH and shares is not None and amount is None:
            e.add("出资金额(元)", _("现金入股须填写出资金额。"))
        decision = self.decision(village, raw, DECISION, e)
        note = self.optional_text(raw, NOTE, e, max_length=500)
        if org is None or household is None:
            return {}
        self.once_in_file((org.pk, household.pk), e, HOUSEHOLD_NUMBER.header)
        if e:
            return {}
        if household.pk in self._member_ids(org):
            return self.skip(e.row, _("%(household)s已是%(org)s的成员,跳过。") % {"household": household, "org": org})
        return {
            "org": org,
            "household": household,
            "confirmed_on": confirmed_on,
            "decision": decision,
            "note": note,
            "shares": shares,
            "contribution": contribution,
            "amount": amount or Decimal(0),
        }

    def _org(self, name: str, e: RowErrors) -> EconomicOrg | None:
        if not name:
            return None
        found = [o for o in self.orgs if o.name == name]
        if not found:
            found = [o for o in self.orgs if o.village.name == name and o.founded_by_id is None]
        if len(found) == 1:
            return found[0]
        if not found:
            e.add(ORG, _("未找到集体经济组织“%(name)s”,或它不在您的管辖范围内。") % {"name": name})
        else:
            e.add(ORG, _("“%(name)s”对应多个组织,请填写组织全称。") % {"name": name})
        return None

    def _member_ids(self, org: EconomicOrg) -> set[int]:
        if org.pk not in self._members:
            self._members[org.pk] = selectors.org_members(org)
        return self._members[org.pk]

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        shares = cleaned.pop("shares")
        contribution, amount = cleaned.pop("contribution"), cleaned.pop("amount")
        membership = collective.confirm_member(actor=self.user, **cleaned)
        if shares is not None:
            collective.record_shares(
                actor=self.user,
                org=cleaned["org"],
                household=cleaned["household"],
                contribution=contribution,
                shares=shares,
                effective_on=cleaned["confirmed_on"],
                reason=_("成员确认时配股(导入)"),
                amount=amount,
                decision=cleaned["decision"],
            )
        self._member_ids(cleaned["org"]).add(cleaned["household"].pk)
        return membership
