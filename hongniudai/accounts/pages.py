"""Small helpers every package's pages share (paging is in `common.pagination`).

The write pages all have one shape, kept here once:

- `form_page` (or `save_form` alone, where the page renders itself): a GET shows the form; a valid
  POST calls the service; a ValidationError it raises, or a change the database refuses
  (`common.refusals`), goes onto the form, which is shown again; otherwise the success message is
  flashed and the page redirects.
- `confirm_page`: a GET asks for confirmation; a POST calls the service (deleting, ending,
  removing) and redirects with its message, or back with the service's (or the database's) refusal.
- `export_or_none` with `filters_of`: a list page's filter form and its Excel export;
  `export_response`: an Excel export, recorded in the audit table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniudai.audit import actions as audit_actions
from hongniudai.audit import services as audit
from hongniudai.common.forms import apply_service_errors
from hongniudai.common.refusals import REFUSALS, refusal_message
from hongniudai.common.xlsx import Column, wants_xlsx, xlsx_response

from .scope import Capability, scope_for, user_can

T = TypeVar("T")


def require_party_edit(request: HttpRequest, obj: Any) -> None:
    """403 unless the user may maintain party data over `obj`'s node."""
    if not user_can(request.user, Capability.EDIT_PARTY, obj):
        raise PermissionDenied(_("您没有在该范围内进行此操作的权限。"))


def history_context(obj: Any) -> dict[str, Any]:
    """The template context of the "修改记录" link to `obj`'s audit history."""
    return {"history_type": obj._meta.label_lower, "history_id": obj.pk}


def export_area_path(request: HttpRequest) -> str:
    """The area an export is recorded against: the user's one root area, if they have one."""
    scope = scope_for(request.user)
    return scope.area_paths[0] if len(scope.area_paths) == 1 else ""


# ---- list pages ---------------------------------------------------------------------------


def filters_of(form: BaseForm) -> dict[str, Any]:
    """A list page's filters: the valid filter form's values, none when it is not valid."""
    return form.cleaned_data if form.is_valid() else {}


def export_response(
    request: HttpRequest,
    *,
    filename: str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    area_path: str = "",
    chunk_size: int = 2000,
) -> HttpResponseBase:
    """The list as an Excel file (`common.xlsx`), its export recorded in the audit table against
    `area_path`; a list over the export cap goes back to the page with a message."""

    def record(count: int) -> None:
        audit.record(
            actor=request.user,
            action=audit_actions.EXPORT,
            target_type="export",
            target_repr=f"{title} ({count})",
            area_path=area_path,
        )

    return xlsx_response(
        request, filename=filename, title=title, columns=columns, rows=rows, on_written=record, chunk_size=chunk_size
    )


def export_or_none(
    request: HttpRequest, *, filename: str, title: str, columns: list[Column], rows: Iterable[Any]
) -> HttpResponseBase | None:
    """The list as an Excel file when the request asks for one (recorded against the user's area),
    else None: the caller renders the page."""
    if not wants_xlsx(request):
        return None
    return export_response(
        request, filename=filename, title=title, columns=columns, rows=rows, area_path=export_area_path(request)
    )


# ---- write pages --------------------------------------------------------------------------


def save_form(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    message: str | Callable[[T], str],
    then: Callable[[T], HttpResponse],
    on_error: Callable[[], object] | None = None,
) -> HttpResponse | None:
    """The POST half of a form page. With a POST and a valid form, `save(cleaned_data)` calls the
    service: a ValidationError (or a refusal of the database) goes onto the form, `on_error` runs
    (to re-read a record the service may have changed) and the answer is None (show the form
    again); otherwise the success `message`
    (or `message(result)`) is flashed and `then(result)` (a redirect) is the answer. None as well
    for a GET or an invalid form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
    except REFUSALS as exc:
        form.add_error(None, refusal_message(exc))
    else:
        messages.success(request, message if isinstance(message, str) else message(result))
        return then(result)
    if on_error is not None:
        on_error()
    return None


def form_page(
    request: HttpRequest,
    form: BaseForm,
    template: str,
    context: dict[str, Any],
    *,
    save: Callable[[dict[str, Any]], T],
    message: str | Callable[[T], str],
    then: Callable[[T], HttpResponse],
    on_error: Callable[[], object] | None = None,
) -> HttpResponse:
    """A whole form page: `save_form`, else `template` with `form` and `context`."""
    response = save_form(request, form, save, message=message, then=then, on_error=on_error)
    if response is not None:
        return response
    return render(request, template, {"form": form, **context})


def confirm_page(
    request: HttpRequest,
    template: str,
    *,
    obj: Any,
    what: str,
    cancel_url: str,
    act: Callable[[], object],
    message: str,
    then: str | Callable[[], str],
    action_label: str | Promise = gettext_lazy("删除"),
    protected: str | None = None,
) -> HttpResponse:
    """A confirmation page (delete, end, remove). A GET renders `template` with the object, `what`
    it is, `cancel_url` and `action_label` (删除 unless said: 撤销, 移除, 结束). A POST calls
    `act()`: done, it flashes `message` and redirects to `then` (a URL, or a function giving it
    after the act); refused by a ValidationError or by the database (a protected delete:
    `protected` when given, else `common.refusals`' explanation), it flashes the refusal and goes
    back to `cancel_url`."""
    if request.method != "POST":
        context = {"object": obj, "what": what, "cancel_url": cancel_url, "action_label": action_label}
        return render(request, template, context)
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(cancel_url)
    except REFUSALS as exc:
        messages.error(request, str(protected) if protected else refusal_message(exc))
        return redirect(cancel_url)
    messages.success(request, message)
    return redirect(then if isinstance(then, str) else then())
