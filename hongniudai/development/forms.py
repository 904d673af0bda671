"""Forms of the member-development pages: input only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.common import parsing
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.party.forms import AreaChoiceField, OrgChoiceField, ResidentChoiceField, offer_orgs, resident_label
from hongniudai.party.models import PartyOrg
from hongniudai.places.models import AreaNode, Resident

from . import rules as R
from . import selectors
from .models import DevelopmentRule, DevelopmentStep, RuleCode, RuleUnit, Severity, Stage, StepKind


def _top_depth(objs: list[Any]) -> int:
    return min((o.depth for o in objs), default=1)


class CaseFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("姓名/拼音首字母/身份证号"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名、拼音首字母或身份证号")}),
    )
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部阶段")), *Stage.choices])
    org = OrgChoiceField(label=_("党组织"), required=False, queryset=PartyOrg.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_orgs(self, selectors.orgs_for_filter(user), _("全部党组织"))


class OrgFilterForm(BootstrapMixin, forms.Form):
    org = OrgChoiceField(label=_("党组织"), required=False, queryset=PartyOrg.objects.none())

    def __init__(self, *args: Any, user: User, empty: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_orgs(self, selectors.orgs_for_filter(user), empty or _("全部党组织"))


class CaseForm(BootstrapMixin, forms.Form):
    resident = ResidentChoiceField(label=_("申请人"), queryset=Resident.objects.none())
    org = OrgChoiceField(label=_("培养党支部"), queryset=PartyOrg.objects.none())
    applied_on = DateField(label=_("递交申请日期"), widget=DateInput())
    note = forms.CharField(
        max_length=limit(DevelopmentStep, "note"),
        label=_("情况说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    RESIDENT_OPTIONS = 20

    def __init__(self, *args: Any, user: User, resident_q: str = "", resident_idd: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, OrgChoiceField)
        org_field.queryset = selectors.branches_for_case(user)
        org_field.indent = False
        field = self.fields["resident"]
        assert isinstance(field, ResidentChoiceField)
        field.queryset = selectors.residents_for_case_choice(user)
        shown = list(
            selectors.residents_for_case_choice(user, q=resident_q, id_digest=resident_idd)[: self.RESIDENT_OPTIONS]
            if (resident_q or resident_idd)
            else []
        )
        chosen = self.data.get("resident") if self.is_bound else self.initial.get("resident")
        chosen_id = parsing.parse_id(str(chosen)) if chosen else None
        if chosen_id and all(r.pk != chosen_id for r in shown):
            extra = selectors.residents_for_case_choice(user).filter(pk=chosen_id).first()
            if extra is not None:
                shown.insert(0, extra)
        if resident_idd and len(shown) == 1 and not self.is_bound:
            self.initial["resident"] = shown[0].pk
        field.widget.choices = [("", _("请先搜索并选择居民")), *[(r.pk, resident_label(r)) for r in shown]]


class StepForm(BootstrapMixin, forms.Form):
    """The form of one step; fields beyond the date and note depend on the step."""

    on = DateField(label=_("日期"), widget=DateInput())
    training_days = IntegerField(label=_("本次培训天数"), required=False, min_value=0, max_value=365)
    training_hours = IntegerField(label=_("本次培训学时"), required=False, min_value=0, max_value=2000)
    extension_months = IntegerField(label=_("延长月数"), required=False, min_value=1, max_value=12)
    end_reason = forms.CharField(label=_("原因"), required=False, max_length=200)
    note = forms.CharField(
        max_length=limit(DevelopmentStep, "note"),
        label=_("情况说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELDS: dict[str, tuple[str, ...]] = {
        StepKind.TRAINING: ("training_days", "training_hours"),
        StepKind.EXTEND: ("extension_months",),
        StepKind.END: ("end_reason",),
        StepKind.CANCEL: ("end_reason",),
    }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.label = StepKind(kind).label
        for name in ("training_days", "training_hours", "extension_months", "end_reason"):
            if name not in self.FIELDS.get(kind, ()):
                del self.fields[name]
        if kind == StepKind.END:
            self.fields["end_reason"].required = True
            self.fields["end_reason"].label = _("终止原因")
        if kind == StepKind.CANCEL:
            self.fields["end_reason"].label = _("取消原因")


class LocalRuleForm(BootstrapMixin, forms.Form):
    code = forms.ChoiceField(
        label=_("规则"), choices=[(c, label) for c, label in RuleCode.choices if R.DIRECTION[c] != "fixed"]
    )
    area = AreaChoiceField(label=_("适用地区"), queryset=AreaNode.objects.none())
    value = IntegerField(label=_("数值"), min_value=1, max_value=1000)
    unit = forms.ChoiceField(label=_("单位"), choices=RuleUnit.choices)
    severity = forms.ChoiceField(label=_("违反时"), choices=Severity.choices)
    source = forms.CharField(
        label=_("依据"), required=False, max_length=200, help_text=_("本地文件名称与文号;留空则沿用上级规定的依据")
    )
    note = forms.CharField(
        max_length=limit(DevelopmentRule, "note"),
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, AreaChoiceField)
        qs = selectors.areas_for_rule_choice(user)
        field.queryset = qs
        field.top = _top_depth(list(qs))
        if fixed:
            for name in ("code", "area"):
                self.fields[name].disabled = True
                self.fields[name].required = False
