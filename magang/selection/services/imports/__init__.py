"""Importing one stage's results at one selection site from an XLSX workbook.

1. ``results_template``: the workbook to fill in, one row per person in the running
   (registration number and name), one column per value, and ``note`` and ``reason``.
2. The upload is kept, size- and content-checked, with the registration import's
   ``import_store`` (its generic parts are reused here, not copied).
3. ``results_read`` reads the sheet with calamine; ``results_preview`` checks every row and
   writes nothing: problems by row and column, rows that would be new, changed or unchanged.
4. ``results_import`` checks again and records every row through ``result_record``, or none,
   in one transaction. Importing the same file again finds every row unchanged.

``reading`` holds the columns and the reading, ``template`` the workbook to fill in,
``checking`` the preview and ``writing`` the import.
"""

from magang.recruitment.services.imports.versioned import BLANK, CHANGED, ERROR, NEW, UNCHANGED

from .checking import (
    LOOKUP_BATCH,
    ResultRow,
    ResultsChanged,
    ResultsImportRefused,
    ResultsReport,
    results_preview,
)
from .reading import (
    NAME,
    NOTE,
    NOTE_LENGTH,
    REASON,
    REASON_LENGTH,
    REGISTRATION,
    SHEET_NAME,
    results_read,
    template_columns,
    value_columns,
)
from .template import results_template
from .writing import results_import

__all__ = [
    "BLANK",
    "CHANGED",
    "ERROR",
    "LOOKUP_BATCH",
    "NAME",
    "NEW",
    "NOTE",
    "NOTE_LENGTH",
    "REASON",
    "REASON_LENGTH",
    "REGISTRATION",
    "SHEET_NAME",
    "UNCHANGED",
    "ResultRow",
    "ResultsChanged",
    "ResultsImportRefused",
    "ResultsReport",
    "results_import",
    "results_preview",
    "results_read",
    "results_template",
    "template_columns",
    "value_columns",
]
