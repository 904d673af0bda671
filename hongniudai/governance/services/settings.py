"""The deployment-wide settings of source governance: the working calendar, the deadline rules,
the categories with their extra questions. Only a settings administrator (`policy`) keeps them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.audit import services as audit
from hongniudai.common.updates import model_update

from .. import events, policy
from ..models import AttributeType, CalendarDay, Category, CategoryAttribute, CategoryKind, DeadlineRule, Level

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CALENDAR_FIELDS = ("date", *CalendarDay.EDITABLE)
RULE_FIELDS = ("category", "level", *DeadlineRule.EDITABLE)
CATEGORY_FIELDS = ("code", *Category.EDITABLE)
ATTRIBUTE_FIELDS = ("category", *CategoryAttribute.EDITABLE)
MAX_DEADLINE_DAYS = 365


# ---- the working calendar ------------------------------------------------------------------


@transaction.atomic
def set_calendar_day(*, actor: User, date: dt.date, is_working: bool, note: str = "") -> CalendarDay:
    """Correct the official calendar for one day: a holiday (rest) or a make-up working day."""
    policy.require_settings_admin(actor)
    note = (note or "").strip()
    if len(note) > 50:
        raise ValidationError({"note": _("说明不能超过 50 个字。")})
    data = {"is_working": bool(is_working), "note": note}
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = audit.snapshot(day, CALENDAR_FIELDS) if day else {}
    if day is None:
        day = CalendarDay.objects.create(date=date, **data)
    else:
        model_update(day, fields=CalendarDay.EDITABLE, data=data)
    audit.record(
        actor=actor,
        action=events.CALENDAR_DAY_SET,
        target=day,
        changes=audit.diff(before, audit.snapshot(day, CALENDAR_FIELDS)),
    )
    return day


@transaction.atomic
def clear_calendar_day(*, actor: User, date: dt.date) -> None:
    """Drop the correction of one day: the official calendar applies again."""
    policy.require_settings_admin(actor)
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        raise ValidationError({"date": _("这一天没有调整记录。")})
    audit.record_delete(
        actor=actor, action=events.CALENDAR_DAY_CLEARED, target=day, before=audit.snapshot(day, CALENDAR_FIELDS)
    )
    day.delete()


# ---- deadline rules ------------------------------------------------------------------------


def _rule_errors(level: str, accept_days: int, settle_days: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if level not in Level.values:
        errors["level"] = _("请选择层级。")
    for name, value in (("accept_days", accept_days), ("settle_days", settle_days)):
        if not isinstance(value, int) or not 0 <= value <= MAX_DEADLINE_DAYS:
            errors[name] = _("时限应为 0 到 %(n)s 个工作日。") % {"n": MAX_DEADLINE_DAYS}
    if not errors and settle_days < accept_days:
        errors["settle_days"] = _("办结时限不能短于受理时限。")
    return errors


@transaction.atomic
def set_deadline_rule(
    *,
    actor: User,
    category: Category | None,
    level: str,
    accept_days: int,
    settle_days: int,
    escalate_when_unaccepted: bool = True,
    escalate_when_unsettled: bool = False,
) -> DeadlineRule:
    """Working days allowed at one level to accept and to settle, for a category or (without
    one) for every category that has no rule of its own. Applies to matters arriving from now on."""
    policy.require_settings_admin(actor)
    errors = _rule_errors(level, accept_days, settle_days)
    if errors:
        raise ValidationError(errors)
    data = {
        "accept_days": accept_days,
        "settle_days": settle_days,
        "escalate_when_unaccepted": bool(escalate_when_unaccepted),
        "escalate_when_unsettled": bool(escalate_when_unsettled),
    }
    rule = DeadlineRule.objects.select_for_update().filter(category=category, level=level).first()
    before = audit.snapshot(rule, RULE_FIELDS) if rule else {}
    if rule is None:
        rule = DeadlineRule.objects.create(category=category, level=level, **data)
    else:
        model_update(rule, fields=DeadlineRule.EDITABLE, data=data)
    audit.record(
        actor=actor,
        action=events.DEADLINE_RULE_SAVED,
        target=rule,
        changes=audit.diff(before, audit.snapshot(rule, RULE_FIELDS)),
    )
    return rule


# ---- categories and their extra questions --------------------------------------------------


def _check_code(code: str, errors: dict[str, str]) -> str:
    code = (code or "").strip()
    if not code:
        errors["code"] = _("请填写代码。")
    elif len(code) > 40 or not CODE_RE.match(code):
        errors["code"] = _("代码只能由小写字母、数字、“-”和“_”组成,不超过 40 个字符。")
    return code


def _category_errors(category: Category | None, code: str, data: Mapping[str, Any]) -> dict[str, str]:
    """The errors of a category's code (fixed once created, unique) and of its editable fields."""
    errors: dict[str, str] = {}
    code = _check_code(code, errors)
    others = Category.objects.exclude(pk=category.pk) if category is not None else Category.objects.all()
    if category is not None and code and code != category.code:
        errors["code"] = _("类别代码创建后不能修改(Open311 客户端以它识别服务)。")
    elif code and "code" not in errors and others.filter(code=code).exists():
        errors["code"] = _("代码“%(c)s”已被其他类别使用。") % {"c": code}
    name = data["name"]
    if not name:
        errors["name"] = _("请填写名称。")
    elif len(name) > 50:
        errors["name"] = _("名称不能超过 50 个字。")
    elif others.filter(name=name).exists():
        errors["name"] = _("已有名为“%(n)s”的类别。") % {"n": name}
    if data["kind"] not in CategoryKind.values:
        errors["kind"] = _("未知的大类。")
    if len(data["description"]) > 255:
        errors["description"] = _("说明不能超过 255 个字。")
    if len(data["keywords"]) > 255:
        errors["keywords"] = _("关键词不能超过 255 个字。")
    if not isinstance(data["sort_order"], int) or data["sort_order"] < 0:
        errors["sort_order"] = _("排序应为不小于 0 的整数。")
    return errors


@transaction.atomic
def save_category(
    *,
    actor: User,
    category: Category | None = None,
    code: str,
    name: str,
    kind: str,
    description: str = "",
    keywords: str = "",
    is_public: bool = False,
    is_active: bool = True,
    sort_order: int = 0,
) -> Category:
    """Create a category (`category` None) or change one; deactivating keeps its matters. The
    code is the Open311 service_code: fixed once created."""
    policy.require_settings_admin(actor)
    data = {
        "name": (name or "").strip(),
        "kind": kind,
        "description": (description or "").strip(),
        "keywords": (keywords or "").strip(),
        "is_public": bool(is_public),
        "is_active": bool(is_active),
        "sort_order": sort_order,
    }
    errors = _category_errors(category, code, data)
    if errors:
        raise ValidationError(errors)
    if category is None:
        obj = Category.objects.create(code=code.strip(), **data)
        before: audit.Snapshot = {}
    else:
        obj = Category.objects.select_for_update().get(pk=category.pk)
        before = audit.snapshot(obj, CATEGORY_FIELDS)
        model_update(obj, fields=Category.EDITABLE, data=data)
    audit.record(
        actor=actor,
        action=events.CATEGORY_UPDATED if before else events.CATEGORY_CREATED,
        target=obj,
        changes=audit.diff(before, audit.snapshot(obj, CATEGORY_FIELDS)),
    )
    return obj


def _clean_options(values: Any, datatype: str, errors: dict[str, str]) -> list[dict[str, str]]:
    options: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in values or []:
        key = str((item or {}).get("key", "")).strip()
        label = str((item or {}).get("name", "")).strip() or key
        if not key:
            errors["values"] = _("每个选项都需要代码。")
            return []
        if key in seen:
            errors["values"] = _("选项代码“%(k)s”重复。") % {"k": key}
            return []
        seen.add(key)
        options.append({"key": key[:100], "name": label[:100]})
    if datatype in (AttributeType.SINGLE, AttributeType.MULTI) and not options:
        errors["values"] = _("单选、多选题至少需要一个选项。")
    elif datatype not in (AttributeType.SINGLE, AttributeType.MULTI) and options:
        errors["values"] = _("只有单选、多选题可以设置选项。")
    return options


@transaction.atomic
def save_category_attribute(
    *,
    actor: User,
    category: Category,
    attribute: CategoryAttribute | None = None,
    code: str,
    description: str,
    datatype: str,
    required: bool = False,
    values: Iterable[Mapping[str, Any]] = (),
    order: int = 0,
) -> CategoryAttribute:
    """Add an extra question to a category (`attribute` None) or change one."""
    policy.require_settings_admin(actor)
    if attribute is not None and attribute.category_id != category.pk:
        raise ValidationError(_("该问题不属于这个类别。"))
    errors: dict[str, str] = {}
    code = _check_code(code, errors)
    if "code" not in errors:
        clash = CategoryAttribute.objects.filter(category=category, code=code)
        if attribute is not None:
            clash = clash.exclude(pk=attribute.pk)
        if clash.exists():
            errors["code"] = _("该类别已有代码为“%(c)s”的问题。") % {"c": code}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("请填写问题。")
    elif len(description) > 200:
        errors["description"] = _("问题不能超过 200 个字。")
    if datatype not in AttributeType.values:
        errors["datatype"] = _("未知的类型。")
    options = _clean_options(list(values), datatype, errors)
    if not isinstance(order, int) or order < 0:
        errors["order"] = _("顺序应为不小于 0 的整数。")
    if errors:
        raise ValidationError(errors)
    data = {
        "code": code,
        "description": description,
        "datatype": datatype,
        "required": bool(required),
        "values": options,
        "order": order,
    }
    before = audit.snapshot(attribute, ATTRIBUTE_FIELDS) if attribute else {}
    if attribute is None:
        obj = CategoryAttribute.objects.create(category=category, **data)
    else:
        obj = attribute
        model_update(obj, fields=CategoryAttribute.EDITABLE, data=data)
    audit.record(
        actor=actor,
        action=events.CATEGORY_ATTRIBUTE_SAVED,
        target=obj,
        changes=audit.diff(before, audit.snapshot(obj, ATTRIBUTE_FIELDS)),
        note=str(category),
    )
    return obj


@transaction.atomic
def delete_category_attribute(*, actor: User, attribute: CategoryAttribute) -> None:
    """Remove an extra question; answers already given stay on their matters."""
    policy.require_settings_admin(actor)
    audit.record_delete(
        actor=actor,
        action=events.CATEGORY_ATTRIBUTE_DELETED,
        target=attribute,
        before=audit.snapshot(attribute, ATTRIBUTE_FIELDS),
    )
    attribute.delete()
