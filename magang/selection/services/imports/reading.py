"""Reading a stage's results workbook: the column names of its template, and the data
rows of the sheet (problems with the file as a whole raise ``ImportFileError``)."""

from __future__ import annotations

from pathlib import Path

from magang.recruitment.services.imports import SheetRow
from magang.recruitment.services.imports.reading import sheet_read

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


def results_read(source: Path | bytes, *, stage: Stage) -> list[SheetRow]:
    """The data rows of the workbook's ``results`` sheet (or its first sheet), keyed by the
    column names of the stage's template. Raises ``ImportFileError`` for problems with the
    file as a whole: unreadable, no header, unknown or missing columns, too many rows."""
    return sheet_read(
        source,
        sheet=SHEET_NAME,
        columns=template_columns(stage),
        required=(REGISTRATION, *value_columns(stage)),
    )
