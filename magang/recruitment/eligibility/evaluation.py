"""An applicant measured against a rule set: every failed rule, with its reason in
Indonesian and English. Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .rules import RuleSet
from .vocabulary import (
    _EDUCATION_LABELS,
    _RANK,
    _SEX_NOUNS,
    _SEX_WORDS,
    DECLARATIONS,
    EDUCATION_LEVELS,
    SEXES,
    Measure,
    education_rank,
)
from .wording import _date_en, _date_id, _duration_en, _duration_id, _number


def age_in_months(birth_date: date, on: date) -> int:
    """Whole months lived on ``on`` (negative if born later). A 29 February birthday
    counts from 1 March in other years."""
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    if on.day < birth_date.day:
        months -= 1
    return months


@dataclass(frozen=True, kw_only=True)
class Applicant:
    """What the rules look at. ``declarations`` holds the keys the person affirmed.

    ``height_cm`` and ``weight_kg`` may be None when not yet recorded; the rule that needs
    them then fails with an explanation.
    """

    birth_date: date
    sex: str
    education: str
    height_cm: Measure | None
    weight_kg: Measure | None
    declarations: frozenset[str] = frozenset()
    has_departed_before: bool = False

    def __post_init__(self) -> None:
        for name in ("height_cm", "weight_kg"):
            value = getattr(self, name)
            if value is not None and not _is_measure(value):
                raise ValueError(f"{name} must be a finite number of at least 0, not {value!r}.")
        object.__setattr__(self, "declarations", frozenset(self.declarations))


def _is_measure(value: object) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite() and value >= 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value >= 0


@dataclass(frozen=True)
class Failure:
    """One failed rule: a stable key and the reason in plain Indonesian and English."""

    rule: str
    message_id: str
    message_en: str


@dataclass(frozen=True)
class Verdict:
    failures: tuple[Failure, ...]

    @property
    def eligible(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, object]:
        """JSON-safe, for recording on the application."""
        return {
            "eligible": self.eligible,
            "failures": [
                {"rule": f.rule, "message_id": f.message_id, "message_en": f.message_en}
                for f in self.failures
            ],
        }


def evaluate(rules: RuleSet, applicant: Applicant) -> Verdict:
    """Every rule the applicant fails, in a fixed order: sex, age, education, height,
    weight, declarations (alphabetically), previous departure."""
    failures: list[Failure] = []
    failures += _check_sex(rules, applicant)
    failures += _check_age(rules, applicant)
    failures += _check_education(rules, applicant)
    failures += _check_measure(
        "height",
        rules.min_height_cm,
        applicant.height_cm,
        applicant.sex,
        ("Height", "Tinggi badan"),
        "cm",
    )
    failures += _check_measure(
        "weight",
        rules.min_weight_kg,
        applicant.weight_kg,
        applicant.sex,
        ("Weight", "Berat badan"),
        "kg",
    )
    for key in sorted(rules.required_declarations - applicant.declarations):
        en, id_ = DECLARATIONS.get(key, (key.replace("_", " "), key.replace("_", " ")))
        failures.append(
            Failure(
                rule=f"declaration:{key}",
                message_id=f"Pernyataan belum dibuat: {id_}.",
                message_en=f"Missing declaration: {en}.",
            )
        )
    if applicant.has_departed_before and not rules.allow_previous_departure:
        failures.append(
            Failure(
                rule="previous_departure",
                message_id=(
                    "Pernah berangkat ke Jepang melalui program ini; putaran ini tidak "
                    "menerima peserta yang pernah berangkat."
                ),
                message_en=(
                    "Has been to Japan on the programme before; this round does not accept "
                    "former participants."
                ),
            )
        )
    return Verdict(failures=tuple(failures))


def _check_sex(rules: RuleSet, applicant: Applicant) -> list[Failure]:
    if applicant.sex in rules.allowed_sexes:
        return []
    open_to_en = " and ".join(_SEX_WORDS[s][0] for s in SEXES if s in rules.allowed_sexes)
    open_to_id = " dan ".join(_SEX_WORDS[s][1] for s in SEXES if s in rules.allowed_sexes)
    if applicant.sex in _SEX_NOUNS:
        is_en, is_id = _SEX_NOUNS[applicant.sex]
        en = f"This round is open to {open_to_en} only; the applicant is {is_en}."
        id_ = f"Putaran ini hanya untuk {open_to_id}; pendaftar adalah {is_id}."
    else:
        en = f"This round is open to {open_to_en} only; the applicant's sex is not recorded."
        id_ = f"Putaran ini hanya untuk {open_to_id}; jenis kelamin pendaftar tidak tercatat."
    return [Failure(rule="sex", message_id=id_, message_en=en)]


def _check_age(rules: RuleSet, applicant: Applicant) -> list[Failure]:
    on = rules.reference_date
    months = age_in_months(applicant.birth_date, on)
    on_en, on_id = _date_en(on), _date_id(on)
    if months < 0:
        return [
            Failure(
                rule="age_min",
                message_id=f"Tanggal lahir {_date_id(applicant.birth_date)} setelah {on_id}.",
                message_en=f"The birth date {_date_en(applicant.birth_date)} is after {on_en}.",
            )
        ]
    age_en, age_id = _duration_en(months), _duration_id(months)
    failures: list[Failure] = []
    minimum = rules.min_age_months(applicant.education)
    if months < minimum:
        if minimum > rules.min_age_years * 12:
            label = _EDUCATION_LABELS.get(applicant.education, applicant.education)
            limit_en = f"the minimum for {label} graduates is {_duration_en(minimum)}"
            limit_id = f"batas minimal untuk lulusan {label} {_duration_id(minimum)}"
        else:
            limit_en = f"the minimum is {_duration_en(minimum)}"
            limit_id = f"batas minimal {_duration_id(minimum)}"
        failures.append(
            Failure(
                rule="age_min",
                message_id=f"Usia pada {on_id} adalah {age_id}; {limit_id}.",
                message_en=f"Age on {on_en} is {age_en}; {limit_en}.",
            )
        )
    if months // 12 > rules.max_age_years:
        max_en, max_id = (
            _duration_en(rules.max_age_years * 12),
            _duration_id(rules.max_age_years * 12),
        )
        failures.append(
            Failure(
                rule="age_max",
                message_id=f"Usia pada {on_id} adalah {age_id}; batas maksimal {max_id}.",
                message_en=f"Age on {on_en} is {age_en}; the maximum is {max_en}.",
            )
        )
    return failures


def _check_education(rules: RuleSet, applicant: Applicant) -> list[Failure]:
    rank = education_rank(applicant.education)
    needed = _RANK[rules.min_education]
    if rank is not None and rank >= needed:
        return []
    minimum = "/".join(
        _EDUCATION_LABELS[level] for level in EDUCATION_LEVELS if _RANK[level] == needed
    )
    if not applicant.education:
        en = f"Education is not recorded; the minimum is {minimum}."
        id_ = f"Pendidikan tidak tercatat; batas minimal {minimum}."
    elif rank is None:
        en = f"Education {applicant.education!r} is not a known level; the minimum is {minimum}."
        id_ = f"Pendidikan {applicant.education!r} tidak dikenal; batas minimal {minimum}."
    else:
        label = _EDUCATION_LABELS[applicant.education]
        en = f"Education is {label}; the minimum is {minimum}."
        id_ = f"Pendidikan {label}; batas minimal {minimum}."
    return [Failure(rule="education", message_id=id_, message_en=en)]


def _check_measure(
    rule: str,
    minimums: Mapping[str, int],
    value: Measure | None,
    sex: str,
    names: tuple[str, str],
    unit: str,
) -> list[Failure]:
    minimum = minimums.get(sex)
    if minimum is None:
        return []
    name_en, name_id = names
    for_en, for_id = _SEX_WORDS[sex]
    if value is None:
        en = f"{name_en} is not recorded; the minimum for {for_en} is {minimum} {unit}."
        id_ = f"{name_id} tidak tercatat; batas minimal untuk {for_id} {minimum} {unit}."
    elif value < minimum:
        shown = _number(value)
        en = f"{name_en} is {shown} {unit}; the minimum for {for_en} is {minimum} {unit}."
        id_ = (
            f"{name_id} {shown.replace('.', ',')} {unit}; "
            f"batas minimal untuk {for_id} {minimum} {unit}."
        )
    else:
        return []
    return [Failure(rule=rule, message_id=id_, message_en=en)]
