"""Importing job orders from an XLSX workbook, for partners (their host companies) and the
central team, as the selection results import does (``magang.selection.services.imports``)
with the registration import's file checks:

1. ``orders_template``: the workbook to fill in, prefilled with the user's open job orders,
   with instructions and the host companies and trades to choose from.
2. ``order_upload_store`` keeps the upload privately under a random token tied to the
   uploader, after ``import_check_size`` and ``import_check_xlsx``.
3. ``orders_read`` reads the sheet with calamine; ``orders_preview`` checks every row (cells
   by column, then ``job_order_save`` itself, in a transaction rolled back at the end, so
   the cap's arithmetic counts the rows above) and writes nothing.
4. ``orders_import`` does the same and keeps it, all or nothing. A row is matched to a job
   order by its reference: the same file imported twice finds every row unchanged.

``reading`` holds the columns and the reading, ``template`` the workbook to fill in,
``cells`` the reading of one cell, ``checking`` a row's checks and the report, ``writing``
the preview and the import (both save through ``job_order_save``), and ``uploads`` who may
import and the kept upload.
"""

from magang.recruitment.services.imports.versioned import CHANGED, ERROR, NEW, UNCHANGED

from .cells import LEVELS, SEXES, CellError
from .checking import (
    FIELDS,
    OrderRow,
    OrdersImportRefused,
    OrdersReport,
)
from .reading import COLUMNS, NAMES, REQUIRED, SHEET_NAME, OrderColumn, orders_read
from .template import orders_template
from .uploads import (
    IMPORT_ROLES,
    StoredOrders,
    access_order_upload,
    may_import_orders,
    order_upload_discard,
    order_upload_store,
)
from .writing import orders_import, orders_preview

__all__ = [
    "CHANGED",
    "COLUMNS",
    "ERROR",
    "FIELDS",
    "IMPORT_ROLES",
    "LEVELS",
    "NAMES",
    "NEW",
    "REQUIRED",
    "SEXES",
    "SHEET_NAME",
    "UNCHANGED",
    "CellError",
    "OrderColumn",
    "OrderRow",
    "OrdersImportRefused",
    "OrdersReport",
    "StoredOrders",
    "access_order_upload",
    "may_import_orders",
    "order_upload_discard",
    "order_upload_store",
    "orders_import",
    "orders_preview",
    "orders_read",
    "orders_template",
]
