"""Small-cell suppression for published statistics. Pure: no Django.

Why: a breakdown that says "2 interns from Papua Pegunungan in Tottori" lets a neighbour,
an employer or a journalist work out who those two people are. Counts from 1 up to
``minimum - 1`` are therefore published only as "fewer than ``minimum``" ("<5" on pages and
in CSV, ``null`` with ``suppressed: true`` in JSON).

Zero is published as it is: it describes nobody, so it discloses nothing about a person, and
hiding it would turn "no one" into "maybe a few", which misleads more than it protects.

A suppressed ``Cell`` never holds the true count, so it cannot leak into a template, a JSON
body or a CSV file by mistake: all suppressed counts look alike.

Residual risk, on purpose not handled here: a suppressed cell can sometimes be recovered by
subtracting the shown cells of a breakdown from its published total, or by comparing two
as-of dates a day apart. Complementary suppression would need the whole table, not one cell.
"""

from __future__ import annotations

from dataclasses import dataclass


def check_minimum(minimum: int) -> int:
    """Return ``minimum`` if it is a usable minimum cell size (1 means "suppress nothing")."""
    if minimum < 1:
        raise ValueError(f"The minimum cell size must be at least 1, not {minimum}.")
    return minimum


def is_suppressed(count: int, minimum: int) -> bool:
    """Whether ``count`` is too small to publish: 1 <= count < minimum. Zero never is."""
    if count < 0:
        raise ValueError(f"A count cannot be negative: {count}.")
    return 0 < count < check_minimum(minimum)


def suppress(count: int, minimum: int) -> int | None:
    """The count to publish: ``None`` for 1..minimum-1, the count itself otherwise."""
    return None if is_suppressed(count, minimum) else count


@dataclass(frozen=True, slots=True)
class Cell:
    """A published count: either the count, or ``None`` when it was suppressed.

    Build one with ``cell(count, minimum)``; it keeps the minimum so it can say "<5".
    """

    count: int | None
    minimum: int

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def label(self) -> str:
        """Plain text for a page or a CSV file: the count, or "<minimum"."""
        return f"<{self.minimum}" if self.count is None else str(self.count)

    def __str__(self) -> str:
        return self.label


def cell(count: int, minimum: int) -> Cell:
    """Suppress ``count`` at ``minimum`` and wrap it for publication."""
    return Cell(count=suppress(count, minimum), minimum=minimum)
