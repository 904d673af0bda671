"""Forms of the distribution pages. They collect and convert input; the rules live in the services.
Every choice list is a scoped queryset."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.collective.interface import Decision, EconomicOrg, org_widget
from hongniudai.common import parsing, pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit

from . import selectors
from .models import DistributionPlan, ItemKind, PlanStatus


def _money(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=14, decimal_places=2, min_value=0, help_text=help_text
    )


class PlanFilterForm(BootstrapMixin, forms.Form):
    org: forms.ModelChoiceField[EconomicOrg] = forms.ModelChoiceField(
        label=_("集体经济组织"), required=False, queryset=None, empty_label=_("全部组织")
    )
    year = IntegerField(
        label=_("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": _("年度")}),
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *PlanStatus.choices])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.orgs_for_filter(user)
        pick.attach(field, org_widget(str(_("全部组织:输入组织或村的名称"))))


class PlanForm(BootstrapMixin, forms.Form):
    org: forms.ModelChoiceField[EconomicOrg] = forms.ModelChoiceField(label=_("集体经济组织"), queryset=None)
    year = IntegerField(label=_("分配年度"), min_value=2000, max_value=2100)
    surplus = _money(_("可分配收益(元)"), help_text=_("本年收益加上年未分配收益;账面数显示在方案页上,供核对。"))
    record_date = DateField(label=_("股权登记日"), widget=DateInput(), help_text=_("按此日的持股数分配红利。"))
    decision: forms.ModelChoiceField[Decision] = forms.ModelChoiceField(
        label=_("决策依据"),
        required=False,
        queryset=None,
        help_text=_("经四议两公开的“收益分配”事项;批准前须有村民(代表)会议决议。"),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=limit(DistributionPlan, "note"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: User, plan: DistributionPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.fields["org"]
        decision = self.fields["decision"]
        assert isinstance(org, forms.ModelChoiceField) and isinstance(decision, forms.ModelChoiceField)
        org.queryset = selectors.orgs_for_choice(user)
        pick.attach(org, org_widget())
        decision.queryset = selectors.decisions_for_choice(user)
        chosen = plan.org if plan is not None else self._org_named(org.queryset)
        if chosen is not None:  # the decisions of that organisation's village only
            decision.queryset = decision.queryset.filter(area_path=chosen.area_path)
        else:
            decision.widget.choices = [("", _("先选组织,再选决策依据"))]
        if plan is not None:
            del self.fields["org"]

    def _org_named(self, orgs: Any) -> EconomicOrg | None:
        """The organisation sent or set initially, or the user's only one."""
        value = self.data.get(self.add_prefix("org")) if self.is_bound else self.initial.get("org")
        pk = parsing.parse_id(str(getattr(value, "pk", value))) if value else None
        if pk is not None:
            return orgs.filter(pk=pk).first()
        only = list(orgs[:2])
        return only[0] if len(only) == 1 else None


class ItemForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("分配项目"), choices=ItemKind.choices)
    amount = _money(_("金额(元)"), required=False)
    percentage = forms.DecimalField(
        label=_("或比例(%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        help_text=_("占可分配收益的百分比;金额和比例只填一项。"),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class PayoutForm(BootstrapMixin, forms.Form):
    paid_on = DateField(label=_("发放日期"), widget=DateInput())
    amount = _money(_("发放金额(元)"), required=False, help_text=_("不填即为应分金额;须一次足额发放。"))


class ApproveForm(BootstrapMixin, forms.Form):
    approved_on = DateField(label=_("批准(记账)日期"), widget=DateInput())
