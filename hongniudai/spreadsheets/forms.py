from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniudai.common.forms import BootstrapMixin

from .models import ImportKind, ImportMode


class ImportUploadForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=[("", "---------"), *ImportKind.choices])
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_("只能上传按模板填写的 .xlsx 文件。"),
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class ImportConfirmForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportMode.choices)
