"""Work pages of source governance: the inbox, the report form, the matter list and the matter
page with its timeline and actions, the printable agreement and attachment downloads.

Thin: selectors read (always for the acting user, so a matter out of scope answers 404 on every
URL), services write (they check the ladder and the actor, and audit). A service's
ValidationError lands on the form in Chinese; its PermissionDenied answers 403."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.models import User
from hongniudai.accounts.pages import export_response
from hongniudai.common import parsing
from hongniudai.common.choices import choice_label
from hongniudai.common.forms import apply_service_errors
from hongniudai.common.pagination import CappedPaginator
from hongniudai.common.rows import render_rows
from hongniudai.common.xlsx import Column, wants_xlsx
from hongniudai.notifications import selectors as notification_selectors
from hongniudai.places import pickers
from hongniudai.places import selectors as place_selectors

from . import policy, selectors, services
from . import rows as rows_of
from .forms import (
    AcceptForm,
    AgreementForm,
    AttachForm,
    EscalateForm,
    FollowUpForm,
    HandDownForm,
    InviteForm,
    ReopenForm,
    ReportForm,
    ResolveForm,
    SessionForm,
)
from .models import (
    LADDER,
    OPEN_STATUSES,
    Agreement,
    AttributeType,
    Category,
    CategoryKind,
    Channel,
    Level,
    Matter,
    MatterStatus,
)

PAGE_SIZE = 30
# ---- helpers ------------------------------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _detail_url(matter: Matter) -> str:
    return reverse("governance:matter_detail", args=[matter.pk])


def _done(request: AuthedHttpRequest, matter: Matter, message: str) -> HttpResponse:
    """After a successful action: back to the matter page (HTMX: a full reload of it)."""
    messages.success(request, message)
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _detail_url(matter)
        return response
    return redirect(_detail_url(matter))


def _ladder(matter: Matter) -> list[dict[str, Any]]:
    current = LADDER.index(matter.level) if matter.level in LADDER else -1
    return [
        {
            "label": Level(level).label,
            "state": "current" if i == current else ("passed" if i < current else "ahead"),
            "settled": matter.resolved_level == level and not matter.is_open,
        }
        for i, level in enumerate(LADDER)
    ]


# ---- inbox and notifications --------------------------------------------------------------


@require_GET
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    page = CappedPaginator(selectors.inbox(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rows_of.list_rows(selectors.with_signals(page.object_list))
    notes = list(notification_selectors.unread(user)[: notification_selectors.LIST_SIZE])
    return render(request, "governance/inbox.html", {"page": page, "rows": rows, "notes": notes})


# ---- report -------------------------------------------------------------------------------


def _map_report_errors(form: ReportForm, exc: ValidationError) -> None:
    renames = {"location": "place", "file": "photos", "to": "place"}
    if hasattr(exc, "error_dict"):
        exc = ValidationError({renames.get(k, k): v for k, v in exc.error_dict.items()})
    apply_service_errors(form, exc)


def _party_context(request: AuthedHttpRequest, form: ReportForm) -> dict[str, Any]:
    chosen = selectors.residents_by_ids(request.user, request.POST.getlist("parties")) if form.is_bound else []
    return {"selected_parties": chosen}


@require_http_methods(["GET", "POST"])
def report(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    channel = selectors.report_channel(user)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            try:
                matter = services.report_with_attachments(
                    actor=user, uploads=form.cleaned_data["photos"], channel=channel, **form.service_fields()
                )
            except ValidationError as exc:
                _map_report_errors(form, exc)
            except PermissionDenied:
                form.add_error("place", _("发生地不在您的工作范围之内。"))
            else:
                messages.success(
                    request,
                    _("事项已上报,编号 %(n)s,已送%(area)s办理。") % {"n": matter.number, "area": matter.area.name},
                )
                return redirect(_detail_url(matter))
    else:
        initial: dict[str, Any] = {}
        places = list(selectors.report_places(user)[:2])
        if len(places) == 1:
            initial["place"] = places[0]
        form = ReportForm(user=user, initial=initial)
    context = {
        "form": form,
        "channel_label": Channel(channel).label,
        "max_mb": settings.MATTER_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        **_party_context(request, form),
    }
    return render(request, "governance/report.html", context)


@require_GET
def report_attributes(request: AuthedHttpRequest) -> HttpResponse:
    """The chosen category's extra questions (swapped in by HTMX when the category changes)."""
    form = ReportForm(user=request.user, initial={"category": request.GET.get("category")})
    return render(request, "governance/_attributes.html", {"form": form})


@require_GET
def party_search(request: AuthedHttpRequest) -> HttpResponse:
    """Residents to name as parties: those already chosen stay ticked, matches follow."""
    user = request.user
    place = place_selectors.area_get(user, place) if (place := parsing.parse_id(request.GET.get("place"))) else None
    chosen = selectors.residents_by_ids(user, request.GET.getlist("parties"))
    q = (request.GET.get("party_q") or request.GET.get("q") or "").strip()[:50]
    found = selectors.party_candidates(user, place=place, q=q, exclude=[r.pk for r in chosen]) if q or place else []
    return render(request, "governance/_party_options.html", {"selected_parties": chosen, "found": found, "q": q})


# ---- list ---------------------------------------------------------------------------------


STATUS_CHOICES = [("open", gettext_lazy("未办结")), *MatterStatus.choices]


def _list_filters(request: AuthedHttpRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    """(filters for the selector, values to echo in the form). Unknown values are ignored."""
    get = request.GET
    status = get.get("status", "")
    level = get.get("level", "")
    kind = get.get("kind", "")
    area = place_selectors.area_get(request.user, pk) if (pk := parsing.parse_id(get.get("area"))) else None
    overdue = get.get("overdue") == "1"
    date_from, date_to = parsing.parse_date(get.get("from")), parsing.parse_date(get.get("to"))
    filters = {
        "q": (get.get("q") or "").strip()[:100],
        "status": status if status in dict(STATUS_CHOICES) else "",
        "level": level if level in Level.values else "",
        "kind": kind if kind in CategoryKind.values else "",
        "area": area,
        "overdue": overdue,
        "reported_from": date_from,
        "reported_to": date_to,
    }
    echo = {**filters, "area_id": area.pk if area else None, "from": date_from, "to": date_to}
    return filters, echo


def _export_columns() -> list[Column]:
    def parties(m: Matter) -> str:
        names = [p.name for p in m.parties.all()]  # names only: never an ID number, not even masked
        return "、".join(names + ([m.other_parties] if m.other_parties else []))

    def overdue(m: Matter) -> bool:
        due = selectors.due_of(m)
        return bool(m.is_open and due is not None and due < timezone.now())

    def local(value: dt.datetime | None) -> Any:
        return timezone.localtime(value).replace(tzinfo=None) if value else None

    kind = choice_label(Category, "kind")
    level = choice_label(Matter, "level")
    status = choice_label(Matter, "status")
    urgency = choice_label(Matter, "urgency")
    channel = choice_label(Matter, "channel")
    outcome = choice_label(Matter, "outcome")

    return [
        Column(_("编号"), lambda m: m.number, 14, text=True),
        Column(_("标题"), lambda m: m.title, 28),
        Column(_("类别"), lambda m: m.category.name),
        Column(_("大类"), lambda m: kind(m.category.kind)),
        Column(_("发生地"), selectors.place_text, 26),
        Column(_("当前层级"), lambda m: level(m.level)),
        Column(_("当前办理单位"), lambda m: m.area.name),
        Column(_("状态"), lambda m: status(m.status)),
        Column(_("紧急程度"), lambda m: urgency(m.urgency)),
        Column(_("来源渠道"), lambda m: channel(m.channel)),
        Column(_("上报时间"), lambda m: local(m.reported_at), 18),
        Column(_("当前期限"), lambda m: local(selectors.due_of(m)), 18),
        Column(_("已超时"), overdue),
        Column(_("办结时间"), lambda m: local(m.resolved_at), 18),
        Column(_("化解层级"), lambda m: level(m.resolved_level)),
        Column(_("办理结果"), lambda m: outcome(m.outcome)),
        Column(_("当事人"), parties, 24),
        Column(_("满意度"), lambda m: m.satisfaction),
    ]


@require_GET
def matter_list(request: AuthedHttpRequest) -> HttpResponseBase:
    user = request.user
    filters, echo = _list_filters(request)
    if wants_xlsx(request):
        area = filters["area"]
        return export_response(
            request,
            filename=_("事项"),
            title=_("事项"),
            columns=_export_columns(),
            rows=selectors.matter_rows(user, **filters),
            chunk_size=500,
            area_path=area.path if area else "",
        )
    # The page shows no parties: only the export reads them (`matter_rows`).
    page = CappedPaginator(selectors.ids_of(selectors.matters(user, **filters)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = rows_of.list_rows(selectors.with_signals(selectors.list_page_rows(page.object_list)))
    context = {
        "page": page,
        "rows": render_rows("governance/_matter_rows.jinja", rows_of.table_rows(rows), signal_title=_("时限")),
        "f": echo,
        "status_choices": STATUS_CHOICES,
        "level_choices": Level.choices,
        "kind_choices": CategoryKind.choices,
        "area_pick": pickers.area_filter(user, filters["area"], placeholder=_("发生地:输入名称或拼音")),
    }
    template = "governance/_list_results.html" if _is_htmx(request) else "governance/list.html"
    return render(request, template, context)


# ---- the matter page and its actions ------------------------------------------------------


@dataclass(frozen=True)
class Who:
    handle: bool
    invited: bool
    reporter: bool


def _who(user: User, matter: Matter, invited: list[User] | None = None) -> Who:
    """What the user is to the matter; `invited`: its invited people when already read (the
    matter page lists them), instead of asking the database again."""
    return Who(
        handle=policy.can_handle(user, matter),
        invited=policy.is_invited(user, matter) if invited is None else any(u.pk == user.pk for u in invited),
        reporter=policy.is_reporter(user, matter),
    )


@dataclass(frozen=True)
class Action:
    name: str
    title: Any
    icon: str
    form: type[forms.Form]
    who: Callable[[Who], bool]
    when: Callable[[Matter], bool]
    perform: Callable[[User, Matter, dict[str, Any]], Any]
    done: Any
    style: str = "outline-secondary"


def _is_open(m: Matter) -> bool:
    return m.status in OPEN_STATUSES


def _is_settled(m: Matter) -> bool:
    return m.status in (MatterStatus.RESOLVED, MatterStatus.CLOSED)


def _handler(w: Who) -> bool:
    return w.handle


def _participant(w: Who) -> bool:
    return w.handle or w.invited


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "accept", gettext_lazy("受理"), "bi-check2-circle", AcceptForm, _handler,
            lambda m: m.status == MatterStatus.NEW,
            lambda u, m, d: services.accept(actor=u, matter=m, note=d["note"]),
            gettext_lazy("已受理。"), "danger",
        ),
        Action(
            "session", gettext_lazy("记录走访调处"), "bi-people", SessionForm, _participant, _is_open,
            lambda u, m, d: services.record_session(actor=u, matter=m, **d),
            gettext_lazy("走访调处记录已保存。"), "outline-danger",
        ),
        Action(
            "invite", gettext_lazy("邀请法律顾问等参与"), "bi-person-plus", InviteForm, _handler, _is_open,
            lambda u, m, d: services.invite(actor=u, matter=m, user=d["user"], note=d["note"]),
            gettext_lazy("已发出邀请。"),
        ),
        Action(
            "agreement", gettext_lazy("调解协议"), "bi-file-earmark-text", AgreementForm, _participant,
            lambda m: m.category.is_dispute,
            lambda u, m, d: services.sign_agreement(actor=u, matter=m, **d),
            gettext_lazy("调解协议已保存。"),
        ),
        Action(
            "resolve", gettext_lazy("办结"), "bi-flag", ResolveForm, _handler, _is_open,
            lambda u, m, d: services.resolve(actor=u, matter=m, **d),
            gettext_lazy("事项已办结。"), "outline-success",
        ),
        Action(
            "escalate", gettext_lazy("上交上级"), "bi-arrow-up-circle", EscalateForm, _handler,
            lambda m: _is_open(m) and m.level != Level.TOWN,
            lambda u, m, d: services.escalate(actor=u, matter=m, reason=d["reason"]),
            gettext_lazy("事项已上交上一级。"), "outline-warning",
        ),
        Action(
            "hand_down", gettext_lazy("交办下级"), "bi-arrow-down-circle", HandDownForm, _handler,
            lambda m: _is_open(m) and m.level != Level.HAMLET and m.place_id != m.area_id,
            lambda u, m, d: services.hand_down(actor=u, matter=m, to=d["to"], reason=d["reason"]),
            gettext_lazy("事项已交办下级。"),
        ),
        Action(
            "follow_up", gettext_lazy("回访"), "bi-telephone", FollowUpForm, _handler, _is_settled,
            lambda u, m, d: services.follow_up(actor=u, matter=m, **d),
            gettext_lazy("回访已记录。"), "outline-success",
        ),
        Action(
            "reopen", gettext_lazy("重新办理"), "bi-arrow-counterclockwise", ReopenForm, _handler, _is_settled,
            lambda u, m, d: services.reopen(actor=u, matter=m, reason=d["reason"]),
            gettext_lazy("事项已重新办理。"), "outline-danger",
        ),
        Action(
            "attach", gettext_lazy("上传附件"), "bi-paperclip", AttachForm,
            lambda w: w.handle or w.invited or w.reporter, lambda m: True,
            lambda u, m, d: [services.add_attachment(actor=u, matter=m, upload=f) for f in d["attachments"]],
            gettext_lazy("附件已上传。"),
        ),
    )
}  # fmt: skip


def _form_for(action: Action, request: AuthedHttpRequest, matter: Matter, data: Any = None, files: Any = None) -> Any:
    kwargs: dict[str, Any] = {}
    if action.form is HandDownForm:
        kwargs.update(user=request.user, matter=matter)
    elif action.form is InviteForm:
        kwargs.update(user=request.user, matter=matter)
    elif action.form is AgreementForm and data is None:
        kwargs["initial"] = _agreement_initial(request, matter)
    if data is None:
        return action.form(**kwargs)
    return action.form(data, files, **kwargs)


def _agreement_initial(request: AuthedHttpRequest, matter: Matter) -> dict[str, Any]:
    existing = getattr(matter, "agreement", None)  # the matter's own record: in scope with it
    if existing is not None:
        return {name: getattr(existing, name) for name in Agreement.EDITABLE}
    names = [p.name for p in matter.parties.all()] + ([matter.other_parties] if matter.other_parties else [])
    mediator = getattr(request.user, "display_name", "") or request.user.get_username()
    return {"parties": "、".join(names), "facts": matter.description, "mediators": mediator}


def _available(user: User, matter: Matter, who: Who) -> list[Action]:
    return [a for a in ACTIONS.values() if a.who(who) and a.when(matter)]


@require_GET
def matter_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    matter = selectors.matter_get(user, pk, lists=True)
    file = selectors.matter_file(user, matter)
    who = _who(user, matter, file.invited)
    # The category's questions are read only for a matter that answered some.
    labels = {a.code: a for a in matter.category.attributes.all()} if matter.attributes else {}
    answers = []
    for code, value in (matter.attributes or {}).items():
        attr = labels.get(code)
        if attr is None:
            answers.append((code, value))
            continue
        names = {str(v.get("key")): v.get("name") for v in attr.values or []}
        if attr.datatype in (AttributeType.SINGLE, AttributeType.MULTI):
            items = value if isinstance(value, list) else [value]
            value = "、".join(str(names.get(str(i), i)) for i in items)
        answers.append((attr.description, value))
    context = {
        "matter": matter,
        "file": file,
        "row": selectors.with_signals([matter])[0],
        "signal_labels": rows_of.SIGNAL_LABELS,
        "ladder": _ladder(matter),
        "actions": [a for a in _available(user, matter, who) if a.name != "accept"],
        "can_accept": ACTIONS["accept"].who(who) and ACTIONS["accept"].when(matter),
        "who": who,
        "answers": answers,
        "place_text": selectors.place_text(matter),
    }
    return render(request, "governance/detail.html", context)


def _action_view(request: AuthedHttpRequest, pk: int, name: str) -> HttpResponse:
    user = request.user
    matter = selectors.matter_get(user, pk)  # 404 out of scope, before anything else
    action = ACTIONS[name]
    who = _who(user, matter)
    if not action.who(who):
        raise PermissionDenied(_("您不能对该事项进行此操作。"))
    if request.method == "POST":
        form = _form_for(action, request, matter, request.POST, request.FILES)
        if form.is_valid():
            try:
                action.perform(user, matter, dict(form.cleaned_data))
            except ValidationError as exc:
                apply_service_errors(form, _rename_file_errors(exc, form))
            else:
                return _done(request, matter, str(action.done))
    else:
        if not action.when(matter):
            messages.warning(request, _("该事项当前状态下不能“%(a)s”。") % {"a": action.title})
            return redirect(_detail_url(matter))
        form = _form_for(action, request, matter)
    context = {
        "matter": matter,
        "action": action,
        "form": form,
        "action_url": reverse(f"governance:matter_{name}", args=[matter.pk]),
        "multipart": action.form is AttachForm,
    }
    template = "governance/_action_form.html" if _is_htmx(request) else "governance/action.html"
    return render(request, template, context)


def _rename_file_errors(exc: ValidationError, form: forms.Form) -> ValidationError:
    if hasattr(exc, "error_dict") and "file" in exc.error_dict and "attachments" in form.fields:
        return ValidationError({("attachments" if k == "file" else k): v for k, v in exc.error_dict.items()})
    return exc


def _make_action_view(name: str) -> Callable[..., HttpResponse]:
    @require_http_methods(["GET", "POST"])
    def view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
        return _action_view(request, pk, name)

    view.__name__ = f"matter_{name}"
    view.__doc__ = f"The “{ACTIONS[name].title}” action on a matter (a form page, or an HTMX fragment)."
    return view


matter_accept = _make_action_view("accept")
matter_session = _make_action_view("session")
matter_invite = _make_action_view("invite")
matter_agreement = _make_action_view("agreement")
matter_resolve = _make_action_view("resolve")
matter_escalate = _make_action_view("escalate")
matter_hand_down = _make_action_view("hand_down")
matter_follow_up = _make_action_view("follow_up")
matter_reopen = _make_action_view("reopen")
matter_attach = _make_action_view("attach")


@require_GET
def agreement_print(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """人民调解协议书 on one A4 page, for printing and signing."""
    matter = selectors.matter_get(request.user, pk)  # 404 out of scope
    file = selectors.matter_file(request.user, matter, households=True)
    if file.agreement is None:
        messages.warning(request, _("该事项尚未登记调解协议。"))
        return redirect(_detail_url(matter))
    return render(
        request,
        "governance/agreement_print.html",
        {"agreement": file.agreement, "matter": matter, "file": file, "place_text": selectors.place_text(matter)},
    )


@require_GET
def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """Served only as a download, with the stored type: never rendered or run in the browser."""
    attachment = selectors.attachment_get(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
