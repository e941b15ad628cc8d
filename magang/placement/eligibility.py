"""Whether a candidate meets a job order's requirements, with the reasons in Indonesian and
English. Pure: no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# JFT-Basic A2 is the level JLPT N4 certifies for the programme.
LEVELS = {"": 0, "N5": 1, "N4": 2, "A2": 2}
LEVEL_NAMES = {"N5": "JLPT N5", "N4": "JLPT N4", "A2": "JFT-Basic A2"}
_SEX = {"M": ("men", "laki-laki"), "F": ("women", "perempuan")}


@dataclass(frozen=True)
class Requirements:
    planned_start: dt.date
    sex: str = ""
    min_age: int | None = None
    max_age: int | None = None
    min_height_cm: int | None = None
    japanese_level: str = ""


@dataclass(frozen=True)
class CandidateFacts:
    sex: str
    birth_date: dt.date
    height_cm: int | None = None
    japanese_level: str = ""


@dataclass(frozen=True)
class Unmet:
    rule: str
    text_id: str
    text_en: str


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def unmet(facts: CandidateFacts, requirements: Requirements) -> tuple[Unmet, ...]:
    """Every requirement the candidate does not meet (empty: eligible)."""
    found: list[Unmet] = []
    req = requirements
    if req.sex and facts.sex != req.sex:
        en, id_ = _SEX.get(req.sex, (req.sex, req.sex))
        found.append(Unmet("sex", f"Hanya untuk {id_}.", f"For {en} only."))
    age = age_on(facts.birth_date, req.planned_start)
    if req.min_age is not None and age < req.min_age:
        found.append(
            Unmet(
                "age",
                f"Usia {age} tahun saat mulai, minimal {req.min_age}.",
                f"Aged {age} at the start; the minimum is {req.min_age}.",
            )
        )
    if req.max_age is not None and age > req.max_age:
        found.append(
            Unmet(
                "age",
                f"Usia {age} tahun saat mulai, maksimal {req.max_age}.",
                f"Aged {age} at the start; the maximum is {req.max_age}.",
            )
        )
    if req.min_height_cm is not None:
        if facts.height_cm is None:
            found.append(Unmet("height", "Tinggi badan belum tercatat.", "No height recorded."))
        elif facts.height_cm < req.min_height_cm:
            found.append(
                Unmet(
                    "height",
                    f"Tinggi {facts.height_cm} cm, minimal {req.min_height_cm} cm.",
                    f"Height {facts.height_cm} cm; at least {req.min_height_cm} cm is asked.",
                )
            )
    if req.japanese_level and LEVELS.get(facts.japanese_level, 0) < LEVELS[req.japanese_level]:
        wanted = LEVEL_NAMES[req.japanese_level]
        has = LEVEL_NAMES.get(facts.japanese_level)
        found.append(
            Unmet(
                "japanese",
                f"Perlu {wanted}; " + (f"Anda {has}." if has else "belum ada sertifikat."),
                f"Needs {wanted}; " + (f"you have {has}." if has else "no certificate yet."),
            )
        )
    return tuple(found)
