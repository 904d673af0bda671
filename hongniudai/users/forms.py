"""The forms of user administration. They only translate input: every rule (who may grant which role
where, a username's shape, a phone number) is the service's, whose errors go onto these forms.

A node (area node or party organisation) is picked by name, never from a list of every node: the
`NodePicker` widget is a search box whose matches (`users.selectors.nodes_matching`, up to 20, each
with its path from the town) are radio buttons named after the field. Typing fetches the matches
with HTMX; without JavaScript the search button sends the form back with the query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from hongniudai.accounts.models import Role, User
from hongniudai.accounts.services_users import Credential
from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.identity import mask_phone
from hongniudai.common.parsing import DateField

from . import selectors

T = TypeVar("T")


def refusal_as_error(call: Callable[[], T]) -> T:
    """Call a service; the policy's refusal (PermissionDenied, with its reason) becomes an error on
    the form, like the service's ValidationError, instead of a 403 page."""
    try:
        return call()
    except PermissionDenied as exc:
        raise ValidationError(str(exc) or _("您没有权限进行此操作。")) from None


NODE_NOT_FOUND = _("未找到该地区或党组织,或不在您的管理范围之内。")
# The search box's name: the picker's query travels under it (the pages' own `q` searches users).
NODE_QUERY = "node_q"


class NodePicker(forms.Widget):
    """A search box and the radio buttons of its matches (`options`), the chosen node among them."""

    template_name = "users/node_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.query = ""
        self.options: list[selectors.NodeChoice] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            query=self.query,
            query_name=NODE_QUERY,
            options=self.options,
            search_url=reverse_lazy("users:node_options"),
        )
        return context

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        # The project's template engine (the form renderer's own knows only Django's widgets).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class NodeField(forms.CharField):
    """A node key ("area:12", "org:3") that the form turns into the node, within the actor's reach."""

    widget = NodePicker

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("地区或党组织"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("error_messages", {"required": _("请搜索并选择一个地区或党组织。")})
        super().__init__(**kwargs)


class PickerMixin:
    """Fills the `node` field's picker for `actor`: the matches of `node_q`, and the node chosen."""

    fields: dict[str, forms.Field]

    def set_up_picker(self, actor: User, node_q: str, chosen: str) -> None:
        widget = self.fields["node"].widget
        assert isinstance(widget, NodePicker)
        widget.query = " ".join((node_q or "").split())[:50]
        options = selectors.nodes_matching(actor, widget.query)
        current = selectors.node_choice(actor, chosen) if chosen else None
        if current is not None and current.key not in {o.key for o in options}:
            options.insert(0, current)
        widget.options = options

    def node_of(self, actor: User, key: str) -> Any:
        node = selectors.node_from_key(actor, key)
        if node is None:
            raise ValidationError(NODE_NOT_FOUND)
        return node


def credential_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("首次登录方式"),
        choices=[(Credential.INVITATION, _("邀请链接")), (Credential.PASSWORD, _("一次性密码"))],
        initial=Credential.INVITATION,
        help_text=_("邀请链接:用户用它自己设置密码;一次性密码:用户登录后须立即改为自己的密码。"),
    )


class RoleNodeForm(PickerMixin, BootstrapMixin, forms.Form):
    """A role and the node it is held on; the role select offers what the actor may grant somewhere
    (any role is accepted, so that the service says why one is refused)."""

    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    node = NodeField()

    def __init__(self, *args: Any, actor: User, node_q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].widget.choices = [("", _("请选择角色")), *selectors.grantable_roles(actor)]
        self.set_up_picker(actor, node_q, str(self["node"].value() or ""))

    def clean_node(self) -> Any:
        return self.node_of(self.actor, self.cleaned_data["node"])


class UserCreateForm(RoleNodeForm):
    username = forms.CharField(label=_("用户名"), max_length=30, help_text=_("2至30位字母、数字或 _ . -"))
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=30, required=False)
    credential = credential_field()

    field_order = ["username", "display_name", "phone", "role", "node", "credential"]


class UserEditForm(BootstrapMixin, forms.Form):
    """Name and phone; the phone on file is never put back into the page, only its masked form."""

    display_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=30, required=False)
    clear_phone = forms.BooleanField(label=_("删除已登记的手机号"), required=False)

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"display_name": person.display_name})
        super().__init__(*args, **kwargs)
        self.person = person
        if person.phone:
            self.fields["phone"].help_text = _("当前:%(masked)s。留空表示不修改。") % {
                "masked": mask_phone(person.phone)
            }
        else:
            del self.fields["clear_phone"]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        phone = (data.get("phone") or "").strip()
        if not phone and not data.get("clear_phone"):
            phone = self.person.phone
        return {"display_name": data["display_name"], "phone": phone}


class RoleEndForm(BootstrapMixin, forms.Form):
    ended_on = DateField(
        label=_("终止日期"),
        widget=DateInput(),
        help_text=_("角色在这一天开始时失效;历史记录保留。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ResetForm(BootstrapMixin, forms.Form):
    credential = credential_field()


class UserFilterForm(PickerMixin, BootstrapMixin, forms.Form):
    """The user list's filters: a search of username, name and phone, the status, a role and a node."""

    q = forms.CharField(required=False, max_length=200)
    status = forms.ChoiceField(
        required=False, choices=[("", _("全部状态")), ("active", _("正常")), ("inactive", _("已停用"))]
    )
    role = forms.ChoiceField(required=False, choices=[("", _("全部角色")), *Role.choices])
    node = NodeField(required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.set_up_picker(actor, str(self.data.get(NODE_QUERY, "")), str(self["node"].value() or ""))

    def clean_node(self) -> Any:
        key = self.cleaned_data["node"]
        return self.node_of(self.actor, key) if key else None
