"""The rules one curriculum stores as JSON, the names of its checks and module categories,
and the errors raised for rules or input that cannot be used."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeAlias

CATEGORIES = ("japanese", "culture", "discipline", "technical", "safety")
CheckCode: TypeAlias = Literal["attendance", "japanese", "module", "demerits", "medical"]
CHECKS: tuple[CheckCode, ...] = ("attendance", "japanese", "module", "demerits", "medical")


class InvalidRules(ValueError):
    """Rules that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Invalid rules: " + " ".join(self.problems))


class InvalidInput(ValueError):
    """Modules or trainee data that cannot be evaluated; ``problems`` lists every problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Invalid input: " + " ".join(self.problems))


@dataclass(frozen=True, kw_only=True)
class ReadinessRules:
    """One curriculum's graduation rules; see the module docstring for what each means.
    Numbers may be given as int, float or Decimal and are kept as float."""

    min_attendance: float = 0.9
    japanese_min_score: float | None = None
    all_modules_passed: bool = True
    max_demerit_points: int = 20
    medical_required: bool = True

    def __post_init__(self) -> None:
        problems: list[str] = []
        values = vars(self)
        _set(self, "min_attendance", _read_share(values, "min_attendance", 0.9, problems))
        _set(
            self, "japanese_min_score", _read_optional_score(values, "japanese_min_score", problems)
        )
        _read_flag(values, "all_modules_passed", True, problems)
        _read_whole(values, "max_demerit_points", 20, 1, problems)
        _read_flag(values, "medical_required", True, problems)
        if problems:
            raise InvalidRules(problems)

    def to_dict(self) -> dict[str, object]:
        """JSON-safe; ``from_dict`` reads it back to an equal rule set."""
        return {
            "min_attendance": self.min_attendance,
            "japanese_min_score": self.japanese_min_score,
            "all_modules_passed": self.all_modules_passed,
            "max_demerit_points": self.max_demerit_points,
            "medical_required": self.medical_required,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ReadinessRules:
        """Read rules stored as JSON, or raise ``InvalidRules`` listing every problem.

        Every key is optional (a missing one takes its default); unknown keys are refused,
        so a misspelt rule is not silently ignored.
        """
        problems = _unknown_keys(data, _READINESS_FIELDS)
        min_attendance = _read_share(data, "min_attendance", 0.9, problems)
        japanese_min_score = _read_optional_score(data, "japanese_min_score", problems)
        all_modules_passed = _read_flag(data, "all_modules_passed", True, problems)
        max_demerit_points = _read_whole(data, "max_demerit_points", 20, 1, problems)
        medical_required = _read_flag(data, "medical_required", True, problems)
        if problems:
            raise InvalidRules(problems)
        return cls(
            min_attendance=min_attendance,
            japanese_min_score=japanese_min_score,
            all_modules_passed=all_modules_passed,
            max_demerit_points=max_demerit_points,
            medical_required=medical_required,
        )


_READINESS_FIELDS = (
    "min_attendance",
    "japanese_min_score",
    "all_modules_passed",
    "max_demerit_points",
    "medical_required",
)


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def _unknown_keys(data: object, fields: Sequence[str]) -> list[str]:
    if not isinstance(data, Mapping):
        raise InvalidRules([f"The rules must be a JSON object, not {type(data).__name__}."])
    unknown = sorted(str(key) for key in data if key not in fields)
    return [f"Unknown rule(s): {', '.join(unknown)}."] if unknown else []


def _as_float(value: object) -> float | None:
    """A finite int, float or Decimal as float; None for anything else (bools included)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _read_share(data: Mapping[str, object], key: str, default: float, problems: list[str]) -> float:
    value = data.get(key, default)
    number = _as_float(value)
    if number is not None and 0 <= number <= 1:
        return number
    problems.append(f"'{key}' must be a share from 0 to 1 (0.9 means 90%), not {value!r}.")
    return default


def _read_optional_score(data: Mapping[str, object], key: str, problems: list[str]) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    number = _as_float(value)
    if number is not None and 0 <= number <= 100:
        return number
    problems.append(f"'{key}' must be empty (null) or a score from 0 to 100, not {value!r}.")
    return None


def _read_whole(
    data: Mapping[str, object], key: str, default: int, minimum: int, problems: list[str]
) -> int:
    value = data.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return value
    problems.append(f"'{key}' must be a whole number of at least {minimum}, not {value!r}.")
    return default


def _read_flag(data: Mapping[str, object], key: str, default: bool, problems: list[str]) -> bool:
    value = data.get(key, default)
    if isinstance(value, bool):
        return value
    problems.append(f"'{key}' must be true or false, not {value!r}.")
    return default
