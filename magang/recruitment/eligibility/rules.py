"""One round's rule set: its values, their checks, and its JSON form. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .reading import _read_date, _read_int, _read_int_map, _read_str, _read_strings
from .vocabulary import _RANK, DECLARATIONS, EDUCATION_LEVELS, SEXES


class InvalidRules(ValueError):
    """A rule set that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Invalid eligibility rules: " + " ".join(problems))


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
