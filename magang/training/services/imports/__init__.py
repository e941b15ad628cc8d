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

from magang.recruitment.services.imports.versioned import BLANK, CHANGED, ERROR, NEW, UNCHANGED

from .preview import (
    ScoreLine,
    ScoresChanged,
    ScoresImportRefused,
    ScoresReport,
    scores_import,
    scores_preview,
)
from .uploads import StoredScores, access_score_upload, score_upload_discard, score_upload_store
from .workbook import (
    COLUMNS,
    NAME,
    REGISTRATION,
    REQUIRED,
    SCORE,
    SHEET_NAME,
    plain,
    scores_read,
    scores_template,
)

__all__ = [
    "BLANK",
    "CHANGED",
    "COLUMNS",
    "ERROR",
    "NAME",
    "NEW",
    "REGISTRATION",
    "REQUIRED",
    "SCORE",
    "SHEET_NAME",
    "UNCHANGED",
    "ScoreLine",
    "ScoresChanged",
    "ScoresImportRefused",
    "ScoresReport",
    "StoredScores",
    "access_score_upload",
    "plain",
    "score_upload_discard",
    "score_upload_store",
    "scores_import",
    "scores_preview",
    "scores_read",
    "scores_template",
]
