"""The person behind an account and the exported list of accounts: linking an account to the
resident it is (by ID number, shown masked), and the list an administrator manages as Excel."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts import policy
from hongniudai.accounts import selectors as account_selectors
from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.models import User
from hongniudai.accounts.pages import export_area_path, export_response
from hongniudai.common.identity import parse_citizen_id
from hongniudai.common.xlsx import Column
from hongniudai.places import services as place_services

from . import selectors


@require_GET
def user_export(request: AuthedHttpRequest) -> HttpResponseBase:
    """The accounts the administrator manages, as Excel: phones masked, roles with their node paths."""
    policy.require_administer(request.user)
    columns = [
        Column(_("用户名"), lambda r: r.username, width=18),
        Column(_("姓名"), lambda r: r.name, width=12),
        Column(_("手机号"), lambda r: r.phone_masked, width=14, text=True),
        Column(_("状态"), lambda r: _("正常") if r.is_active else _("已停用"), width=8),
        Column(_("当前角色"), lambda r: r.roles, width=60),
        Column(_("最近登录"), lambda r: r.last_login, width=18),
    ]
    return export_response(
        request,
        filename=_("用户账号"),
        title=_("用户账号"),
        columns=columns,
        rows=selectors.exported_users(request.user),
        area_path=export_area_path(request),
    )


class LinkForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("身份证号"), max_length=30)

    def clean_id_number(self) -> str:
        return parse_citizen_id(self.cleaned_data["id_number"]).number


def _unlink(request: AuthedHttpRequest, account: User) -> None:
    person = selectors.person_of(account)
    try:
        if person is None:
            raise ValidationError(_("该账号没有关联居民。"))
        place_services.unlink_account(actor=request.user, resident=person.resident)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已解除该账号与居民的关联。"))


def _link(request: AuthedHttpRequest, account: User, form: LinkForm) -> bool:
    """Link `account` to the resident of the ID number; True when done, else errors on `form`."""
    if not form.is_valid():
        return False
    resident = selectors.resident_to_link(request.user, form.cleaned_data["id_number"])
    try:
        if resident is None:
            raise ValidationError(_("未找到该身份证号对应的居民,或该居民不在您的管辖范围内。"))
        place_services.link_account(actor=request.user, resident=resident, user=account)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("id_number", message)
        return False
    messages.success(request, _("已关联居民:%(name)s(%(id)s)。") % {"name": resident.name, "id": resident.id_masked})
    return True


@require_http_methods(["GET", "POST"])
def user_resident(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The resident (and party member) an account is; link by ID number, or unlink."""
    account = account_selectors.managed_user(request.user, pk)
    may_manage = policy.may_manage(request.user, account)
    form = LinkForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(policy.manage_refusal(request.user, account) or "")
        if request.POST.get("action") == "unlink":
            _unlink(request, account)
            return redirect("users:user_resident", pk=account.pk)
        if _link(request, account, form):
            return redirect("users:user_resident", pk=account.pk)
    context = {"person": account, "linked": selectors.person_of(account), "form": form, "may_manage": may_manage}
    return render(request, "users/user_resident.html", context)
