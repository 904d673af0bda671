"""Forms of the land pages. They collect and convert input; the rules live in the services. Every
choice list is a scoped queryset."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.collective.interface import Decision, DecisionSubject, EconomicOrg, org_widget
from hongniudai.common import parsing, pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.enterprises.interface import Enterprise, counterparties, counterparty_widget
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode, Household

from . import selectors
from .models import ContractStatus, LandGrade, LandKind, Parcel, PaymentCycle, TransferContract, TransferKind


def household_label(h: Household) -> str:
    head = h.head.name if h.head_id and h.head else h.address
    return f"{head}({h.number})" if h.number else head


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Household) -> str:  # type: ignore[override]
        return household_label(obj)


class ParcelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Parcel) -> str:  # type: ignore[override]
        return f"{obj.name} · {household_label(obj.household)} · {obj.area} 亩"


def _area_field(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=14)


# ---- filters --------------------------------------------------------------------------------


class ParcelFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("地块、承包户或证号"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("地块名称、承包户或证号")}),
    )
    village = forms.ModelChoiceField(
        label=_("村"), queryset=AreaNode.objects.none(), required=False, empty_label=_("全部村")
    )
    kind = forms.ChoiceField(label=_("土地类型"), required=False, choices=[("", _("全部类型")), *LandKind.choices])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        assert isinstance(village, forms.ModelChoiceField)
        pickers.area_filter_picker(village, user, Capability.ECONOMY_VIEW)


class ContractFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("合同编号或流入方"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("合同编号、合作社或企业")}),
    )
    village = forms.ModelChoiceField(
        label=_("村"), queryset=AreaNode.objects.none(), required=False, empty_label=_("全部村")
    )
    kind = forms.ChoiceField(label=_("流转方式"), required=False, choices=[("", _("全部方式")), *TransferKind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *ContractStatus.choices])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        assert isinstance(village, forms.ModelChoiceField)
        pickers.area_filter_picker(village, user, Capability.ECONOMY_VIEW)


# ---- parcels ------------------------------------------------------------------------------


class ParcelForm(BootstrapMixin, forms.Form):
    household = HouseholdChoiceField(label=_("承包户"), queryset=Household.objects.none())
    name = forms.CharField(label=_("地块名称"), max_length=limit(Parcel, "name"))
    location = forms.CharField(label=_("坐落"), required=False, max_length=limit(Parcel, "location"))
    registered_area = _area_field(_("确权面积(亩)"))
    measured_area = _area_field(_("实测面积(亩)"), required=False)
    kind = forms.ChoiceField(label=_("土地类型"), choices=LandKind.choices, initial=LandKind.ARABLE)
    grade = forms.TypedChoiceField(
        label=_("地力等级"), required=False, coerce=int, empty_value=None, choices=[("", "—"), *LandGrade.choices]
    )
    lat = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    lng = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    polygon = forms.CharField(
        label=_("地块范围(GeoJSON)"),
        required=False,
        max_length=limit(Parcel, "polygon"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可选:GeoJSON 的 Polygon,经纬度坐标。"),
    )
    warrant_number = forms.CharField(
        label=_("土地承包经营权证号"), required=False, max_length=limit(Parcel, "warrant_number")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        household = self.fields["household"]
        assert isinstance(household, forms.ModelChoiceField)
        household.queryset = selectors.households_for_choice(user)
        pick.attach(household, pickers.household_widget(user))


# ---- contracts ----------------------------------------------------------------------------


class ContractForm(BootstrapMixin, forms.Form):
    village = forms.ModelChoiceField(label=_("村"), queryset=AreaNode.objects.none())
    number = forms.CharField(label=_("合同编号"), required=False, max_length=limit(TransferContract, "number"))
    kind = forms.ChoiceField(label=_("流转方式"), choices=TransferKind.choices)
    org = forms.ModelChoiceField(
        label=_("流入方(集体经济组织或合作社)"),
        queryset=EconomicOrg.objects.none(),
        help_text=_("租金记在其账上;流入方为企业时选本村集体经济组织(代企业收付)。"),
    )
    enterprise = forms.ModelChoiceField(
        label=_("流入企业"), queryset=Enterprise.objects.none(), required=False, empty_label=_("无(不是企业)")
    )
    decision = forms.ModelChoiceField(
        label=_("四议两公开决策"), queryset=Decision.objects.none(), required=False, empty_label=_("(未关联)")
    )
    starts_on = DateField(label=_("流转起始日期"), widget=DateInput())
    ends_on = DateField(label=_("流转终止日期"), widget=DateInput())
    rent_per_mu = forms.DecimalField(label=_("每亩年租金(元)"), max_digits=16)
    collective_area = forms.DecimalField(
        label=_("集体机动地面积(亩)"),
        required=False,
        max_digits=14,
        help_text=_("随合同一并流转给企业、由集体自己持有的土地;其租金留作集体的经营收入。"),
    )
    cycle = forms.ChoiceField(label=_("支付方式"), choices=PaymentCycle.choices)
    due_month = IntegerField(label=_("支付月份"), min_value=1, max_value=12, initial=1)
    due_day = IntegerField(label=_("支付日"), min_value=1, max_value=31, initial=1)
    signed_on = DateField(label=_("签订日期"), widget=DateInput())
    document = forms.FileField(label=_("合同扫描件"), required=False, help_text=_("pdf、jpg、png,不超过 20 MB。"))
    note = forms.CharField(
        label=_("备注"),
        required=False,
        max_length=limit(TransferContract, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, contract: TransferContract | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["village"].queryset = selectors.writable_villages(user)
        pickers.village_picker(fields["village"], user)
        fields["org"].queryset = selectors.orgs_for_choice(user)
        fields["enterprise"].queryset = counterparties(user)
        pick.attach(fields["enterprise"], counterparty_widget(str(_("不是企业则留空:输入企业名称"))))
        fields["decision"].queryset = selectors.decisions_for_choice(user).filter(subject=DecisionSubject.LAND_TRANSFER)
        village = contract.village if contract is not None else self._village_named(fields["village"].queryset)
        if village is not None:  # the organisations and decisions of that village only
            fields["org"].queryset = fields["org"].queryset.filter(area_path=village.path)
            fields["decision"].queryset = fields["decision"].queryset.filter(area_path=village.path)
        else:  # a town's or a county's: the organisation by search, the decision once the village is saved
            pick.attach(fields["org"], org_widget())
            fields["decision"].widget.choices = [("", _("先选村,再选决策依据"))]
        if contract is not None:
            del self.fields["village"]

    def _village_named(self, villages: Any) -> AreaNode | None:
        """The village sent, set initially, or the user's only one."""
        value = self.data.get(self.add_prefix("village")) if self.is_bound else self.initial.get("village")
        pk = parsing.parse_id(str(getattr(value, "pk", value))) if value else None
        if pk is not None:
            return villages.filter(pk=pk).first()
        only = list(villages[:2])
        return only[0] if len(only) == 1 else None


class AddParcelForm(BootstrapMixin, forms.Form):
    parcel = ParcelChoiceField(label=_("地块"), queryset=Parcel.objects.none())
    area = _area_field(_("流转面积(亩)"))

    def __init__(self, *args: Any, user: User, contract: TransferContract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parcel = self.fields["parcel"]
        assert isinstance(parcel, forms.ModelChoiceField)
        parcel.queryset = selectors.parcels_for_choice(user, contract.village)


class PayForm(BootstrapMixin, forms.Form):
    paid_on = DateField(label=_("支付日期"), widget=DateInput())
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class ReceiveForm(BootstrapMixin, forms.Form):
    received_on = DateField(label=_("收款日期"), widget=DateInput())
    amount = forms.DecimalField(label=_("金额(元)"), max_digits=16)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class EndForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("结束方式"), choices=[(ContractStatus.ENDED, _("到期")), (ContractStatus.TERMINATED, _("解除"))]
    )


class VillageForm(BootstrapMixin, forms.Form):
    village = forms.ModelChoiceField(label=_("村"), queryset=AreaNode.objects.none(), required=False, empty_label=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        assert isinstance(village, forms.ModelChoiceField)
        village.queryset = selectors.villages(user)
        pickers.village_picker(village, user)
