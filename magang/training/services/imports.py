"""Importing one assessment's scores from an XLSX workbook, as the selection results import
does (``magang.selection.services.imports``), with the registration import's file checks:

1. ``scores_template``: the workbook to fill in, one row per trainee (registration number,
   name, the score recorded now) and an instructions sheet.
2. ``score_upload_store`` keeps the upload privately under a random token tied to the
   uploader and the assessment, after ``import_check_size`` and ``import_check_xlsx``.
3. ``scores_read`` reads the sheet with calamine; ``scores_preview`` checks every row with
   the service's own ``score_parse`` and writes nothing: problems by row and column, rows
   that would be new, changed or unchanged.
4. ``scores_import`` checks again and saves every new and changed row through
   ``scores_save`` with the versions the preview saw, all or none. Importing the same file
   again finds every row unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.services.imports import (
    ImportFileError,
    Problem,
    SheetRow,
    import_check_size,
    import_check_xlsx,
    max_import_bytes,
)
from magang.recruitment.services.imports.reading import MAX_ROWS, Cell, blank, letter, paused_gc
from magang.recruitment.services.imports.uploads import TOKEN
from magang.recruitment.services.imports.uploads import _remove_stale as remove_stale

from ..access import may_manage
from ..models import Assessment, Enrolment, Score
from ..selectors.grades import score_rows
from .records import score_parse, scores_save

SHEET_NAME = "scores"
REGISTRATION = "registration_number"
NAME = "name"
SCORE = "score"
COLUMNS = (REGISTRATION, NAME, SCORE)
REQUIRED = (REGISTRATION, SCORE)

NEW, CHANGED, UNCHANGED, BLANK, ERROR = "new", "changed", "unchanged", "blank", "error"


# --- The workbook ---------------------------------------------------------------------------


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


# --- The preview ----------------------------------------------------------------------------


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
class ScoresReport:
    rows: list[ScoreLine]
    errors: list[Problem]
    warnings: list[Problem] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for line in self.rows if line.status == status)

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
    def changes(self) -> list[ScoreLine]:
        return [line for line in self.rows if line.status == CHANGED]

    @property
    def fingerprint(self) -> str:
        """The recorded versions the check was made against: a commit is refused when they
        moved since the preview."""
        digest = hashlib.sha256()
        for line in self.rows:
            if line.enrolment_id is not None and line.status != BLANK:
                digest.update(f"{line.enrolment_id}:{line.version};".encode())
        return digest.hexdigest()


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


# --- The upload, kept until its commit -------------------------------------------------------


@dataclass(frozen=True)
class StoredScores:
    """An uploaded scores file waiting for its preview and commit."""

    token: str
    path: Path
    assessment_id: int
    user_id: int
    file_name: str


def _directory() -> Path:
    # Beside the registration imports' files, in a folder of its own: their clean-up only
    # looks at files, ours at this folder.
    return Path(settings.MEDIA_ROOT) / "imports" / "training-scores"


def score_upload_store(
    *, upload: IO[bytes], size: int | None, user: User, assessment: Assessment, file_name: str
) -> StoredScores:
    """Keep an upload privately for its preview: the size is checked before reading (and
    again while copying), then the content must be an XLSX workbook.

    Raises ``ImportFileError`` (nothing is kept) or ``PermissionDenied``.
    """
    if not may_manage(user, assessment.cohort):
        raise PermissionDenied
    import_check_size(size)
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    remove_stale(directory)
    token = secrets.token_hex(20)
    path = directory / f"{token}.xlsx"
    written, limit = 0, max_import_bytes()
    try:
        with path.open("wb") as out:
            while chunk := upload.read(1024 * 1024):
                written += len(chunk)
                if written > limit:
                    import_check_size(written)
                out.write(chunk)
        import_check_xlsx(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    stored = StoredScores(
        token=token, path=path, assessment_id=assessment.pk, user_id=user.pk,
        file_name=Path(file_name).name[:200],
    )  # fmt: skip
    meta = {"user": user.pk, "assessment": assessment.pk, "file_name": stored.file_name}
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return stored


def access_score_upload(*, user: Any, token: str, assessment: Assessment) -> StoredScores:
    """The stored upload if it is this user's, for this assessment, which they may still
    change; ``Http404`` otherwise (missing and not yours alike)."""
    if not TOKEN.fullmatch(token) or not user.is_authenticated:
        raise Http404("No such import.")
    path = _directory() / f"{token}.xlsx"
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404("No such import.") from None
    if (
        meta.get("user") != user.pk
        or meta.get("assessment") != assessment.pk
        or not may_manage(user, assessment.cohort)
        or not path.exists()
    ):
        raise Http404("No such import.")
    return StoredScores(
        token=token, path=path, assessment_id=assessment.pk, user_id=user.pk,
        file_name=str(meta.get("file_name", "")),
    )  # fmt: skip


def score_upload_discard(stored: StoredScores) -> None:
    stored.path.unlink(missing_ok=True)
    stored.path.with_suffix(".json").unlink(missing_ok=True)
