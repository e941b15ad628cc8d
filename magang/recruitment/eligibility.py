"""Eligibility rules as data, and their evaluation. Pure: standard library only.

Each recruitment round stores one ``RuleSet`` as JSON (``to_dict``/``from_dict``); the values
change by year, region, sex and track, so none of them is a constant here. ``evaluate``
reports every rule an applicant fails, in Indonesian and English, with the numbers. The
verdict is advice for an officer: the service layer records it and a person decides.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import TypeAlias

__all__ = [
    "DECLARATIONS",
    "EDUCATION_LEVELS",
    "SEXES",
    "Applicant",
    "Failure",
    "InvalidRules",
    "RuleSet",
    "Verdict",
    "age_in_months",
    "education_rank",
    "evaluate",
]

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


class InvalidRules(ValueError):
    """A rule set that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Invalid eligibility rules: " + " ".join(problems))


def education_rank(level: str) -> int | None:
    """The level's place on the scale (SMA and SMK share one), or None if unknown."""
    return _RANK.get(level)


def age_in_months(birth_date: date, on: date) -> int:
    """Whole months lived on ``on`` (negative if born later). A 29 February birthday
    counts from 1 March in other years."""
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    if on.day < birth_date.day:
        months -= 1
    return months


@dataclass(frozen=True, kw_only=True)
class RuleSet:
    """One round's eligibility rules, by sex and track.

    ``max_age_years`` 26 means "not yet 27" on ``reference_date``. An entry in
    ``min_age_months_by_education`` raises the minimum age for that education level (the
    higher of the two applies); an entry for "sma" also covers "smk" unless "smk" has its
    own. Height and weight minimums apply to the sexes they name.
    """

    reference_date: date
    allowed_sexes: frozenset[str]
    min_age_years: int
    max_age_years: int
    min_education: str
    min_age_months_by_education: Mapping[str, int] = field(default_factory=dict)
    min_height_cm: Mapping[str, int] = field(default_factory=dict)
    min_weight_kg: Mapping[str, int] = field(default_factory=dict)
    required_declarations: frozenset[str] = frozenset()
    allow_previous_departure: bool = False

    def __post_init__(self) -> None:
        for name in ("min_age_months_by_education", "min_height_cm", "min_weight_kg"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        object.__setattr__(self, "allowed_sexes", frozenset(self.allowed_sexes))
        object.__setattr__(self, "required_declarations", frozenset(self.required_declarations))
        problems = _rule_problems(self)
        if problems:
            raise InvalidRules(problems)

    def __hash__(self) -> int:
        return hash(
            (
                self.reference_date,
                self.allowed_sexes,
                self.min_age_years,
                self.max_age_years,
                self.min_education,
                tuple(sorted(self.min_age_months_by_education.items())),
                tuple(sorted(self.min_height_cm.items())),
                tuple(sorted(self.min_weight_kg.items())),
                self.required_declarations,
                self.allow_previous_departure,
            )
        )

    def min_age_months(self, education: str) -> int:
        """The minimum age in months for an applicant with this education."""
        by_education = self.min_age_months_by_education
        stricter = by_education.get(education)
        if stricter is None and education == "smk":
            stricter = by_education.get("sma")
        return max(self.min_age_years * 12, stricter or 0)

    def to_dict(self) -> dict[str, object]:
        """JSON-safe: the date as an ISO string, sets as sorted lists."""
        return {
            "reference_date": self.reference_date.isoformat(),
            "allowed_sexes": sorted(self.allowed_sexes),
            "min_age_years": self.min_age_years,
            "max_age_years": self.max_age_years,
            "min_education": self.min_education,
            "min_age_months_by_education": dict(sorted(self.min_age_months_by_education.items())),
            "min_height_cm": dict(sorted(self.min_height_cm.items())),
            "min_weight_kg": dict(sorted(self.min_weight_kg.items())),
            "required_declarations": sorted(self.required_declarations),
            "allow_previous_departure": self.allow_previous_departure,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> RuleSet:
        """Read a rule set stored as JSON, or raise ``InvalidRules`` listing every problem.

        Required: reference_date ("2026-01-01"), allowed_sexes (["M"]), min_age_years,
        max_age_years, min_education. Optional: min_age_months_by_education,
        min_height_cm, min_weight_kg (objects keyed by education level or sex),
        required_declarations (a list), allow_previous_departure (true/false).
        Unknown keys are refused, so a misspelt rule is not silently ignored.
        """
        if not isinstance(data, Mapping):
            raise InvalidRules([f"The rules must be a JSON object, not {type(data).__name__}."])
        problems: list[str] = []
        unknown = sorted(set(data) - _FIELDS)
        if unknown:
            problems.append(f"Unknown rule(s): {', '.join(map(str, unknown))}.")
        for key in sorted(_REQUIRED - set(data)):
            problems.append(f"'{key}' is missing.")

        reference_date = _read_date(data, "reference_date", problems)
        allowed_sexes = _read_strings(data, "allowed_sexes", problems)
        min_age_years = _read_int(data, "min_age_years", problems)
        max_age_years = _read_int(data, "max_age_years", problems)
        min_education = _read_str(data, "min_education", problems)
        by_education = _read_int_map(data, "min_age_months_by_education", problems)
        min_height = _read_int_map(data, "min_height_cm", problems)
        min_weight = _read_int_map(data, "min_weight_kg", problems)
        declarations = _read_strings(data, "required_declarations", problems)
        allow_previous = data.get("allow_previous_departure", False)
        if not isinstance(allow_previous, bool):
            problems.append("'allow_previous_departure' must be true or false.")
            allow_previous = False

        if problems:
            raise InvalidRules(problems)
        assert reference_date is not None  # noqa: S101 - guaranteed when there are no problems
        assert min_age_years is not None  # noqa: S101
        assert max_age_years is not None  # noqa: S101
        return cls(
            reference_date=reference_date,
            allowed_sexes=frozenset(allowed_sexes),
            min_age_years=min_age_years,
            max_age_years=max_age_years,
            min_education=min_education,
            min_age_months_by_education=by_education,
            min_height_cm=min_height,
            min_weight_kg=min_weight,
            required_declarations=frozenset(declarations),
            allow_previous_departure=allow_previous,
        )


_FIELDS = frozenset(
    {
        "reference_date",
        "allowed_sexes",
        "min_age_years",
        "max_age_years",
        "min_education",
        "min_age_months_by_education",
        "min_height_cm",
        "min_weight_kg",
        "required_declarations",
        "allow_previous_departure",
    }
)
_REQUIRED = frozenset(
    {"reference_date", "allowed_sexes", "min_age_years", "max_age_years", "min_education"}
)

Measure: TypeAlias = Decimal | float | int


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


def _rule_problems(rules: RuleSet) -> list[str]:
    problems: list[str] = []
    if not isinstance(rules.reference_date, date):
        problems.append("'reference_date' must be a date.")
    if not rules.allowed_sexes:
        problems.append("'allowed_sexes' must name at least one sex (M or F).")
    for sex in sorted(rules.allowed_sexes - set(SEXES)):
        problems.append(f"'allowed_sexes' has {sex!r}; sexes are M and F.")
    for name in ("min_age_years", "max_age_years"):
        value = getattr(rules, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"'{name}' must be a whole number of at least 0.")
    ages = (rules.min_age_years, rules.max_age_years)
    if all(type(age) is int for age in ages) and rules.max_age_years < rules.min_age_years:
        problems.append(
            f"'max_age_years' ({rules.max_age_years}) is below 'min_age_years' "
            f"({rules.min_age_years})."
        )
    levels = ", ".join(EDUCATION_LEVELS)
    if rules.min_education not in _RANK:
        problems.append(f"'min_education' is {rules.min_education!r}; use one of {levels}.")
    for level, months in rules.min_age_months_by_education.items():
        if level not in _RANK:
            problems.append(f"'min_age_months_by_education' has {level!r}; use one of {levels}.")
        if isinstance(months, bool) or not isinstance(months, int) or months < 0:
            problems.append(
                f"'min_age_months_by_education' for {level!r} must be a whole number of "
                "months of at least 0."
            )
    for name in ("min_height_cm", "min_weight_kg"):
        for sex, value in getattr(rules, name).items():
            if sex not in SEXES:
                problems.append(f"'{name}' has {sex!r}; sexes are M and F.")
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                problems.append(f"'{name}' for {sex!r} must be a whole number above 0.")
    known = ", ".join(DECLARATIONS)
    for key in rules.required_declarations:
        if key not in DECLARATIONS:
            # The form could never collect it, so every applicant would fail.
            problems.append(f"'required_declarations' has {key!r}; use one of {known}.")
    if not isinstance(rules.allow_previous_departure, bool):
        problems.append("'allow_previous_departure' must be true or false.")
    return problems


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _read_date(data: Mapping[str, object], key: str, problems: list[str]) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"'{key}' must be a date written as YYYY-MM-DD, not {value!r}.")
    return None


def _read_int(data: Mapping[str, object], key: str, problems: list[str]) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"'{key}' must be a whole number, not {value!r}.")
        return None
    return value


def _read_str(data: Mapping[str, object], key: str, problems: list[str]) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"'{key}' must be text, not {value!r}.")
        return ""
    return value


def _read_strings(data: Mapping[str, object], key: str, problems: list[str]) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        problems.append(f"'{key}' must be a list of text values, not {value!r}.")
        return []
    if len(set(value)) != len(value):
        problems.append(f"'{key}' lists a value twice.")
    return list(value)


def _read_int_map(data: Mapping[str, object], key: str, problems: list[str]) -> dict[str, int]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        problems.append(f"'{key}' must be an object, not {value!r}.")
        return {}
    result: dict[str, int] = {}
    for inner, number in value.items():
        if not isinstance(inner, str) or isinstance(number, bool) or not isinstance(number, int):
            problems.append(
                f"'{key}' must map names to whole numbers; {inner!r}: {number!r} does not."
            )
            continue
        result[inner] = number
    return result
