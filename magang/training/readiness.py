"""Readiness to graduate from pre-departure training, as rules on data. Pure: standard
library only, no Django.

Each curriculum stores its ``ReadinessRules`` as JSON (``to_dict``/``from_dict``). The
service loads a cohort's ``ModuleInfo`` and one ``TraineeRecord`` per enrolment, calls
``evaluate`` and shows or records the ``Verdict``. A verdict lists every rule, passed or
not, in this fixed order (``CHECKS``), each with a sentence in Indonesian and English:

1. ``attendance``: the share of held sessions attended is at least ``min_attendance`` (a
   share, 0.9 for 90%). A late arrival counts as attended; excused sessions are left out of
   both sides (attended / (held - excused)). With no counted session yet it fails "not yet".
2. ``japanese``: every Japanese-language module's average is at least ``japanese_min_score``,
   or, when that is None, the module's own pass mark. It fails "not yet" while a Japanese
   module has no average, and fails when the curriculum has no Japanese module at all.
3. ``module``: when ``all_modules_passed``, every module's average (Japanese ones included)
   is at least its own pass mark; a module without an average fails "not yet". Otherwise
   the rule passes as "not required".
4. ``demerits``: net demerit points (demerit points minus merit points, so possibly negative)
   are strictly below ``max_demerit_points``: with the limit 20, a net of 20 fails.
5. ``medical``: when ``medical_required``, the medical check was passed; an unrecorded
   result fails "not yet". Otherwise the rule passes as "not required".

A trainee is ready when every rule passes. Each rule explains its own missing data, so there
is no separate "incomplete" rule. Scores are on 0..100. Sentences show percentages and
scores with one decimal, rounded half up, limits as written ("90%", "pass mark 62.5"),
Indonesian with a decimal comma. A value on the other side of its limit than rounding would
suggest is rounded towards its own side instead (89.96% shows as 89.9%, never as 90.0%
"below the required 90%").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import Literal, TypeAlias

__all__ = [
    "CATEGORIES",
    "CHECKS",
    "CheckCode",
    "InvalidInput",
    "InvalidRules",
    "ModuleInfo",
    "ReadinessRules",
    "Reason",
    "TraineeRecord",
    "Verdict",
    "evaluate",
]

CATEGORIES = ("japanese", "culture", "discipline", "technical", "safety")
CheckCode: TypeAlias = Literal["attendance", "japanese", "module", "demerits", "medical"]
CHECKS: tuple[CheckCode, ...] = ("attendance", "japanese", "module", "demerits", "medical")
Texts: TypeAlias = tuple[str, str]  # (English, Indonesian)


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


# --- The rules -------------------------------------------------------------------------


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


# --- The inputs ------------------------------------------------------------------------


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


# --- The verdict -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One rule's outcome for one trainee, as a sentence with the numbers."""

    rule: CheckCode
    passed: bool
    text_id: str
    text_en: str


@dataclass(frozen=True)
class Verdict:
    """``reasons`` holds one ``Reason`` per rule in ``CHECKS`` order; ``ready`` is True when
    all passed. ``weighted_total`` is the mean of module averages weighted by module weight
    (None while a module with weight above 0 has no average, or when no module has weight);
    ``attendance_rate`` is the share of rule 1 (None while no session counts)."""

    enrolment_id: int
    ready: bool
    reasons: tuple[Reason, ...]
    weighted_total: float | None
    attendance_rate: float | None

    @property
    def failures(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if not reason.passed)

    def to_dict(self) -> dict[str, object]:
        """JSON-safe, for recording with a graduation decision."""
        return {
            "enrolment_id": self.enrolment_id,
            "ready": self.ready,
            "weighted_total": self.weighted_total,
            "attendance_rate": self.attendance_rate,
            "reasons": [
                {"rule": r.rule, "passed": r.passed, "text_id": r.text_id, "text_en": r.text_en}
                for r in self.reasons
            ],
        }


def evaluate(
    records: Iterable[TraineeRecord], modules: Sequence[ModuleInfo], rules: ReadinessRules
) -> dict[int, Verdict]:
    """A verdict per enrolment id, in the order of ``records``. Raises ``InvalidInput`` when
    module keys repeat, an enrolment appears twice, or a record has an average for a module
    not in ``modules``."""
    records = tuple(records)
    modules = tuple(modules)
    index = _module_index(modules)
    _check_ids_and_keys(((r.enrolment_id, r.module_averages) for r in records), index)
    context = _Context(modules, rules)
    return {record.enrolment_id: context.verdict(record) for record in records}


class _Context:
    """What every trainee's verdict shares, worked out once."""

    def __init__(self, modules: tuple[ModuleInfo, ...], rules: ReadinessRules) -> None:
        self.modules = modules
        self.rules = rules
        fixed = rules.japanese_min_score
        self.japanese = tuple(
            _Bar(m, m.pass_mark if fixed is None else fixed, ("required", "minimal"))
            for m in modules
            if m.category == "japanese"
        )
        self.pass_marks = tuple(_Bar(m, m.pass_mark, ("pass mark", "nilai lulus")) for m in modules)
        self.weighted = tuple((m.key, m.weight) for m in modules if m.weight > 0)
        self.total_weight = math.fsum(weight for _, weight in self.weighted)
        self.min_attendance = Fraction(repr(rules.min_attendance))

    def verdict(self, record: TraineeRecord) -> Verdict:
        counted = record.sessions_held - record.sessions_excused
        reasons = (
            _attendance(
                record.sessions_held,
                record.sessions_attended,
                record.sessions_excused,
                self.min_attendance,
            ),
            self._japanese(record.module_averages),
            self._modules(record.module_averages),
            _demerits(record.demerit_points, record.merit_points, self.rules.max_demerit_points),
            self._medical(record.medical_passed),
        )
        return Verdict(
            enrolment_id=record.enrolment_id,
            ready=all(reason.passed for reason in reasons),
            reasons=reasons,
            weighted_total=self._weighted_total(record.module_averages),
            attendance_rate=record.sessions_attended / counted if counted else None,
        )

    def _weighted_total(self, averages: Mapping[str, float | None]) -> float | None:
        if not self.weighted:
            return None
        total = 0.0
        for key, weight in self.weighted:
            average = averages.get(key)
            if average is None:
                return None
            total += weight * average
        return total / self.total_weight

    def _japanese(self, averages: Mapping[str, float | None]) -> Reason:
        if not self.japanese:
            return Reason(
                "japanese",
                False,
                "Belum ada modul bahasa Jepang, jadi syarat bahasa Jepang belum dapat diperiksa.",
                "No Japanese module is set up, so the Japanese requirement cannot be checked.",
            )
        scored, below, unscored = [], [], []
        for bar in self.japanese:
            average = averages.get(bar.module.key)
            if average is None:
                unscored.append(bar.module)
            else:
                item = bar.item(average)
                scored.append(item)
                if average < bar.limit:
                    below.append(item)
        if not below and not unscored:
            return Reason(
                "japanese",
                True,
                f"Bahasa Jepang memenuhi nilai minimal: {_items(scored, 1)}.",
                f"Japanese meets the required score: {_items(scored, 0)}.",
            )
        id_, en = [], []
        if below:
            id_.append(f"Bahasa Jepang di bawah nilai minimal: {_items(below, 1)}")
            en.append(f"Japanese is below the required score: {_items(below, 0)}")
        if unscored:
            id_.append(f"belum dinilai: {_names(unscored, 1)}")
            en.append(f"not yet scored: {_names(unscored, 0)}")
        if not below:
            id_[0], en[0] = "Bahasa Jepang " + id_[0], "Japanese is " + en[0]
        return Reason("japanese", False, "; ".join(id_) + ".", "; ".join(en) + ".")

    def _modules(self, averages: Mapping[str, float | None]) -> Reason:
        if not self.rules.all_modules_passed:
            return Reason(
                "module",
                True,
                "Lulus semua modul tidak diwajibkan untuk angkatan ini.",
                "Passing every module is not required for this cohort.",
            )
        count = len(self.modules)
        if not count:
            return Reason(
                "module",
                True,
                "Belum ada modul, jadi tidak ada nilai lulus yang harus dipenuhi.",
                "No modules are set up, so there is no pass mark to meet.",
            )
        below, unscored = [], []
        for bar in self.pass_marks:
            average = averages.get(bar.module.key)
            if average is None:
                unscored.append(bar.module)
            elif average < bar.limit:
                below.append(bar.item(average))
        if not below and not unscored:
            return Reason(
                "module",
                True,
                f"Semua modul ({count}) memenuhi nilai lulus.",
                f"All modules ({count}) are at or above their pass marks.",
            )
        of_en = f" of {count} module" + ("" if count == 1 else "s")
        id_, en = [], []
        if below:
            one = len(below) == 1
            id_.append(f"{len(below)} dari {count} modul di bawah nilai lulus: {_items(below, 1)}")
            en.append(
                f"{len(below)}{of_en} {'is' if one else 'are'} below "
                f"{'its pass mark' if one else 'their pass marks'}: {_items(below, 0)}"
            )
        if unscored:
            of_id, of = ("", "") if below else (f" dari {count} modul", of_en)
            verb = "is" if len(unscored) == 1 else "are"
            id_.append(f"{len(unscored)}{of_id} belum dinilai: {_names(unscored, 1)}")
            en.append(f"{len(unscored)}{of} {verb} not yet scored: {_names(unscored, 0)}")
        return Reason("module", False, "; ".join(id_) + ".", "; ".join(en) + ".")

    def _medical(self, passed: bool | None) -> Reason:
        return _MEDICAL[passed] if self.rules.medical_required else _MEDICAL_NOT_REQUIRED


_MEDICAL_NOT_REQUIRED = Reason(
    "medical",
    True,
    "Pemeriksaan kesehatan tidak diwajibkan untuk angkatan ini.",
    "A medical check is not required for this cohort.",
)
_MEDICAL: Mapping[bool | None, Reason] = MappingProxyType(
    {
        True: Reason(
            "medical",
            True,
            "Pemeriksaan kesehatan dinyatakan lulus.",
            "The medical check was passed.",
        ),
        False: Reason(
            "medical",
            False,
            "Pemeriksaan kesehatan dinyatakan tidak lulus.",
            "The medical check was not passed.",
        ),
        None: Reason(
            "medical",
            False,
            "Hasil pemeriksaan kesehatan belum tercatat.",
            "The medical check result is not yet recorded.",
        ),
    }
)


# The same counts recur across a cohort (everyone has the same sessions held), and a Reason is
# immutable, so one is shared by all who have the same numbers.
@lru_cache(maxsize=4096)
def _attendance(held: int, attended: int, excused: int, minimum: Fraction) -> Reason:
    counted = held - excused
    if not held:
        return Reason(
            "attendance",
            False,
            "Belum ada sesi yang diadakan; kehadiran belum dapat dinilai.",
            "No sessions have been held yet; attendance cannot be judged.",
        )
    if not counted:
        return Reason(
            "attendance",
            False,
            f"Semua {_int(held, 1)} sesi yang diadakan berstatus izin; "
            "kehadiran belum dapat dinilai.",
            f"All {_int(held, 0)} sessions held were excused; attendance cannot be judged yet.",
        )
    meets = attended * minimum.denominator >= minimum.numerator * counted
    rate, limit = _percentages(attended, counted, minimum, meets)
    sessions = _sessions(attended, counted, excused)
    if meets:
        return Reason(
            "attendance",
            True,
            f"Kehadiran {rate[1]}% memenuhi batas {limit[1]}% {sessions[1]}.",
            f"Attendance {rate[0]}% meets the required {limit[0]}% {sessions[0]}.",
        )
    return Reason(
        "attendance",
        False,
        f"Kehadiran {rate[1]}% di bawah batas {limit[1]}% {sessions[1]}.",
        f"Attendance {rate[0]}% is below the required {limit[0]}% {sessions[0]}.",
    )


@lru_cache(maxsize=4096)
def _demerits(demerits: int, merits: int, limit: int) -> Reason:
    net = demerits - merits
    id_ = f"Poin pelanggaran bersih {net} ({demerits} pelanggaran, {merits} prestasi)"
    en = f"Net demerit points {net} ({demerits} demerit, {merits} merit)"
    if net < limit:
        return Reason(
            "demerits",
            True,
            f"{id_} di bawah batas {limit}.",
            f"{en} are below the limit of {limit}.",
        )
    return Reason(
        "demerits",
        False,
        f"{id_} mencapai atau melebihi batas {limit}.",
        f"{en} are at or above the limit of {limit}.",
    )


# --- Numbers in sentences (alerts.py uses these too) --------------------------------------

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
