"""Import pages: list, upload, job detail with progress and errors, confirmation, templates."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hongniudai.accounts.http import AuthedHttpRequest, invitation_url
from hongniudai.accounts.pages import export_response
from hongniudai.common.forms import apply_service_errors
from hongniudai.common.pagination import CappedPaginator
from hongniudai.common.xlsx import Column
from hongniudai.users import services as user_services
from hongniudai.users.services import HandoverRow

from . import import_templates, policy, selectors, services
from .forms import ImportConfirmForm, ImportUploadForm
from .models import ImportJob, ImportKind, ImportStatus

ERRORS_SHOWN = 500


def _require_import(request: AuthedHttpRequest) -> None:
    policy.require_import(request.user)


@require_GET
def import_list(request: AuthedHttpRequest) -> HttpResponse:
    _require_import(request)
    page = CappedPaginator(selectors.import_jobs(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "spreadsheets/import_list.html", {"page": page, "kinds": ImportKind.choices})


@require_http_methods(["GET", "POST"])
def import_new(request: AuthedHttpRequest) -> HttpResponse:
    _require_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_job(
                actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("spreadsheets:import_detail", pk=job.pk)
    return render(request, "spreadsheets/import_new.html", {"form": form, "kinds": ImportKind.choices})


def _job(request: AuthedHttpRequest, pk: int) -> ImportJob:
    _require_import(request)
    return selectors.import_job_get(request.user, pk)


@require_GET
def import_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    errors = job.errors or []
    return render(
        request,
        "spreadsheets/import_detail.html",
        {
            "job": job,
            "errors": errors[:ERRORS_SHOWN],
            "errors_total": len(errors),
            "errors_truncated": len(errors) > ERRORS_SHOWN,
            "is_owner": policy.may_confirm(request.user, job),
        },
    )


@require_GET
def import_progress(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    response = render(request, "spreadsheets/_progress.html", {"job": job})
    if request.headers.get("HX-Request") and not job.is_running:
        # The job has just finished: reload the page once to show the counts, errors and buttons.
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择导入方式。"))
        return redirect("spreadsheets:import_detail", pk=job.pk)
    try:
        services.start_import(actor=request.user, job=job, mode=form.cleaned_data["mode"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("spreadsheets:import_detail", pk=job.pk)


@require_GET
def import_errors(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    job = _job(request, pk)
    columns = [
        Column(_("行号"), lambda e: e.get("row"), width=8),
        Column(_("列"), lambda e: e.get("column", ""), width=14),
        Column(_("错误原因"), lambda e: e.get("message", ""), width=80),
    ]
    return export_response(
        request,
        filename=_("导入错误-%(pk)s") % {"pk": job.pk},
        title=_("错误"),
        columns=columns,
        rows=job.errors or [],
        area_path=job.area_path,
    )


@require_POST
def import_handover(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """The hand-over sheet of a users import: fresh first credentials for its accounts nobody has used
    yet, issued now and shown only in this download (see `importers.users`)."""
    job = _job(request, pk)
    if not policy.may_confirm(request.user, job):
        raise PermissionDenied(_("只有上传人可以下载账号交接表。"))
    if job.kind != ImportKind.USERS or job.status != ImportStatus.DONE or not job.outcome:
        raise Http404
    wanted = [(str(item.get("username", "")), str(item.get("credential", ""))) for item in job.outcome]
    rows = user_services.hand_over_accounts(actor=request.user, accounts=wanted)

    def link(row: HandoverRow) -> str:
        return invitation_url(request, row.invitation_key) if row.invitation_key else ""

    columns = [
        Column(_("用户名"), lambda r: r.username, width=18),
        Column(_("姓名"), lambda r: r.name, width=12),
        Column(_("一次性密码"), lambda r: r.password, width=18),
        Column(_("邀请链接"), link, width=60),
        Column(_("有效期至"), lambda r: r.expires_at, width=18),
        Column(_("说明"), lambda r: r.note or (_("首次登录后须修改密码") if r.password else ""), width=30),
    ]
    response = export_response(
        request,
        filename=_("账号交接表-%(pk)s") % {"pk": job.pk},
        title=_("账号交接表"),
        columns=columns,
        rows=rows,
        area_path=job.area_path,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def template_download(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    _require_import(request)
    if kind not in ImportKind.values:
        raise Http404
    content = import_templates.build_template(kind, request.user)
    filename = f"{import_templates.template_filename(kind)}.xlsx"
    response = HttpResponse(content, content_type=import_templates.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def moved_from_transfer(request: HttpRequest, rest: str) -> HttpResponse:
    """The import pages were under /transfer/imports/ (the package was named `transfer`): send old
    links and bookmarks to the same page under /imports/. 308 is permanent and keeps the method,
    so a form posted from a page loaded before the move still lands."""
    target = reverse("spreadsheets:import_list") + quote(rest)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target, status=308)
