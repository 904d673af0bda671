"""The administrator's maintenance pages: the working-day calendar, deadline rules, categories
with their extra questions, and Open311 api keys.

The calendar, the rules and the categories hold for the whole deployment: only a superuser or a
town (county) administrator keeps them (`policy.may_maintain_settings`). Open311 keys belong to
an area: whoever may edit places there issues and revokes them. Everyone else gets 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.common import parsing
from hongniudai.common.forms import apply_service_errors

from . import policy, selectors, services
from .forms_admin import CalendarDayForm, CategoryAttributeForm, CategoryForm, DeadlineRuleForm, Open311KeyForm
from .models import Category, CategoryAttribute, DeadlineRule, Level

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def _require_settings(request: AuthedHttpRequest) -> None:
    policy.require_settings_admin(request.user)


def _nav(request: AuthedHttpRequest, active: str) -> dict[str, Any]:
    return {
        "active": active,
        "can_settings": policy.may_maintain_settings(request.user),
        "can_keys": policy.may_issue_open311_keys(request.user),
    }


# ---- working-day calendar -----------------------------------------------------------------


def _month(raw: str | None, today: dt.date) -> tuple[dt.date, str]:
    if not raw:
        return today.replace(day=1), ""
    try:
        year, month = (int(p) for p in raw.split("-", 1))
        if not parsing.EARLIEST.year <= year <= parsing.LATEST.year:
            raise ValueError
        return dt.date(year, month, 1), ""
    except ValueError:
        return today.replace(day=1), _("月份格式应为“年-月”,例如 2026-05,已显示本月。")


def admin_calendar(request: AuthedHttpRequest) -> HttpResponseBase:
    _require_settings(request)
    today = timezone.localdate()
    first, month_error = _month(request.GET.get("month") or request.POST.get("month"), today)
    form: CalendarDayForm
    if request.method == "POST":
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["date"]
            try:
                if request.POST.get("action") == "clear":
                    services.clear_calendar_day(actor=request.user, date=day)
                    messages.success(request, _("%(d)s 已恢复法定安排。") % {"d": day})
                else:
                    services.set_calendar_day(
                        actor=request.user,
                        date=day,
                        is_working=form.cleaned_data["is_working"] == "1",
                        note=form.cleaned_data["note"],
                    )
                    messages.success(request, _("%(d)s 已调整。") % {"d": day})
                return redirect(f"{reverse('governance:admin_calendar')}?month={day:%Y-%m}")
            except ValidationError as exc:
                apply_service_errors(form, exc)
    else:
        selected = None
        raw_day = request.GET.get("day")
        if raw_day:
            selected = parsing.parse_date(raw_day)
            if selected is None:
                month_error = month_error or str(parsing.DATE_FORMAT_MESSAGE)
        selected = selected or (today if (today.year, today.month) == (first.year, first.month) else first)
        if (selected.year, selected.month) != (first.year, first.month):
            first = selected.replace(day=1)
        current, working = selectors.calendar_day(request.user, day=selected)
        form = CalendarDayForm(
            initial={"date": selected, "is_working": "1" if working else "0", "note": current.note if current else ""}
        )
    selected_date = parsing.parse_date(form["date"].value())
    month = selectors.calendar_month(request.user, first=first, today=today, selected=selected_date)
    context = {
        **_nav(request, "calendar"),
        "form": form,
        "first": month.first,
        "weeks": month.weeks,
        "weekdays": WEEKDAYS,
        "prev_month": month.prev_month,
        "next_month": month.next_month,
        "month_error": month_error,
        "selected_date": selected_date,
        "selected_correction": month.selected_correction,
        "month_corrections": month.month_corrections,
    }
    return render(request, "governance/admin_calendar.html", context)


# ---- deadline rules -----------------------------------------------------------------------


def _rule_initial(request: AuthedHttpRequest, rules: list[DeadlineRule]) -> dict[str, Any]:
    """The rule form for the (category, level) of the query string, with the values it has now."""
    raw_category = request.GET.get("category") or ""
    category_id = parsing.parse_id(raw_category)
    raw_level = request.GET.get("level") or ""
    level = raw_level if raw_level in Level.values else str(Level.HAMLET)
    # A category that is no id has no rule: the built-in days (not the default rule's).
    lookup = category_id if category_id is not None or not raw_category else -1
    values = selectors.rule_values(rules, category_id=lookup, level=level)
    return {"category": category_id, "level": level, **values}


def admin_rules(request: AuthedHttpRequest) -> HttpResponseBase:
    _require_settings(request)
    categories = selectors.categories(active_only=False)
    rules = selectors.deadline_rules(request.user)
    if request.method == "POST":
        form = DeadlineRuleForm(request.POST, categories=categories)
        if form.is_valid():
            try:
                services.set_deadline_rule(actor=request.user, **form.cleaned_data)
                messages.success(request, _("时限规则已保存,对此后到达该层级的事项生效。"))
                return redirect("governance:admin_rules")
            except ValidationError as exc:
                apply_service_errors(form, exc)
    else:
        form = DeadlineRuleForm(initial=_rule_initial(request, rules), categories=categories)
    context = {
        **_nav(request, "rules"),
        "form": form,
        "defaults": selectors.default_rules(rules),
        "category_rules": [r for r in rules if r.category_id is not None],
    }
    return render(request, "governance/admin_rules.html", context)


# ---- categories and their extra questions -------------------------------------------------


def admin_categories(request: AuthedHttpRequest) -> HttpResponseBase:
    _require_settings(request)
    context = {**_nav(request, "categories"), "categories": selectors.categories(active_only=False)}
    return render(request, "governance/admin_categories.html", context)


CATEGORY_FORM_FIELDS = ("code", *Category.EDITABLE)


def _category_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in CATEGORY_FORM_FIELDS}


def admin_category_new(request: AuthedHttpRequest) -> HttpResponseBase:
    _require_settings(request)
    form = CategoryForm(request.POST or None, initial={"is_active": True, "sort_order": 0})
    if request.method == "POST" and form.is_valid():
        try:
            category = services.save_category(actor=request.user, **_category_values(form.cleaned_data))
            messages.success(request, _("类别“%(n)s”已创建。") % {"n": category.name})
            return redirect("governance:admin_category_edit", pk=category.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "governance/admin_category_form.html", {**_nav(request, "categories"), "form": form})


def _category_initial(category: Category) -> dict[str, Any]:
    return {name: getattr(category, name) for name in CATEGORY_FORM_FIELDS}


def _category_page(
    request: AuthedHttpRequest, category: Category, form: CategoryForm, attribute_form: CategoryAttributeForm
) -> HttpResponse:
    context = {
        **_nav(request, "categories"),
        "category": category,
        "form": form,
        "attribute_form": attribute_form,
        "attributes": list(category.attributes.all()),
    }
    return render(request, "governance/admin_category_form.html", context)


def admin_category_edit(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    _require_settings(request)
    category = selectors.category_get(request.user, pk)
    form = CategoryForm(request.POST or None, initial=_category_initial(category), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_category(actor=request.user, category=category, **_category_values(form.cleaned_data))
            messages.success(request, _("类别“%(n)s”已保存。") % {"n": form.cleaned_data["name"]})
            return redirect("governance:admin_category_edit", pk=category.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    attribute_form = CategoryAttributeForm(initial={"order": len(category.attributes.all()) + 1}, prefix="attr")
    return _category_page(request, category, form, attribute_form)


def _attribute_values(data: dict[str, Any]) -> dict[str, Any]:
    """The form's data as the service takes it (the options text is the attribute's `values`)."""
    return {name: data["options" if name == "values" else name] for name in CategoryAttribute.EDITABLE}


def _attribute_errors(form: CategoryAttributeForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict") and "values" in exc.error_dict:
        exc.error_dict["options"] = exc.error_dict.pop("values")
    apply_service_errors(form, exc)


def admin_attribute_new(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    _require_settings(request)
    category = selectors.category_get(request.user, pk)
    if request.method != "POST":
        return redirect("governance:admin_category_edit", pk=category.pk)
    attribute_form = CategoryAttributeForm(request.POST, prefix="attr")
    if attribute_form.is_valid():
        try:
            services.save_category_attribute(
                actor=request.user, category=category, **_attribute_values(attribute_form.cleaned_data)
            )
            messages.success(request, _("附加问题已添加。"))
            return redirect("governance:admin_category_edit", pk=category.pk)
        except ValidationError as exc:
            _attribute_errors(attribute_form, exc)
    form = CategoryForm(initial=_category_initial(category), editing=True)
    return _category_page(request, category, form, attribute_form)


def admin_attribute_edit(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    _require_settings(request)
    attribute = selectors.category_attribute_get(request.user, pk)
    initial = {name: getattr(attribute, name) for name in CategoryAttribute.EDITABLE if name != "values"}
    initial["options"] = CategoryAttributeForm.options_text(attribute.values)
    form = CategoryAttributeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_category_attribute(
                actor=request.user,
                category=attribute.category,
                attribute=attribute,
                **_attribute_values(form.cleaned_data),
            )
            messages.success(request, _("附加问题已保存。"))
            return redirect("governance:admin_category_edit", pk=attribute.category_id)
        except ValidationError as exc:
            _attribute_errors(form, exc)
    context = {**_nav(request, "categories"), "form": form, "attribute": attribute, "category": attribute.category}
    return render(request, "governance/admin_attribute_form.html", context)


@require_POST
def admin_attribute_delete(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    _require_settings(request)
    attribute = selectors.category_attribute_get(request.user, pk)
    category_id = attribute.category_id
    services.delete_category_attribute(actor=request.user, attribute=attribute)
    messages.success(request, _("附加问题“%(q)s”已删除。") % {"q": attribute.description})
    return redirect("governance:admin_category_edit", pk=category_id)


# ---- Open311 api keys ---------------------------------------------------------------------


def admin_open311_keys(request: AuthedHttpRequest) -> HttpResponseBase:
    if not policy.may_issue_open311_keys(request.user):
        raise PermissionDenied(_("只有管理员可以管理 Open311 密钥。"))
    areas = selectors.open311_key_areas(request.user)
    form = Open311KeyForm(request.POST or None, areas=areas)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            new_key, key = services.issue_open311_key(
                actor=request.user, name=form.cleaned_data["name"], area=form.cleaned_data["area"]
            )
            form = Open311KeyForm(areas=areas)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    context = {
        **_nav(request, "keys"),
        "form": form,
        "keys": selectors.open311_keys(request.user),
        "new_key": new_key,
    }
    response = render(request, "governance/admin_open311_keys.html", context)
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def admin_open311_key_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    key = selectors.open311_key_get(request.user, pk)
    try:
        services.revoke_open311_key(actor=request.user, key=key)
        messages.success(request, _("密钥“%(n)s”已停用,使用它的客户端将无法再提交。") % {"n": key.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("governance:admin_open311_keys")
