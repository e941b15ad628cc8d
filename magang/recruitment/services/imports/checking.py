"""Checking every row of an import against the rules and the database, without writing.

Each row goes through the online registration's ``registration_check`` with reference codes
loaded once; then the NIKs are looked up in a few queries: a person already registered in
this round is "unchanged" when the row repeats what is stored (so a re-upload is harmless)
and an error when it differs; a person known from earlier rounds is reused, with that
history shown and used for the rule on earlier departures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.core.crypto import blind_indexes

from ...eligibility import Applicant, evaluate
from ...journey import CLOSED
from ...models import Application, ApplicationStatus, Candidate, ImportBatch, SelectionSite
from ..registration import (
    DEPARTED_STATUSES,
    RegionIndex,
    RegistrationData,
    registration_check,
    round_rules,
    verdict_as_dict,
)
from .cells import row_data
from .reading import COLUMN_NAMES, Problem, SheetRow, paused_gc

NEW, UNCHANGED, ERROR = "new", "unchanged", "error"
# Values per ``IN (...)`` lookup: below SQLite's oldest limit on query parameters (999);
# PostgreSQL takes up to 65,535, and fewer round trips are faster.
LOOKUP_BATCH = {"sqlite": 900, "postgresql": 10_000}


@dataclass
class RowResult:
    row: int
    data: RegistrationData
    status: str = NEW
    warnings: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    candidate_id: int | None = None
    departed_before: bool = False
    eligibility: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    """What an import would do: counts, and every problem by row and column."""

    results: list[RowResult]
    errors: list[Problem]
    warnings: list[Problem]
    history: list[Problem]
    already_imported: ImportBatch | None = None

    @property
    def rows(self) -> int:
        return len(self.results)

    @cached_property
    def _counts(self) -> dict[str, int]:
        counts = {NEW: 0, UNCHANGED: 0, ERROR: 0, "reused": 0, "ineligible": 0}
        for result in self.results:
            counts[result.status] += 1
            if result.status == NEW:
                counts["reused"] += result.candidate_id is not None
                counts["ineligible"] += (
                    bool(result.eligibility) and not result.eligibility["eligible"]
                )
        return counts

    @property
    def new(self) -> int:
        return self._counts[NEW]

    @property
    def unchanged(self) -> int:
        return self._counts[UNCHANGED]

    @property
    def error_rows(self) -> int:
        return self._counts[ERROR]

    @property
    def reused(self) -> int:
        """New applications of people known from earlier rounds."""
        return self._counts["reused"]

    @property
    def ineligible(self) -> int:
        """New applications that fail the round's rules (recorded, still imported)."""
        return self._counts["ineligible"]

    @property
    def ok(self) -> bool:
        return not self.errors and self.already_imported is None


class ImportRefused(ValidationError):
    """Some rows have errors: nothing was written. ``report`` lists them all."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            _("%(count)s problem(s) in the file; nothing was imported.")
            % {"count": len(report.errors)},
            code="import_refused",
        )


@paused_gc()
def import_preview(
    *,
    site: SelectionSite,
    rows: Sequence[SheetRow],
    today: dt.date | None = None,
    sha256: str = "",
) -> ImportReport:
    """Check every row as ``registrations_import`` would, and write nothing."""
    regions = RegionIndex.load()
    errors: list[Problem] = []
    results = _check_rows(rows, regions, today or timezone.localdate(), errors)
    history = _match_known(results, site, regions, errors)
    rules = round_rules(site)
    warnings: list[Problem] = []
    for result in results:
        if result.status != NEW:
            continue
        if rules is not None:
            data = result.data
            applicant = Applicant(
                birth_date=data.birth_date,
                sex=data.sex,
                education=data.education or "sd",
                height_cm=data.height_cm or 0,
                weight_kg=data.weight_kg or Decimal(0),
                declarations=data.declarations,
                has_departed_before=result.departed_before,
            )
            result.eligibility = verdict_as_dict(evaluate(rules, applicant))
        warnings.extend(Problem(result.row, "", text) for text in result.warnings)
    errors.sort(key=lambda p: (p.row or 0, _COLUMN_ORDER.get(p.column, -1)))
    already = ImportBatch.objects.filter(site=site, sha256=sha256).first() if sha256 else None
    return ImportReport(
        results=results, errors=errors, warnings=warnings, history=history, already_imported=already
    )


_COLUMN_ORDER = {name: index for index, name in enumerate(COLUMN_NAMES)}


def _check_rows(
    rows: Sequence[SheetRow], regions: RegionIndex, today: dt.date, errors: list[Problem]
) -> list[RowResult]:
    """Each row on its own (its cells, then the registration rules), and NIKs seen twice."""
    results: list[RowResult] = []
    first_row: dict[str, int] = {}
    for row in rows:
        data, cell_errors = row_data(row)
        checked = registration_check(data=data, regions=regions, today=today)
        result = RowResult(row=row.number, data=checked.data)
        found = [Problem(row.number, name, message) for name, message in cell_errors.items()]
        for name, messages in checked.errors.items():
            if name not in cell_errors:  # complaints about a stand-in value are noise
                found.extend(Problem(row.number, name, message) for message in messages)
        if not cell_errors:
            result.warnings.extend(checked.warnings)
        if not any(problem.column == "nik" for problem in found):
            nik = result.data.nik
            if nik in first_row:
                message = _("The NIK %(nik)s is also in row %(first)s: one row per person.")
                found.append(
                    Problem(row.number, "nik", message % {"nik": nik, "first": first_row[nik]})
                )
            else:
                first_row[nik] = row.number
        if found:
            result.status = ERROR
            errors.extend(found)
        results.append(result)
    return results


_CANDIDATE_FIELDS = (
    "id", "nik", "full_name", "family_name", "sex", "birth_date", "birth_place", "province_id",
    "regency_id", "address", "phone", "email",
)  # fmt: skip
_APPLICATION_FIELDS = (
    "id", "candidate_id", "round_id", "site_id", "site__name", "status", "registration_number",
    "round__name", "education", "education_institution", "graduation_year", "height_cm",
    "weight_kg", "declarations",
)  # fmt: skip


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    size = LOOKUP_BATCH.get(connection.vendor, 900)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _known(
    niks: Sequence[str],
) -> tuple[dict[str, dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    """Existing candidates by NIK, and all their applications by candidate id."""
    candidates: dict[str, dict[str, Any]] = {}
    # The NIK is sealed: look rows up by blind index (one per configured index key, so a
    # rotation in progress still finds everyone), then key them by the opened NIK.
    keys = len(blind_indexes("0", purpose="nik"))
    size = max(1, LOOKUP_BATCH.get(connection.vendor, 900) // keys)
    for start in range(0, len(niks), size):
        chunk = niks[start : start + size]
        for row in Candidate.objects.with_niks(chunk).values(*_CANDIDATE_FIELDS):
            candidates[row["nik"]] = row
    applications: dict[int, list[dict[str, Any]]] = {}
    ids = [row["id"] for row in candidates.values()]
    for chunk in _chunks(ids):
        found = (
            Application.objects.filter(candidate_id__in=chunk)
            .values(*_APPLICATION_FIELDS)
            .order_by("round__year", "id")
        )
        for row in found:
            applications.setdefault(row["candidate_id"], []).append(row)
    return candidates, applications


def _match_known(
    results: Sequence[RowResult],
    site: SelectionSite,
    regions: RegionIndex,
    errors: list[Problem],
) -> list[Problem]:
    """Rows whose NIK is already known: present in this round (unchanged, or an error when
    the data differ), or known from earlier rounds (reused; their history is returned)."""
    closed = {s.value for s in CLOSED}
    departed = {s.value for s in DEPARTED_STATUSES}
    labels = {value: str(label) for value, label in ApplicationStatus.choices}
    candidates, applications = _known([r.data.nik for r in results if r.status != ERROR])
    history: list[Problem] = []
    for result in results:
        candidate = candidates.get(result.data.nik) if result.status != ERROR else None
        if candidate is None:
            continue
        result.candidate_id = candidate["id"]
        earlier = applications.get(candidate["id"], [])
        current = next(
            (a for a in earlier if a["round_id"] == site.round_id and a["status"] not in closed),
            None,
        )
        if current is not None:
            problem = _already_registered(result, candidate, current, site, regions)
            if problem is None:
                result.status = UNCHANGED
            else:
                result.status = ERROR
                errors.append(problem)
            continue
        identity = _identity_warning(result.data, candidate)
        if identity:
            result.warnings.append(identity)
        for other in earlier:
            result.departed_before |= other["status"] in departed
            text = _("Earlier application %(number)s in %(round)s ended as: %(status)s.") % {
                "number": other["registration_number"],
                "round": other["round__name"],
                "status": labels.get(other["status"], other["status"]),
            }
            result.history.append(text)
            history.append(Problem(result.row, "nik", text))
    return history


def _already_registered(
    result: RowResult,
    candidate: Mapping[str, Any],
    current: Mapping[str, Any],
    site: SelectionSite,
    regions: RegionIndex,
) -> Problem | None:
    """None when the row repeats the open application exactly (a re-upload), else why not."""
    number = current["registration_number"]
    if current["site_id"] != site.pk:
        message = _(
            "This person already has an open application in this round at %(site)s: "
            "registration number %(number)s."
        ) % {"site": current["site__name"], "number": number}
        return Problem(result.row, "nik", message)
    changed = _differences(result.data, candidate, current, regions)
    if not changed:
        return None
    message = _(
        "Already registered in this round (registration number %(number)s) with different "
        "%(columns)s. Change the application itself, or make the row match it."
    ) % {"number": number, "columns": ", ".join(changed)}
    return Problem(result.row, "nik", message)


def _differences(
    data: RegistrationData,
    candidate: Mapping[str, Any],
    application: Mapping[str, Any],
    regions: RegionIndex,
) -> list[str]:
    """Columns where the row would change what the open application already holds."""
    mine: dict[str, Any] = {
        "education": data.education,
        "education_institution": data.education_institution,
        "graduation_year": data.graduation_year,
        "height_cm": data.height_cm,
        "weight_kg": data.weight_kg,
        "declarations": sorted(data.declarations),
    }
    stored = {name: application[name] for name in mine}
    stored["declarations"] = sorted(stored["declarations"] or [])
    if stored["weight_kg"] is not None:
        stored["weight_kg"] = Decimal(stored["weight_kg"]).quantize(Decimal("0.1"))
    changed = [name for name in mine if mine[name] != stored[name]]
    changed += [name for name, _new, _old in contact_changes(data, candidate, regions)]
    return changed


def contact_changes(
    data: RegistrationData, candidate: Mapping[str, Any], regions: RegionIndex
) -> list[tuple[str, Any, Any]]:
    """(column, new value, stored value) for the contact details a row would update.

    As in the online registration, a returning person's contact details and domicile follow
    the latest form (a blank cell keeps what is stored); name, sex and birth date never
    change through an import.
    """
    changes = []
    for name in ("birth_place", "address", "phone", "email"):
        new = getattr(data, name)
        if new and new != candidate[name]:
            changes.append((name, new, candidate[name]))
    province_id = regions.provinces[data.province_code]
    if province_id != candidate["province_id"]:
        changes.append(("province_code", province_id, candidate["province_id"]))
    regency_id = regions.regencies[data.regency_code][0] if data.regency_code else None
    if regency_id != candidate["regency_id"]:
        changes.append(("regency_code", regency_id, candidate["regency_id"]))
    return changes


def _identity_warning(data: RegistrationData, candidate: Mapping[str, Any]) -> str | None:
    same = (
        data.full_name == candidate["full_name"]
        and data.family_name == candidate["family_name"]
        and data.sex == candidate["sex"]
        and data.birth_date == candidate["birth_date"]
    )
    if same:
        return None
    known = " ".join(filter(None, [candidate["full_name"], candidate["family_name"]]))
    return _(
        "This NIK is on record as %(name)s (%(sex)s, born %(date)s); the record keeps that "
        "name, sex and birth date. Correct it on the candidate's page if the row is right."
    ) % {"name": known, "sex": candidate["sex"], "date": candidate["birth_date"].isoformat()}


def report_lines(report: ImportReport, *, limit: int | None = None) -> list[str]:
    """The report as plain lines, for the command line."""
    lines = [
        _("rows: %(rows)s, new: %(new)s, unchanged: %(unchanged)s, rows with errors: %(errors)s")
        % {
            "rows": report.rows,
            "new": report.new,
            "unchanged": report.unchanged,
            "errors": report.error_rows,
        },
    ]
    if report.reused:
        lines.append(_("people known from earlier rounds: %(count)s") % {"count": report.reused})
    if report.ineligible:
        lines.append(
            _("new applications failing the round's rules: %(count)s")
            % {"count": report.ineligible}
        )
    for title, problems in (
        (_("Errors"), report.errors),
        (_("Warnings"), report.warnings),
        (_("History"), report.history),
    ):
        if problems:
            lines.append(f"{title}:")
            shown = problems if limit is None else problems[:limit]
            lines.extend(f"  {problem}" for problem in shown)
            if len(shown) < len(problems):
                lines.append(
                    "  " + _("... and %(count)s more") % {"count": len(problems) - len(shown)}
                )
    return lines
