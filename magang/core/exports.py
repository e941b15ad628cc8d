"""Spreadsheet and CSV writers for every list the system exports.

Both writers pass each cell through ``escape_cell``, so a value such as ``=HYPERLINK(...)``
typed into a registration form is shown as text when an officer opens the file, never run
as a formula (CSV/formula injection). In XLSX, strings of digits (NIK, registration and
phone numbers) are text cells in Text format: Excel keeps all 16 digits of a NIK and its
leading zeros instead of turning it into 3.2E+15.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import timezone

__all__ = ["FORMULA_TRIGGERS", "escape_cell", "iter_csv", "write_csv", "write_xlsx"]

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and
# carriage return, may drop them and read what follows as one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 cannot hold these control characters; openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DIGITS = re.compile(r"\d+")
_CSV_CHUNK_ROWS = 500
SHEET_TITLE_MAX = 31  # Excel's limit


def escape_cell(value: Any) -> Any:
    """The value, with a text that a spreadsheet would read as a formula made plain text.

    Only strings change: a leading ``'`` is added before ``= + - @``, tab or carriage
    return. Numbers, dates and None pass through unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """Values a spreadsheet understands: local naive datetimes (Excel has no time zones)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_text(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(escape_cell(value))


def iter_csv(rows: Iterable[Sequence[Any]], headers: Sequence[str]) -> Iterator[bytes]:
    """UTF-8 CSV in chunks, starting with a byte-order mark so Excel reads it as UTF-8.

    For streaming responses; ``write_csv`` joins the chunks.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield codecs.BOM_UTF8
    writer.writerow([_csv_text(h) for h in headers])
    pending = 1
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
        pending += 1
        if pending >= _CSV_CHUNK_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode("utf-8")


def write_csv(rows: Iterable[Sequence[Any]], headers: Sequence[str]) -> bytes:
    """The whole CSV file as bytes (UTF-8 with BOM, CRLF line ends, cells escaped)."""
    return b"".join(iter_csv(rows, headers))


def write_xlsx(rows: Iterable[Sequence[Any]], headers: Sequence[str], sheet_title: str) -> bytes:
    """One-sheet XLSX as bytes, written in openpyxl's write-only mode (constant memory per row).

    Strings made only of digits are text cells with the Text number format; dates stay
    dates; every string is escaped with ``escape_cell``.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    sheet.freeze_panes = "A2"

    def cell_for(value: Any) -> Any:
        value = _plain(value)
        if isinstance(value, str):
            text = _xlsx_text(value)
            if _DIGITS.fullmatch(text):
                cell = WriteOnlyCell(sheet, value=text)
                cell.number_format = "@"
                return cell
            return text
        return value

    for row in rows:
        sheet.append([cell_for(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_text(value: str) -> str:
    return str(escape_cell(_ILLEGAL_XML.sub("", value)))


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip("' ") or "Sheet1"
    return cleaned[:SHEET_TITLE_MAX]
