"""How the audit pages show a record's changes: each field by its Chinese name (the model field's
verbose_name, or the label below for what a service records beside the fields), each choice by its
label (the one table `common.choices` keeps), lists joined with "、", types by their Chinese names.

The labels of a type are built once per `ChangeReader` (one per page or export), never per row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniudai.common.choices import choice_label

from .models import AuditEvent

# Keys a service records that are not fields of the audited model (summaries, masked copies), by type;
# a key here wins over a model field of the same name (an import job's "errors" is a count, not the list).
RECORDED_KEYS: dict[str, dict[str, Any]] = {
    "orglife.meeting": {
        "kinds": gettext_lazy("会议类型"),
        "voting": gettext_lazy("有表决权党员实到/应到"),
        "absent": gettext_lazy("缺席党员"),
        "present": gettext_lazy("出席人数"),
    },
    "party.centrehousehold": {"linked": gettext_lazy("联系户")},
    "places.resident": {"masked_phone": gettext_lazy("手机号")},
    "enterprises.enterprise": {"masked_contact_phone": gettext_lazy("联系电话")},
    "enterprises.instructor": {"display_name": gettext_lazy("姓名"), "masked_phone": gettext_lazy("手机号")},
    "accounts.roleassignment": {"node": gettext_lazy("所在区域或组织")},
    "spreadsheets.importjob": {
        "total": gettext_lazy("数据行数"),
        "good": gettext_lazy("无误行数"),
        "imported": gettext_lazy("已导入行数"),
        "errors": gettext_lazy("有误行数"),
    },
    "ledger.books": {
        "accounts": gettext_lazy("科目数"),
        "year": gettext_lazy("年度"),
        "vouchers": gettext_lazy("结转凭证"),
    },
    "ledger.voucher": {"lines": gettext_lazy("分录(科目、借方分、贷方分)")},
    "ledger.period": {"reason": gettext_lazy("反结账原因")},
    "ledger.voucherattachment": {"voucher": gettext_lazy("凭证")},
}
# Types whose app was renamed: rows written before keep the old name and read as the new type.
RENAMED_TYPES = {"transfer.importjob": "spreadsheets.importjob"}


def type_names(target_type: str) -> tuple[str, list[str]]:
    """The type's current name, and every name its audit rows carry (the current one first)."""
    current = RENAMED_TYPES.get(target_type, target_type)
    return current, [current, *(old for old, new in RENAMED_TYPES.items() if new == current)]


# Keys several services record under the same meaning, whatever the type.
COMMON_KEYS: dict[str, Any] = {
    "masked_phone": gettext_lazy("手机号"),
    "member": gettext_lazy("党员"),
    "user": gettext_lazy("用户"),
    "role": gettext_lazy("角色"),
}

Change = tuple[str, object, object]


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


class _TypeLabels:
    def __init__(self, target_type: str) -> None:
        target_type = type_names(target_type)[0]
        self.model = _model(target_type)
        self.recorded = RECORDED_KEYS.get(target_type, {})
        self.labels: dict[str, str] = {}
        self.choices: dict[str, Callable[[Any], str] | None] = {}

    def _field(self, key: str) -> Any:
        if self.model is None:
            return None
        try:
            return self.model._meta.get_field(key)
        except FieldDoesNotExist:
            return None

    def label(self, key: str) -> str:
        if key not in self.labels:
            field = self._field(key)
            if key in self.recorded:
                self.labels[key] = str(self.recorded[key])
            elif field is not None and hasattr(field, "verbose_name"):
                self.labels[key] = str(field.verbose_name)
            else:
                self.labels[key] = str(COMMON_KEYS.get(key, key))
        return self.labels[key]

    def value(self, key: str, value: Any) -> Any:
        if key not in self.choices:
            field = None if key in self.recorded else self._field(key)
            has_choices = field is not None and getattr(field, "choices", None)
            self.choices[key] = choice_label(self.model, key) if has_choices else None
        return self._show(self.choices[key], value)

    def _show(self, label: Callable[[Any], str] | None, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "、".join(str(self._show(label, v)) for v in value if v not in (None, ""))
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if value is None or value == "":
            return None
        if label is not None:
            return label(value)
        return value


class ChangeReader:
    """Each event's changes as (label, before, after), readable by a township user."""

    def __init__(self) -> None:
        self._types: dict[str, _TypeLabels] = {}

    def _labels(self, target_type: str) -> _TypeLabels:
        if target_type not in self._types:
            self._types[target_type] = _TypeLabels(target_type)
        return self._types[target_type]

    def changes(self, event: AuditEvent) -> list[Change]:
        labels = self._labels(event.target_type)
        out: list[Change] = []
        for key, pair in (event.changes or {}).items():
            before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            out.append((labels.label(key), labels.value(key, before), labels.value(key, after)))
        return out

    def type_label(self, target_type: str) -> str:
        labels = self._labels(target_type)
        return str(labels.model._meta.verbose_name) if labels.model is not None else target_type
