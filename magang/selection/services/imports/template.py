"""The workbook to fill in for one stage at one site: one row per person in the running,
one column per value, and an instructions sheet."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from magang.recruitment.services.imports.reading import letter

from ...models import Stage, StageKind, StageResult
from ...selectors import GridAccess, grid_applications
from ..results import plain
from .reading import (
    NAME,
    NOTE,
    NOTE_LENGTH,
    REASON,
    REGISTRATION,
    SHEET_NAME,
    template_columns,
    value_columns,
)


def _cell_value(stage: Stage, result: StageResult | None) -> list[Any]:
    """A recorded result as the value columns hold it (numbers stay numbers)."""
    if result is None:
        return [None] * len(value_columns(stage))
    if stage.kind == StageKind.GATE:
        return [1 if result.passed else 0]
    if stage.kind == StageKind.SCORE:
        return [_number(result.score)]
    return [_number(result.measurements.get(key)) for key in value_columns(stage)]


def _number(value: Any) -> int | float | None:
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _guide(stage: Stage) -> list[tuple[str, str]]:
    lines = [
        (
            _("How to fill in"),
            _(
                "One row per person, from row 2; keep row 1 and the registration numbers as "
                "they are. Leave a row's values empty to skip it. Upload the file on the "
                "import page: every row is checked and nothing is written until you confirm; "
                "then every row is written, or none. Uploading the same file again changes "
                "nothing."
            ),
        ),
        (
            REASON,
            _(
                "Needed only to change a result already recorded (the file then holds a "
                "different value): say why, for example 'scoring sheet re-marked'."
            ),
        ),
        (NOTE, _("Optional, at most %(n)s characters.") % {"n": NOTE_LENGTH}),
    ]
    if stage.kind == StageKind.GATE:
        lines.insert(1, ("result", _("1 for passed, 0 for failed.")))
    elif stage.kind == StageKind.SCORE:
        low = plain(stage.min_score or Decimal(0))
        high = plain(stage.max_score if stage.max_score is not None else Decimal(100))
        text = _("A number from %(low)s to %(high)s, at most two decimals.") % {
            "low": low,
            "high": high,
        }
        if stage.pass_mark is not None:
            text += " " + _("Passing from %(mark)s.") % {"mark": plain(stage.pass_mark)}
        lines.insert(1, ("score", text))
    else:
        for position, measure in enumerate(stage.measures, start=1):
            limits = ", ".join(f"{sex} {limit}" for sex, limit in measure["limits"].items())
            better = (
                _("at most the limit") if measure["better"] == "lower" else _("at least the limit")
            )
            unit = f" ({measure['unit']})" if measure.get("unit") else ""
            lines.insert(
                position,
                (
                    measure["key"],
                    f"{measure.get('name_en', measure['key'])}{unit}: {better} ({limits}).",
                ),
            )
    return lines


def results_template(*, access: GridAccess, by: Any = None) -> bytes:
    """The workbook for one stage at one site: every person in the running, with what is
    already recorded (values only for those who may see them), and an instructions sheet.
    Medical detail written into it is logged as read by ``by``, like the grid showing it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from magang.recruitment.services.privacy import medical_read_log

    stage, site = access.stage, access.site
    names = template_columns(stage)
    applications = list(grid_applications(stage=stage, site=site))
    results = {
        result.application_id: result
        for result in StageResult.objects.filter(stage=stage, application__site=site)
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(list(names))
    sheet.freeze_panes = "C2"
    for index, name in enumerate(names):
        sheet[f"{letter(index)}1"].font = Font(bold=True)
        sheet.column_dimensions[letter(index)].width = {REGISTRATION: 22, NAME: 32, NOTE: 30,
                                                        REASON: 36}.get(name, 12)  # fmt: skip
    for application in applications:
        result = results.get(application.pk) if access.detail else None
        sheet.append(
            [
                application.registration_number,
                application.candidate.full_name,
                *_cell_value(stage, result),
                result.note if result is not None else None,
                None,
            ]
        )
    if access.detail and stage.is_medical:
        medical_read_log(
            actor=by,
            candidate_ids=[a.candidate_id for a in applications if a.pk in results],
            what="selection.import_template",
        )
    last = len(applications) + 1
    for row in range(2, last + 1):
        sheet.cell(row=row, column=1).number_format = "@"
    first_value = letter(2)
    last_value = letter(1 + len(value_columns(stage)))
    if stage.kind == StageKind.GATE:
        validation = DataValidation(type="list", formula1='"1,0"', allow_blank=True)
    elif stage.kind == StageKind.SCORE:
        validation = DataValidation(
            type="decimal",
            operator="between",
            formula1=plain(stage.min_score or Decimal(0)),
            formula2=plain(stage.max_score if stage.max_score is not None else Decimal(100)),
            allow_blank=True,
        )
    else:
        validation = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
    sheet.add_data_validation(validation)
    if applications:  # an empty range (no one in the running yet) is not a range
        validation.add(f"{first_value}2:{last_value}{last}")

    guide = workbook.create_sheet("instructions")
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")
    guide.append([_("Stage"), f"{stage.name_en} / {stage.name_id}"])
    guide.append([_("Selection site"), f"{site.name} ({site.round.name})"])
    for label, text in _guide(stage):
        guide.append([label, text])
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = wrap
        row[0].font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
