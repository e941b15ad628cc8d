"""Spreadsheets for the import tests, good and bad, written with openpyxl as Excel would."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from itertools import count
from typing import Any

from openpyxl import Workbook

from magang.recruitment.services.imports import COLUMN_NAMES

_serial = count(1)


def nik(
    *, district: str = "321699", birth: dt.date = dt.date(2003, 5, 17), female: bool = False
) -> str:
    """A valid NIK of Kab. Bekasi (32.16) whose serial is unique within the test run."""
    day = birth.day + (40 if female else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{next(_serial):04d}"


def person(**overrides: Any) -> dict[str, Any]:
    """One valid row, as an officer types it from a paper form."""
    row: dict[str, Any] = {
        "nik": nik(),
        "full_name": "Budi",
        "family_name": "Santoso",
        "sex": "M",
        "birth_date": dt.date(2003, 5, 17),
        "birth_place": "Bekasi",
        "province_code": "32",
        "regency_code": "32.16",
        "address": "Jl. Melati 5, Cikarang",
        "phone": "081234567890",
        "email": "budi@example.com",
        "education": "smk",
        "education_institution": "SMK Negeri 1 Cikarang",
        "graduation_year": 2021,
        "height_cm": 165,
        "weight_kg": 58.5,
        "declarations": "no_previous_participation, no_tattoo",
    }
    row.update(overrides)
    return row


def xlsx(
    rows: Sequence[Mapping[str, Any]],
    *,
    header: Sequence[str] = COLUMN_NAMES,
    text_columns: Sequence[str] = ("nik", "phone", "regency_code"),
    sheet_title: str = "registrations",
) -> bytes:
    """A workbook with ``header`` in row 1 and ``rows`` below it, formatted like the template.

    Values keep their Python type, so a NIK given as an int becomes a numeric cell, as when
    someone types it into a General column.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(name) for name in header])
    for index, name in enumerate(header, start=1):
        if name in text_columns:
            for line in range(2, len(rows) + 2):
                cell = sheet.cell(row=line, column=index)
                if isinstance(cell.value, str):
                    cell.number_format = "@"
        if name == "birth_date":
            for line in range(2, len(rows) + 2):
                cell = sheet.cell(row=line, column=index)
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CSV = b"nik,full_name,sex,birth_date,province_code\n3216011705030001,Budi,M,2003-05-17,32\n"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
