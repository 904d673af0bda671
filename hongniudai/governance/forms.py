"""Forms of the source-governance work pages. They only shape input; the services decide."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import User
from hongniudai.common import parsing
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField
from hongniudai.common.text import limit
from hongniudai.places import selectors as place_selectors
from hongniudai.places.models import AreaNode, Resident

from . import selectors, services
from .models import (
    Agreement,
    AttributeType,
    Category,
    CategoryKind,
    FollowUp,
    Matter,
    MediationSession,
    Outcome,
    Urgency,
)

SIX_PLACES = Decimal("0.000001")


def _style(field: forms.Field) -> None:
    widget = field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return
    css = "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
    widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def attribute_field_name(code: str) -> str:
    """The form name of a category's extra question: the key the services use for its errors."""
    return f"attribute[{code}]"


def attribute_fields(category: Category | None) -> dict[str, forms.Field]:
    """Form fields for a category's extra questions. Whether a required one is answered is the
    service's decision (`services.clean_attributes`); the browser is only told."""
    if category is None:
        return {}
    out: dict[str, forms.Field] = {}
    for attr in category.attributes.all():
        options = [(str(v.get("key")), str(v.get("name") or v.get("key"))) for v in attr.values or []]
        attrs = {"required": "required"} if attr.required else {}
        field: forms.Field
        if attr.datatype == AttributeType.SINGLE:
            field = forms.ChoiceField(choices=[("", "—")] + options, widget=forms.Select(attrs=attrs))
        elif attr.datatype == AttributeType.MULTI:
            field = forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple)
        elif attr.datatype == AttributeType.NUMBER:
            field = forms.CharField(widget=forms.TextInput(attrs={**attrs, "inputmode": "decimal"}))
        elif attr.datatype == AttributeType.DATETIME:
            field = forms.CharField(widget=forms.DateTimeInput(attrs={**attrs, "type": "datetime-local"}))
        elif attr.datatype == AttributeType.TEXT:
            field = forms.CharField(widget=forms.Textarea(attrs={**attrs, "rows": 2}))
        else:
            field = forms.CharField(max_length=1000, widget=forms.TextInput(attrs=attrs))
        field.required = False
        field.label = attr.description
        _style(field)
        out[attribute_field_name(attr.code)] = field
    return out


def category_choices(categories: list[Category]) -> list[Any]:
    """Categories grouped by kind, in the order of the kinds."""
    groups: list[Any] = [("", _("— 请选择类别 —"))]
    for kind, label in CategoryKind.choices:
        items = [(c.pk, c.name) for c in categories if c.kind == kind]
        if items:
            groups.append((label, items))
    return groups


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not items and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        files = [super(MultipleFileField, self).clean(item, initial) for item in items]
        errors: list[str] = []
        for upload in files:
            try:
                services.check_upload(upload)
            except ValidationError as exc:
                errors += [f"{upload.name}:{m}" for m in exc.messages]
        if errors:
            raise ValidationError(errors)
        return files


def _coordinate(value: str, low: int, high: int, name: str) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(name)s应为数字。") % {"name": name}) from None
    if not low <= number <= high:
        raise ValidationError(_("%(name)s超出范围。") % {"name": name})
    return number


class ReportForm(BootstrapMixin, forms.Form):
    """上报事项: category, what happened, where (a hamlet or the phone's location), photos."""

    category = forms.TypedChoiceField(
        label=_("类别"), coerce=int, error_messages={"invalid_choice": _("请选择有效的事项类别。")}
    )
    description = forms.CharField(
        max_length=limit(Matter, "description"),
        label=_("情况描述"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("发生了什么,涉及哪些人")}),
        error_messages={"required": _("请描述事项情况。")},
    )
    place: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(
        label=_("发生地(湾组)"),
        queryset=None,
        required=False,
        empty_label=_("— 选择湾组,或使用我的位置 —"),
        error_messages={"invalid_choice": _("请选择您工作范围内的湾组或村组。")},
    )
    lon = forms.CharField(label=_("经度"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lat = forms.CharField(label=_("纬度"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    photos = MultipleFileField(label=_("照片"))
    title = forms.CharField(label=_("标题"), max_length=100, required=False, help_text=_("不填则取描述的开头"))
    address = forms.CharField(label=_("具体地点"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("反映人"), max_length=50, required=False)
    reporter_phone = forms.CharField(
        label=_("反映人电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    parties: forms.ModelMultipleChoiceField[Resident] = forms.ModelMultipleChoiceField(
        label=_("当事人"),
        queryset=None,
        required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={
            "invalid_choice": _("所选当事人不在您的工作范围之内。"),
            "invalid_pk_value": _("所选当事人无效。"),
        },
    )
    other_parties = forms.CharField(
        label=_("其他当事人"), max_length=200, required=False, help_text=_("不在名册中的当事人,写姓名即可")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.categories = list(selectors.categories())
        self.fields["category"].choices = category_choices(self.categories)  # type: ignore[attr-defined]
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse("governance:report_attributes"),
                "hx-trigger": "change",
                "hx-target": "#attributes",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["place"].queryset = selectors.report_places(user)  # type: ignore[attr-defined]
        self.fields["place"].label_from_instance = _place_label  # type: ignore[attr-defined]
        self.fields["parties"].queryset = place_selectors.residents(user)  # type: ignore[attr-defined]
        self.fields["photos"].widget.attrs.update({"accept": "image/*", "capture": "environment", "multiple": True})
        self.chosen_category = self._selected_category()
        self.attribute_names = list(attribute_fields(self.chosen_category))
        self.fields.update(attribute_fields(self.chosen_category))

    def _selected_category(self) -> Category | None:
        raw = self.data.get("category") if self.is_bound else self.initial.get("category")
        pk = parsing.parse_id(str(raw)) if raw is not None else None
        if pk is None:
            return None
        return next((c for c in self.categories if c.pk == pk), None)

    @property
    def attribute_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.attribute_names]

    def clean_lon(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("lon", ""), -180, 180, str(_("经度")))

    def clean_lat(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("lat", ""), -90, 90, str(_("纬度")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.chosen_category is None and "category" not in self.errors:
            self.add_error("category", _("请选择有效的事项类别。"))
        if not data.get("place") and "place" not in self.errors:
            if data.get("lon") is None or data.get("lat") is None:
                if "lon" not in self.errors and "lat" not in self.errors:
                    self.add_error("place", _("请选择发生地(湾组),或使用我的位置。"))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        place = data.get("place")
        return {
            "category": self.chosen_category,
            "title": data.get("title", ""),
            "description": data["description"],
            "place": place,
            "lon": None if place else data.get("lon"),
            "lat": None if place else data.get("lat"),
            "address": data.get("address", ""),
            "urgency": data.get("urgency") or Urgency.NORMAL,
            "reporter_name": data.get("reporter_name", ""),
            "reporter_phone": data.get("reporter_phone", ""),
            "parties": list(data.get("parties") or []),
            "other_parties": data.get("other_parties", ""),
            "attributes": {
                name[len("attribute[") : -1]: data.get(name) for name in self.attribute_names if name in data
            },
        }


def _place_label(node: AreaNode) -> str:
    parts = [node.name]
    parent = node.parent
    while parent is not None and parent.kind in ("grid", "village") and len(parts) < 3:
        parts.insert(0, parent.name)
        parent = parent.parent if parent.kind == "grid" else None
    return " / ".join(parts)


# ---- the actions on a matter --------------------------------------------------------------


class AcceptForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("受理说明"), max_length=500, required=False)


class SessionForm(BootstrapMixin, forms.Form):
    held_on = DateField(label=_("日期"), widget=DateInput(), initial=timezone.localdate)
    place = forms.CharField(label=_("地点"), max_length=100)
    participants = forms.CharField(
        label=_("参加人员"), max_length=255, help_text=_("承办人、法律顾问、村干部、当事人等")
    )
    legal_adviser_present = forms.BooleanField(label=_("法律顾问参加"), required=False)
    summary = forms.CharField(
        max_length=limit(MediationSession, "summary"), label=_("调处经过"), widget=forms.Textarea(attrs={"rows": 3})
    )
    agreed = forms.CharField(
        max_length=limit(MediationSession, "agreed"),
        label=_("达成意见"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class EscalateForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("上交理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请说明上交理由。")},
    )


class HandDownForm(BootstrapMixin, forms.Form):
    to: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(
        label=_("交办给"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("只能交办给本事项发生地所在的下级单位。")},
    )
    reason = forms.CharField(
        label=_("交办要求"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请说明交办要求。")},
    )

    def __init__(self, *args: Any, user: User, matter: Matter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        field.queryset = selectors.hand_down_targets(user, matter)  # type: ignore[attr-defined]
        field.label_from_instance = lambda n: f"{n.name}({n.kind_label})"  # type: ignore[attr-defined]


class ResolveForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=[("", "—")] + list(Outcome.choices))
    resolution = forms.CharField(
        max_length=limit(Matter, "resolution"),
        label=_("办理情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写办理情况。")},
    )
    public_notes = forms.CharField(
        label=_("公开办理说明"), max_length=255, required=False, help_text=_("对外公开,不要写个人信息")
    )


class AgreementForm(BootstrapMixin, forms.Form):
    parties = forms.CharField(
        max_length=limit(Agreement, "parties"), label=_("当事人"), widget=forms.Textarea(attrs={"rows": 2})
    )
    facts = forms.CharField(
        max_length=limit(Agreement, "facts"), label=_("纠纷事实"), widget=forms.Textarea(attrs={"rows": 3})
    )
    terms = forms.CharField(
        max_length=limit(Agreement, "terms"), label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 4})
    )
    mediators = forms.CharField(label=_("调解人"), max_length=200)
    signed_on = DateField(label=_("签订日期"), widget=DateInput(), initial=timezone.localdate)
    signatures_noted = forms.BooleanField(label=_("各方已签字"), required=False)


class FollowUpForm(BootstrapMixin, forms.Form):
    visited_on = DateField(label=_("回访日期"), widget=DateInput(), initial=timezone.localdate)
    held = forms.TypedChoiceField(
        label=_("办理结果是否保持"),
        choices=[("1", _("是,结果稳定")), ("0", _("否,结果未保持"))],
        coerce=lambda v: v == "1",
        initial="1",
    )
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[
            ("5", _("5 非常满意")),
            ("4", _("4 满意")),
            ("3", _("3 基本满意")),
            ("2", _("2 不满意")),
            ("1", _("1 很不满意")),
        ],
        coerce=int,
        initial="5",
        error_messages={"invalid_choice": _("满意度应为 1 到 5。")},
    )
    note = forms.CharField(
        max_length=limit(FollowUp, "note"),
        label=_("回访情况"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReopenForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("重新办理理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请说明重新办理的理由。")},
    )


class InviteForm(BootstrapMixin, forms.Form):
    """Whom to invite: offered among the invitable people; whether one may be invited is the
    service's rule (`services.invite`), which answers on the field."""

    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("邀请人员"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("没有该人员。")},
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, matter: Matter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = selectors.invitees(user)  # type: ignore[attr-defined]
        cast(forms.Select, field.widget).choices = [
            (u.pk, _user_label(u)) for u in selectors.invitable_of(user, matter)
        ]


def _user_label(user: User) -> str:
    name = getattr(user, "display_name", "") or user.get_full_name()
    return f"{name}({user.username})" if name else user.username


class AttachForm(BootstrapMixin, forms.Form):
    attachments = MultipleFileField(label=_("照片或文档"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        field.widget.attrs.update({"accept": "image/*,.pdf,.docx,.xlsx", "multiple": True})
        field.error_messages["required"] = _("请选择要上传的文件。")
