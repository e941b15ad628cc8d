"""Checking every row of a results file against what is recorded, writing nothing: the
report with each row's status (new, changed, unchanged, blank, error) and its problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from magang.recruitment.models import Application, ApplicationStatus
from magang.recruitment.services.imports import Problem, SheetRow
from magang.recruitment.services.imports.reading import Cell, blank
from magang.recruitment.services.imports.versioned import (
    BLANK,
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    VersionedReport,
)

from ...models import Stage, StageKind, StageResult
from ...selectors import GridAccess, grid_applications
from ..results import (
    ResultValue,
    measurement_parse,
    result_changes,
    result_parse,
    result_passes,
    result_text,
)
from .reading import NAME, NOTE, NOTE_LENGTH, REASON, REASON_LENGTH, REGISTRATION, value_columns

# Values per ``IN (...)`` lookup: below SQLite's oldest limit on query parameters (999).
LOOKUP_BATCH = 900


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
class ResultsReport(VersionedReport[ResultRow]):
    """What an import would do: a status per row, every problem by row and column."""

    def recorded_id(self, row: ResultRow) -> int | None:
        return row.application.pk if row.application is not None else None


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
