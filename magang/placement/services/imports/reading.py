"""The job orders workbook's columns, and reading its data rows with calamine (problems with
the file as a whole raise ``ImportFileError``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from magang.recruitment.services.imports import SheetRow
from magang.recruitment.services.imports.reading import sheet_read

SHEET_NAME = "job_orders"


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


def orders_read(source: Path | bytes) -> list[SheetRow]:
    """The data rows of the ``job_orders`` sheet (or the first sheet), keyed by column name.
    Raises ``ImportFileError`` for problems with the file as a whole."""
    return sheet_read(source, sheet=SHEET_NAME, columns=NAMES, required=REQUIRED)
