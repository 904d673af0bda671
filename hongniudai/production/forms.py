"""Forms of the production pages. They collect and convert input (numbers typed on a phone, weights
in 斤, 公斤 or 吨 to kg); the rules live in the services. Every choice list is a scoped queryset."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.collective.interface import EconomicOrg, org_widget
from hongniudai.common import parsing, pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField
from hongniudai.enterprises.interface import Enterprise, counterparties, counterparty_widget
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode, Resident

from . import selectors
from .models import KG_PER_JIN, KG_PER_TONNE, OutputUnit, PaidFrom, Planting, PriceUnit, SettledBy


class NumberField(forms.Field):
    """A number typed on a phone (the decimal keypad): a Decimal, else 请输入数字; its sign and
    decimals are the service's to judge."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "30"})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value if value is not None else "").replace(",", "").replace(",", "").strip()
        if not text:
            return None
        if len(text) > 30:
            raise ValidationError(_("请输入数字。"))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("请输入数字。")) from None
        if not number.is_finite():
            raise ValidationError(_("请输入数字。"))
        return number


class WeightUnit:
    KG = "kg"
    JIN = "jin"
    TONNE = "tonne"
    CHOICES = [(KG, _("公斤")), (JIN, _("斤")), (TONNE, _("吨"))]
    KG_IN = {KG: Decimal(1), JIN: KG_PER_JIN, TONNE: KG_PER_TONNE}


def weight_kg(quantity: Decimal, unit: str) -> Decimal:
    return quantity * WeightUnit.KG_IN[unit]


def _org_label(org: EconomicOrg) -> str:
    return org.name


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EconomicOrg) -> str:  # type: ignore[override]
        return _org_label(obj)


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resident) -> str:  # type: ignore[override]
        return f"{obj.name}({obj.household.number or obj.household.address})"


def _year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), f"{y}年") for y in range(this + 1, this - 6, -1)]


def _offer_orgs(field: forms.Field, orgs: Any) -> None:
    """The organisation picker over `orgs`; the only one chosen already."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = orgs
    pick.attach(field, org_widget())
    if not field.required:
        return
    rows = list(orgs)
    if len(rows) == 1:
        field.initial = rows[0].pk


def _offer_enterprises(field: forms.Field, user: User, empty: str) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = counterparties(user)
    pick.attach(field, counterparty_widget(empty))


# ---- filters --------------------------------------------------------------------------------


class YearFilterForm(BootstrapMixin, forms.Form):
    org = OrgChoiceField(label=_("经营主体"), required=False, queryset=None, empty_label=_("全部经营主体"))
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = selectors.orgs_for_view(user)
        pick.attach(org_field, org_widget(str(_("全部经营主体:输入组织或村的名称"))))
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", _("全部年度")), *_year_choices()]


class IncomeFilterForm(BootstrapMixin, forms.Form):
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), queryset=None, empty_label=None)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=[])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village_field = self.fields["village"]
        assert isinstance(village_field, forms.ModelChoiceField)
        village_field.queryset = selectors.villages_for_view(user)
        pickers.village_picker(village_field, user)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = _year_choices()


# ---- plantings, work, wages, harvests ------------------------------------------------------------


class PlantingForm(BootstrapMixin, forms.Form):
    org = OrgChoiceField(label=_("经营主体"), queryset=None)
    crop = forms.CharField(label=_("作物"), max_length=50, initial=_("红高粱"))
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=[])
    season = forms.CharField(label=_("季节"), max_length=20, required=False, help_text=_("如:春播、秋播"))
    area_mu = NumberField(label=_("面积(亩)"))
    land = forms.CharField(label=_("地块"), max_length=200, help_text=_("地块位置或名称,如:5组、6组连片"))
    adviser: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("技术指导企业"), queryset=None, required=False
    )
    started_on = DateField(label=_("播种日期"), widget=DateInput())
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_orgs(self.fields["org"], selectors.orgs_for_record(user))
        _offer_enterprises(self.fields["adviser"], user, str(_("没有则留空:输入企业名称")))
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = _year_choices()
        year_field.initial = timezone.localdate().year


class WorkForm(BootstrapMixin, forms.Form):
    """Short, for a phone in the field: who, which day(s), how many days at what rate, doing what."""

    WORKER_OPTIONS = 30

    org = OrgChoiceField(label=_("经营主体"), queryset=None)
    planting: forms.ModelChoiceField[Planting] = forms.ModelChoiceField(
        label=_("种植"), queryset=None, required=False, empty_label=_("不属于某一种植")
    )
    worker = WorkerChoiceField(label=_("务工人员"), queryset=None, empty_label=_("请先搜索并选择"))
    worked_on = DateField(label=_("务工日期"), widget=DateInput())
    worked_until = DateField(label=_("截止日期"), required=False, widget=DateInput(), help_text=_("多天时填写"))
    days = NumberField(label=_("天数"), help_text=_("以半天为单位,如 0.5、1、2.5"))
    daily_rate = NumberField(label=_("日工资(元)"))
    task = forms.CharField(label=_("工作内容"), max_length=100, initial=_("田间管理"))

    def __init__(self, *args: Any, user: User, worker_q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = selectors.orgs_for_record(user)
        _offer_orgs(self.fields["org"], orgs)
        planting_field = self.fields["planting"]
        assert isinstance(planting_field, forms.ModelChoiceField)
        planting_field.queryset = Planting.objects.filter(org__in=orgs).order_by("-year", "-id")
        org = self.data.get(self.add_prefix("org")) if self.is_bound else self.initial.get("org")
        org_id = parsing.parse_id(str(getattr(org, "pk", org) or self.fields["org"].initial or ""))
        if org_id is not None:  # the plantings of the organisation chosen (or the only one) only
            planting_field.queryset = planting_field.queryset.filter(org_id=org_id)
        worker_field = self.fields["worker"]
        assert isinstance(worker_field, forms.ModelChoiceField)
        worker_field.queryset = selectors.workers_for_record(user)
        # The select offers only the search results (and the worker already chosen).
        shown = list(selectors.workers_for_record(user, q=worker_q)[: self.WORKER_OPTIONS]) if worker_q else []
        chosen = self.data.get("worker") or self.initial.get("worker")
        if chosen and str(chosen).isdigit() and all(str(r.pk) != str(chosen) for r in shown):
            shown += list(selectors.workers_for_record(user).filter(pk=int(chosen)))
        worker_field.widget.choices = [
            ("", _("请先搜索并选择")),
            *[(r.pk, worker_field.label_from_instance(r)) for r in shown],
        ]


class PaymentForm(BootstrapMixin, forms.Form):
    org = OrgChoiceField(label=_("经营主体"), queryset=None)
    worker = WorkerChoiceField(label=_("务工人员"), queryset=None)
    amount = NumberField(label=_("金额(元)"))
    paid_on = DateField(label=_("支付日期"), widget=DateInput())
    paid_from = forms.ChoiceField(label=_("支付方式"), choices=PaidFrom.choices, initial=PaidFrom.BANK)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_orgs(self.fields["org"], selectors.orgs_for_record(user))
        worker_field = self.fields["worker"]
        assert isinstance(worker_field, forms.ModelChoiceField)
        worker_field.queryset = selectors.workers_for_record(user).filter(pk__in=selectors.workers_owed(user))
        pick.attach(worker_field, pickers.resident_widget(user, str(_("输入务工人员姓名或拼音"))))


class WeightForm(BootstrapMixin, forms.Form):
    """A weight typed in 公斤, 斤 or 吨; `kg()` gives it in kg."""

    quantity = NumberField(label=_("数量"))
    unit = forms.ChoiceField(label=_("单位"), choices=WeightUnit.CHOICES, initial=WeightUnit.KG)

    def kg(self, data: dict[str, Any]) -> Decimal:
        return weight_kg(data["quantity"], data["unit"])


class HarvestForm(WeightForm):
    harvested_on = DateField(label=_("收获日期"), widget=DateInput())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    field_order = ["harvested_on", "quantity", "unit", "note"]


# ---- contracts and deliveries --------------------------------------------------------------------


class ContractForm(WeightForm):
    org = OrgChoiceField(label=_("卖方(经营主体)"), queryset=None)
    buyer: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("收购企业"), queryset=None, empty_label=_("请选择")
    )
    number = forms.CharField(label=_("合同编号"), max_length=50, required=False)
    crop = forms.CharField(label=_("作物"), max_length=50, initial=_("红高粱"))
    price = NumberField(label=_("单价(元)"))
    price_unit = forms.ChoiceField(label=_("计价单位"), choices=PriceUnit.choices, initial=PriceUnit.JIN)
    signed_on = DateField(label=_("签订日期"), widget=DateInput())
    schedule = forms.CharField(
        label=_("交货计划"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2025-09-30 60000\n2025-10-31 40000"}),
        help_text=_("每行一期:交货日期 数量(与上面的单位相同);各期合计应等于合同数量。"),
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["org", "buyer", "number", "crop", "quantity", "unit", "price", "price_unit", "signed_on"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_orgs(self.fields["org"], selectors.orgs_for_record(user))
        _offer_enterprises(self.fields["buyer"], user, str(_("输入收购企业名称")))
        self.fields["quantity"].label = _("合同数量")

    def clean_schedule(self) -> list[tuple[dt.date, Decimal]]:
        lines: list[tuple[dt.date, Decimal]] = []
        for n, raw in enumerate((self.cleaned_data.get("schedule") or "").splitlines(), start=1):
            parts = raw.replace(",", " ").replace(",", " ").split()
            if not parts:
                continue
            try:
                if len(parts) != 2:
                    raise ValueError
                lines.append((dt.date.fromisoformat(parts[0]), Decimal(parts[1])))
            except (ValueError, InvalidOperation):
                raise ValidationError(_("第 %(n)d 行应为“日期 数量”,如 2025-09-30 60000。") % {"n": n}) from None
        return lines

    def schedule_kg(self, data: dict[str, Any]) -> list[tuple[dt.date, Decimal]]:
        return [(day, weight_kg(quantity, data["unit"])) for day, quantity in data["schedule"]]


class DeliveryForm(WeightForm):
    delivered_on = DateField(label=_("交货日期"), widget=DateInput())
    settled_by = forms.ChoiceField(label=_("结算"), choices=SettledBy.choices, initial=SettledBy.RECEIVABLE)
    field_order = ["delivered_on", "quantity", "unit", "settled_by"]


class ReceiptForm(BootstrapMixin, forms.Form):
    received_on = DateField(label=_("收款日期"), widget=DateInput())
    amount = NumberField(label=_("金额(元)"))


# ---- processing and sales -----------------------------------------------------------------------


class ProcessingForm(BootstrapMixin, forms.Form):
    org = OrgChoiceField(label=_("经营主体"), queryset=None)
    input_crop = forms.CharField(label=_("原料"), max_length=50, initial=_("红高粱"))
    input_quantity = NumberField(label=_("原料用量"))
    input_unit = forms.ChoiceField(label=_("原料单位"), choices=WeightUnit.CHOICES, initial=WeightUnit.JIN)
    product = forms.CharField(label=_("产品"), max_length=50, initial=_("高粱酒"))
    output_quantity = NumberField(label=_("产量"))
    product_unit = forms.ChoiceField(label=_("产品单位"), choices=OutputUnit.choices, initial=OutputUnit.JIN)
    processed_on = DateField(label=_("加工日期"), widget=DateInput())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_orgs(self.fields["org"], selectors.orgs_for_record(user))


class SaleForm(BootstrapMixin, forms.Form):
    org = OrgChoiceField(label=_("经营主体"), queryset=None)
    product = forms.CharField(label=_("产品"), max_length=50, initial=_("高粱酒"))
    quantity = NumberField(label=_("数量"))
    product_unit = forms.ChoiceField(label=_("单位"), choices=OutputUnit.choices, initial=OutputUnit.JIN)
    unit_price = NumberField(label=_("单价(元)"))
    buyer: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("买方企业"), queryset=None, required=False
    )
    buyer_name = forms.CharField(label=_("买方"), max_length=100, required=False, help_text=_("不是企业时填写"))
    sold_on = DateField(label=_("销售日期"), widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_orgs(self.fields["org"], selectors.orgs_for_record(user))
        _offer_enterprises(self.fields["buyer"], user, str(_("不是企业则留空:输入企业名称")))
