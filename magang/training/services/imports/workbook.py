"""The scores workbook: the template to fill in for one assessment, and reading an uploaded
one back into rows keyed by column name."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from magang.recruitment.services.imports import ImportFileError, SheetRow
from magang.recruitment.services.imports.reading import MAX_ROWS, Cell, blank, letter, paused_gc

from ...models import Assessment
from ...selectors.grades import score_rows

SHEET_NAME = "scores"
REGISTRATION = "registration_number"
NAME = "name"
SCORE = "score"
COLUMNS = (REGISTRATION, NAME, SCORE)
REQUIRED = (REGISTRATION, SCORE)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def scores_template(*, assessment: Assessment) -> bytes:
    """The workbook for one assessment: everyone in training in the cohort (and anyone else
    of it already scored) with the score recorded now, and an instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    people = score_rows(assessment=assessment)  # the same people as the score grid
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(list(COLUMNS))
    sheet.freeze_panes = "C2"
    for index, width in enumerate((22, 34, 10)):
        sheet[f"{letter(index)}1"].font = Font(bold=True)
        sheet.column_dimensions[letter(index)].width = width
    for person in people:
        application = person.enrolment.application
        score = person.score.score if person.score is not None else None
        sheet.append(
            [
                application.registration_number,
                application.candidate.full_name,
                _number(score) if score is not None else None,
            ]
        )
    last = len(people) + 1
    for row in range(2, last + 1):
        sheet.cell(row=row, column=1).number_format = "@"
    highest = plain(assessment.max_score)
    validation = DataValidation(
        type="decimal", operator="between", formula1="0", formula2=highest, allow_blank=True
    )
    sheet.add_data_validation(validation)
    validation.add(f"C2:C{max(last, 2)}")

    guide = workbook.create_sheet("instructions")
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 90
    lines = [
        (_("Assessment"), f"{assessment.name} ({assessment.module.name_en})"),
        (_("Cohort"), assessment.cohort.name),
        (
            _("How to fill in"),
            _(
                "One row per trainee, from row 2; keep row 1 and the registration numbers as "
                "they are. Leave a score empty to skip the row. Upload the file on the import "
                "page: every row is checked and nothing is written until you confirm; then "
                "every row is written, or none. Uploading the same file again changes nothing."
            ),
        ),
        (
            SCORE,
            _("A number from 0 to %(max)s, at most two decimals.") % {"max": highest},
        ),
    ]
    for label, text in lines:
        guide.append([label, text])
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in guide.iter_rows():
        for cell in cells:
            cell.alignment = wrap
        cells[0].font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plain(number: Decimal) -> str:
    return format(Decimal(number).normalize(), "f")


def _header_name(value: Cell) -> str:
    return re.sub(r"\s+", "_", str(value).strip().lower()).rstrip("*")


@paused_gc()
def scores_read(source: Path | bytes) -> list[SheetRow]:
    """The data rows of the workbook's ``scores`` sheet (or its first sheet), keyed by
    column name. Raises ``ImportFileError`` for problems with the file as a whole."""
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
    positions = _header(grid[header_index], header_index + 1)
    named = set(positions.values())
    rows: list[SheetRow] = []
    for index in range(header_index + 1, len(grid)):
        values = grid[index]
        stray = next((j for j, v in enumerate(values) if j not in named and not blank(v)), None)
        if stray is not None:
            raise ImportFileError(
                _(
                    "Row %(row)s has a value in column %(letter)s, which has no name in the "
                    "header row. Name the column or clear it."
                )
                % {"row": index + 1, "letter": letter(stray)},
                code="headers",
            )
        cells = {name: values[j] if j < len(values) else None for name, j in positions.items()}
        if not all(map(blank, cells.values())):
            rows.append(SheetRow(number=index + 1, cells=cells))
    return rows


def _header(values: Sequence[Cell], number: int) -> dict[str, int]:
    positions: dict[str, int] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for j, value in enumerate(values):
        if blank(value):
            continue
        name = _header_name(value)
        if name not in COLUMNS:
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
            _("Unknown column(s): %(names)s. The template's columns are: %(columns)s.")
            % {"names": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        problems.append(
            _(
                "Missing column(s): %(names)s. Row %(row)s must hold the column names, as in "
                "the template."
            )
            % {"names": ", ".join(missing), "row": number}
        )
    if problems:
        raise ImportFileError(problems, code="headers")
    return positions
