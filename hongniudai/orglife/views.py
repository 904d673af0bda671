"""Pages of organisational life: the meeting register, meetings with their attendance, the
compliance roll-up (with the grid of a branch), missed obligations and the rules. Thin:
selectors read, services write, forms carry the input."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hongniudai.accounts.http import AuthedHttpRequest
from hongniudai.accounts.pages import (
    confirm_page,
    export_or_none,
    export_response,
    filters_of,
    form_page,
    history_context,
)
from hongniudai.accounts.pages import export_area_path as _export_area_path
from hongniudai.accounts.pages import require_party_edit as _require_edit
from hongniudai.accounts.scope import Capability, scope_for, user_can
from hongniudai.common import parsing
from hongniudai.common.choices import choice_label
from hongniudai.common.pagination import page_of as _page
from hongniudai.common.rows import render_rows
from hongniudai.common.templatetags.hnd import row_url
from hongniudai.common.xlsx import Column, wants_xlsx
from hongniudai.party import selectors as party_selectors
from hongniudai.party.models import OrgKind, PartyOrg

from . import policy, selectors, services
from .forms import MeetingFilterForm, MeetingForm, MeetingOrgPickForm, PeriodForm, RuleForm
from .models import Meeting, MeetingKind, MeetingKindMark, MeetingRule
from .periods import preset_period

PAGE_SIZE = 50
STATUS_LABELS = {
    selectors.MET: gettext_lazy("已落实"),
    selectors.MISSING: gettext_lazy("未落实"),
    selectors.PENDING: gettext_lazy("进行中"),
}


def _require_any_edit(request: AuthedHttpRequest) -> None:
    if scope_for(request.user, Capability.EDIT_PARTY).is_empty:
        raise PermissionDenied(_("您没有登记组织生活的权限。"))


def _status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


# ---- meetings -------------------------------------------------------------------------------


def _kinds_text(meeting: Meeting) -> str:
    return "、".join(f"{m.get_kind_display()}{'' if m.counts else _('(不计入)')}" for m in meeting.marks.all())


def _meeting_columns() -> list[Column]:
    return [
        Column(_("日期"), lambda m: m.held_on, width=12),
        Column(_("党组织"), lambda m: m.org.name, width=24),
        Column(_("会议类型"), _kinds_text, width=30),
        Column(_("主题"), lambda m: m.topic, width=36),
        Column(_("地点"), lambda m: m.place, width=16),
        Column(_("主持人"), lambda m: m.presided_by.resident.name if m.presided_by else "", width=10),
        Column(_("授课人"), lambda m: m.lecturer, width=10),
        Column(_("出席人数"), lambda m: m.present_count, width=8),
        Column(_("缺席人数"), lambda m: m.absent_count, width=8),
        Column(
            _("缺席党员及原因"),
            lambda m: "、".join(f"{a.member}({a.get_absence_reason_display()})" for a in m.absentees),
            width=40,
        ),
        Column(_("有表决权应到"), lambda m: m.voting_total, width=10),
        Column(_("有表决权实到"), lambda m: m.voting_present, width=10),
    ]


MEETING_ROW_FIELDS = ("id", "held_on", "org__name", "topic", "present_count", "absent_count")


def _meeting_rows(meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each meeting's cells, ready to place (`orglife/_meeting_rows.jinja`), its marks labelled once."""
    kind = choice_label(MeetingKindMark, "kind")
    marks = selectors.marks_of([m["id"] for m in meetings])
    return [
        {
            "url": row_url("orglife:meeting_detail", m["id"]),
            "held_on": m["held_on"].isoformat(),
            "org": m["org__name"],
            "topic": m["topic"],
            "marks": [(kind(k), counts) for k, counts in marks[m["id"]]],
            "attendance": f"{m['present_count']}/{m['absent_count']}",
        }
        for m in meetings
    ]


@require_GET
def meeting_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form = MeetingFilterForm(request.GET or None, user=request.user)
    filters = filters_of(form)
    qs = selectors.meetings(
        request.user,
        org=filters.get("org"),
        kind=filters.get("kind", ""),
        start=filters.get("start"),
        end=filters.get("end"),
        q=filters.get("q", ""),
    )
    rows = selectors.with_absentees(qs)
    export = export_or_none(
        request, filename="会议记录台账", title=_("会议记录台账"), columns=_meeting_columns(), rows=rows
    )
    if export is not None:
        return export
    page = _page(request, qs.prefetch_related(None).values(*MEETING_ROW_FIELDS))
    context = {
        "form": form,
        "page": page,
        "rows": render_rows(
            "orglife/_meeting_rows.jinja", _meeting_rows(list(page.object_list)), not_counted=_("不计入")
        ),
        "can_create": not scope_for(request.user, Capability.EDIT_PARTY).is_empty,
    }
    return render(request, "orglife/meeting_list.html", context)


@require_GET
def meeting_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    attendance = list(selectors.meeting_attendance(request.user, meeting))
    context = {
        "meeting": meeting,
        "marks": list(meeting.marks.order_by("id")),
        "attendance": attendance,
        "present": sum(1 for a in attendance if a.present),
        "absent": sum(1 for a in attendance if not a.present),
        "quorum_message": selectors.quorum_message(meeting),
        "can_edit": user_can(request.user, Capability.EDIT_PARTY, meeting),
        **history_context(meeting),
    }
    return render(request, "orglife/meeting_detail.html", context)


def _roster_for(org: PartyOrg, request: AuthedHttpRequest, held_on: Any) -> list[Any]:
    """The attendance rows the form shows: the roster of the day for the kinds ticked (on a
    re-shown form), else the branch's (or group's) members as of the day."""
    kinds = request.POST.getlist("kinds") if request.method == "POST" else []
    day = held_on if isinstance(held_on, dt.date) else timezone.localdate()
    return selectors.meeting_roster(org, kinds, day)


def _to_meeting(request: AuthedHttpRequest, meeting: Meeting) -> HttpResponse:
    """After a save: the warning when a member meeting does not count, then the meeting's page."""
    text = selectors.quorum_message(meeting)
    if text:
        messages.warning(request, text)
    return redirect("orglife:meeting_detail", meeting.pk)


def _meeting_values(form: MeetingForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "held_on": d["held_on"],
        "topic": d["topic"],
        "kinds": d["kinds"],
        "attendance": form.attendance(),
        "start_time": d["start_time"],
        "place": d["place"],
        "presided_by": d["presided_by"],
        "lecturer": d["lecturer"],
        "minutes": d["minutes"],
    }


@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_any_edit(request)
    org_id = parsing.parse_id(request.GET.get("org"))
    org = selectors.meeting_orgs_for_choice(request.user).filter(pk=org_id).first() if org_id else None
    if org is None:
        pick = MeetingOrgPickForm(user=request.user)
        return render(request, "orglife/meeting_pick_org.html", {"form": pick})
    day = parsing.parse_date(request.POST.get("held_on")) if request.method == "POST" else None
    members = _roster_for(org, request, day)
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if org.kind == OrgKind.PARTY_GROUP:
        initial["kinds"] = [MeetingKind.GROUP_MEETING]
    form = MeetingForm(
        request.POST or None, initial=initial, org=org, kinds=selectors.allowed_kinds(org), members=members
    )
    return form_page(
        request,
        form,
        "orglife/meeting_form.html",
        {"org": org, "meeting": None, "title": _("登记会议")},
        save=lambda d: services.record_meeting(actor=request.user, org=org, **_meeting_values(form)),
        message=lambda meeting: _("已登记会议“%(topic)s”。") % {"topic": meeting.topic},
        then=lambda meeting: _to_meeting(request, meeting),
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    _require_edit(request, meeting)
    org = meeting.org
    if request.method == "POST":
        members = _roster_for(org, request, parsing.parse_date(request.POST.get("held_on")))
        initial: dict[str, Any] = {}
    else:
        kinds = list(meeting.marks.values_list("kind", flat=True))
        members = selectors.meeting_roster(org, kinds, meeting.held_on)
        records = {a.member_id: a for a in meeting.attendance.all()}
        initial = {
            "held_on": meeting.held_on,
            "start_time": meeting.start_time,
            "place": meeting.place,
            "topic": meeting.topic,
            "kinds": kinds,
            "presided_by": meeting.presided_by_id,
            "lecturer": meeting.lecturer,
            "minutes": meeting.minutes,
        }
        for m in members:
            a = records.get(m.pk)
            initial[f"present_{m.pk}"] = a.present if a else True
            initial[f"reason_{m.pk}"] = a.absence_reason if a else ""
            initial[f"note_{m.pk}"] = a.absence_note if a else ""
    form = MeetingForm(
        request.POST or None, initial=initial, org=org, kinds=selectors.allowed_kinds(org), members=members
    )
    return form_page(
        request,
        form,
        "orglife/meeting_form.html",
        {"org": org, "meeting": meeting, "title": _("修改会议")},
        save=lambda d: services.update_meeting(actor=request.user, meeting=meeting, **_meeting_values(form)),
        message=_("已保存。"),
        then=lambda _meeting: _to_meeting(request, meeting),
    )


@require_http_methods(["GET", "POST"])
def meeting_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    _require_edit(request, meeting)
    return confirm_page(
        request,
        "orglife/confirm_delete.html",
        obj=meeting,
        what=_("会议"),
        cancel_url=reverse("orglife:meeting_detail", args=[meeting.pk]),
        act=lambda: services.delete_meeting(actor=request.user, meeting=meeting),
        message=_("已删除会议“%(topic)s”。") % {"topic": meeting.topic},
        then=reverse("orglife:meeting_list"),
    )


# ---- compliance -----------------------------------------------------------------------------


def _period(request: AuthedHttpRequest) -> tuple[PeriodForm, PartyOrg | None, dt.date, dt.date]:
    """The node and period asked for; by default the user's scope, this year to date."""
    form = PeriodForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # keeps the valid parts of a partly invalid query (a node out of sight: the scope)
        data = form.cleaned_data
    node = data.get("org")
    preset = data.get("preset") or ""
    period = preset_period(preset, today) if preset else None
    if period is None:
        end = data.get("end") or today
        start = data.get("start") or dt.date(end.year, 1, 1)
        if start > end:
            start, end = dt.date(today.year, 1, 1), today
        period = (start, end)
    return form, node, period[0], period[1]


def _period_query(node: PartyOrg | None, start: dt.date, end: dt.date) -> str:
    params = {"start": start.isoformat(), "end": end.isoformat()}
    if node is not None:
        params["org"] = str(node.pk)
    return urlencode(params)


def _counts_columns() -> list[Column]:
    return [
        Column(_("党组织"), lambda row: row[0], width=30),
        Column(_("类型"), lambda row: row[1], width=16),
        Column(_("应开展"), lambda row: row[2].due, width=10),
        Column(_("已落实"), lambda row: row[2].met, width=10),
        Column(_("未落实"), lambda row: row[2].missing, width=10),
        Column(_("进行中"), lambda row: row[2].pending, width=10),
        Column(_("落实率"), lambda row: row[2].percent, width=10),
    ]


def _obligation_columns() -> list[Column]:
    return [
        Column(_("党组织"), lambda o: o.org_name, width=30),
        Column(_("会议类型"), lambda o: o.kind_label, width=14),
        Column(_("期间"), lambda o: o.unit.label, width=16),
        Column(_("期间开始"), lambda o: o.unit.start, width=12),
        Column(_("期间结束"), lambda o: o.unit.end, width=12),
        Column(_("应开次数"), lambda o: o.times, width=10),
        Column(_("已开次数"), lambda o: o.held, width=10),
        Column(_("状态"), lambda o: _status_label(o.status), width=10),
    ]


def _compliance_rows(
    children: list[tuple[PartyOrg, selectors.ComplianceCounts]], period_only: str
) -> list[dict[str, Any]]:
    """The children's rows of the compliance page, ready to place (`orglife/_compliance_rows.jinja`)."""
    page, missing = reverse("orglife:compliance"), reverse("orglife:missing_list")
    return [
        {
            "url": f"{page}?org={org.pk}&{period_only}",
            "name": org.name,
            "kind": str(org.kind_label),
            "due": c.due,
            "met": c.met,
            "missing": c.missing,
            "missing_url": f"{missing}?org={org.pk}&{period_only}",
            "pending": c.pending,
            "percent": c.percent,
        }
        for org, c in children
    ]


# The look of an obligation's cell in the grid: its button and its icon, by status.
_CELL_CSS = {selectors.MET: "btn-outline-success", selectors.MISSING: "btn-danger"}
_CELL_ICON = {selectors.MET: "bi-check-lg", selectors.MISSING: "bi-x-lg"}


def _grid_rows(grid: list[selectors.GridRow], node: PartyOrg | None) -> list[dict[str, Any]]:
    """The grid's rows (a kind of an organisation, its units), ready to place
    (`orglife/_grid_rows.jinja`); each unit links to the meetings held in it."""
    meetings = reverse("orglife:meeting_list")
    return [
        {
            "kind": row.kind_label,
            "org": row.org_name if node is None or row.org_id != node.pk else "",
            "cells": [
                {
                    "css": _CELL_CSS.get(ob.status, "btn-warning" if ob.due_soon else "btn-outline-secondary"),
                    "icon": _CELL_ICON.get(ob.status, "bi-hourglass-split"),
                    "url": f"{meetings}?org={ob.org_id}&kind={row.kind}"
                    f"&start={ob.unit.start.isoformat()}&end={ob.unit.end.isoformat()}",
                    "title": ob.unit.label,
                    "label": ob.unit.short_label,
                    "times": ob.times,
                    "held": ob.held,
                }
                for ob in row.cells
            ],
        }
        for row in grid
    ]


@require_GET
def compliance(request: AuthedHttpRequest) -> HttpResponseBase:
    form, node, start, end = _period(request)
    report = selectors.compliance_report(request.user, node=node, start=start, end=end)
    if wants_xlsx(request):
        if report.grid:
            return export_response(
                request,
                filename="组织生活落实情况",
                title=_("组织生活落实情况"),
                columns=_obligation_columns(),
                rows=[cell for row in report.grid for cell in row.cells],
                area_path=_export_area_path(request),
            )
        rows = [(node.name if node else _("合计"), _("合计"), report.total)]
        rows += [(org.name, org.kind_label, counts) for org, counts in report.children]
        return export_response(
            request,
            filename="组织生活落实情况",
            title=_("组织生活落实情况"),
            columns=_counts_columns(),
            rows=rows,
            area_path=_export_area_path(request),
        )
    ancestors = party_selectors.org_ancestors(request.user, node) if node else []
    period_only = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    context = {
        "form": form,
        "node": node,
        "ancestors": ancestors,
        "start": start,
        "end": end,
        "report": report,
        "children_rows": render_rows("orglife/_compliance_rows.jinja", _compliance_rows(report.children, period_only)),
        "grid_rows": render_rows("orglife/_grid_rows.jinja", _grid_rows(report.grid, node)),
        "period_query": _period_query(node, start, end),
        "period_only": period_only,
        "today": timezone.localdate(),
    }
    return render(request, "orglife/compliance.html", context)


@require_GET
def missing_list(request: AuthedHttpRequest) -> HttpResponseBase:
    form, node, start, end = _period(request)
    items = selectors.missing_obligations(request.user, node=node, start=start, end=end)
    if wants_xlsx(request):
        return export_response(
            request,
            filename="未落实组织生活",
            title=_("未落实组织生活"),
            columns=_obligation_columns(),
            rows=items,
            area_path=_export_area_path(request),
        )
    context = {
        "form": form,
        "node": node,
        "start": start,
        "end": end,
        "page": _page(request, items),
        "period_query": _period_query(node, start, end),
    }
    return render(request, "orglife/missing_list.html", context)


# ---- rules ----------------------------------------------------------------------------------


def _rule_get(request: AuthedHttpRequest, pk: int) -> MeetingRule:
    rule = selectors.rules(request.user).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def _require_rule_editor(request: AuthedHttpRequest, rule: MeetingRule | None = None) -> None:
    if rule is not None and rule.area is None:
        raise PermissionDenied(_("默认规则依据党内法规设定,不能修改。"))
    if not policy.can_edit_rules(request.user, rule.area if rule is not None else None):
        raise PermissionDenied(_("只有镇或县管理员可以设置本地区的组织生活规则。"))


@require_GET
def rule_list(request: AuthedHttpRequest) -> HttpResponse:
    items = list(selectors.rules(request.user))
    can_edit = policy.can_edit_rules(request.user)
    editable = {r.pk for r in items if r.area is not None and can_edit and policy.can_edit_rules(request.user, r.area)}
    return render(
        request,
        "orglife/rule_list.html",
        {"rules": items, "can_create": can_edit, "editable": editable},
    )


@require_http_methods(["GET", "POST"])
def rule_create(request: AuthedHttpRequest) -> HttpResponse:
    _require_rule_editor(request)
    form = RuleForm(request.POST or None, user=request.user)

    def save(d: dict[str, Any]) -> MeetingRule:
        try:
            return services.create_rule(actor=request.user, kind=d["kind"], area=d["area"], **_rule_values(d))
        except PermissionDenied:
            raise ValidationError({"area": _("您不能为该地区设置规则。")}) from None

    return form_page(
        request,
        form,
        "orglife/rule_form.html",
        {"rule": None, "title": _("新增地方规则")},
        save=save,
        message=lambda rule: _("已新增规则“%(rule)s”。") % {"rule": rule},
        then=lambda _rule: redirect("orglife:rule_list"),
    )


def _rule_values(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "frequency": d["frequency"],
        "times": d["times"],
        "remind_days": d["remind_days"],
        "source": d["source"],
        "note": d["note"],
    }


@require_http_methods(["GET", "POST"])
def rule_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    rule = _rule_get(request, pk)
    _require_rule_editor(request, rule)
    initial = {
        "frequency": rule.frequency,
        "times": rule.times,
        "remind_days": rule.remind_days,
        "source": rule.source,
        "note": rule.note,
    }
    form = RuleForm(request.POST or None, initial=initial, user=request.user, editing=True)
    return form_page(
        request,
        form,
        "orglife/rule_form.html",
        {"rule": rule, "title": _("修改地方规则")},
        save=lambda d: services.update_rule(actor=request.user, rule=rule, **_rule_values(d)),
        message=_("已保存。"),
        then=lambda _rule: redirect("orglife:rule_list"),
    )


@require_http_methods(["GET", "POST"])
def rule_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    rule = _rule_get(request, pk)
    _require_rule_editor(request, rule)
    return confirm_page(
        request,
        "orglife/confirm_delete.html",
        obj=rule,
        what=_("地方规则"),
        cancel_url=reverse("orglife:rule_list"),
        act=lambda: services.delete_rule(actor=request.user, rule=rule),
        message=_("已删除规则“%(rule)s”,该地区改按上级或默认规则。") % {"rule": rule},
        then=reverse("orglife:rule_list"),
    )
