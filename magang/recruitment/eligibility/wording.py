"""How the reasons write numbers, durations and dates, in English and Indonesian. Pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .vocabulary import Measure

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _number(value: Measure) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _duration_en(months: int) -> str:
    years, rest = divmod(months, 12)
    text = f"{years} year" + ("" if years == 1 else "s")
    if rest:
        text += f" {rest} month" + ("" if rest == 1 else "s")
    return text


def _duration_id(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} tahun" + (f" {rest} bulan" if rest else "")


def _date_en(day: date) -> str:
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def _date_id(day: date) -> str:
    return f"{day.day} {_MONTHS_ID[day.month - 1]} {day.year}"
