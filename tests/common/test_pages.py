"""The pages' shared write flow turns a change the database refuses into a message on the form
(nothing saved, no error page)."""

from __future__ import annotations

from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import IntegrityError
from django.http import HttpResponse
from django.test import RequestFactory

from hongniudai.accounts.pages import save_form


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_refused_write_puts_a_chinese_message_on_the_form():
    request = RequestFactory().post("/", {"name": "甲"})
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    form = NameForm(request.POST)
    re_read = []

    def save(data):
        raise IntegrityError("UNIQUE constraint failed")

    answer = save_form(
        request, form, save, message="已保存", then=lambda _: HttpResponse(), on_error=lambda: re_read.append(1)
    )
    assert answer is None and re_read == [1]
    assert "未作任何更改" in " ".join(form.non_field_errors())
