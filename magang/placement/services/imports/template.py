"""The workbook to fill in: the user's open job orders, instructions, and the host companies
and trades to choose from."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from magang.accounts.models import Organisation
from magang.recruitment.services.imports.reading import MAX_ROWS, letter
from magang.reference.models import Trade

from ...intake import intake_cap
from ...models import HostTrade, JobOrder, JobOrderState
from .reading import COLUMNS, NAMES, SHEET_NAME


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
