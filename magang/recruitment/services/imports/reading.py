"""The workbook: its columns, checks on the file as a whole, and reading it with calamine."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import operator
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from ...eligibility import DECLARATIONS

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

SHEET_NAME = "registrations"
# A sheet this long is a mistake (or an attack), not a site's paper forms.
MAX_ROWS = 200_000
# The workbook's parts, unzipped, may be this many times the upload limit (zip bombs).
MAX_UNZIPPED_RATIO = 12


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help_en: str
    help_id: str
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("nik", True, "16-digit NIK, in a Text cell (never a number)",
           "NIK 16 digit, sel berformat Teks (bukan angka)", "3216011705030001"),
    Column("full_name", True, "Full name as on the KTP; a single name is fine",
           "Nama lengkap sesuai KTP; satu kata boleh", "Budi"),
    Column("family_name", False, "Family name, if any", "Nama keluarga, jika ada", "Santoso"),
    Column("sex", True, "M (male) or F (female); L and P are understood too",
           "M (laki-laki) atau F (perempuan); L dan P juga diterima", "M"),
    Column("birth_date", True, "A Date cell, or text YYYY-MM-DD",
           "Sel Tanggal, atau teks TTTT-BB-HH", "2003-05-17"),
    Column("birth_place", False, "Place of birth", "Tempat lahir", "Bekasi"),
    Column("province_code", True, "Province of domicile, Kemendagri code",
           "Provinsi domisili, kode Kemendagri", "32"),
    Column("regency_code", False, "Regency or city, Kemendagri code with a dot, in a Text cell",
           "Kabupaten/kota, kode Kemendagri dengan titik, sel berformat Teks", "32.16"),
    Column("address", False, "Address", "Alamat", "Jl. Melati 5, Cikarang"),
    Column("phone", False, "Phone number, in a Text cell (keeps the leading 0)",
           "Nomor telepon, sel berformat Teks (agar angka 0 di depan tetap ada)",
           "081234567890"),
    Column("email", False, "E-mail address", "Alamat e-mail", "budi@example.com"),
    Column("education", False, "Highest education: sd, smp, sma, smk, d1, d2, d3, d4, s1, s2",
           "Pendidikan terakhir: sd, smp, sma, smk, d1, d2, d3, d4, s1, s2", "smk"),
    Column("education_institution", False, "School or institution",
           "Sekolah atau lembaga pendidikan", "SMK Negeri 1 Cikarang"),
    Column("graduation_year", False, "Year of graduation", "Tahun lulus", "2021"),
    Column("height_cm", False, "Height in whole centimetres", "Tinggi badan (cm, bulat)", "165"),
    Column("weight_kg", False, "Weight in kilograms (rounded to one decimal)",
           "Berat badan dalam kg (dibulatkan ke satu desimal)", "58.5"),
    Column("declarations", False,
           "Declarations the person signed, comma-separated: " + ", ".join(DECLARATIONS),
           "Pernyataan yang ditandatangani, dipisah koma: " + ", ".join(DECLARATIONS),
           "no_previous_participation, no_tattoo"),
)  # fmt: skip
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED = frozenset(column.name for column in COLUMNS if column.required)


@dataclass(frozen=True)
class Problem:
    """One finding. ``row`` is the row number as Excel shows it (the header is row 1);
    ``column`` is the column's name (empty for the row as a whole)."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportFileError(ValidationError):
    """The file as a whole cannot be imported (too big, not XLSX, wrong headers...)."""


@dataclass(frozen=True)
class SheetRow:
    """One non-empty data row: its number as Excel shows it and its cells by column name."""

    number: int
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class Sheet:
    rows: list[SheetRow]
    letters: Mapping[str, str]  # column name -> column letter in this file


def max_import_bytes() -> int:
    return int(getattr(settings, "MAGANG_MAX_IMPORT_BYTES", 40 * 1024 * 1024))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def import_check_size(size: int | None) -> None:
    """Refuse a file by its announced size, before reading a byte of it."""
    limit = max_import_bytes()
    if size is not None and size > limit:
        raise ImportFileError(
            _(
                "The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller "
                "files and import them one after the other."
            )
            % {"size": megabytes(size), "limit": megabytes(limit)},
            code="too_large",
        )


def import_check_xlsx(path: Path) -> None:
    """Refuse anything that is not an XLSX workbook by its content, whatever its name."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise ImportFileError(_("The file is empty."), code="empty")
    if not head.startswith(b"PK\x03\x04"):
        raise ImportFileError(_not_xlsx_message(head), code="not_xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ImportFileError(
            _(
                "The file is damaged: it starts like a workbook but cannot be opened. Save it "
                "again from Excel as .xlsx."
            ),
            code="damaged",
        ) from None
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        hint = (
            _("It is an OpenDocument spreadsheet (.ods).")
            if "content.xml" in names
            else _("It is a ZIP archive, not a workbook.")
        )
        raise ImportFileError(
            _(
                "This file is not an Excel workbook (.xlsx), whatever its name says. %(hint)s "
                'Save it from Excel or LibreOffice as "Excel Workbook (.xlsx)".'
            )
            % {"hint": hint},
            code="not_xlsx",
        )
    if sum(part.file_size for part in parts) > max_import_bytes() * MAX_UNZIPPED_RATIO:
        raise ImportFileError(
            _("The workbook unpacks to far more data than a list of registrations holds."),
            code="too_large",
        )


def _not_xlsx_message(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        what = _("It is a PDF document.")
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what = _(
            "It is an old Excel 97-2003 file (.xls) or a password-protected workbook; save it "
            "as .xlsx without a password."
        )
    elif all(32 <= b < 127 or b in b"\t\r\n" for b in head):
        what = _("It looks like a text or CSV file.")
    else:
        what = ""
    message = _(
        "This file is not an Excel workbook (.xlsx), whatever its name says. %(what)s Download "
        "the template, fill it in and upload that."
    ) % {"what": what}
    return message.replace("  ", " ")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Bulk work on a sheet makes millions of small objects and no reference cycles; the
    cyclic garbage collector would rescan them ever more often, for nothing (a fifth of the
    import's time on the benchmark). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sheet_grid(source: Path | bytes, sheet: str) -> Sequence[Sequence[Cell]]:
    """Every row of the sheet named ``sheet`` (or the first sheet), cells with their types;
    an unreadable file raises ``ImportFileError``."""
    try:
        if isinstance(source, bytes):
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            workbook = CalamineWorkbook.from_path(str(source))
        sheets = workbook.sheet_names
        chosen = next((n for n in sheets if n.strip().lower() == sheet), sheets[0])
        # Keep leading empty rows and columns, so row numbers are the ones Excel shows.
        grid = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise ImportFileError(
            _("The workbook could not be read (%(error)s). Save it again from Excel as .xlsx.")
            % {"error": str(exc)[:200]},
            code="unreadable",
        ) from None
    return grid


@paused_gc()
def workbook_read(source: Path | bytes) -> Sheet:
    """The data rows of the workbook's ``registrations`` sheet (or its first sheet).

    The first non-empty row holds the column names. Cell values keep their types: text,
    numbers, dates. Raises ``ImportFileError`` for problems with the file as a whole.
    """
    grid = sheet_grid(source, SHEET_NAME)
    header_index = next((i for i, row in enumerate(grid) if not _blank_row(row)), None)
    if header_index is None:
        raise ImportFileError(
            _(
                "The sheet is empty: the first row must hold the column names and the rows "
                "below it one registration each."
            ),
            code="empty",
        )
    if len(grid) - header_index - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it.") % {"max": f"{MAX_ROWS:,}"},
            code="too_many_rows",
        )
    positions, letters = _header(grid[header_index], header_index + 1)
    names = tuple(positions)
    columns = tuple(positions.values())
    pick = operator.itemgetter(*columns)  # several columns (the required ones at least)
    width = max(len(row) for row in grid)
    unnamed = [j for j in range(width) if j not in set(columns)]
    rows: list[SheetRow] = []
    for index in range(header_index + 1, len(grid)):
        values = grid[index]
        if len(values) < width:
            values = [*values, *[""] * (width - len(values))]
        stray = next((j for j in unnamed if not blank(values[j])), None)
        if stray is not None:
            raise ImportFileError(
                _(
                    "Row %(row)s has a value in column %(letter)s, which has no name in the "
                    "header row. Name the column or clear it."
                )
                % {"row": index + 1, "letter": letter(stray)},
                code="headers",
            )
        picked = pick(values)
        if not _blank_row(picked):
            rows.append(SheetRow(number=index + 1, cells=dict(zip(names, picked, strict=True))))
    if not rows:
        raise ImportFileError(
            _("The sheet has column names but no registrations below them."), code="empty"
        )
    return Sheet(rows=rows, letters=letters)


def _header(values: Sequence[Cell], number: int) -> tuple[dict[str, int], dict[str, str]]:
    positions: dict[str, int] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for j, value in enumerate(values):
        if blank(value):
            continue
        name = re.sub(r"\s+", "_", str(value).strip().lower()).rstrip("*")
        if name not in COLUMN_NAMES:
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
            % {"names": ", ".join(unknown), "columns": ", ".join(COLUMN_NAMES)}
        )
    missing = [name for name in COLUMN_NAMES if name in REQUIRED and name not in positions]
    if missing:
        problems.append(
            _(
                "Missing required column(s): %(names)s. Row %(row)s must hold the column "
                "names, as in the template."
            )
            % {"names": ", ".join(missing), "row": number}
        )
    if problems:
        raise ImportFileError(problems, code="headers")
    return positions, {name: letter(j) for name, j in positions.items()}


def letter(index: int) -> str:
    """The spreadsheet's letter for a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def blank(value: Cell) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _blank_row(values: Iterable[Cell]) -> bool:
    return all(map(blank, values))


def column_name(value: Cell) -> str:
    """A header cell as a column name: lower case, spaces as underscores, no trailing ``*``
    (the templates mark required columns with one)."""
    return re.sub(r"\s+", "_", str(value).strip().lower()).rstrip("*")


@paused_gc()
def sheet_read(
    source: Path | bytes, *, sheet: str, columns: Sequence[str], required: Sequence[str]
) -> list[SheetRow]:
    """The data rows of a template's sheet named ``sheet`` (or the first sheet), keyed by
    column name: the first non-empty row names the columns, which must be among ``columns``
    and include ``required``; empty rows are skipped. Every problem with the file as a whole
    (unreadable, empty, too many rows, unknown, repeated or missing columns, a value under no
    column) raises ``ImportFileError``. The stage results, training scores and job orders
    imports read their sheets with it."""
    grid = sheet_grid(source, sheet)
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
    positions = _template_header(grid[header_index], header_index + 1, columns, required)
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


def _template_header(
    values: Sequence[Cell], number: int, columns: Sequence[str], required: Sequence[str]
) -> dict[str, int]:
    positions: dict[str, int] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for j, value in enumerate(values):
        if blank(value):
            continue
        name = column_name(value)
        if name not in columns:
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
            % {"names": ", ".join(unknown), "columns": ", ".join(columns)}
        )
    missing = [name for name in required if name not in positions]
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
