"""An intern's departure checklist: what is missing or will expire too early. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PASSPORT_PAGES = 48


@dataclass(frozen=True)
class Documents:
    passport_number: str = ""
    passport_pages: int | None = None
    passport_expires_on: dt.date | None = None
    training_plan_number: str = ""
    training_plan_certified_on: dt.date | None = None
    coe_number: str = ""
    coe_issued_on: dt.date | None = None
    visa_number: str = ""
    visa_issued_on: dt.date | None = None
    medical_checked_on: dt.date | None = None
    medical_passed: bool | None = None


@dataclass(frozen=True)
class Item:
    key: str
    ok: bool
    text_id: str
    text_en: str


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def checklist(docs: Documents, *, departs_on: dt.date | None, stay_months: int) -> list[Item]:
    """One item per document, in the order they are obtained; ``ok`` False is a warning the
    batch must not leave with."""
    items: list[Item] = []
    if not docs.passport_number:
        items.append(Item("passport", False, "Paspor belum tercatat.", "No passport recorded."))
    elif docs.passport_pages != PASSPORT_PAGES:
        pages = docs.passport_pages or "-"
        items.append(
            Item(
                "passport", False,
                f"Paspor harus {PASSPORT_PAGES} halaman (tercatat: {pages}).",
                f"The passport must have {PASSPORT_PAGES} pages (recorded: {pages}).",
            )
        )  # fmt: skip
    elif docs.passport_expires_on is None:
        items.append(Item("passport", False, "Masa berlaku paspor belum tercatat.",
                          "The passport's expiry is not recorded."))  # fmt: skip
    elif departs_on is not None and docs.passport_expires_on < (
        end := _add_months(departs_on, stay_months)
    ):
        items.append(
            Item(
                "passport", False,
                f"Paspor berakhir {docs.passport_expires_on:%d-%m-%Y}, sebelum akhir masa magang "
                f"{end:%d-%m-%Y}.",
                f"The passport expires on {docs.passport_expires_on:%Y-%m-%d}, before the stay "
                f"ends on {end:%Y-%m-%d}.",
            )
        )  # fmt: skip
    else:
        items.append(Item("passport", True, "Paspor lengkap.", "Passport in order."))
    steps = (
        ("training_plan", docs.training_plan_number, docs.training_plan_certified_on,
         "Rencana pelatihan (OTIT)", "Training plan certified by OTIT"),
        ("coe", docs.coe_number, docs.coe_issued_on,
         "Certificate of Eligibility", "Certificate of eligibility"),
        ("visa", docs.visa_number, docs.visa_issued_on, "Visa", "Visa"),
    )  # fmt: skip
    for key, number, on, name_id, name_en in steps:
        done = bool(number) and on is not None
        items.append(
            Item(key, done, f"{name_id}: {'ada' if done else 'belum ada nomor dan tanggal'}.",
                 f"{name_en}: {'in order' if done else 'number and date missing'}.")
        )  # fmt: skip
    if docs.medical_passed is True and docs.medical_checked_on is not None:
        items.append(Item("medical", True, "Pemeriksaan kesehatan pra-keberangkatan lulus.",
                          "Pre-departure medical passed."))  # fmt: skip
    elif docs.medical_passed is False:
        items.append(Item("medical", False, "Pemeriksaan kesehatan pra-keberangkatan tidak lulus.",
                          "Pre-departure medical not passed."))  # fmt: skip
    else:
        items.append(Item("medical", False, "Pemeriksaan kesehatan pra-keberangkatan belum ada.",
                          "No pre-departure medical yet."))  # fmt: skip
    return items
