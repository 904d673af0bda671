"""Forms of the enterprise pages. They only collect and convert input; the rules live in the
services. Every choice list is a scoped selector."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.party.forms import AreaChoiceField, OrgChoiceField
from hongniudai.party.models import Member, PartyOrg
from hongniudai.places import pickers
from hongniudai.places.models import AreaNode

from . import selectors
from .models import CheckItem, Coverage, Enterprise, GuidanceVisit, Industry, Instructor, Size

FOLLOW_UP_ROWS = 3


def _top_depth(items: list[Any]) -> int:
    depths = [o.depth for o in items]
    return min(depths) if depths else 1


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return f"{obj.resident.name} · {obj.org.name} · {obj.get_status_display()}"


class EnterpriseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enterprise) -> str:  # type: ignore[override]
        return f"{obj.name}({obj.area.name})"


class InstructorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Instructor) -> str:  # type: ignore[override]
        return f"{obj.user}{f' · {obj.work_unit}' if obj.work_unit else ''}"


# ---- filters --------------------------------------------------------------------------------


def offer_filter_areas(form: forms.Form, user: User) -> None:
    """The filter field `area` picks any area `user` may filter by, by search (`places.pickers`)."""
    field: Any = form.fields["area"]
    field.widget = pickers.area_widget(user)
    field.queryset = selectors.areas_for_filter(user)


class EnterpriseFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("企业名称/统一社会信用代码"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("企业名称或统一社会信用代码")}),
    )
    area = AreaChoiceField(label=_("地区"), required=False, queryset=AreaNode.objects.none(), empty_label=_("全部地区"))
    industry = forms.ChoiceField(label=_("行业"), required=False, choices=[("", _("全部行业")), *Industry.choices])
    coverage = forms.ChoiceField(
        label=_("覆盖情况"), required=False, choices=[("", _("全部覆盖情况")), *Coverage.choices]
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_filter_areas(self, user)


class CoverageFilterForm(BootstrapMixin, forms.Form):
    area = AreaChoiceField(label=_("地区"), required=False, queryset=AreaNode.objects.none(), empty_label=_("全部地区"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_filter_areas(self, user)


# ---- enterprises ----------------------------------------------------------------------------


class EnterpriseForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=100)
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18 位,按 GB 32100 校验;空格会自动去除,字母自动转为大写。"),
    )
    industry = forms.ChoiceField(label=_("行业"), choices=Industry.choices)
    area = AreaChoiceField(label=_("所在园区或村"), queryset=AreaNode.objects.none())
    size = forms.ChoiceField(label=_("规模"), choices=Size.choices, initial=Size.SMALL)
    branch = OrgChoiceField(
        label=_("所属党支部"),
        required=False,
        queryset=PartyOrg.objects.none(),
        empty_label=_("(尚未建立或纳入党支部)"),
        help_text=_("本企业单独建立的党支部,或所纳入的联合党支部"),
    )
    employees = IntegerField(label=_("职工人数"), required=False, min_value=0, max_value=1_000_000)
    founded_on = DateField(label=_("成立日期"), required=False, widget=DateInput())
    address = forms.CharField(label=_("地址"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    is_active = forms.BooleanField(label=_("在营"), required=False, initial=True)
    note = forms.CharField(
        max_length=limit(Enterprise, "note"), label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, AreaChoiceField)
        areas = selectors.areas_for_enterprise_choice(user)
        area_field.queryset = areas
        area_field.top = _top_depth(list(areas))
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, OrgChoiceField)
        branch_field.queryset = selectors.branches_for_enterprise_choice(user)
        branch_field.indent = False

    def clean_employees(self) -> int:
        return self.cleaned_data.get("employees") or 0


class EmploymentForm(BootstrapMixin, forms.Form):
    member = MemberChoiceField(label=_("党员"), queryset=Member.objects.none())
    position = forms.CharField(label=_("岗位"), required=False, max_length=50)
    since = DateField(label=_("入职日期"), required=False, widget=DateInput())

    OPTIONS = 30

    def __init__(self, *args: Any, user: User, member_q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, MemberChoiceField)
        field.queryset = selectors.members_for_employment_choice(user)
        shown = list(selectors.members_for_employment_choice(user, q=member_q)[: self.OPTIONS])
        field.widget.choices = [("", _("请选择党员")), *[(m.pk, field.label_from_instance(m)) for m in shown]]


# ---- instructors ----------------------------------------------------------------------------


class InstructorForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("指导员登录平台所用的用户名"))
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则暂不能登录,之后再设置密码"),
    )
    area = AreaChoiceField(label=_("管理镇"), queryset=AreaNode.objects.none())
    work_unit = forms.CharField(label=_("工作单位"), required=False, max_length=100)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    note = forms.CharField(
        max_length=limit(Instructor, "note"), label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, instructor: Instructor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if instructor is not None:
            for name in ("username", "password", "area"):
                del self.fields[name]
            return
        field = self.fields["area"]
        assert isinstance(field, AreaChoiceField)
        towns = selectors.towns_for_instructor_choice(user)
        field.queryset = towns
        field.top = _top_depth(list(towns))
        if towns.count() == 1:
            field.initial = towns.first().pk  # type: ignore[union-attr]


class AssignmentForm(BootstrapMixin, forms.Form):
    enterprise = EnterpriseChoiceField(
        label=_("企业"), required=False, queryset=Enterprise.objects.none(), empty_label=_("(派驻到党支部时不选)")
    )
    org = OrgChoiceField(
        label=_("党支部"), required=False, queryset=PartyOrg.objects.none(), empty_label=_("(派驻到企业时不选)")
    )
    since = DateField(label=_("派驻日期"), required=False, widget=DateInput(), help_text=_("留空为今天"))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = selectors.enterprises_for_assignment_choice(user)  # type: ignore[attr-defined]
        org_field = self.fields["org"]
        assert isinstance(org_field, OrgChoiceField)
        org_field.queryset = selectors.branches_for_assignment_choice(user)
        org_field.indent = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("enterprise")) == bool(data.get("org")):
            raise forms.ValidationError(_("请选择一个企业或一个党支部(只选其一)。"))
        return data


# ---- guidance visits ------------------------------------------------------------------------


class VisitForm(BootstrapMixin, forms.Form):
    visited_on = DateField(label=_("指导日期"), widget=DateInput())
    org = OrgChoiceField(
        label=_("党支部"), required=False, queryset=PartyOrg.objects.none(), empty_label=_("(指导无党支部的企业时不选)")
    )
    enterprise = EnterpriseChoiceField(
        label=_("企业"), required=False, queryset=Enterprise.objects.none(), empty_label=_("(仅指导党支部时不选)")
    )
    checked = forms.MultipleChoiceField(
        label=_("检查内容"), required=False, choices=CheckItem.choices, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(
        max_length=limit(GuidanceVisit, "findings"),
        label=_("发现的问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, OrgChoiceField)
        org_field.queryset = selectors.guidable_orgs(user)
        org_field.indent = False
        self.fields["enterprise"].queryset = selectors.guidable_enterprises(user)  # type: ignore[attr-defined]
        self.fields["checked"].widget.attrs["class"] = "form-check-input"
        for i in range(1, FOLLOW_UP_ROWS + 1):
            self.fields[f"follow_up_{i}"] = forms.CharField(
                label=_("整改事项 %(n)d") % {"n": i}, required=False, max_length=200
            )
            self.fields[f"due_on_{i}"] = DateField(
                label=_("整改期限 %(n)d") % {"n": i}, required=False, widget=DateInput()
            )
            for name in (f"follow_up_{i}", f"due_on_{i}"):
                self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("org") and not data.get("enterprise"):
            raise forms.ValidationError(_("请选择所指导的党支部或企业。"))
        return data

    def follow_up_rows(self) -> list[tuple[str, Any]]:
        d = self.cleaned_data
        return [(d.get(f"follow_up_{i}", ""), d.get(f"due_on_{i}")) for i in range(1, FOLLOW_UP_ROWS + 1)]

    def follow_up_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"follow_up_{i}"], self[f"due_on_{i}"]) for i in range(1, FOLLOW_UP_ROWS + 1)]

    def main_fields(self) -> list[Any]:
        return [self[n] for n in ("visited_on", "org", "enterprise", "findings")]


class FollowUpForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("整改事项"), max_length=200)
    due_on = DateField(label=_("整改期限"), widget=DateInput())


class CloseFollowUpForm(BootstrapMixin, forms.Form):
    closing_note = forms.CharField(label=_("完成情况"), max_length=200)
    closed_on = DateField(label=_("完成日期"), required=False, widget=DateInput(), help_text=_("留空为今天"))
