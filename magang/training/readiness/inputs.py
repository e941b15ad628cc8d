"""What the rules look at: the curriculum's modules and one record per enrolment, each
checked on construction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from .rules import CATEGORIES, InvalidInput, _as_float, _set


@dataclass(frozen=True)
class ModuleInfo:
    """One module of the curriculum. ``pass_mark`` lies on 0..100; ``weight`` (at least 0)
    counts in the weighted total. Numbers may be int, float or Decimal, kept as float.
    Names are used mid-sentence ("Japanese language", "Bahasa Jepang")."""

    key: str
    name_en: str
    name_id: str
    category: str
    pass_mark: float
    weight: float = 1.0

    def __post_init__(self) -> None:
        where = f"Module {self.key!r}"
        problems = []
        if not isinstance(self.key, str) or not self.key:
            problems.append(f"{where}: the key must be non-empty text.")
        if not self.name_en or not self.name_id:
            problems.append(f"{where} needs a name in English and in Indonesian.")
        if self.category not in CATEGORIES:
            problems.append(f"{where}: category must be one of {', '.join(CATEGORIES)}.")
        pass_mark, weight = _as_float(self.pass_mark), _as_float(self.weight)
        if pass_mark is not None and 0 <= pass_mark <= 100:
            _set(self, "pass_mark", pass_mark)
        else:
            problems.append(f"{where}: the pass mark must be a number from 0 to 100.")
        if weight is not None and weight >= 0:
            _set(self, "weight", weight)
        else:
            problems.append(f"{where}: the weight must be a number of at least 0.")
        if problems:
            raise InvalidInput(problems)


@dataclass(frozen=True)
class TraineeRecord:
    """What the readiness rules look at for one enrolment.

    ``sessions_attended`` counts present and late; ``sessions_excused`` the excused ones;
    both are among ``sessions_held``. ``module_averages`` maps module keys to averages on
    0..100 (int, float or Decimal, kept as float); a module that is missing or None has no
    scored assessment yet. ``medical_passed`` is None while the result is not recorded.
    """

    enrolment_id: int
    sessions_held: int
    sessions_attended: int
    sessions_excused: int
    module_averages: Mapping[str, float | None]
    demerit_points: int = 0
    merit_points: int = 0
    medical_passed: bool | None = None

    def __post_init__(self) -> None:
        where = f"Enrolment {self.enrolment_id!r}"
        problems = _whole_problems(
            where,
            enrolment_id=self.enrolment_id,
            sessions_held=self.sessions_held,
            sessions_attended=self.sessions_attended,
            sessions_excused=self.sessions_excused,
            demerit_points=self.demerit_points,
            merit_points=self.merit_points,
        )
        if not problems and self.sessions_attended + self.sessions_excused > self.sessions_held:
            problems.append(
                f"{where}: sessions attended ({self.sessions_attended}) and excused "
                f"({self.sessions_excused}) add up to more than the {self.sessions_held} held."
            )
        if self.medical_passed not in (True, False, None):
            problems.append(f"{where}: medical_passed must be true, false or None.")
        averages, average_problems = _read_averages(where, self.module_averages)
        problems += average_problems
        if problems:
            raise InvalidInput(problems)
        _set(self, "module_averages", averages)

    def __hash__(self) -> int:
        return hash(
            (
                self.enrolment_id,
                self.sessions_held,
                self.sessions_attended,
                self.sessions_excused,
                tuple(sorted(self.module_averages.items(), key=lambda item: item[0])),
                self.demerit_points,
                self.merit_points,
                self.medical_passed,
            )
        )


def _whole_problems(where: str, **values: object) -> list[str]:
    return [
        f"{where}: {name} must be a whole number of at least 0, not {value!r}."
        for name, value in values.items()
        if not isinstance(value, int) or isinstance(value, bool) or value < 0
    ]


def _read_averages(
    where: str, averages: Mapping[str, float | None]
) -> tuple[Mapping[str, float | None], list[str]]:
    """The averages frozen as floats, and the problems with them."""
    if not isinstance(averages, Mapping):
        return MappingProxyType({}), [f"{where}: module_averages must be a mapping."]
    result: dict[str, float | None] = {}
    problems = []
    for key, value in averages.items():
        number = _as_float(value)
        if value is None or (number is not None and 0 <= number <= 100):
            result[key] = number
        else:
            problems.append(f"{where}: the average of {key!r} must be from 0 to 100 or None.")
    return MappingProxyType(result), problems


def _module_index(modules: Sequence[ModuleInfo]) -> dict[str, ModuleInfo]:
    index = {module.key: module for module in modules}
    if len(index) != len(modules):
        keys = [module.key for module in modules]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        raise InvalidInput([f"Module keys repeat: {', '.join(repeated)}."])
    return index


def _check_ids_and_keys(
    items: Iterable[tuple[int, Mapping[str, float | None]]], index: Mapping[str, ModuleInfo]
) -> None:
    """Each enrolment once; averages only for the modules given (a service builds both from
    the same curriculum, so a stray key is a bug, not missing data)."""
    problems = []
    seen: set[int] = set()
    for enrolment_id, averages in items:
        if enrolment_id in seen:
            problems.append(f"Enrolment {enrolment_id} appears more than once.")
        seen.add(enrolment_id)
        stray = sorted(key for key in averages if key not in index)
        if stray:
            problems.append(
                f"Enrolment {enrolment_id} has averages for unknown module(s): {', '.join(stray)}."
            )
    if problems:
        raise InvalidInput(problems)
