"""Forms of the returnee pages. They collect and convert input; the rules live in the services.
Every choice list is a scoped queryset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.common import parsing, pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.enterprises.interface import Enterprise, counterparties, counterparty_widget
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode, Resident

from . import selectors
from .models import Business, BusinessKind, BusinessStatus, Returnee, Support, SupportKind, WageRecord

YES_NO = [("", _("不限")), ("1", _("是")), ("0", _("否"))]


def yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _amount_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    # Two places are checked by the service (with its Chinese message), so the form takes any number.
    return forms.DecimalField(label=label, max_digits=16, **kwargs)


# ---- filters ----------------------------------------------------------------------------------


class ReturneeFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("姓名"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名或拼音首字母")}),
    )
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)
    party_member = forms.ChoiceField(label=_("党员"), required=False, choices=[("", _("党员:不限")), *YES_NO[1:]])
    veteran = forms.ChoiceField(label=_("退役军人"), required=False, choices=[("", _("退役军人:不限")), *YES_NO[1:]])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        assert isinstance(village, forms.ModelChoiceField)
        pickers.area_filter_picker(village, user, Capability.ECONOMY_VIEW)


class BusinessFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("项目或创办人"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("项目名称或创办人姓名")}),
    )
    village: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(label=_("村"), required=False, queryset=None)
    kind = forms.ChoiceField(
        label=_("产业类型"), required=False, choices=[("", _("全部产业类型")), *BusinessKind.choices]
    )
    status = forms.ChoiceField(
        label=_("经营状态"), required=False, choices=[("", _("全部经营状态")), *BusinessStatus.choices]
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        assert isinstance(village, forms.ModelChoiceField)
        pickers.area_filter_picker(village, user, Capability.ECONOMY_VIEW)


class MeasuresForm(BootstrapMixin, forms.Form):
    year = IntegerField(label=_("年度"), required=False, min_value=1900, max_value=2100)


# ---- a select offering only the search results ------------------------------------------------


def returnee_label(r: Returnee) -> str:
    return f"{r.resident.name} · {r.village.name}"


def returnee_widget() -> pick.LabelledPickWidget:
    """The founder picker: a returnee named by typing, never a list of every returnee."""
    return pick.LabelledPickWidget(
        url_name="returnees:returnee_pick",
        label=returnee_label,
        placeholder=str(_("输入返乡能人的姓名或拼音")),
        aria_label=str(_("创办人")),
    )


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resident) -> str:  # type: ignore[override]
        return selectors.resident_label(obj)


RESIDENT_OPTIONS = 20


def offer_residents(form: forms.Form, name: str, rows: Callable[[str], QuerySet[Resident]], q: str, empty: Any) -> None:
    """Offer in `form.fields[name]` the residents found by `q` (and the one already chosen)."""
    field = form.fields[name]
    assert isinstance(field, ResidentChoiceField)
    field.queryset = rows("")
    shown = list(rows(q)[:RESIDENT_OPTIONS]) if q else []
    chosen = form.data.get(name) if form.is_bound else form.initial.get(name)
    chosen_id = parsing.parse_id(str(chosen)) if chosen else None
    if chosen_id and all(r.pk != chosen_id for r in shown):
        extra = rows("").filter(pk=chosen_id).first()
        if extra is not None:
            shown.insert(0, extra)
    field.widget.choices = [("", empty), *[(r.pk, selectors.resident_label(r)) for r in shown]]


# ---- returnees --------------------------------------------------------------------------------


class ReturneeForm(BootstrapMixin, forms.Form):
    resident = ResidentChoiceField(label=_("居民"), queryset=None)
    returned_on = DateField(label=_("返乡日期"), widget=DateInput())
    came_from = forms.CharField(label=_("返乡前所在地"), max_length=100, help_text=_("城市或省份,如“广东深圳”"))
    previous_work = forms.CharField(label=_("外出期间从事工作"), max_length=200, required=False)
    skills = forms.CharField(
        label=_("技能特长"),
        max_length=limit(Returnee, "skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("备注"), max_length=limit(Returnee, "note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, returnee: Returnee | None = None, resident_q: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if returnee is not None:
            del self.fields["resident"]
            return
        offer_residents(
            self,
            "resident",
            lambda q: selectors.residents_for_choice(user, q=q),
            resident_q,
            _("请先搜索并选择居民"),
        )


# ---- businesses -------------------------------------------------------------------------------


class BusinessForm(BootstrapMixin, forms.Form):
    founder: forms.ModelChoiceField[Returnee] = forms.ModelChoiceField(label=_("创办人"), queryset=None)
    name = forms.CharField(label=_("项目名称"), max_length=100)
    kind = forms.ChoiceField(label=_("产业类型"), choices=BusinessKind.choices)
    started_on = DateField(label=_("创办日期"), widget=DateInput())
    investment = _amount_field(_("投资额(元)"), required=False)
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("登记企业"), required=False, queryset=None, help_text=_("已在企业名录登记的,选择该企业。")
    )
    scale = forms.CharField(label=_("规模"), max_length=100, required=False, help_text=_("如“存栏生猪 1 万头”"))
    status = forms.ChoiceField(label=_("经营状态"), choices=BusinessStatus.choices, initial=BusinessStatus.OPERATING)
    note = forms.CharField(
        label=_("备注"), max_length=limit(Business, "note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, business: Business | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ent = self.fields["enterprise"]
        assert isinstance(ent, forms.ModelChoiceField)
        ent.queryset = counterparties(user)
        if business is not None and business.enterprise_id:
            ent.queryset = ent.queryset | Enterprise.objects.filter(pk=business.enterprise_id)
        pick.attach(ent, counterparty_widget(str(_("未登记则留空:输入企业名称"))))
        if business is not None:
            del self.fields["founder"]
            return
        founder = self.fields["founder"]
        assert isinstance(founder, forms.ModelChoiceField)
        founder.queryset = selectors.returnees_for_choice(user).select_related("village")
        pick.attach(founder, returnee_widget())

    def clean_investment(self) -> Any:
        value = self.cleaned_data.get("investment")
        return 0 if value is None else value


# ---- employment and wages ---------------------------------------------------------------------


class EmploymentForm(BootstrapMixin, forms.Form):
    resident = ResidentChoiceField(label=_("务工人员"), queryset=None)
    started_on = DateField(label=_("用工开始日期"), widget=DateInput())
    ended_on = DateField(label=_("用工结束日期"), required=False, widget=DateInput(), help_text=_("仍在岗的不填"))
    job = forms.CharField(label=_("岗位"), max_length=100, required=False, help_text=_("如“饲养员”“采摘工”"))
    note = forms.CharField(label=_("备注"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, resident_q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_residents(
            self,
            "resident",
            lambda q: selectors.residents_for_employment(user, q=q),
            resident_q,
            _("请先搜索并选择居民"),
        )


class EndEmploymentForm(BootstrapMixin, forms.Form):
    ended_on = DateField(label=_("用工结束日期"), widget=DateInput())


class WageForm(BootstrapMixin, forms.Form):
    year = IntegerField(label=_("年度"), min_value=1900, max_value=2100)
    amount = _amount_field(_("工资(元)"))
    note = forms.CharField(
        label=_("备注"), max_length=limit(WageRecord, "note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# ---- support ----------------------------------------------------------------------------------


class SupportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("扶持方式"), choices=SupportKind.choices)
    given_on = DateField(label=_("扶持日期"), widget=DateInput())
    amount = _amount_field(_("金额(元)"), required=False, help_text=_("资金扶持填写金额;场地、培训等可不填"))
    given_by = forms.CharField(label=_("扶持单位"), max_length=100, help_text=_("如“宋河镇政府”"))
    note = forms.CharField(
        label=_("说明"), max_length=limit(Support, "note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def today_initial(name: str) -> dict[str, Any]:
    return {name: timezone.localdate()}
