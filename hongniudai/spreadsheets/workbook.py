"""Reading an uploaded workbook: its first sheet's headers and its rows, example rows skipped."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .importers.rows import EXAMPLE_MARK, NOTE, cell_text


class SheetError(Exception):
    """The file cannot be read as a workbook: a message for the user."""


def normalize_header(value: Any) -> str:
    """A header as written in the file, without the * that marks required columns in a template."""
    return cell_text(value).replace("*", "").replace("*", "").strip()


@dataclass
class Sheet:
    """The first worksheet of an uploaded file, read row by row."""

    headers: list[str]
    estimate: int  # data rows according to the sheet's dimension (may count empty rows)
    rows: Iterator[tuple[int, dict[str, Any]]] = field(repr=False)
    example_rows: int = 0

    def missing(self, required: list[str]) -> list[str]:
        """The required headers the sheet lacks."""
        return [h for h in required if h not in self.headers]


def _open_workbook(fh: IO[bytes]) -> Any:
    """The workbook (read-only, values only) or a SheetError the user can act on."""
    try:
        return load_workbook(fh, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise SheetError(
            _("文件无法作为 Excel 工作簿(.xlsx)打开。请用 Excel 或 WPS 将文件“另存为”.xlsx 格式后重新上传。")
        ) from exc


@contextmanager
def open_sheet(fh: IO[bytes]) -> Iterator[Sheet]:
    """The first worksheet: its headers and its non-empty, non-example rows as
    (Excel row number, {header: value})."""
    wb = _open_workbook(fh)
    try:
        if not wb.worksheets:
            raise SheetError(_("文件中没有工作表。"))
        ws = wb.worksheets[0]
        raw_rows = ws.iter_rows(values_only=True)
        first = next(raw_rows, None) or ()
        headers = [normalize_header(v) for v in first]
        try:
            estimate = max(0, (ws.max_row or 1) - 1)
        except (TypeError, ValueError):
            estimate = 0
        sheet = Sheet(headers=headers, estimate=estimate, rows=iter(()))
        index: dict[str, int] = {}
        for i, h in enumerate(headers):
            if h and h not in index:
                index[h] = i

        def rows() -> Iterator[tuple[int, dict[str, Any]]]:
            for row_no, values in enumerate(raw_rows, start=2):
                if not values or all(v is None or cell_text(v) == "" for v in values):
                    continue
                raw = {h: (values[i] if i < len(values) else None) for h, i in index.items()}
                if cell_text(raw.get(NOTE)).startswith(EXAMPLE_MARK):
                    sheet.example_rows += 1
                    continue
                yield row_no, raw

        sheet.rows = rows()
        yield sheet
    finally:
        wb.close()
