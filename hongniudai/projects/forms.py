"""Forms of the project pages. They collect and convert input; the rules live in the services.
Every choice is a scoped queryset; what grows with the county (enterprises, cadres, service teams,
projects) is picked by typing its name (`pickers`), never listed whole."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.common import pick
from hongniudai.common.forms import BootstrapMixin, DateInput, ListedModelChoiceField
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.enterprises.interface import enterprise_widget

from . import selectors, selectors_blockers
from .models import BlockerStatus, MemberKind, ProjectKind, ProjectStatus
from .pickers import attach, cadre_widget, project_widget, team_widget

YES_NO = [("", _("不限")), ("1", _("是")), ("0", _("否"))]


def yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _text(label: Any, *, required: bool = False, rows: int = 2, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


def _choices(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


# ---- filters ----------------------------------------------------------------------------------


class ProjectFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("项目"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("项目、业主或承建单位")}),
    )
    status = forms.ChoiceField(
        label=_("项目状态"), required=False, choices=[("", _("全部状态")), *ProjectStatus.choices]
    )
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("服务专班"), required=False, queryset=None, empty_label=_("全部专班")
    )
    behind = forms.ChoiceField(label=_("进度滞后"), required=False, choices=[("", _("进度:不限")), *YES_NO[1:]])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attach(self, "team", selectors.teams_for_choice(user), team_widget(str(_("全部专班:输入专班名称"))))


class BlockerFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("问题"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("问题或项目")}),
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *BlockerStatus.choices])
    category: forms.ModelChoiceField[Any] = ListedModelChoiceField(
        label=_("类别"), required=False, queryset=None, empty_label=_("全部类别")
    )
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("服务专班"), required=False, queryset=None, empty_label=_("全部专班")
    )
    department = forms.CharField(
        label=_("责任部门"), required=False, widget=forms.TextInput(attrs={"placeholder": _("责任部门")})
    )
    overdue = forms.ChoiceField(label=_("逾期"), required=False, choices=[("", _("逾期:不限")), *YES_NO[1:]])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category", selectors_blockers.categories_for(user))
        attach(self, "team", selectors.teams_for_choice(user), team_widget(str(_("全部专班:输入专班名称"))))


class VisitFilterForm(BootstrapMixin, forms.Form):
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("服务专班"), required=False, queryset=None, empty_label=_("全部专班")
    )
    date_from = DateField(label=_("走访日期自"), required=False, widget=DateInput())
    date_to = DateField(label=_("至"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attach(self, "team", selectors.teams_for_choice(user), team_widget(str(_("全部专班:输入专班名称"))))


# ---- projects ---------------------------------------------------------------------------------


class ProjectForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("所在园区或镇"), queryset=None)
    name = forms.CharField(label=_("项目名称"), max_length=100)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("业主企业"), required=False, queryset=None)
    contractors = forms.CharField(label=_("施工及承建单位"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("项目类型"), choices=ProjectKind.choices)
    status = forms.ChoiceField(label=_("项目状态"), choices=ProjectStatus.choices)
    planned_investment = forms.DecimalField(label=_("计划投资(元)"), required=False, max_digits=18)
    invested = forms.DecimalField(label=_("累计完成投资(元)"), required=False, max_digits=18)
    leader: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("牵头领导"), required=False, queryset=None)
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("服务专班"), required=False, queryset=None)
    signed_on = DateField(label=_("签约日期"), required=False, widget=DateInput())
    lat = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    lng = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    location = _text(_("项目范围(GeoJSON 多边形,可选)"), rows=2, max_length=20000)
    note = _text(_("备注"))

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "area", selectors.project_nodes(user))
        attach(self, "leader", selectors.users_for_choice(user), cadre_widget())
        attach(self, "team", selectors.teams_for_choice(user, Capability.PROJECTS), team_widget())
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = selectors.enterprises_for_choice(user)
        pick.attach(owner, enterprise_widget())
        if editing:
            del self.fields["area"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("location") or "").strip() and data.get("lat") is not None and data.get("lng") is not None:
            data["location"] = {"type": "Point", "coordinates": [float(data["lng"]), float(data["lat"])]}
        return data


class MilestoneForm(BootstrapMixin, forms.Form):
    stage = forms.CharField(label=_("阶段"), required=False, max_length=50)
    name = forms.CharField(label=_("节点名称"), max_length=100)
    weight = forms.DecimalField(label=_("权重"), max_digits=12, initial=1)
    planned_on = DateField(label=_("计划完成日期"), widget=DateInput())
    done_on = DateField(label=_("实际完成日期"), required=False, widget=DateInput(), help_text=_("完成后填写"))


# ---- teams and liaison ------------------------------------------------------------------------


class TeamForm(BootstrapMixin, forms.Form):
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("所在园区或镇"), queryset=None)
    name = forms.CharField(label=_("专班名称"), max_length=100)
    leader: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("专班组长"), queryset=None)
    note = _text(_("备注"))

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "area", selectors.project_nodes(user))
        attach(self, "leader", selectors.users_for_choice(user), cadre_widget())
        if editing:
            del self.fields["area"]


class MemberForm(BootstrapMixin, forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("成员"), queryset=None)
    kind = forms.ChoiceField(label=_("身份"), choices=MemberKind.choices)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attach(self, "user", selectors.users_for_choice(user), cadre_widget())


class LiaisonForm(BootstrapMixin, forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("包联干部"), queryset=None)
    project: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("包项目"), required=False, queryset=None)
    enterprise: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("包企业"), required=False, queryset=None)
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("企业所属园区或镇"), required=False, queryset=None
    )
    since = DateField(label=_("包联开始日期"), widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attach(self, "user", selectors.users_for_choice(user), cadre_widget())
        attach(self, "project", selectors.projects_for_choice(user), project_widget())
        _choices(self, "area", selectors.project_nodes(user))
        enterprise = self.fields["enterprise"]
        assert isinstance(enterprise, forms.ModelChoiceField)
        enterprise.queryset = selectors.enterprises_for_choice(user)
        pick.attach(enterprise, enterprise_widget())


# ---- blockers ---------------------------------------------------------------------------------


class BlockerForm(BootstrapMixin, forms.Form):
    category: forms.ModelChoiceField[Any] = ListedModelChoiceField(label=_("问题类别"), queryset=None)
    description = _text(_("问题描述"), required=True, rows=3)
    contact_name = forms.CharField(label=_("企业反映人"), required=False, max_length=50)
    owner_department = forms.CharField(label=_("责任部门"), required=False, max_length=50)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("责任人"), required=False, queryset=None)
    due_days = IntegerField(
        label=_("办理时限(工作日)"), required=False, min_value=1, max_value=250, help_text=_("不填按类别时限")
    )

    def __init__(self, *args: Any, user: User, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category", selectors_blockers.categories_for(user, project))
        attach(self, "owner", selectors.users_for_choice(user), cadre_widget())


class StepForm(BootstrapMixin, forms.Form):
    text = _text(_("办理情况"), required=True)


class ResolveForm(BootstrapMixin, forms.Form):
    evidence = _text(_("解决情况"), rows=3)
    file = forms.FileField(label=_("佐证材料(照片或文档)"), required=False)


class EscalateForm(BootstrapMixin, forms.Form):
    reason = _text(_("上报理由"), required=True)


# ---- visits -----------------------------------------------------------------------------------


class VisitForm(BootstrapMixin, forms.Form):
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("服务专班"), queryset=None)
    visited_on = DateField(label=_("走访日期"), widget=DateInput())
    project: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("走访项目"), required=False, queryset=None)
    enterprise: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("走访企业"), required=False, queryset=None, help_text=_("走访项目的可不填")
    )
    people_met = forms.CharField(label=_("座谈对象"), required=False, max_length=200)
    findings = _text(_("走访情况"), rows=3)
    follow_up_text = forms.CharField(label=_("跟进事项"), required=False, max_length=200)
    follow_up_due = DateField(label=_("跟进时限"), required=False, widget=DateInput())
    blocker_category: forms.ModelChoiceField[Any] = ListedModelChoiceField(
        label=_("发现堵点:类别"), required=False, queryset=None
    )
    blocker_description = _text(_("发现堵点:描述"), rows=2)
    blocker_department = forms.CharField(label=_("发现堵点:责任部门"), required=False, max_length=50)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attach(self, "team", selectors.teams_for_choice(user, Capability.PROJECTS), team_widget())
        attach(self, "project", selectors.projects_for_choice(user), project_widget())
        _choices(self, "blocker_category", selectors_blockers.categories_for(user))
        enterprise = self.fields["enterprise"]
        assert isinstance(enterprise, forms.ModelChoiceField)
        enterprise.queryset = selectors.enterprises_for_choice(user)
        pick.attach(enterprise, enterprise_widget())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("blocker_category")) != bool((data.get("blocker_description") or "").strip()):
            self.add_error("blocker_description", _("发现堵点须同时选择类别并填写描述。"))
        if bool((data.get("follow_up_text") or "").strip()) != bool(data.get("follow_up_due")):
            self.add_error("follow_up_due", _("跟进事项须同时填写内容和时限。"))
        return data


class CheckInForm(forms.Form):
    lat = forms.DecimalField(required=False, max_digits=12, decimal_places=8)
    lng = forms.DecimalField(required=False, max_digits=12, decimal_places=8)
