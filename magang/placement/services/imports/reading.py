"""The job orders workbook's columns, and reading its data rows with calamine (problems with
the file as a whole raise ``ImportFileError``)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook

from magang.recruitment.services.imports import ImportFileError, SheetRow
from magang.recruitment.services.imports.reading import MAX_ROWS, Cell, blank, letter, paused_gc

SHEET_NAME = "job_orders"


@dataclass(frozen=True)
class OrderColumn:
    name: str
    required: bool
    help: str | Promise
    example: str


COLUMNS: tuple[OrderColumn, ...] = (
    OrderColumn("reference", True, gettext_lazy(
        "Your reference for the job order, unique. A reference already imported changes that "
        "job order (or leaves it as it is)."), "SS-2027-01"),
    OrderColumn("host_company", True, gettext_lazy(
        "The host company's name as registered: one of yours (sheet companies)."),
        "Sendai Seiko"),
    OrderColumn("trade_code", True, gettext_lazy(
        "OTIT trade code group-job-operation, in a Text cell (sheet trades)."), "6-1-1"),
    OrderColumn("prefecture_code", True, gettext_lazy(
        "Prefecture of the workplace, JIS code 01-47 (Miyagi = 04)."), "04"),
    OrderColumn("slots", True, gettext_lazy("Interns wanted, a whole number."), "2"),
    OrderColumn("planned_start", True, gettext_lazy(
        "Planned start in Japan: a Date cell, or text YYYY-MM-DD."), "2027-07-01"),
    OrderColumn("interview_on", False, gettext_lazy(
        "Interview date, before the start: a Date cell, or text YYYY-MM-DD."), "2027-02-01"),
    OrderColumn("sex", False, gettext_lazy("M (men only), F (women only), or empty (any)."), ""),
    OrderColumn("min_age", False, gettext_lazy("Minimum age at the start, if any."), "18"),
    OrderColumn("max_age", False, gettext_lazy("Maximum age at the start, if any."), "26"),
    OrderColumn("min_height_cm", False, gettext_lazy("Minimum height in cm, if any."), "158"),
    OrderColumn("japanese_level", False, gettext_lazy(
        "Japanese level asked: N5, N4 or A2 (JFT-Basic), or empty."), "N4"),
    OrderColumn("notes", False, gettext_lazy("Anything else candidates should know."), ""),
)  # fmt: skip
NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)


def _header_name(value: Cell) -> str:
    return re.sub(r"\s+", "_", str(value).strip().lower()).rstrip("*")


@paused_gc()
def orders_read(source: Path | bytes) -> list[SheetRow]:
    """The data rows of the ``job_orders`` sheet (or the first sheet), keyed by column name.
    Raises ``ImportFileError`` for problems with the file as a whole."""
    try:
        if isinstance(source, bytes):
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            workbook = CalamineWorkbook.from_path(str(source))
        sheets = workbook.sheet_names
        chosen = next((n for n in sheets if n.strip().lower() == SHEET_NAME), sheets[0])
        grid = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise ImportFileError(
            _("The workbook could not be read (%(error)s). Save it again from Excel as .xlsx.")
            % {"error": str(exc)[:200]},
            code="unreadable",
        ) from None
    header = next((i for i, row in enumerate(grid) if not all(map(blank, row))), None)
    if header is None:
        raise ImportFileError(
            _("The sheet is empty: the first row must hold the column names."), code="empty"
        )
    if len(grid) - header - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it.") % {"max": f"{MAX_ROWS:,}"},
            code="too_many_rows",
        )
    positions = _positions(grid[header], header + 1)
    rows: list[SheetRow] = []
    for index in range(header + 1, len(grid)):
        values = grid[index]
        for j, value in enumerate(values):
            if j not in positions.values() and not blank(value):
                raise ImportFileError(
                    _(
                        "Row %(row)s has a value in column %(letter)s, which has no name in "
                        "the header row. Name the column or clear it."
                    )
                    % {"row": index + 1, "letter": letter(j)},
                    code="headers",
                )
        cells = {name: values[j] if j < len(values) else None for name, j in positions.items()}
        if not all(map(blank, cells.values())):
            rows.append(SheetRow(number=index + 1, cells=cells))
    return rows


def _positions(values: Sequence[Cell], number: int) -> dict[str, int]:
    positions: dict[str, int] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for j, value in enumerate(values):
        if blank(value):
            continue
        name = _header_name(value)
        if name not in NAMES:
            unknown.append(f"{str(value).strip()} ({letter(j)}{number})")
        elif name in positions:
            problems.append(
                _("Column %(name)s appears twice (%(first)s and %(second)s).")
                % {"name": name, "first": letter(positions[name]), "second": letter(j)}
            )
        else:
            positions[name] = j
    if unknown:
        problems.append(
            _("Unknown column(s): %(names)s. The columns are: %(columns)s.")
            % {"names": ", ".join(unknown), "columns": ", ".join(NAMES)}
        )
    missing = [n for n in REQUIRED if n not in positions]
    if missing:
        problems.append(
            _("Missing column(s): %(names)s. Row %(row)s must hold the column names.")
            % {"names": ", ".join(missing), "row": number}
        )
    if problems:
        raise ImportFileError(problems, code="headers")
    return positions
