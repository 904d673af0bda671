"""Forms of the party pages. They only collect and convert input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.common import parsing
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.common.pick import PickWidget
from hongniudai.places import pickers
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaKind, AreaNode, Household, Resident

from . import selectors
from .models import ORG_ALLOWED_CHILDREN, BranchType, Member, MemberStatus, OrgKind, PartyOrg, Post

BLANK = [("", "---------")]


def _indented(depth: int, top: int, text: str) -> str:
    return "\u3000" * max(depth - top, 0) + text


class AreaChoiceField(forms.ModelChoiceField):
    """Areas in tree order, indented, with their kind."""

    top = 1

    def label_from_instance(self, obj: AreaNode) -> str:  # type: ignore[override]
        return _indented(obj.depth, self.top, f"{obj.name}({obj.kind_label})")


class OrgChoiceField(forms.ModelChoiceField):
    """Organisations in tree order; indented under `top` when `indent` is set."""

    top = 1
    indent = True

    def label_from_instance(self, obj: PartyOrg) -> str:  # type: ignore[override]
        return _indented(obj.depth, self.top, obj.name) if self.indent else obj.name


def offer_orgs(form: forms.Form, queryset: QuerySet[PartyOrg], empty: Any, *, name: str = "org") -> None:
    """Make the organisation filter `name` of `form` a search-and-pick (`common.pick`, results from
    `party:org_pick`): it accepts every organisation of `queryset` and lists none of them; only the
    chosen one is read, to show its name."""
    field: Any = form.fields[name]
    field.widget = PickWidget(url_name="party:org_pick", placeholder=str(empty))
    field.queryset = queryset


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PartyOrg) -> str:  # type: ignore[override]
        return f"{obj.parent.name} · {obj.name}" if obj.parent else obj.name


def resident_label(r: Resident) -> str:
    hamlet = r.household.hamlet.name if r.household_id else ""
    return f"{r.name} · {r.get_sex_display()} · {r.birth_date:%Y-%m-%d} · {hamlet} · {r.id_masked}"


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resident) -> str:  # type: ignore[override]
        return resident_label(obj)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return f"{obj.resident.name} · {obj.org.name}"


class HouseholdChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Household) -> str:  # type: ignore[override]
        head = obj.head.name if obj.head_id and obj.head else ""
        return " · ".join(p for p in (obj.hamlet.name, head, obj.address) if p)


def _top_depth(qs: Any) -> int:
    depths = [o.depth for o in qs]
    return min(depths) if depths else 1


# ---- filters --------------------------------------------------------------------------------


class OrgFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("名称"), required=False, widget=forms.TextInput(attrs={"type": "search", "placeholder": _("名称")})
    )
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *OrgKind.choices])
    branch_type = forms.ChoiceField(
        label=_("支部类别"), required=False, choices=[("", _("全部支部类别")), *BranchType.choices]
    )


class MemberFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("姓名/拼音首字母/身份证号"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名、拼音首字母或身份证号")}),
    )
    org = OrgChoiceField(label=_("党组织"), required=False, queryset=None, empty_label=_("全部党组织"))
    status = forms.ChoiceField(
        label=_("党员类别"), required=False, choices=[("", _("全部类别")), *MemberStatus.choices]
    )
    post = forms.ChoiceField(
        label=_("党内职务"),
        required=False,
        choices=[("", _("全部职务")), *[(v, label) for v, label in Post.choices if v]],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_orgs(self, selectors.orgs_for_filter(user), _("全部党组织"))


class CentreFilterForm(BootstrapMixin, forms.Form):
    area = AreaChoiceField(label=_("地区"), required=False, queryset=None, empty_label=_("全部地区"))
    state = forms.ChoiceField(
        label=_("设置情况"),
        required=False,
        choices=[("", _("全部湾组")), ("set", _("已设中心户")), ("missing", _("未设中心户"))],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["area"]
        field.widget = pickers.area_widget(user)
        field.queryset = place_selectors.areas(user)  # a hamlet chosen shows its own centre household


# ---- organisations --------------------------------------------------------------------------


class OrgForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)
    branch_type = forms.ChoiceField(
        label=_("支部类别"), required=False, choices=[("", _("(非党支部不填)")), *BranchType.choices]
    )
    area = AreaChoiceField(label=_("所在地区"), queryset=None)
    founded_on = DateField(label=_("成立日期"), required=False, widget=DateInput())
    has_committee = forms.BooleanField(label=_("设支部委员会"), required=False, initial=True)
    sort_order = IntegerField(label=_("排序"), required=False, min_value=0, max_value=100000, initial=0)

    def __init__(self, *args: Any, user: User, parent: PartyOrg | None, org: PartyOrg | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.parent = parent
        area_field = self.fields["area"]
        assert isinstance(area_field, AreaChoiceField)
        if org is not None:
            del self.fields["kind"]
            if org.kind != OrgKind.BRANCH:
                del self.fields["branch_type"]
            kinds: tuple[str, ...] = (AreaKind.GRID,) if org.kind == OrgKind.PARTY_GROUP else ()
        else:
            allowed = ORG_ALLOWED_CHILDREN[parent.kind] if parent is not None else (OrgKind.TOWN_COMMITTEE,)
            kind_field = self.fields["kind"]
            assert isinstance(kind_field, forms.ChoiceField)
            kind_field.choices = [(k, OrgKind(k).label) for k in allowed]
            if len(allowed) == 1:
                self.fields["kind"].initial = allowed[0]
            kinds = () if parent is not None else (AreaKind.COUNTY, AreaKind.TOWN)
            if parent is not None and parent.kind == OrgKind.BRANCH:
                kinds = (AreaKind.GRID,)
        qs = selectors.areas_for_org_choice(user, kinds=kinds)
        area_field.queryset = qs
        area_field.top = _top_depth(qs)

    def clean_sort_order(self) -> int:
        return self.cleaned_data.get("sort_order") or 0


# ---- members --------------------------------------------------------------------------------


def date_formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A model form's field for `field`: dates read strictly (`common.parsing.DateField`) with a date picker."""
    if isinstance(field, models.DateField):
        return field.formfield(form_class=DateField, widget=DateInput(), **kwargs)
    return field.formfield(**kwargs)


class MemberForm(BootstrapMixin, forms.ModelForm):
    """A member's record: the fields of `Member.EDITABLE`, and the resident when it is opened. It only
    collects input: the services hold the rules, so the model is not validated here."""

    resident = ResidentChoiceField(label=_("居民"), queryset=None)
    field_order = ["resident", *Member.EDITABLE]

    class Meta:
        model = Member
        fields = Member.EDITABLE
        formfield_callback = date_formfield
        field_classes = {"org": OrgChoiceField, "party_group": GroupChoiceField}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    RESIDENT_OPTIONS = 20

    def __init__(
        self,
        *args: Any,
        user: User,
        member: Member | None = None,
        resident_q: str = "",
        resident_idd: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, OrgChoiceField)
        branches = selectors.branches_for_choice(user)
        org_field.queryset = branches
        org_field.indent = False
        org_field.widget.attrs.update(
            {"hx-get": reverse("party:group_options"), "hx-target": "#id_party_group", "hx-trigger": "change"}
        )
        group_field = self.fields["party_group"]
        assert isinstance(group_field, GroupChoiceField)
        group_field.queryset = selectors.groups_for_choice(user)
        if member is not None:
            del self.fields["resident"]
            return
        field = self.fields["resident"]
        assert isinstance(field, ResidentChoiceField)
        field.queryset = selectors.residents_for_member_choice(user)
        # The select offers only the search results (and the resident already chosen).
        shown = list(
            selectors.residents_for_member_choice(user, q=resident_q, id_digest=resident_idd)[: self.RESIDENT_OPTIONS]
        )
        chosen = self.data.get("resident") if self.is_bound else self.initial.get("resident")
        chosen_id = parsing.parse_id(str(chosen)) if chosen else None
        if chosen_id and all(r.pk != chosen_id for r in shown):
            extra = selectors.residents_for_member_choice(user).filter(pk=chosen_id).first()
            if extra is not None:
                shown.insert(0, extra)
        if resident_idd and len(shown) == 1 and not self.is_bound:
            self.initial["resident"] = shown[0].pk
        field.widget.choices = [("", _("请先搜索并选择居民")), *[(r.pk, resident_label(r)) for r in shown]]
        self.resident_options = shown

    def _post_clean(self) -> None:
        """Nothing to add: `services.create_member`/`update_member` check every rule of a member record."""


# ---- centre households ----------------------------------------------------------------------


class CentreForm(BootstrapMixin, forms.Form):
    member = MemberChoiceField(label=_("党员中心户(党员)"), queryset=None)
    linked_households = HouseholdChoiceField(
        label=_("联系户"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    since = DateField(label=_("担任日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, hamlet: AreaNode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member_field, linked_field = self.fields["member"], self.fields["linked_households"]
        assert isinstance(member_field, MemberChoiceField) and isinstance(linked_field, HouseholdChoiceField)
        member_field.queryset = selectors.members_for_centre_choice(user)
        linked_field.queryset = selectors.grid_households_for_choice(user, hamlet)
        self.fields["linked_households"].widget.attrs["class"] = "form-check-input"
