"""Export any list to .xlsx (the engine; `accounts.pages.export_response` is the audited export
every page uses). Personal data leaves only masked: callers pass masked values
(`id_masked`, `masked_phone`), never the numbers themselves.

An export made while the user waits holds at most `EXPORT_MAX_ROWS` rows (about ten seconds of
writing at county scale; list pages count to the same number): a larger one is refused with a
message asking to narrow the list, and the page is shown again. Given a queryset, the refusal is
decided before any row is written, by the list's own capped count (a tenth of a second); the list
page already disables its export button when its count is over the cap."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from hongniudai.common.pagination import COUNT_CAP, count_upto

EXPORT_MAX_ROWS = COUNT_CAP


class TooManyRows(Exception):
    pass


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 14
    text: bool = False  # force text (ID-like columns)


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return ""
    return value


def write_xlsx(
    path: str, *, title: str, columns: Sequence[Column], rows: Iterable[Any], limit: int | None = None
) -> int:
    """Write `rows` to `path`; the number written. More than `limit` rows raise TooManyRows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    for i, col in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i) if i < 26 else "A" + chr(ord("A") + i - 26)].width = col.width
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        if limit is not None and count >= limit:
            ws.close()  # end the sheet's stream cleanly; the file is thrown away
            raise TooManyRows
        values = []
        for col in columns:
            value = _cell_value(col.value(row))
            if col.text:
                cell = WriteOnlyCell(ws, value="" if value is None else str(value))
                cell.number_format = "@"
                values.append(cell)
            else:
                values.append(value)
        ws.append(values)
        count += 1
    wb.save(path)
    return count


def xlsx_response(
    request: HttpRequest,
    *,
    filename: str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    on_written: Callable[[int], object] | None = None,
    chunk_size: int = 2000,
) -> HttpResponseBase:
    """Stream an .xlsx of `rows`, after `on_written(count)` (the export's audit record); more than
    EXPORT_MAX_ROWS rows: back to the list without `export`, with a message. A queryset is
    counted first (capped, as the list counts) and then read in chunks of `chunk_size`."""
    if isinstance(rows, QuerySet):
        if count_upto(rows, EXPORT_MAX_ROWS) > EXPORT_MAX_ROWS:
            return _refuse(request)
        rows = rows.iterator(chunk_size=chunk_size)
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=True)  # closed by FileResponse
    try:
        count = write_xlsx(tmp.name, title=title, columns=columns, rows=rows, limit=EXPORT_MAX_ROWS)
    except TooManyRows:
        tmp.close()
        return _refuse(request)
    if on_written is not None:
        on_written(count)
    tmp.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = FileResponse(
        tmp,
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.xlsx')}"
    return response


def _refuse(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the list (its filters kept, `export` dropped) with the message to narrow it."""
    messages.error(
        request,
        _("要导出的记录超过 %(max)s 条。请先按地区、时间或状态筛选,缩小范围后再导出。")
        % {"max": f"{EXPORT_MAX_ROWS:,}"},
    )
    query = request.GET.copy()
    query.pop("export", None)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"
