"""Checking every row of a scores file against the cohort and the scores recorded now (the
preview, which writes nothing), and saving the new and changed rows (the import)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.services.imports import Problem, SheetRow
from magang.recruitment.services.imports.reading import Cell, blank, paused_gc
from magang.recruitment.services.imports.versioned import (
    BLANK,
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    VersionedReport,
)

from ...access import may_manage
from ...models import Assessment, Enrolment, Score
from ..records import score_parse, scores_save
from .workbook import NAME, REGISTRATION, SCORE, plain


@dataclass
class ScoreLine:
    """One row of the file and what importing it would do."""

    row: int
    registration_number: str
    status: str = NEW
    enrolment_id: int | None = None
    score: Decimal | None = None
    version: int = 0  # of the score recorded now (0: none)
    was: str = ""  # the score recorded now, for a changed row


@dataclass
class ScoresReport(VersionedReport[ScoreLine]):
    """What an import would do: a status per row, every problem by row and column."""

    def recorded_id(self, row: ScoreLine) -> int | None:
        return row.enrolment_id


class ScoresImportRefused(ValidationError):
    """Some rows have errors: nothing was written."""

    def __init__(self, report: ScoresReport) -> None:
        self.report = report
        super().__init__(
            _("%(count)s problem(s) in the file; nothing was imported.")
            % {"count": len(report.errors)},
            code="import_refused",
        )


class ScoresChanged(ValidationError):
    """Scores of this assessment were recorded by someone else since the preview."""


def _text(value: Cell) -> str:
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return str(value)
    return str(value).strip()


def _same_name(one: str, other: str) -> bool:
    return " ".join(one.lower().split()) == " ".join(other.lower().split())


def scores_preview(*, assessment: Assessment, rows: Sequence[SheetRow]) -> ScoresReport:
    """Check every row as ``scores_import`` would, and write nothing."""
    numbers = {_text(row.cells.get(REGISTRATION)) for row in rows} - {""}
    members = {
        e.application.registration_number: e
        for e in Enrolment.objects.filter(
            cohort_id=assessment.cohort_id, application__registration_number__in=numbers
        ).select_related("application__candidate")
    }
    recorded = {s.enrolment_id: s for s in Score.objects.filter(assessment=assessment)}
    lines: list[ScoreLine] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    first_row: dict[str, int] = {}
    for sheet_row in rows:
        number, cells = sheet_row.number, sheet_row.cells
        line = ScoreLine(row=number, registration_number=_text(cells.get(REGISTRATION)))
        lines.append(line)
        if blank(cells.get(SCORE)):
            line.status = BLANK  # a trainee of the template not yet scored
            continue
        found: list[Problem] = []
        registration = line.registration_number
        member = members.get(registration)
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
        elif member is None:
            found.append(
                Problem(
                    number,
                    REGISTRATION,
                    _("%(number)s is not a trainee of this cohort.") % {"number": registration},
                )
            )
        if registration:
            first_row.setdefault(registration, number)
        try:
            line.score = score_parse(assessment, _text(cells.get(SCORE)))
        except ValidationError as exc:
            found.extend(Problem(number, SCORE, message) for message in exc.messages)
        if found or member is None or line.score is None:
            line.status = ERROR
            errors.extend(found)
            continue
        line.enrolment_id = member.pk
        current = recorded.get(member.pk)
        if current is None:
            line.status = NEW
        else:
            line.version = current.version
            line.status = UNCHANGED if current.score == line.score else CHANGED
            line.was = plain(current.score)
        given = _text(cells.get(NAME))
        full_name = member.application.candidate.full_name
        if given and not _same_name(given, full_name):
            warnings.append(
                Problem(
                    number,
                    NAME,
                    _(
                        "The name in the file (%(given)s) differs from the registered name "
                        "(%(name)s): check the registration number."
                    )
                    % {"given": given, "name": full_name},
                )
            )
    return ScoresReport(rows=lines, errors=errors, warnings=warnings)


@paused_gc()
@transaction.atomic
def scores_import(
    *,
    assessment: Assessment,
    rows: Sequence[SheetRow],
    by: User,
    file_name: str = "",
    fingerprint: str | None = None,
) -> ScoresReport:
    """Check every row again and save the new and changed ones through ``scores_save``, all
    or none. Unchanged and blank rows are left alone, so the same file imported twice
    changes nothing the second time.

    Raises ``PermissionDenied`` when ``by`` may not change the cohort, ``ScoresImportRefused``
    (with the full report) when any row has an error, and ``ScoresChanged`` when
    ``fingerprint`` (from the preview) no longer matches.
    """
    if not may_manage(by, assessment.cohort):
        raise PermissionDenied
    report = scores_preview(assessment=assessment, rows=rows)
    if fingerprint is not None and fingerprint != report.fingerprint:
        raise ScoresChanged(
            _(
                "Scores of this assessment were recorded by someone else since the preview; "
                "nothing was written. Check the preview again."
            ),
            code="changed",
        )
    if report.errors:
        raise ScoresImportRefused(report)
    writes = [line for line in report.rows if line.status in (NEW, CHANGED)]
    if writes:
        scores: dict[int, object] = {}
        versions: dict[int, int] = {}
        for line in writes:
            assert line.enrolment_id is not None  # noqa: S101 - checked by the preview
            scores[line.enrolment_id] = line.score
            versions[line.enrolment_id] = line.version
        scores_save(assessment=assessment, scores=scores, versions=versions, by=by)
        audit_record(
            actor=by,
            action="training.scores_import",
            obj=assessment,
            changes={"file": file_name[:200], "new": report.new, "changed": report.changed,
                     "unchanged": report.unchanged},
        )  # fmt: skip
    return report
