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
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook

from magang.accounts.models import Organisation, Role, User
from magang.accounts.scopes import scope_for
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
from magang.reference.models import Prefecture, Trade

from ..intake import intake_cap
from ..models import HostTrade, JapaneseLevel, JobOrder, JobOrderState, SexRequirement
from ..selectors.orders import editable_host_companies
from .orders import JobOrderData, job_order_save

IMPORT_ROLES = (Role.PARTNER, Role.CENTRAL_TEAM)
SHEET_NAME = "job_orders"
NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"


@dataclass(frozen=True)
class OrderColumn:
    name: str
    required: bool
    help: str | Promise
    example: str


COLUMNS: tuple[OrderColumn, ...] = (
    OrderColumn("reference", True, gettext_lazy(
        "Your reference for the job order, unique. A reference already imported changes that "
        "job order (or leaves it as it is)."), "SS-2027-01"),
    OrderColumn("host_company", True, gettext_lazy(
        "The host company's name as registered: one of yours (sheet companies)."),
        "Sendai Seiko"),
    OrderColumn("trade_code", True, gettext_lazy(
        "OTIT trade code group-job-operation, in a Text cell (sheet trades)."), "6-1-1"),
    OrderColumn("prefecture_code", True, gettext_lazy(
        "Prefecture of the workplace, JIS code 01-47 (Miyagi = 04)."), "04"),
    OrderColumn("slots", True, gettext_lazy("Interns wanted, a whole number."), "2"),
    OrderColumn("planned_start", True, gettext_lazy(
        "Planned start in Japan: a Date cell, or text YYYY-MM-DD."), "2027-07-01"),
    OrderColumn("interview_on", False, gettext_lazy(
        "Interview date, before the start: a Date cell, or text YYYY-MM-DD."), "2027-02-01"),
    OrderColumn("sex", False, gettext_lazy("M (men only), F (women only), or empty (any)."), ""),
    OrderColumn("min_age", False, gettext_lazy("Minimum age at the start, if any."), "18"),
    OrderColumn("max_age", False, gettext_lazy("Maximum age at the start, if any."), "26"),
    OrderColumn("min_height_cm", False, gettext_lazy("Minimum height in cm, if any."), "158"),
    OrderColumn("japanese_level", False, gettext_lazy(
        "Japanese level asked: N5, N4 or A2 (JFT-Basic), or empty."), "N4"),
    OrderColumn("notes", False, gettext_lazy("Anything else candidates should know."), ""),
)  # fmt: skip
NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
FIELDS = ("trade", "prefecture", "slots", "planned_start", "interview_on", "sex", "min_age",
          "max_age", "min_height_cm", "japanese_level", "notes")  # fmt: skip


def may_import_orders(user: Any) -> bool:
    return scope_for(user).has_role(*IMPORT_ROLES)


# --- The workbook ---------------------------------------------------------------------------


def orders_template(*, companies: Sequence[Organisation]) -> bytes:
    """The workbook: the open job orders of ``companies`` (so a file can be changed and
    imported again), an instructions sheet, the companies and the trades."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(list(NAMES))
    for index, name in enumerate(NAMES):
        sheet[f"{letter(index)}1"].font = Font(bold=True)
        sheet.column_dimensions[letter(index)].width = {"host_company": 30, "notes": 40}.get(
            name, 16
        )
    orders = JobOrder.objects.filter(host_company__in=companies, state=JobOrderState.OPEN)
    for order in orders.select_related("host_company", "trade", "prefecture").order_by(
        "planned_start", "reference"
    )[:MAX_ROWS]:
        sheet.append([
            order.reference, order.host_company.name, order.trade.code, order.prefecture.code,
            order.slots, order.planned_start, order.interview_on, order.sex or None,
            order.min_age, order.max_age, order.min_height_cm, order.japanese_level or None,
            order.notes or None,
        ])  # fmt: skip
    last = max(sheet.max_row, 500)
    for row in range(2, last + 1):
        for number in (1, 3, 4):  # reference, trade and prefecture codes stay text
            sheet.cell(row=row, column=number).number_format = "@"
        for number in (6, 7):
            sheet.cell(row=row, column=number).number_format = "yyyy-mm-dd"
    for position, values in ((7, '"M,F"'), (11, '"N5,N4,A2"')):
        validation = DataValidation(type="list", formula1=values, allow_blank=True)
        sheet.add_data_validation(validation)
        validation.add(f"{letter(position)}2:{letter(position)}{last}")
    whole = DataValidation(type="whole", operator="between", formula1="1", formula2="999",
                           allow_blank=True)  # fmt: skip
    sheet.add_data_validation(whole)
    whole.add(f"E2:E{last}")

    wrap = Alignment(wrap_text=True, vertical="top")
    guide = workbook.create_sheet("instructions")
    guide.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    guide.append([
        "", "", _("One row per job order, from row 2; keep row 1 as it is. Upload the file on "
        "the import page: every row is checked and nothing is written until you confirm; then "
        "every row is written, or none. Uploading the same file again changes nothing."), "",
    ])  # fmt: skip
    for column in COLUMNS:
        guide.append([column.name, _("yes") if column.required else "", str(column.help),
                      column.example])  # fmt: skip
    for name, width in (("A", 18), ("B", 10), ("C", 80), ("D", 14)):
        guide.column_dimensions[name].width = width
    companies_sheet = workbook.create_sheet("companies")
    companies_sheet.append([_("Host company"), _("Supervising organisation"), _("Staff"),
                            _("Interns a year (OTIT cap)"), _("Trades")])  # fmt: skip
    codes: dict[int, list[str]] = {}
    for company_id, code in HostTrade.objects.filter(host_company__in=companies).values_list(
        "host_company_id", "trade__code"
    ):
        codes.setdefault(company_id, []).append(code)
    for company in companies:
        trades = ", ".join(sorted(codes.get(company.pk, [])))
        cap = intake_cap(company.staff_count) if company.staff_count is not None else None
        companies_sheet.append([company.name, str(company.parent or ""), company.staff_count,
                                cap, trades])  # fmt: skip
    companies_sheet.column_dimensions["A"].width = 32
    trades_sheet = workbook.create_sheet("trades")
    trades_sheet.append(["code", "name_en", "name_ja", "name_id"])
    for trade in Trade.objects.order_by("code"):
        trades_sheet.append([trade.code, trade.name_en, trade.name_ja, trade.name_id])
    for extra in (guide, companies_sheet, trades_sheet):
        for row in extra.iter_rows():
            for cell in row:
                cell.alignment = wrap
        for cell in extra[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading ----------------------------------------------------------------------------------


def _header_name(value: Cell) -> str:
    return re.sub(r"\s+", "_", str(value).strip().lower()).rstrip("*")


@paused_gc()
def orders_read(source: Path | bytes) -> list[SheetRow]:
    """The data rows of the ``job_orders`` sheet (or the first sheet), keyed by column name.
    Raises ``ImportFileError`` for problems with the file as a whole."""
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
    header = next((i for i, row in enumerate(grid) if not all(map(blank, row))), None)
    if header is None:
        raise ImportFileError(
            _("The sheet is empty: the first row must hold the column names."), code="empty"
        )
    if len(grid) - header - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it.") % {"max": f"{MAX_ROWS:,}"},
            code="too_many_rows",
        )
    positions = _positions(grid[header], header + 1)
    rows: list[SheetRow] = []
    for index in range(header + 1, len(grid)):
        values = grid[index]
        for j, value in enumerate(values):
            if j not in positions.values() and not blank(value):
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


def _positions(values: Sequence[Cell], number: int) -> dict[str, int]:
    positions: dict[str, int] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for j, value in enumerate(values):
        if blank(value):
            continue
        name = _header_name(value)
        if name not in NAMES:
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
            _("Unknown column(s): %(names)s. The columns are: %(columns)s.")
            % {"names": ", ".join(unknown), "columns": ", ".join(NAMES)}
        )
    missing = [n for n in REQUIRED if n not in positions]
    if missing:
        problems.append(
            _("Missing column(s): %(names)s. Row %(row)s must hold the column names.")
            % {"names": ", ".join(missing), "row": number}
        )
    if problems:
        raise ImportFileError(problems, code="headers")
    return positions


# --- Cells --------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(value: Cell, limit: int) -> str:
    if isinstance(value, bool):
        raise CellError(_("Expected text, found TRUE or FALSE."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        raise CellError(
            _("Excel made this a date: format the column as Text and type the value again.")
        )
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise CellError(
            _("At most %(max)s characters; this has %(count)s.")
            % {"max": limit, "count": len(text)}
        )
    return text


def _whole(value: Cell) -> int | None:
    if blank(value):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 32767:
        raise CellError(_("Expected a whole number."))
    return value


def _date(value: Cell) -> dt.date | None:
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CellError(_("Expected a Date cell, or text YYYY-MM-DD."))


def _choice(value: Cell, allowed: Mapping[str, str]) -> str:
    text = _text(value, 20).upper()
    if text not in allowed:
        raise CellError(
            _("Expected one of: %(values)s, or empty.")
            % {"values": ", ".join(sorted(set(allowed) - {""}))}
        )
    return allowed[text]


SEXES = {"": SexRequirement.ANY.value, "M": SexRequirement.MEN.value, "L": "M",
         "F": SexRequirement.WOMEN.value, "P": "F"}  # fmt: skip
LEVELS = {v: v for v in JapaneseLevel.values}


def _name_key(name: str) -> str:
    return " ".join(name.lower().split())


# --- Checking and writing -----------------------------------------------------------------------


@dataclass
class OrderRow:
    """One row of the file and what importing it does."""

    row: int
    reference: str
    host_company: str = ""
    status: str = NEW
    order_id: int | None = None


@dataclass
class OrdersReport:
    rows: list[OrderRow]
    errors: list[Problem] = field(default_factory=list)

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
    def to_write(self) -> int:
        return self.new + self.changed

    @property
    def ok(self) -> bool:
        return not self.errors


class OrdersImportRefused(ValidationError):
    """Some rows have problems: nothing was written."""

    def __init__(self, report: OrdersReport) -> None:
        self.report = report
        super().__init__(
            _("%(count)s problem(s) in the file; nothing was imported.")
            % {"count": len(report.errors)},
            code="import_refused",
        )


@dataclass
class _Parsed:
    company: Organisation | None = None
    data: JobOrderData | None = None
    problems: list[Problem] = field(default_factory=list)


def _parse(
    row: SheetRow,
    companies: Mapping[str, Organisation],
    trades: Mapping[str, Trade],
    prefectures: Mapping[str, Prefecture],
) -> _Parsed:
    cells, number = row.cells, row.number
    parsed = _Parsed()
    values: dict[str, Any] = {}

    def cell(name: str, read: Any) -> None:
        try:
            values[name] = read(cells.get(name))
        except CellError as exc:
            parsed.problems.append(Problem(number, name, str(exc)))
            return
        if name in REQUIRED and values[name] in (None, ""):
            parsed.problems.append(Problem(number, name, _("This cell is required.")))

    cell("reference", lambda v: _text(v, 40))
    cell("host_company", lambda v: _text(v, 200))
    cell("trade_code", lambda v: _text(v, 12))
    cell("prefecture_code", lambda v: _text(v, 2).zfill(2) if not blank(v) else "")
    cell("slots", _whole)
    for name in ("planned_start", "interview_on"):
        cell(name, _date)
    cell("sex", lambda v: _choice(v, SEXES))
    for name in ("min_age", "max_age", "min_height_cm"):
        cell(name, _whole)
    cell("japanese_level", lambda v: _choice(v, LEVELS))
    cell("notes", lambda v: _text(v, 2000))
    lookups = (
        ("host_company", companies, _name_key, _("Not one of the host companies you send job "
                                                 "orders for (sheet companies).")),
        ("trade_code", trades, str, _("No trade has this code (sheet trades).")),
        ("prefecture_code", prefectures, str, _("No prefecture has this code (01-47).")),
    )  # fmt: skip
    found: dict[str, Any] = {}
    for name, table, key, message in lookups:
        if values.get(name):
            found[name] = table.get(key(values[name]))
            if found[name] is None:
                parsed.problems.append(Problem(number, name, message))
    if parsed.problems:
        return parsed
    parsed.company = found["host_company"]
    parsed.data = JobOrderData(
        reference=values["reference"], trade=found["trade_code"],
        prefecture=found["prefecture_code"], slots=values["slots"],
        planned_start=values["planned_start"], sex=values["sex"], min_age=values["min_age"],
        max_age=values["max_age"], min_height_cm=values["min_height_cm"],
        japanese_level=values["japanese_level"], interview_on=values["interview_on"],
        notes=values["notes"],
    )  # fmt: skip
    return parsed


def _same(order: JobOrder, data: JobOrderData) -> bool:
    return all(
        getattr(order, f"{name}_id" if name in ("trade", "prefecture") else name)
        == (getattr(data, name).pk if name in ("trade", "prefecture") else getattr(data, name))
        for name in FIELDS
    )


def _companies(user: Any) -> list[Organisation]:
    if not may_import_orders(user):
        return []
    return list(editable_host_companies(user=user))


def _apply(*, user: User, rows: Sequence[SheetRow]) -> OrdersReport:
    """Check every row and save the new and changed ones through ``job_order_save``; the
    caller keeps or rolls back."""
    editable = _companies(user)
    companies: dict[str, Organisation] = {}
    for company in editable:
        for name in (company.name, company.short_name):
            if name:
                companies.setdefault(_name_key(name), company)
    trades = {t.code: t for t in Trade.objects.all()}
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    references = {_text_or_blank(r.cells.get("reference")) for r in rows} - {""}
    existing = {o.reference: o for o in JobOrder.objects.filter(reference__in=references)}
    ids = {c.pk for c in editable}
    report = OrdersReport(rows=[])
    first_row: dict[str, int] = {}
    for sheet_row in rows:
        parsed = _parse(sheet_row, companies, trades, prefectures)
        line = OrderRow(
            row=sheet_row.number, reference=_text_or_blank(sheet_row.cells.get("reference"))
        )
        report.rows.append(line)
        problems = parsed.problems
        if line.reference and line.reference in first_row:
            problems.append(Problem(line.row, "reference", _(
                "%(reference)s is also in row %(first)s: one row per job order."
            ) % {"reference": line.reference, "first": first_row[line.reference]}))  # fmt: skip
        first_row.setdefault(line.reference, line.row)
        order = existing.get(line.reference)
        if not problems and parsed.company is not None and parsed.data is not None:
            line.host_company = parsed.company.name
            problems = _write(line, order, parsed.company, parsed.data, ids, user)
        if problems:
            line.status = ERROR
            report.errors.extend(problems)
    return report


def _text_or_blank(value: Cell) -> str:
    try:
        return _text(value, 40)
    except CellError:
        return ""


def _write(
    line: OrderRow,
    order: JobOrder | None,
    company: Organisation,
    data: JobOrderData,
    editable: set[int],
    user: User,
) -> list[Problem]:
    if order is not None:
        line.order_id = order.pk
        if order.host_company_id not in editable:
            return [Problem(line.row, "reference", _(
                "This reference is already used by a job order you may not change."))]  # fmt: skip
        if order.host_company_id != company.pk:
            return [Problem(line.row, "host_company", _(
                "%(reference)s is a job order of %(company)s; it cannot move to another company."
            ) % {"reference": order.reference, "company": order.host_company})]  # fmt: skip
        if _same(order, data):
            line.status = UNCHANGED
            return []
        if order.state != JobOrderState.OPEN:
            return [Problem(line.row, "reference", _(
                "%(reference)s is %(state)s and can no longer change."
            ) % {"reference": order.reference, "state": order.get_state_display()})]  # fmt: skip
        line.status = CHANGED
    try:
        with transaction.atomic():
            saved = job_order_save(host_company=company, data=data, by=user, order=order)
    except PermissionDenied:
        return [Problem(line.row, "host_company", _("You may not send job orders for it."))]
    except ValidationError as exc:
        return [Problem(line.row, "", message) for message in exc.messages]
    line.order_id = saved.pk
    return []


def orders_preview(*, user: User, rows: Sequence[SheetRow]) -> OrdersReport:
    """Check every row exactly as ``orders_import`` would, and write nothing."""
    with transaction.atomic():
        report = _apply(user=user, rows=rows)
        transaction.set_rollback(True)
    for line in report.rows:
        if line.status == NEW:
            line.order_id = None  # rolled back
    return report


@paused_gc()
@transaction.atomic
def orders_import(*, user: User, rows: Sequence[SheetRow]) -> OrdersReport:
    """Save every new and changed row, or none: ``OrdersImportRefused`` (with the report)
    when any row has a problem. ``PermissionDenied`` for users who do not import."""
    if not may_import_orders(user):
        raise PermissionDenied
    report = _apply(user=user, rows=rows)
    if report.errors:
        raise OrdersImportRefused(report)
    return report


# --- The upload, kept until its commit ----------------------------------------------------------


@dataclass(frozen=True)
class StoredOrders:
    token: str
    path: Path
    user_id: int
    file_name: str


def _directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "placement-orders"


def order_upload_store(
    *, upload: IO[bytes], size: int | None, user: User, file_name: str
) -> StoredOrders:
    """Keep an upload privately for its preview: the size is checked before reading (and
    again while copying), then the content must be an XLSX workbook.

    Raises ``ImportFileError`` (nothing is kept) or ``PermissionDenied``.
    """
    if not may_import_orders(user):
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
    stored = StoredOrders(token=token, path=path, user_id=user.pk,
                          file_name=Path(file_name).name[:200])  # fmt: skip
    meta = {"user": user.pk, "file_name": stored.file_name}
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return stored


def access_order_upload(*, user: Any, token: str) -> StoredOrders:
    """The stored upload if it is this user's and they still import; ``Http404`` otherwise
    (missing and not yours alike)."""
    if not TOKEN.fullmatch(token) or not user.is_authenticated:
        raise Http404("No such import.")
    path = _directory() / f"{token}.xlsx"
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404("No such import.") from None
    if meta.get("user") != user.pk or not may_import_orders(user) or not path.exists():
        raise Http404("No such import.")
    return StoredOrders(token=token, path=path, user_id=user.pk,
                        file_name=str(meta.get("file_name", "")))  # fmt: skip


def order_upload_discard(stored: StoredOrders) -> None:
    stored.path.unlink(missing_ok=True)
    stored.path.with_suffix(".json").unlink(missing_ok=True)
