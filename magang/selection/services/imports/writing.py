"""Writing a checked results file: every new and changed row through ``result_record``,
all or none, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.services.imports import Problem, SheetRow
from magang.recruitment.services.imports.reading import paused_gc
from magang.recruitment.services.imports.versioned import CHANGED, NEW

from ...selectors import GridAccess
from ..results import result_record
from .checking import (
    ResultsChanged,
    ResultsImportRefused,
    ResultsReport,
    results_preview,
)


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
