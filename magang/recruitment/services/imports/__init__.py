"""Bulk import of registrations from an XLSX workbook (paper forms typed in by a site).

1. ``import_store`` keeps an upload privately under a random token tied to the uploader and
   the site, after checking its size (before reading it) and that its content is XLSX.
2. ``workbook_read`` reads it with python-calamine, keeping each cell's type, and
   ``import_preview`` checks every row without writing: errors by row and column, warnings,
   duplicates, people already registered in the round, people known from earlier rounds.
3. ``registrations_import`` checks again and writes every row or none, in one transaction.

Rows are checked with the online registration's own ``registration_check`` (a rule is
written once) against reference codes loaded once (``RegionIndex``). Pages, the command
``import_registrations`` and the benchmark all go through these functions.
"""

from .checking import ImportRefused, ImportReport, RowResult, import_preview, report_lines
from .reading import (
    COLUMN_NAMES,
    COLUMNS,
    REQUIRED,
    SHEET_NAME,
    Column,
    ImportFileError,
    Problem,
    Sheet,
    SheetRow,
    file_sha256,
    import_check_size,
    import_check_xlsx,
    max_import_bytes,
    workbook_read,
)
from .template import import_template
from .uploads import StoredImport, access_import, import_discard, import_store, importable_sites
from .writing import AlreadyImported, ImportConflict, registrations_import

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "REQUIRED",
    "SHEET_NAME",
    "AlreadyImported",
    "Column",
    "ImportConflict",
    "ImportFileError",
    "ImportRefused",
    "ImportReport",
    "Problem",
    "RowResult",
    "Sheet",
    "SheetRow",
    "StoredImport",
    "access_import",
    "file_sha256",
    "import_check_size",
    "import_check_xlsx",
    "import_discard",
    "import_preview",
    "import_store",
    "import_template",
    "importable_sites",
    "max_import_bytes",
    "registrations_import",
    "report_lines",
    "workbook_read",
]
