"""The XLSX template officers download and fill in, with its instructions in two languages."""

from __future__ import annotations

import io

from .reading import COLUMN_NAMES, COLUMNS, SHEET_NAME, letter

# Columns formatted as Text, so Excel keeps their digits and leading zeros as typed.
TEXT_COLUMNS = frozenset({"nik", "phone", "province_code", "regency_code", "declarations"})
PREPARED_ROWS = 1000

GUIDE = (
    (
        "How to fill in",
        "One row per person on the sheet 'registrations', from row 2. Keep row 1 as it is. "
        "Upload the file on the import page: every row is checked and nothing is written "
        "until you confirm; then every row is written, or none. Uploading the same file again "
        "changes nothing; a corrected file adds only the rows that are new.",
        "Satu baris per orang di lembar 'registrations', mulai baris 2. Jangan ubah baris 1. "
        "Unggah berkas di halaman impor: semua baris diperiksa dan tidak ada yang disimpan "
        "sebelum Anda mengonfirmasi; lalu semua baris disimpan, atau tidak sama sekali. "
        "Mengunggah berkas yang sama lagi tidak mengubah apa pun; berkas yang diperbaiki hanya "
        "menambah baris yang baru.",
    ),
    (
        "Text cells",
        "NIK and phone numbers must be Text cells: Excel turns a 16-digit number into "
        "3.21601E+15 and loses the last digits, and drops a phone number's leading 0. The "
        "template's columns are already formatted as Text; paste with 'values only'.",
        "NIK dan nomor telepon harus sel Teks: Excel mengubah angka 16 digit menjadi "
        "3.21601E+15 dan menghilangkan digit terakhir, serta membuang angka 0 di depan nomor "
        "telepon. Kolom di templat sudah berformat Teks; tempel dengan 'nilai saja'.",
    ),
    (
        "Dates",
        "A Date cell, or text written YYYY-MM-DD (2003-05-17). DD/MM/YYYY and MM/DD/YYYY are "
        "refused: 05/06/2003 could be either.",
        "Sel Tanggal, atau teks TTTT-BB-HH (2003-05-17). HH/BB/TTTT dan BB/HH/TTTT ditolak: "
        "05/06/2003 bisa berarti keduanya.",
    ),
    (
        "Consent",
        "Keep the paper form the person signed at the selection site.",
        "Simpan formulir kertas yang ditandatangani peserta di lokasi seleksi.",
    ),
)


def import_template() -> bytes:
    """The workbook: a 'registrations' sheet with the column names in row 1 (NIK, phone and
    region codes formatted as Text, birth dates as dates) and an 'instructions' sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(list(COLUMN_NAMES))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        name = letter(index)
        sheet[f"{name}1"].font = Font(bold=True)
        sheet.column_dimensions[name].width = max(14, len(column.example) + 4)
        number_format = "@" if column.name in TEXT_COLUMNS else None
        if column.name == "birth_date":
            number_format = "yyyy-mm-dd"
        if number_format:
            # The whole column (as Excel formats it) and the rows people type into.
            sheet.column_dimensions[name].number_format = number_format
            for row in range(2, PREPARED_ROWS + 2):
                sheet.cell(row=row, column=index + 1).number_format = number_format
    sex = letter(COLUMN_NAMES.index("sex"))
    validation = DataValidation(type="list", formula1='"M,F"', allow_blank=True)
    sheet.add_data_validation(validation)
    validation.add(f"{sex}2:{sex}{PREPARED_ROWS + 1}")

    guide = workbook.create_sheet("instructions")
    for name, width in zip("ABCDE", (22, 60, 60, 14, 36), strict=True):
        guide.column_dimensions[name].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    guide.append(["", "English", "Bahasa Indonesia"])
    for label, english, indonesian in GUIDE:
        guide.append([label, english, indonesian])
    guide.append([])
    guide.append(["column / kolom", "English", "Bahasa Indonesia", "required / wajib",
                  "example / contoh"])  # fmt: skip
    table_header = guide.max_row
    for column in COLUMNS:
        guide.append([column.name, column.help_en, column.help_id,
                      "yes / ya" if column.required else "", column.example])  # fmt: skip
        guide.cell(row=guide.max_row, column=5).number_format = "@"
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = wrap
            if cell.row in (1, table_header) or cell.column == 1:
                cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
