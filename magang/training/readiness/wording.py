"""Numbers in sentences: percentages, scores and counts as English and Indonesian text
(``alerts.py`` uses these too)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeAlias

from .inputs import ModuleInfo

Texts: TypeAlias = tuple[str, str]  # (English, Indonesian)

_TENTH = Decimal("0.1")


def _decimal(value: float) -> Decimal:
    """The shortest decimal that reads back as ``value`` (0.9 -> 0.9, not 0.90000000000000002)."""
    return Decimal(repr(value))


def _one_decimal(value: Decimal, limit: Decimal, meets: bool) -> Texts:
    """``value`` to one decimal, rounded half up unless that would put it on the other side
    of ``limit`` than it is (``meets``: value >= limit)."""
    shown = value.quantize(_TENTH, ROUND_HALF_UP)
    if (shown >= limit) != meets:
        shown = value.quantize(_TENTH, ROUND_CEILING if meets else ROUND_FLOOR)
    text = format(shown, "f")
    return text, text.replace(".", ",")


def _plain(value: Decimal) -> Texts:
    """A limit as written: 90, 62.5."""
    text = format(value.normalize(), "f")
    return text, text.replace(".", ",")


def _int(value: int, language: int) -> str:
    """Thousands grouped: 1,234 in English (0), 1.234 in Indonesian (1)."""
    if value < 1000:
        return str(value)
    text = format(value, ",")
    return text.replace(",", ".") if language else text


def _percentages(
    attended: int, counted: int, minimum: Fraction, meets: bool
) -> tuple[Texts, Texts]:
    """The attendance rate and its limit as percentage texts."""
    rate = Decimal(attended) * 100 / Decimal(counted)
    limit = Decimal(minimum.numerator) * 100 / Decimal(minimum.denominator)
    return _one_decimal(rate, limit, meets), _plain(limit)


def _sessions(attended: int, counted: int, excused: int) -> Texts:
    en = f"({_int(attended, 0)} of {_int(counted, 0)} sessions"
    id_ = f"({_int(attended, 1)} dari {_int(counted, 1)} sesi"
    if excused:
        en += f"; {_int(excused, 0)} excused not counted"
        id_ += f"; {_int(excused, 1)} izin tidak dihitung"
    return en + ")", id_ + ")"


class _Bar:
    """A module's score limit, its texts worked out once: ``item(58.0)`` gives "Safety 58.0
    (pass mark 60)" and "K3 58,0 (nilai lulus 60)"."""

    __slots__ = ("_decimal", "_en", "_id", "limit", "module")

    def __init__(self, module: ModuleInfo, limit: float, words: Texts) -> None:
        self.module = module
        self.limit = limit
        self._decimal = _decimal(limit)
        written = _plain(self._decimal)
        self._en = (f"{module.name_en} ", f" ({words[0]} {written[0]})")
        self._id = (f"{module.name_id} ", f" ({words[1]} {written[1]})")

    def item(self, average: float) -> Texts:
        en, id_ = _one_decimal(_decimal(average), self._decimal, average >= self.limit)
        return (
            self._en[0] + en + self._en[1],
            self._id[0] + id_ + self._id[1],
        )


def _items(items: Sequence[Texts], language: int) -> str:
    return ", ".join(item[language] for item in items)


def _names(modules: Sequence[ModuleInfo], language: int) -> str:
    return ", ".join(m.name_id if language else m.name_en for m in modules)
