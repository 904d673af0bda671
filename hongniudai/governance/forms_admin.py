"""Forms of the administrator's maintenance pages. They only parse input; the services check
and write (a ValidationError from a service lands on the form via `apply_service_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniudai.common.forms import BootstrapMixin, DateInput
from hongniudai.common.parsing import DateField, IntegerField
from hongniudai.places.models import AreaNode

from .models import AttributeType, Category, CategoryKind, Level

WORKING_CHOICES = (("1", gettext_lazy("工作日(上班)")), ("0", gettext_lazy("休息日(放假)")))


class CalendarDayForm(BootstrapMixin, forms.Form):
    date = DateField(label=gettext_lazy("日期"), widget=DateInput())
    is_working = forms.ChoiceField(label=gettext_lazy("这一天是"), choices=WORKING_CHOICES)
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("例如:国庆节调休上班、防汛值班放假"),
    )


class DeadlineRuleForm(BootstrapMixin, forms.Form):
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=gettext_lazy("类别"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("默认规则(适用于没有单独规则的类别)"),
    )
    level = forms.ChoiceField(label=gettext_lazy("层级"), choices=Level.choices)
    accept_days = IntegerField(label=gettext_lazy("受理时限(工作日)"), min_value=0, max_value=365)
    settle_days = IntegerField(label=gettext_lazy("办结时限(工作日)"), min_value=0, max_value=365)
    escalate_when_unaccepted = forms.BooleanField(label=gettext_lazy("超时未受理自动上交"), required=False)
    escalate_when_unsettled = forms.BooleanField(label=gettext_lazy("超时未办结自动上交"), required=False)

    def __init__(self, *args: Any, categories: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories  # type: ignore[attr-defined]


class CategoryForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("代码"),
        max_length=40,
        help_text=gettext_lazy("小写字母、数字和“-”,创建后不能修改;也是 Open311 的 service_code"),
    )
    name = forms.CharField(label=gettext_lazy("名称"), max_length=50)
    kind = forms.ChoiceField(label=gettext_lazy("大类"), choices=CategoryKind.choices)
    description = forms.CharField(label=gettext_lazy("说明"), max_length=255, required=False)
    keywords = forms.CharField(
        label=gettext_lazy("关键词"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("用空格或逗号分隔,便于上报时查找"),
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("公开(可通过 Open311 受理和查询)"),
        required=False,
        help_text=gettext_lazy("矛盾纠纷涉及个人隐私,一般不公开"),
    )
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)
    sort_order = IntegerField(label=gettext_lazy("排序"), min_value=0, initial=0)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True


class CategoryAttributeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=gettext_lazy("代码"), max_length=40, help_text=gettext_lazy("小写字母、数字和“-”"))
    description = forms.CharField(label=gettext_lazy("问题"), max_length=200)
    datatype = forms.ChoiceField(label=gettext_lazy("类型"), choices=AttributeType.choices)
    required = forms.BooleanField(label=gettext_lazy("必填"), required=False)
    options = forms.CharField(
        label=gettext_lazy("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("单选、多选题填写:每行一个,格式为“代码=名称”,例如 yes=是"),
    )
    order = IntegerField(label=gettext_lazy("顺序"), min_value=0, initial=0)

    def clean_options(self) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for number, line in enumerate((self.cleaned_data.get("options") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            key, sep, name = line.partition("=")
            if not sep or not key.strip():
                raise ValidationError(_("第 %(n)s 行应写成“代码=名称”。") % {"n": number})
            out.append({"key": key.strip(), "name": name.strip() or key.strip()})
        return out

    @staticmethod
    def options_text(values: Any) -> str:
        return "\n".join(f"{v.get('key', '')}={v.get('name', '')}" for v in values or [])


class Open311KeyForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("客户端名称"),
        max_length=100,
        help_text=gettext_lazy("使用这个密钥的系统或单位,例如“县12345热线”"),
    )
    area: forms.ModelChoiceField[AreaNode] = forms.ModelChoiceField(
        label=gettext_lazy("受理范围"), queryset=None, empty_label=None
    )

    def __init__(self, *args: Any, areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].label_from_instance = lambda a: f"{a.name}({a.kind_label})"  # type: ignore[attr-defined]
