"""Importing one stage's results at one selection site from an XLSX workbook.

1. ``results_template``: the workbook to fill in, one row per person in the running
   (registration number and name), one column per value, and ``note`` and ``reason``.
2. The upload is kept, size- and content-checked, with the registration import's
   ``import_store`` (its generic parts are reused here, not copied).
3. ``results_read`` reads the sheet with calamine; ``results_preview`` checks every row and
   writes nothing: problems by row and column, rows that would be new, changed or unchanged.
4. ``results_import`` checks again and records every row through ``result_record``, or none,
   in one transaction. Importing the same file again finds every row unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.models import Application, ApplicationStatus
from magang.recruitment.services.imports import ImportFileError, Problem, SheetRow
from magang.recruitment.services.imports.reading import MAX_ROWS, Cell, blank, letter, paused_gc

from ..models import Stage, StageKind, StageResult
from ..selectors import GridAccess, grid_applications
from .results import (
    ResultValue,
    measurement_parse,
    plain,
    result_changes,
    result_parse,
    result_passes,
    result_record,
    result_text,
)

SHEET_NAME = "results"
REGISTRATION = "registration_number"
NAME = "name"
NOTE = "note"
REASON = "reason"
NOTE_LENGTH = 300  # StageResult.note
REASON_LENGTH = 1000
# Values per ``IN (...)`` lookup: below SQLite's oldest limit on query parameters (999).
LOOKUP_BATCH = 900

NEW, CHANGED, UNCHANGED, BLANK, ERROR = "new", "changed", "unchanged", "blank", "error"


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


# --- the template ----------------------------------------------------------------------------


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


def results_template(*, access: GridAccess) -> bytes:
    """The workbook for one stage at one site: every person in the running, with what is
    already recorded (values only for those who may see them), and an instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

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


# --- reading ---------------------------------------------------------------------------------


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


# --- checking --------------------------------------------------------------------------------


@dataclass
class ResultRow:
    """One row of the file and what importing it would do."""

    row: int
    registration_number: str
    status: str = NEW
    application: Application | None = None
    value: ResultValue | None = None
    note: str = ""
    reason: str = ""
    version: int = 0  # of the result recorded now (0: none)
    was: str = ""  # the recorded result, for a changed row


@dataclass
class ResultsReport:
    """What an import would do: a status per row, every problem by row and column."""

    rows: list[ResultRow]
    errors: list[Problem]
    warnings: list[Problem] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self._count(NEW)

    @property
    def changed(self) -> int:
        return self._count(CHANGED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def blank(self) -> int:
        return self._count(BLANK)

    @property
    def error_rows(self) -> int:
        return self._count(ERROR)

    @property
    def to_write(self) -> int:
        return self.new + self.changed

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> list[ResultRow]:
        return [row for row in self.rows if row.status == CHANGED]

    @property
    def fingerprint(self) -> str:
        """The recorded versions the check was made against: a commit is refused when they
        moved since the preview (someone recorded meanwhile)."""
        digest = hashlib.sha256()
        for row in self.rows:
            if row.application is not None and row.status != BLANK:
                digest.update(f"{row.application.pk}:{row.version};".encode())
        return digest.hexdigest()


class ResultsImportRefused(ValidationError):
    """Some rows have errors, or failed while written: nothing was written."""

    def __init__(self, report: ResultsReport) -> None:
        self.report = report
        super().__init__(
            _("%(count)s problem(s) in the file; nothing was imported.")
            % {"count": len(report.errors)},
            code="import_refused",
        )


class ResultsChanged(ValidationError):
    """Results of this stage were recorded by someone else since the preview."""


def _text(value: Cell) -> str:
    """A cell as text: numbers as Excel shows them (1, not 1.0)."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    return str(value).strip()


def _raw(value: Cell) -> Any:
    """A value cell as ``result_parse`` takes it: TRUE/FALSE stay booleans."""
    return value if isinstance(value, bool) else _text(value)


def _parse_values(stage: Stage, cells: Mapping[str, Cell], row: int) -> tuple[Any, list[Problem]]:
    """The row's value, or the problems found, each against its own column."""
    if stage.kind != StageKind.MEASURE:
        column = value_columns(stage)[0]
        try:
            return result_parse(stage, _raw(cells.get(column))), []
        except ValidationError as exc:
            return None, [Problem(row, column, message) for message in exc.messages]
    problems: list[Problem] = []
    raw: dict[str, Any] = {}
    for measure in stage.measures:
        raw[measure["key"]] = _raw(cells.get(measure["key"]))
        try:
            measurement_parse(measure, raw[measure["key"]])
        except ValidationError as exc:
            problems.extend(Problem(row, measure["key"], message) for message in exc.messages)
    if problems:
        return None, problems
    try:
        return result_parse(stage, raw), []
    except ValidationError as exc:
        return None, [Problem(row, "", message) for message in exc.messages]


def _same_name(one: str, other: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.lower().split())

    return norm(one) == norm(other)


def _batches(values: Sequence[str], size: int = LOOKUP_BATCH) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def results_preview(*, access: GridAccess, rows: Sequence[SheetRow]) -> ResultsReport:
    """Check every row as ``results_import`` would, and write nothing."""
    stage, site = access.stage, access.site
    numbers = sorted({_text(row.cells.get(REGISTRATION)) for row in rows} - {""})
    at_site: dict[str, Application] = {}
    for batch in _batches(numbers):
        at_site.update(
            (a.registration_number, a)
            for a in Application.objects.filter(
                site=site, round_id=stage.plan.round_id, registration_number__in=batch
            ).select_related("candidate")
        )
    running = set(grid_applications(stage=stage, site=site).values_list("pk", flat=True))
    recorded = {
        result.application_id: result
        for result in StageResult.objects.filter(stage=stage, application__site=site)
        .select_related("stage", "recorded_by")
        .order_by()
    }
    results: list[ResultRow] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    first_row: dict[str, int] = {}
    for sheet_row in rows:
        cells, number = sheet_row.cells, sheet_row.number
        line = ResultRow(row=number, registration_number=_text(cells.get(REGISTRATION)))
        results.append(line)
        if all(blank(cells.get(name)) for name in (*value_columns(stage), NOTE, REASON)):
            line.status = BLANK  # a person of the template not sat or not yet typed in
            continue
        found = _check_row(line, cells, stage, at_site, running, first_row)
        if not found:
            found = _compare(line, cells, stage, recorded)
        if found:
            line.status = ERROR
            errors.extend(found)
            continue
        application = line.application
        given = _text(cells.get(NAME))
        if (
            application is not None
            and given
            and not _same_name(given, application.candidate.full_name)
        ):
            warnings.append(
                Problem(
                    number,
                    NAME,
                    _(
                        "The name in the file (%(given)s) differs from the registered name "
                        "(%(name)s): check the registration number."
                    )
                    % {"given": given, "name": application.candidate.full_name},
                )
            )
    return ResultsReport(rows=results, errors=errors, warnings=warnings)


def _check_row(
    line: ResultRow,
    cells: Mapping[str, Cell],
    stage: Stage,
    at_site: Mapping[str, Application],
    running: set[int],
    first_row: dict[str, int],
) -> list[Problem]:
    """The row on its own: who it is about, and its cells."""
    number, registration = line.row, line.registration_number
    found: list[Problem] = []
    application = at_site.get(registration)
    if not registration:
        found.append(Problem(number, REGISTRATION, _("This cell is required.")))
    elif registration in first_row:
        found.append(
            Problem(
                number,
                REGISTRATION,
                _("%(number)s is also in row %(first)s: one row per person.")
                % {"number": registration, "first": first_row[registration]},
            )
        )
    elif application is None:
        found.append(
            Problem(
                number,
                REGISTRATION,
                _("%(number)s is not registered at this site in this round.")
                % {"number": registration},
            )
        )
    elif application.status != ApplicationStatus.IN_SELECTION:
        found.append(
            Problem(
                number,
                REGISTRATION,
                _("%(number)s is not in selection (status: %(status)s).")
                % {"number": registration, "status": application.get_status_display()},
            )
        )
    elif application.pk not in running:
        found.append(
            Problem(
                number,
                REGISTRATION,
                _("%(number)s failed an earlier stage that eliminates, so is out of the running.")
                % {"number": registration},
            )
        )
    if registration:
        first_row.setdefault(registration, number)
    line.application = application if not found else None
    value, problems = _parse_values(stage, cells, number)
    found.extend(problems)
    line.value = value
    line.note = _text(cells.get(NOTE))
    line.reason = _text(cells.get(REASON))
    for name, text, limit in ((NOTE, line.note, NOTE_LENGTH), (REASON, line.reason, REASON_LENGTH)):
        if len(text) > limit:
            found.append(
                Problem(
                    number,
                    name,
                    _("At most %(max)s characters; this has %(count)s.")
                    % {"max": limit, "count": len(text)},
                )
            )
    return found


def _compare(
    line: ResultRow,
    cells: Mapping[str, Cell],
    stage: Stage,
    recorded: Mapping[int, StageResult],
) -> list[Problem]:
    """New, changed (which needs a reason) or unchanged, against what is recorded."""
    application, value = line.application, line.value
    assert application is not None and value is not None  # noqa: S101 - checked before
    sex = application.candidate.sex
    try:
        result_passes(stage, value, sex)  # a measurement without a limit for this sex
        current = recorded.get(application.pk)
        if current is None:
            line.status = NEW
            return []
        line.version = current.version
        if not result_changes(current, value, sex=sex, note=line.note):
            line.status = UNCHANGED
            return []
    except ValidationError as exc:
        return [Problem(line.row, "", message) for message in exc.messages]
    line.status = CHANGED
    line.was = result_text(current, detail=True)
    if not line.reason:
        return [
            Problem(
                line.row,
                REASON,
                _(
                    "Already recorded as %(was)s: give a reason in the reason column to change "
                    "it, or make the row match it."
                )
                % {"was": line.was},
            )
        ]
    return []


# --- writing ---------------------------------------------------------------------------------


@paused_gc()
@transaction.atomic
def results_import(
    *,
    access: GridAccess,
    rows: Sequence[SheetRow],
    by: User,
    file_name: str = "",
    fingerprint: str | None = None,
) -> ResultsReport:
    """Check every row again and record the new and changed ones through ``result_record``,
    all or none. Unchanged and blank rows are left alone, so the same file imported twice
    changes nothing the second time.

    Raises ``PermissionDenied`` when ``by`` may not record this grid, ``ResultsImportRefused``
    (with the full report) when any row has an error or fails while written, and
    ``ResultsChanged`` when ``fingerprint`` (from the preview) no longer matches.
    """
    if not access.may_record:
        raise PermissionDenied
    report = results_preview(access=access, rows=rows)
    if fingerprint is not None and fingerprint != report.fingerprint:
        raise ResultsChanged(
            _(
                "Results of this stage were recorded by someone else since the preview; "
                "nothing was written. Check the preview again."
            ),
            code="changed",
        )
    if report.errors:
        raise ResultsImportRefused(report)
    for line in report.rows:
        if line.status not in (NEW, CHANGED):
            continue
        assert line.application is not None and line.value is not None  # noqa: S101
        try:
            result_record(
                application=line.application,
                stage=access.stage,
                value=line.value,
                by=by,
                reason=line.reason,
                note=line.note,
                expected_version=line.version,
            )
        except ValidationError as exc:  # a stale row, as one typed into the grid meanwhile
            report.errors.append(Problem(line.row, "", " ".join(exc.messages)))
            raise ResultsImportRefused(report) from None
    if report.to_write:
        audit_record(
            actor=by,
            action="selection.results_import",
            obj=access.stage,
            changes={
                "site": access.site.pk,
                "file": file_name[:200],
                "new": report.new,
                "changed": report.changed,
                "unchanged": report.unchanged,
            },
        )
    return report
