"""Forms of the vanguard pages. They collect and convert input; the rules live in the services.
Every choice list is a scoped queryset."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.common import parsing
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.text import limit
from hongniudai.enterprises.interface import Enterprise
from hongniudai.party.forms import OrgChoiceField, offer_orgs
from hongniudai.party.models import Member, PartyOrg

from . import selectors
from .models import Activity, ActivityKind, PostPlace, VanguardPost


def member_label(m: Member) -> str:
    return f"{m.resident.name} · {m.org.name}"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return member_label(obj)


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return obj.resident.name


def _enterprise_field(field: forms.ModelChoiceField, user: User, empty: Any) -> None:
    rows = list(selectors.enterprises_for_choice(user))
    field.queryset = selectors.enterprises_for_choice(user)
    field.widget.choices = [("", empty), *[(e.pk, e.name) for e in rows]]


# ---- filters --------------------------------------------------------------------------------


def _offer_filter_choices(form: forms.Form, user: User) -> None:
    """Offer in the filter fields `org` and `enterprise` what `user` may filter by."""
    offer_orgs(form, selectors.orgs_for_filter(user), _("全部党组织"))
    ent_field = form.fields["enterprise"]
    assert isinstance(ent_field, forms.ModelChoiceField)
    _enterprise_field(ent_field, user, _("全部企业"))


class PostFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("党员姓名或岗位名称"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("党员姓名、拼音首字母或岗位名称")}),
    )
    place_kind = forms.ChoiceField(
        label=_("岗位所在"), required=False, choices=[("", _("全部岗位所在")), *PostPlace.choices]
    )
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), (selectors.ACTIVE, _("在岗")), (selectors.ENDED, _("已撤岗"))],
    )
    org = OrgChoiceField(label=_("党组织"), required=False, queryset=None)
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("企业"), required=False, queryset=None
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_filter_choices(self, user)


class ActivityFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("活动名称"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("活动名称")}),
    )
    kind = forms.ChoiceField(
        label=_("活动类型"), required=False, choices=[("", _("全部活动类型")), *ActivityKind.choices]
    )
    org = OrgChoiceField(label=_("党组织"), required=False, queryset=None)
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("企业"), required=False, queryset=None
    )
    date_from = DateField(label=_("开始日期"), required=False, widget=DateInput())
    date_to = DateField(label=_("结束日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_filter_choices(self, user)


# ---- posts ----------------------------------------------------------------------------------


class PostForm(BootstrapMixin, forms.Form):
    member = MemberChoiceField(label=_("党员"), queryset=None)
    title = forms.CharField(label=_("岗位名称"), max_length=100, help_text=_("如“安全生产先锋岗”“技术攻关先锋岗”"))
    place_kind = forms.ChoiceField(label=_("岗位所在"), choices=PostPlace.choices, initial=PostPlace.WORKSHOP)
    place_name = forms.CharField(label=_("车间或项目"), max_length=100)
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("企业"),
        required=False,
        queryset=None,
        help_text=_("不填时,如该党员在企业任职,自动取其所在企业。"),
    )
    commitment = forms.CharField(
        max_length=limit(VanguardPost, "commitment"),
        label=_("承诺与职责"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    since = DateField(label=_("设岗日期"), widget=DateInput())
    until = DateField(label=_("撤岗日期"), required=False, widget=DateInput())

    MEMBER_OPTIONS = 20

    def __init__(
        self, *args: Any, user: User, post: VanguardPost | None = None, member_q: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        ent_field = self.fields["enterprise"]
        assert isinstance(ent_field, forms.ModelChoiceField)
        _enterprise_field(ent_field, user, "---------")
        if post is not None:
            del self.fields["member"]
            kept = post.enterprise
            if kept is not None and all(c[0] != kept.pk for c in ent_field.widget.choices):
                # Keep an enterprise the user no longer sees (so saving does not drop it).
                ent_field.queryset = selectors.enterprises_keeping(user, kept.pk)
                ent_field.widget.choices = [*ent_field.widget.choices, (kept.pk, kept.name)]
            return
        field = self.fields["member"]
        assert isinstance(field, MemberChoiceField)
        field.queryset = selectors.members_for_post_choice(user)
        # The select offers only the search results (and the member already chosen).
        shown = list(selectors.members_for_post_choice(user, q=member_q)[: self.MEMBER_OPTIONS]) if member_q else []
        chosen = self.data.get("member") if self.is_bound else self.initial.get("member")
        chosen_id = parsing.parse_id(str(chosen)) if chosen else None
        if chosen_id and all(m.pk != chosen_id for m in shown):
            extra = selectors.members_for_post_choice(user).filter(pk=chosen_id).first()
            if extra is not None:
                shown.insert(0, extra)
        field.widget.choices = [("", _("请先搜索并选择党员")), *[(m.pk, member_label(m)) for m in shown]]


class EndPostForm(BootstrapMixin, forms.Form):
    until = DateField(label=_("撤岗日期"), widget=DateInput())


# ---- activities -----------------------------------------------------------------------------


class ActivityForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    held_on = DateField(label=_("日期"), widget=DateInput())
    org = OrgChoiceField(label=_("组织党支部"), queryset=None)
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label=_("企业"), required=False, queryset=None
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    description = forms.CharField(
        max_length=limit(Activity, "description"),
        label=_("活动内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    participants = ParticipantsField(
        label=_("参加党员"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    other_participants = IntegerField(
        label=_("其他参加人数"),
        required=False,
        min_value=0,
        max_value=100000,
        initial=0,
        help_text=_("群众、职工等非党员"),
    )

    def __init__(self, *args: Any, user: User, activity: Activity | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, OrgChoiceField)
        branches = (
            selectors.branches_for_editing(user, activity)
            if activity is not None
            else selectors.branches_for_choice(user)
        )
        org_field.queryset = branches
        org_field.top = min((o.depth for o in branches), default=1)
        org_field.widget.attrs.update(
            {
                "hx-get": reverse("vanguard:participant_options"),
                "hx-target": "#participants",
                "hx-trigger": "change",
                "hx-include": "[name='participants']",
            }
        )
        ent_field = self.fields["enterprise"]
        assert isinstance(ent_field, forms.ModelChoiceField)
        _enterprise_field(ent_field, user, "---------")
        kept = activity.enterprise if activity is not None else None
        if kept is not None:
            ent_field.queryset = selectors.enterprises_keeping(user, kept.pk)
            if all(c[0] != kept.pk for c in ent_field.widget.choices):
                ent_field.widget.choices = [*ent_field.widget.choices, (kept.pk, kept.name)]
        branch_list = list(branches)
        if len(branch_list) == 1 and not self.initial.get("org"):
            self.initial["org"] = branch_list[0].pk
        part = self.fields["participants"]
        assert isinstance(part, ParticipantsField)
        part.queryset = selectors.participants_for_editing(user, activity)
        chosen_org = self.data.get("org") if self.is_bound else self.initial.get("org")
        org = next((b for b in branch_list if str(b.pk) == str(chosen_org or "")), None)
        self.checklist_org = org
        self.checklist = participant_checklist(user, org=org, chosen=self._chosen_ids(activity), activity=activity)
        part.widget.attrs["class"] = "form-check-input"

    def _chosen_ids(self, activity: Activity | None) -> set[int]:
        if self.is_bound:
            getlist = getattr(self.data, "getlist", None)
            values = getlist("participants") if getlist else self.data.get("participants") or []
            return {pk for pk in (parsing.parse_id(str(v)) for v in values) if pk}
        if activity is not None:
            return set(activity.participants.values_list("pk", flat=True))
        return set()

    def clean_other_participants(self) -> int:
        return self.cleaned_data.get("other_participants") or 0


def participant_checklist(
    user: User, *, org: PartyOrg | None, chosen: set[int], activity: Activity | None = None
) -> list[tuple[Member, bool]]:
    """The boxes to show: the branch's members, then members already ticked from elsewhere."""
    rows = list(selectors.members_for_participants(user, org=org)) if org is not None else []
    shown = {m.pk for m in rows}
    extra_ids = chosen - shown
    if extra_ids:
        rows += selectors.participants_chosen(user, extra_ids, activity)
    return [(m, m.pk in chosen) for m in rows]
