"""The downloadable .xlsx template of each import kind.

A template has the data sheet (headers, one example row, text-formatted ID and phone columns,
drop-down lists), an explanation sheet, and, where a kind refers to records (hamlets, branches),
a sheet listing those the user may refer to.
"""

from __future__ import annotations

import io
from typing import cast

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from hongniudai.accounts.models import User

from .importers import importer_for
from .importers.rows import Importer, Spec
from .models import ImportKind

TEMPLATE_VALIDATION_ROWS = 5000  # rows the drop-down lists of a template cover
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
EXAMPLE_FONT = Font(italic=True, color="808080")


def build_template(kind: str, user: User) -> bytes:
    """The .xlsx template of `kind` for `user` (what they may refer to is theirs), in the site language."""
    with translation.override(settings.LANGUAGE_CODE):
        importer = importer_for(kind, user)
        wb = Workbook()
        _data_sheet(cast(Worksheet, wb.active), importer)
        _help_sheet(wb.create_sheet(_("填写说明")), importer, kind)
        _choices_sheet(wb, importer)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def template_filename(kind: str) -> str:
    """The template's file name, without the extension."""
    return _("%(kind)s导入模板") % {"kind": ImportKind(kind).label}


def _data_sheet(ws: Worksheet, importer: Importer) -> None:
    ws.title = importer.sheet_title
    examples = importer.example_rows()
    for col, spec in enumerate(importer.specs, start=1):
        _data_column(ws, importer, col, spec, [row[col - 1] for row in examples])
    ws.freeze_panes = "A2"


def _data_column(ws: Worksheet, importer: Importer, col: int, spec: Spec, examples: list[str]) -> None:
    letter = get_column_letter(col)
    header = ws.cell(row=1, column=col, value=spec.header + ("*" if spec.required else ""))
    header.font = Font(bold=True, color="C00000" if spec.required else "000000")
    header.fill = HEADER_FILL
    header.alignment = Alignment(horizontal="center")
    ws.column_dimensions[letter].width = spec.width
    if spec.text:
        # Excel and WPS apply the column style to what is typed later: no lost digits.
        ws.column_dimensions[letter].number_format = "@"
    for row, example in enumerate(examples, start=2):
        cell = ws.cell(row=row, column=col, value=example)
        cell.font = EXAMPLE_FONT
        if spec.text:
            cell.number_format = "@"
    values = importer.allowed_values(spec)
    if values:
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("填写有误"),
            error=_("请从下拉列表中选择。"),
        )
        dv.add(f"{letter}2:{letter}{TEMPLATE_VALIDATION_ROWS}")
        ws.add_data_validation(dv)


def _help_sheet(ws: Worksheet, importer: Importer, kind: str) -> None:
    for letter, width in (("A", 16), ("B", 8), ("C", 70), ("D", 40)):
        ws.column_dimensions[letter].width = width
    ws.append([_("%(kind)s导入模板填写说明") % {"kind": ImportKind(kind).label}])
    ws["A1"].font = Font(bold=True, size=14)
    for note in importer.notes():
        ws.append([f"· {note}"])
    ws.append([])
    ws.append([_("列名"), _("必填"), _("说明"), _("可填写的值")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for spec in importer.specs:
        values = importer.allowed_values(spec)
        ws.append([spec.header, _("是") if spec.required else _("否"), spec.help, "、".join(values)])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _choices_sheet(wb: Workbook, importer: Importer) -> None:
    extra = importer.choices_sheet()
    if extra is None:
        return
    title, headers, rows = extra
    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 40
    for r in rows:
        ws.append(r)
    if not rows:
        ws.append([_("(您的管辖范围内没有可选项)")])
