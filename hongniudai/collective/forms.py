"""Forms of the collective economy's pages. They collect and convert input; the rules live in the
services. Every choice list is a scoped queryset; a household is picked by searching (the select
offers only the search results and the household already chosen), never from a list of hundreds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.common import parsing, pick
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.ledger.forms import BooksPickWidget
from hongniudai.ledger.interface import Books
from hongniudai.orglife.interface import Meeting
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode, Household

from . import selectors
from .models import (
    COLLECTIVE_KINDS,
    ContributionKind,
    Decision,
    DecisionStep,
    DecisionSubject,
    EconomicOrg,
    Membership,
    OrgKind,
    StepKind,
)

HOUSEHOLD_OPTIONS = 20
COOPERATIVE_CHOICES = [(k.value, k.label) for k in (OrgKind.SHAREHOLDING_COOPERATIVE, OrgKind.SPECIALISED_COOPERATIVE)]
COLLECTIVE_CHOICES = [(k.value, k.label) for k in COLLECTIVE_KINDS]


class LabelledChoiceField(forms.ModelChoiceField):
    """A model choice whose label is `label(obj)`."""

    def __init__(self, *args: Any, label_of: Any = str, **kwargs: Any) -> None:
        self.label_of = label_of
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(self.label_of(obj))


def _village_label(v: AreaNode) -> str:
    return v.name


def _decision_label(d: Decision) -> str:
    return f"{d.title}({d.get_subject_display()})"


def _meeting_label(m: Meeting) -> str:
    return f"{m.held_on:%Y-%m-%d} {m.topic}({m.org.name})"


def _books_label(b: Books) -> str:
    return f"{b.village.name} · {b.name}"


def offer_households(
    field: forms.ModelChoiceField, form: forms.Form, *, everything: QuerySet[Household], q: str, empty: Any
) -> None:
    """Validate against `everything`; offer the households `q` finds and the one already chosen."""
    field.queryset = everything
    shown = list(everything.filter(household_q_filter(q))[:HOUSEHOLD_OPTIONS]) if q else []
    chosen = form.data.get(form.add_prefix("household")) if form.is_bound else form.initial.get("household")
    chosen_id = parsing.parse_id(str(chosen)) if chosen else None
    if chosen_id and all(h.pk != chosen_id for h in shown):
        extra = everything.filter(pk=chosen_id).first()
        if extra is not None:
            shown.insert(0, extra)
    field.widget.choices = [("", empty), *[(h.pk, selectors.household_label(h)) for h in shown]]


def household_q_filter(q: str) -> Q:
    q = q.strip()
    return Q(head__name__icontains=q) | Q(address__icontains=q) | Q(number=q)


# ---- filters --------------------------------------------------------------------------------


class DecisionFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("事项名称"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("事项名称")}),
    )
    subject = forms.ChoiceField(
        label=_("事项类别"), required=False, choices=[("", _("全部类别")), *DecisionSubject.choices]
    )


class OrgFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("组织名称"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("组织名称")}),
    )
    kind = forms.ChoiceField(label=_("组织类型"), required=False, choices=[("", _("全部类型")), *OrgKind.choices])


class MemberFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("户主、住址或户编号"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("户主姓名、住址或户编号")}),
    )
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部成员")), (selectors.ACTIVE, _("在册")), (selectors.ENDED, _("已退出"))],
    )


# ---- decisions ------------------------------------------------------------------------------


class DecisionForm(BootstrapMixin, forms.Form):
    village = LabelledChoiceField(label=_("村"), queryset=None, label_of=_village_label)
    subject = forms.ChoiceField(label=_("事项类别"), choices=DecisionSubject.choices)
    title = forms.CharField(label=_("事项名称"), max_length=200)
    content = forms.CharField(
        label=_("事项内容"),
        required=False,
        max_length=limit(Decision, "content"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.villages_for_choice(user)
        pickers.village_picker(field, user)
        villages = list(field.queryset[:2])
        if len(villages) == 1 and not self.initial.get("village"):
            self.initial["village"] = villages[0].pk


class StepForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("环节"), choices=StepKind.choices)
    held_on = DateField(label=_("日期"), widget=DateInput())
    meeting = LabelledChoiceField(
        label=_("会议记录"),
        required=False,
        queryset=None,
        label_of=_meeting_label,
        help_text=_("村党组织提议:支部委员会会议;党员大会审议:支部党员大会。其他环节不选。"),
    )
    attended = IntegerField(label=_("参会人数"), required=False, min_value=0, max_value=100000)
    agreed = IntegerField(label=_("同意人数"), required=False, min_value=0, max_value=100000)
    note = forms.CharField(
        label=_("情况说明"),
        required=False,
        max_length=limit(DecisionStep, "note"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    MEETINGS = 50

    def __init__(self, *args: Any, user: User, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ModelChoiceField)
        meetings = selectors.meetings_for_step(user, decision)
        field.queryset = meetings
        field.widget.choices = [("", "---------"), *[(m.pk, _meeting_label(m)) for m in meetings[: self.MEETINGS]]]


# ---- organisations --------------------------------------------------------------------------


class CollectiveForm(BootstrapMixin, forms.Form):
    village = LabelledChoiceField(label=_("村"), queryset=None, label_of=_village_label)
    name = forms.CharField(label=_("组织名称"), max_length=100, help_text=_("如“徐桥村股份经济合作社”"))
    kind = forms.ChoiceField(label=_("组织类型"), choices=COLLECTIVE_CHOICES)
    founded_on = DateField(label=_("成立日期"), widget=DateInput())
    books = LabelledChoiceField(
        label=_("已有账套"),
        required=False,
        queryset=None,
        label_of=_books_label,
        help_text=_("该村已在集体账务中建账的,选择该账套;不选则按2023年会计制度新建账套。"),
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    business = forms.CharField(label=_("经营范围"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        assert isinstance(village, forms.ModelChoiceField)
        village.queryset = selectors.villages_for_choice(user)
        pickers.village_picker(village, user)
        books = self.fields["books"]
        assert isinstance(books, forms.ModelChoiceField)
        books.queryset = selectors.books_for_choice(user)
        pick.attach(
            books, BooksPickWidget(url_name="ledger:books_pick", placeholder=str(_("不选则新建:输入村名或拼音")))
        )


class CooperativeForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("合作社名称"), max_length=100)
    kind = forms.ChoiceField(label=_("合作社类型"), choices=COOPERATIVE_CHOICES)
    decision = LabelledChoiceField(
        label=_("决策依据"),
        queryset=None,
        label_of=_decision_label,
        help_text=_("本村“组建合作社”类的四议两公开事项,须已完成党员大会审议和村民(代表)会议决议。"),
    )
    founded_on = DateField(label=_("成立日期"), widget=DateInput())
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    business = forms.CharField(label=_("经营范围"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, founder: EconomicOrg, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.decisions_for_choice(
            user, village_path=founder.area_path, subject=DecisionSubject.COOPERATIVE
        )


# ---- members and shares ---------------------------------------------------------------------


class MemberForm(BootstrapMixin, forms.Form):
    household: forms.ModelChoiceField[Household] = forms.ModelChoiceField(label=_("成员户"), queryset=None)
    confirmed_on = DateField(label=_("确认日期"), widget=DateInput())
    decision = LabelledChoiceField(label=_("确认依据"), required=False, queryset=None, label_of=_decision_label)
    note = forms.CharField(
        label=_("备注"), required=False, max_length=limit(Membership, "note"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, org: EconomicOrg, household_q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        assert isinstance(field, forms.ModelChoiceField)
        offer_households(
            field,
            self,
            everything=selectors.households_for_member(user, org),
            q=household_q,
            empty=_("请先搜索并选择农户"),
        )
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ModelChoiceField)
        decision.queryset = selectors.decisions_for_choice(user, village_path=org.area_path)


class EndMemberForm(BootstrapMixin, forms.Form):
    ended_on = DateField(label=_("退出日期"), widget=DateInput())


class ShareForm(BootstrapMixin, forms.Form):
    household: forms.ModelChoiceField[Household] = forms.ModelChoiceField(
        label=_("持股户"), queryset=None, required=False, help_text=_("不选则登记为集体股。")
    )
    contribution = forms.ChoiceField(label=_("出资方式"), choices=ContributionKind.choices)
    shares = forms.DecimalField(
        label=_("股数"), max_digits=12, decimal_places=2, help_text=_("增加为正数,减少(退股)为负数。")
    )
    amount = forms.DecimalField(
        label=_("出资金额(元)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=Decimal(0),
        help_text=_("现金入股必填,记入账套:借 银行存款,贷 资本。"),
    )
    effective_on = DateField(label=_("生效日期"), widget=DateInput())
    reason = forms.CharField(label=_("变动原因"), max_length=200)
    decision = LabelledChoiceField(label=_("决策依据"), required=False, queryset=None, label_of=_decision_label)

    def __init__(self, *args: Any, user: User, org: EconomicOrg, household_q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        assert isinstance(field, forms.ModelChoiceField)
        offer_households(
            field, self, everything=selectors.member_households(user, org), q=household_q, empty=_("集体股(不选农户)")
        )
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ModelChoiceField)
        decision.queryset = selectors.decisions_for_choice(user, village_path=org.area_path)

    def clean_amount(self) -> Decimal:
        return self.cleaned_data.get("amount") or Decimal(0)
