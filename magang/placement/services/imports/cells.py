"""Reading one cell as text, a whole number, a date or one of a few choices; a ``CellError``
carries the message reported against the cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils.translation import gettext as _

from magang.recruitment.services.imports.reading import Cell, blank

from ...models import JapaneseLevel, SexRequirement


class CellError(ValueError):
    pass


def _text(value: Cell, limit: int) -> str:
    if isinstance(value, bool):
        raise CellError(_("Expected text, found TRUE or FALSE."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        raise CellError(
            _("Excel made this a date: format the column as Text and type the value again.")
        )
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise CellError(
            _("At most %(max)s characters; this has %(count)s.")
            % {"max": limit, "count": len(text)}
        )
    return text


def _whole(value: Cell) -> int | None:
    if blank(value):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 32767:
        raise CellError(_("Expected a whole number."))
    return value


def _date(value: Cell) -> dt.date | None:
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CellError(_("Expected a Date cell, or text YYYY-MM-DD."))


def _choice(value: Cell, allowed: Mapping[str, str]) -> str:
    text = _text(value, 20).upper()
    if text not in allowed:
        raise CellError(
            _("Expected one of: %(values)s, or empty.")
            % {"values": ", ".join(sorted(set(allowed) - {""}))}
        )
    return allowed[text]


SEXES = {"": SexRequirement.ANY.value, "M": SexRequirement.MEN.value, "L": "M",
         "F": SexRequirement.WOMEN.value, "P": "F"}  # fmt: skip
LEVELS = {v: v for v in JapaneseLevel.values}


def _name_key(name: str) -> str:
    return " ".join(name.lower().split())


def _text_or_blank(value: Cell) -> str:
    try:
        return _text(value, 40)
    except CellError:
        return ""
