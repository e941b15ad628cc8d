"""The scores workbook: the template to fill in for one assessment, and reading an uploaded
one back into rows keyed by column name."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from magang.recruitment.services.imports import SheetRow
from magang.recruitment.services.imports.reading import letter, sheet_read

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


def scores_read(source: Path | bytes) -> list[SheetRow]:
    """The data rows of the workbook's ``scores`` sheet (or its first sheet), keyed by
    column name. Raises ``ImportFileError`` for problems with the file as a whole."""
    return sheet_read(source, sheet=SHEET_NAME, columns=COLUMNS, required=REQUIRED)
