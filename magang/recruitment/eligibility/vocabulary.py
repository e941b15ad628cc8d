"""What the rules speak of: the education levels and their order, the sexes, the
declarations an applicant may affirm, and a measured height or weight. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TypeAlias

EDUCATION_LEVELS = ("sd", "smp", "sma", "smk", "d1", "d2", "d3", "d4", "s1", "s2")
_RANK = {
    "sd": 0,
    "smp": 1,
    "sma": 2,
    "smk": 2,  # vocational and general senior high school are the same level
    "d1": 3,
    "d2": 4,
    "d3": 5,
    "d4": 6,
    "s1": 7,
    "s2": 8,
}
_EDUCATION_LABELS = {level: level.upper() for level in EDUCATION_LEVELS}

SEXES = ("M", "F")
_SEX_WORDS = {"M": ("men", "laki-laki"), "F": ("women", "perempuan")}
_SEX_NOUNS = {"M": ("a man", "laki-laki"), "F": ("a woman", "perempuan")}

# Declarations an applicant affirms; (English, Indonesian) wording of what is missing.
DECLARATIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "no_previous_participation": (
            "never having taken part in the programme before",
            "tidak pernah mengikuti program ini sebelumnya",
        ),
        "no_tattoo": ("no tattoos", "tidak bertato"),
        "no_piercing": ("no piercings", "tidak bertindik"),
        "no_glasses": ("not wearing glasses", "tidak berkacamata"),
        "not_colour_blind": ("not colour-blind", "tidak buta warna"),
    }
)


def education_rank(level: str) -> int | None:
    """The level's place on the scale (SMA and SMK share one), or None if unknown."""
    return _RANK.get(level)


Measure: TypeAlias = Decimal | float | int
