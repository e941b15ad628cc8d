"""OTIT's cap on how many technical interns a host company takes in a year, by its full-time
staff (DOMAIN.md). Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass

# (largest staff count of the band, interns per year); above the last band: staff / 20.
BANDS: tuple[tuple[int, int], ...] = (
    (30, 3),
    (40, 4),
    (50, 5),
    (100, 6),
    (200, 10),
    (300, 15),
)


def intake_cap(staff_count: int) -> int:
    """Interns a company with ``staff_count`` full-time staff may take in a year."""
    if staff_count < 0:
        raise ValueError("A staff count cannot be negative.")
    for largest, cap in BANDS:
        if staff_count <= largest:
            return cap
    return staff_count // 20


@dataclass(frozen=True)
class CapCheck:
    """Whether ``asked`` more interns fit under the cap, with the arithmetic for people."""

    staff_count: int
    cap: int
    already: int
    asked: int

    @property
    def fits(self) -> bool:
        return self.already + self.asked <= self.cap

    @property
    def excess(self) -> int:
        return max(0, self.already + self.asked - self.cap)


def cap_check(*, staff_count: int, already: int, asked: int) -> CapCheck:
    return CapCheck(
        staff_count=staff_count, cap=intake_cap(staff_count), already=already, asked=asked
    )
