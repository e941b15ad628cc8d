"""From a row's cells to ``RegistrationData``: each cell's type is checked, and every problem
is reported against its column (a NIK that Excel stored as a number has lost digits; a date
as a serial number or in DD/MM order is refused, not guessed)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from ...eligibility import DECLARATIONS
from ..registration import RegistrationData
from .reading import REQUIRED, Cell, SheetRow


class CellError(ValueError):
    pass


def excel_shown(number: float) -> str:
    """A number as Excel's General format shows it: 3216011705030001 -> 3.21601E+15."""
    if abs(number) >= 1e11:
        mantissa, exponent = f"{number:.5E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"
    return str(int(number)) if float(number).is_integer() else repr(number)


_FLOATISH = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+|[+-]?[0-9]+[.,]0+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_OTHER_DATE = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2,4})")
_PROVINCE = re.compile(r"[0-9]{2}")
_REGENCY = re.compile(r"[0-9]{2}\.[0-9]{2}")
_PHONE = re.compile(r"\+?[0-9 ()\-]{6,20}")
_SPLIT = re.compile(r"[,;]")
_email = EmailValidator()
# The validator's own patterns, compiled here: most addresses pass them at once, and only
# the rest go through the full validator (domain literals, international domains).
_EMAIL_USER = re.compile(_email.user_regex.pattern, _email.user_regex.flags)
_EMAIL_DOMAIN = re.compile(_email.domain_regex.pattern, _email.domain_regex.flags)


def _number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: Cell, max_length: int) -> str:
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool):
        raise CellError(_("Expected text, found TRUE or FALSE."))
    elif isinstance(value, int | float):
        text = excel_shown(value)
    else:
        raise CellError(_("Expected text, found a date or time."))
    if len(text) > max_length:
        raise CellError(
            _("At most %(max)s characters; this has %(count)s.")
            % {"max": max_length, "count": len(text)}
        )
    return text


def _lost_digits(shown: str) -> str:
    return _(
        "NIK must be a text cell: %(shown)s has lost digits. Format the column as Text and "
        "type the 16 digits again."
    ) % {"shown": shown}


def _nik(value: Cell) -> str:
    if isinstance(value, str):
        text = value.strip()
        if _FLOATISH.fullmatch(text.lstrip("'")):
            raise CellError(_lost_digits(text))
        return text
    if _number(value):
        raise CellError(_lost_digits(excel_shown(value)))  # type: ignore[arg-type]
    raise CellError(_("NIK must be a text cell of 16 digits."))


_SEXES = {"M": "M", "F": "F", "L": "M", "P": "F"}


def _sex(value: Cell) -> str:
    sex = _SEXES.get(value.strip().upper()) if isinstance(value, str) else None
    if sex is None:
        raise CellError(
            _("Write M (male) or F (female); L or P are understood too, not %(value)s.")
            % {"value": value}
        )
    return sex


def _date(value: Cell) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _number(value):
        raise CellError(
            _(
                "%(value)s is an Excel date serial number, not a date: format the column as "
                "Date, or write the date as text YYYY-MM-DD (for example 2003-05-17)."
            )
            % {"value": excel_shown(value)}  # type: ignore[arg-type]
        )
    if not isinstance(value, str):
        raise CellError(_("Expected a date, found %(value)s.") % {"value": value})
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise CellError(_("%(value)s is not a date that exists.") % {"value": text}) from None
    match = _OTHER_DATE.fullmatch(text)
    if match:
        first, second = int(match[1]), int(match[2])
        if first <= 12 and second <= 12 and first != second:
            raise CellError(
                _(
                    "%(value)s is ambiguous: day/month or month/day? Write dates as YYYY-MM-DD "
                    "(for example 2003-05-17), or format the column as Date."
                )
                % {"value": text}
            )
        raise CellError(
            _(
                "Write dates as YYYY-MM-DD (for example 2003-05-17), or format the column as "
                "Date; %(value)s is in another order."
            )
            % {"value": text}
        )
    if text.isdigit():
        raise CellError(
            _(
                "%(value)s looks like an Excel date serial number: format the column as Date, "
                "or write YYYY-MM-DD."
            )
            % {"value": text}
        )
    raise CellError(
        _("%(value)s is not a date: write it as YYYY-MM-DD (for example 2003-05-17).")
        % {"value": text[:40]}
    )


def _whole(value: Cell) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise CellError(_("A whole number, please, not %(value)s.") % {"value": value})


def _province(value: Cell) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = value.strip() if isinstance(value, str) else ""
    if not _PROVINCE.fullmatch(text):
        raise CellError(
            _("A two-digit province code such as 32, not %(value)s.") % {"value": value}
        )
    return text


def _regency(value: Cell) -> str:
    if _number(value):
        raise CellError(
            _(
                "regency_code must be a text cell such as 32.16: as a number %(value)s may "
                "have lost a trailing 0."
            )
            % {"value": value}
        )
    text = value.strip() if isinstance(value, str) else ""
    if len(text) == 4 and text.isdigit():
        text = f"{text[:2]}.{text[2:]}"
    if not _REGENCY.fullmatch(text):
        raise CellError(
            _("A regency or city code such as 32.16, not %(value)s.") % {"value": value}
        )
    return text


def _phone(value: Cell) -> str:
    if _number(value):
        raise CellError(_("phone must be a text cell: as a number it has lost its leading 0."))
    text = _text(value, 20)
    if not _PHONE.fullmatch(text):
        raise CellError(_("%(value)s is not a phone number.") % {"value": text})
    return text


def _email_address(value: Cell) -> str:
    text = _text(value, 254)
    user, _at, domain = text.rpartition("@")
    if _EMAIL_USER.match(user) and _EMAIL_DOMAIN.match(domain):
        return text
    try:
        _email(text)
    except ValidationError:
        raise CellError(_("%(value)s is not an e-mail address.") % {"value": text}) from None
    return text


def _weight(value: Cell) -> Decimal:
    try:
        if _number(value):
            number = Decimal(str(value))
        elif isinstance(value, str):
            number = Decimal(value.strip().replace(",", "."))
        else:
            raise InvalidOperation
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise CellError(
            _("A weight in kilograms such as 58.5, not %(value)s.") % {"value": value}
        ) from None
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _declarations(value: Cell) -> frozenset[str]:
    if not isinstance(value, str):
        raise CellError(_("Declarations are text: keys separated by commas."))
    keys = frozenset(key.strip().lower() for key in _SPLIT.split(value) if key.strip())
    unknown = sorted(keys.difference(DECLARATIONS))
    if unknown:
        raise CellError(
            _("Unknown declaration(s): %(keys)s. Known: %(known)s.")
            % {"keys": ", ".join(unknown), "known": ", ".join(DECLARATIONS)}
        )
    return keys


def _texts(max_length: int) -> Callable[[Cell], str]:
    def convert(value: Cell) -> str:
        if isinstance(value, str):  # the common case, without a second call
            text = value.strip()
            if len(text) <= max_length:
                return text
        return _text(value, max_length)

    return convert


def _education(value: Cell) -> str:
    return _text(value, 20).lower()  # the level itself is checked with the registration


def _repeated(convert: Callable[[Cell], Any]) -> Callable[[Cell], Any]:
    """For columns with few distinct values (codes, sexes, declarations, weights): each
    value is converted once per process. Errors are not remembered, so messages stay in the
    reader's language."""
    return functools.lru_cache(maxsize=4096, typed=True)(convert)


CONVERTERS: dict[str, Callable[[Cell], Any]] = {
    "nik": _nik,
    "full_name": _texts(150),
    "family_name": _texts(80),
    "sex": _repeated(_sex),
    "birth_date": _date,
    "birth_place": _texts(100),
    "province_code": _repeated(_province),
    "regency_code": _repeated(_regency),
    "address": _texts(500),
    "phone": _phone,
    "email": _email_address,
    "education": _repeated(_education),
    "education_institution": _texts(150),
    "graduation_year": _whole,
    "height_cm": _whole,
    "weight_kg": _repeated(_weight),
    "declarations": _repeated(_declarations),
}
# Stand-ins for required cells that could not be read, so that the row's other cells are
# still checked; the complaints about the stand-ins themselves are dropped by the caller.
_STAND_INS: dict[str, Any] = {
    "nik": "",
    "full_name": "x",
    "sex": "M",
    "birth_date": dt.date(2000, 1, 1),
    "province_code": "",
}


def row_data(row: SheetRow) -> tuple[RegistrationData, dict[str, str]]:
    """The row as registration data, and one message per column that could not be read."""
    try:  # most rows are fine: convert them in one go, and look closer only when not
        values = {
            name: CONVERTERS[name](value)
            for name, value in row.cells.items()
            if value != ""
            and value is not None
            and not (isinstance(value, str) and value.isspace())
        }
    except CellError:
        pass
    else:
        if REQUIRED.issubset(values):
            return RegistrationData(**values), {}
    return _row_data_each(row)


def _row_data_each(row: SheetRow) -> tuple[RegistrationData, dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in row.cells.items():
        if value is None or value == "" or (isinstance(value, str) and value.isspace()):
            if name in REQUIRED:
                errors[name] = _("This cell is required.")
            continue
        try:
            values[name] = CONVERTERS[name](value)
        except CellError as exc:
            errors[name] = str(exc)
    if errors:
        for name in REQUIRED:
            values.setdefault(name, _STAND_INS[name])
        if "province_code" in errors and "regency_code" in values:
            values["province_code"] = values["regency_code"][:2]  # only the real problem shows
    return RegistrationData(**values), errors
