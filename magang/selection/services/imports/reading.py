"""Reading a stage's results workbook: the column names of its template, and the data
rows of the sheet (problems with the file as a whole raise ``ImportFileError``)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from magang.recruitment.services.imports import ImportFileError, SheetRow
from magang.recruitment.services.imports.reading import MAX_ROWS, Cell, blank, letter, paused_gc

from ...models import Stage, StageKind

SHEET_NAME = "results"
REGISTRATION = "registration_number"
NAME = "name"
NOTE = "note"
REASON = "reason"
NOTE_LENGTH = 300  # StageResult.note
REASON_LENGTH = 1000


def value_columns(stage: Stage) -> tuple[str, ...]:
    """The columns holding a stage's value: ``result`` (1/0), ``score``, or the keys of its
    measurements."""
    if stage.kind == StageKind.GATE:
        return ("result",)
    if stage.kind == StageKind.SCORE:
        return ("score",)
    return tuple(measure["key"] for measure in stage.measures)


def template_columns(stage: Stage) -> tuple[str, ...]:
    return (REGISTRATION, NAME, *value_columns(stage), NOTE, REASON)


def _header_name(value: Cell) -> str:
    return re.sub(r"\s+", "_", str(value).strip().lower()).rstrip("*")


@paused_gc()
def results_read(source: Path | bytes, *, stage: Stage) -> list[SheetRow]:
    """The data rows of the workbook's ``results`` sheet (or its first sheet), keyed by the
    column names of the stage's template. Raises ``ImportFileError`` for problems with the
    file as a whole: unreadable, no header, unknown or missing columns, too many rows."""
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
    header_index = next((i for i, row in enumerate(grid) if not all(map(blank, row))), None)
    if header_index is None:
        raise ImportFileError(
            _("The sheet is empty: the first row must hold the column names."), code="empty"
        )
    if len(grid) - header_index - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it.") % {"max": f"{MAX_ROWS:,}"},
            code="too_many_rows",
        )
    positions = _header(grid[header_index], header_index + 1, stage)
    named = set(positions.values())
    rows: list[SheetRow] = []
    for index in range(header_index + 1, len(grid)):
        values = grid[index]
        for j, value in enumerate(values):
            if j not in named and not blank(value):
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


def _header(values: Sequence[Cell], number: int, stage: Stage) -> dict[str, int]:
    known = template_columns(stage)
    positions: dict[str, int] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for j, value in enumerate(values):
        if blank(value):
            continue
        name = _header_name(value)
        if name not in known:
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
            _("Unknown column(s): %(names)s. This stage's columns are: %(columns)s.")
            % {"names": ", ".join(unknown), "columns": ", ".join(known)}
        )
    missing = [n for n in (REGISTRATION, *value_columns(stage)) if n not in positions]
    if missing:
        problems.append(
            _(
                "Missing column(s): %(names)s. Row %(row)s must hold the column names, as in "
                "the template of this stage."
            )
            % {"names": ", ".join(missing), "row": number}
        )
    if problems:
        raise ImportFileError(problems, code="headers")
    return positions
