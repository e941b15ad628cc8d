"""Who is at risk: alerts for homeroom trainers, as rules on data. Pure: standard library
only, no Django.

Each curriculum stores its ``AlertRules`` as JSON (``to_dict``/``from_dict``). The service
loads one ``TraineeActivity`` per enrolment and the curriculum's modules, calls
``alerts_for`` and shows the alerts. Only rules that fire give an alert, in this order
(``ALERT_CODES``), each with a sentence in Indonesian and English and a severity:

1. ``absences``: the current run of absences, counted back from the latest session, has
   reached ``consecutive_absences``. Excused sessions are skipped: they neither break a run
   nor extend it (absent, excused, absent is a run of 2); present or late ends it.
2. ``attendance``: the share attended is below ``min_attendance``, worked out as in
   readiness: late counts as attended, excused sessions are left out. No alert while no
   session counts.
3. ``demerits``: net demerit points (demerit minus merit points) have reached
   ``max_demerit_points``, meant as an earlier warning than graduation's limit, on the same
   terms: a net at the limit counts (graduation needs a net strictly below its limit).
4. ``module``: when ``module_below_pass_mark``, one alert listing every module whose average
   is below its pass mark; a module not yet scored raises nothing.

Severity is "warning", or "danger" at twice the limit or worse: a run of absences at least
twice ``consecutive_absences``, a missed share at least twice the share the rule allows
(with 90% required, 80% or less attended), net demerits at least twice the limit. A module
below its pass mark is always a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, TypeAlias

from .readiness import InvalidInput, InvalidRules, ModuleInfo
from .readiness.inputs import _check_ids_and_keys, _module_index, _read_averages, _whole_problems
from .readiness.rules import _read_flag, _read_share, _read_whole, _set, _unknown_keys
from .readiness.wording import _Bar, _int, _items, _percentages, _sessions

__all__ = [
    "ALERT_CODES",
    "STATUSES",
    "Alert",
    "AlertCode",
    "AlertRules",
    "InvalidInput",
    "InvalidRules",
    "ModuleInfo",
    "Severity",
    "TraineeActivity",
    "absence_streak",
    "alerts_for",
]

STATUSES = ("present", "late", "excused", "absent")
AlertCode: TypeAlias = Literal["absences", "attendance", "demerits", "module"]
ALERT_CODES: tuple[AlertCode, ...] = ("absences", "attendance", "demerits", "module")
Severity: TypeAlias = Literal["warning", "danger"]

_STATUSES = frozenset(STATUSES)


@dataclass(frozen=True, kw_only=True)
class AlertRules:
    """One curriculum's alert rules; see the module docstring for what each means."""

    consecutive_absences: int = 2
    min_attendance: float = 0.9
    max_demerit_points: int = 10
    module_below_pass_mark: bool = True

    def __post_init__(self) -> None:
        problems: list[str] = []
        values = vars(self)
        _read_whole(values, "consecutive_absences", 2, 1, problems)
        _set(self, "min_attendance", _read_share(values, "min_attendance", 0.9, problems))
        _read_whole(values, "max_demerit_points", 10, 1, problems)
        _read_flag(values, "module_below_pass_mark", True, problems)
        if problems:
            raise InvalidRules(problems)

    def to_dict(self) -> dict[str, object]:
        """JSON-safe; ``from_dict`` reads it back to an equal rule set."""
        return {
            "consecutive_absences": self.consecutive_absences,
            "min_attendance": self.min_attendance,
            "max_demerit_points": self.max_demerit_points,
            "module_below_pass_mark": self.module_below_pass_mark,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AlertRules:
        """Read rules stored as JSON, or raise ``InvalidRules`` listing every problem.

        Every key is optional (a missing one takes its default); unknown keys are refused.
        """
        problems = _unknown_keys(data, _ALERT_FIELDS)
        consecutive_absences = _read_whole(data, "consecutive_absences", 2, 1, problems)
        min_attendance = _read_share(data, "min_attendance", 0.9, problems)
        max_demerit_points = _read_whole(data, "max_demerit_points", 10, 1, problems)
        module_below_pass_mark = _read_flag(data, "module_below_pass_mark", True, problems)
        if problems:
            raise InvalidRules(problems)
        return cls(
            consecutive_absences=consecutive_absences,
            min_attendance=min_attendance,
            max_demerit_points=max_demerit_points,
            module_below_pass_mark=module_below_pass_mark,
        )


_ALERT_FIELDS = (
    "consecutive_absences",
    "min_attendance",
    "max_demerit_points",
    "module_below_pass_mark",
)


@dataclass(frozen=True)
class TraineeActivity:
    """What the alert rules look at for one enrolment. ``attendance`` holds the statuses of
    the sessions held so far, oldest first, each one of ``STATUSES``; ``module_averages``
    is as in ``readiness.TraineeRecord`` (missing or None: not yet scored)."""

    enrolment_id: int
    attendance: Sequence[str]
    module_averages: Mapping[str, float | None]
    demerit_points: int = 0
    merit_points: int = 0

    def __post_init__(self) -> None:
        where = f"Enrolment {self.enrolment_id!r}"
        attendance = tuple(self.attendance)
        problems = _whole_problems(
            where,
            enrolment_id=self.enrolment_id,
            demerit_points=self.demerit_points,
            merit_points=self.merit_points,
        )
        unknown = sorted({repr(s) for s in attendance if s not in _STATUSES})
        if unknown:
            problems.append(
                f"{where}: unknown attendance status(es) {', '.join(unknown)}; "
                f"use {', '.join(STATUSES)}."
            )
        averages, average_problems = _read_averages(where, self.module_averages)
        problems += average_problems
        if problems:
            raise InvalidInput(problems)
        _set(self, "attendance", attendance)
        _set(self, "module_averages", averages)

    def __hash__(self) -> int:
        return hash(
            (
                self.enrolment_id,
                self.attendance,
                tuple(sorted(self.module_averages.items(), key=lambda item: item[0])),
                self.demerit_points,
                self.merit_points,
            )
        )


@dataclass(frozen=True)
class Alert:
    """One rule that fired, as a sentence with the numbers."""

    rule: AlertCode
    text_id: str
    text_en: str
    severity: Severity


def absence_streak(attendance: Sequence[str]) -> int:
    """The current run of absences: absent sessions counted back from the latest one,
    skipping excused ones, up to the latest present or late."""
    run = 0
    for status in reversed(attendance):
        if status == "absent":
            run += 1
        elif status != "excused":
            break
    return run


def alerts_for(
    activities: Iterable[TraineeActivity], modules: Sequence[ModuleInfo], rules: AlertRules
) -> dict[int, tuple[Alert, ...]]:
    """The alerts of each enrolment id, in the order of ``activities``; an enrolment with
    nothing to report maps to an empty tuple. Raises ``InvalidInput`` when module keys
    repeat, an enrolment appears twice, or an activity has an average for a module not in
    ``modules``."""
    activities = tuple(activities)
    index = _module_index(tuple(modules))
    _check_ids_and_keys(((a.enrolment_id, a.module_averages) for a in activities), index)
    bars = tuple(_Bar(m, m.pass_mark, ("pass mark", "nilai lulus")) for m in index.values())
    minimum = Fraction(repr(rules.min_attendance))
    result: dict[int, tuple[Alert, ...]] = {}
    for activity in activities:
        found: list[Alert] = []
        streak = absence_streak(activity.attendance)
        if streak >= rules.consecutive_absences:
            found.append(_absences(streak, rules.consecutive_absences))
        found += _attendance(activity.attendance, minimum)
        net = activity.demerit_points - activity.merit_points
        if net >= rules.max_demerit_points:
            found.append(
                _demerits(activity.demerit_points, activity.merit_points, rules.max_demerit_points)
            )
        if rules.module_below_pass_mark:
            found += _modules(activity.module_averages, bars)
        result[activity.enrolment_id] = tuple(found)
    return result


def _absences(streak: int, limit: int) -> Alert:
    absences = "absence" if streak == 1 else "absences"
    return Alert(
        "absences",
        f"Tidak hadir {_int(streak, 1)} kali berturut-turut (batas {_int(limit, 1)}).",
        f"{_int(streak, 0)} {absences} in a row (limit {_int(limit, 0)}).",
        "danger" if streak >= 2 * limit else "warning",
    )


def _attendance(attendance: Sequence[str], minimum: Fraction) -> list[Alert]:
    excused = attendance.count("excused")
    counted = len(attendance) - excused
    attended = counted - attendance.count("absent")
    if not counted or attended * minimum.denominator >= minimum.numerator * counted:
        return []
    # Missed share >= twice the allowed share: missed/counted >= 2 * (1 - minimum).
    missed = counted - attended
    danger = missed * minimum.denominator >= 2 * (minimum.denominator - minimum.numerator) * counted
    rate, limit = _percentages(attended, counted, minimum, meets=False)
    sessions = _sessions(attended, counted, excused)
    return [
        Alert(
            "attendance",
            f"Kehadiran {rate[1]}% di bawah batas {limit[1]}% {sessions[1]}.",
            f"Attendance {rate[0]}% is below the required {limit[0]}% {sessions[0]}.",
            "danger" if danger else "warning",
        )
    ]


def _demerits(demerits: int, merits: int, limit: int) -> Alert:
    net = demerits - merits
    return Alert(
        "demerits",
        f"Poin pelanggaran bersih {net} ({demerits} pelanggaran, {merits} prestasi) "
        f"mencapai atau melebihi batas peringatan {limit}.",
        f"Net demerit points {net} ({demerits} demerit, {merits} merit) are at or above "
        f"the warning limit of {limit}.",
        "danger" if net >= 2 * limit else "warning",
    )


def _modules(averages: Mapping[str, float | None], bars: Sequence[_Bar]) -> list[Alert]:
    below = []
    for bar in bars:
        average = averages.get(bar.module.key)
        if average is not None and average < bar.limit:
            below.append(bar.item(average))
    if not below:
        return []
    count = len(below)
    modules = "module" if count == 1 else "modules"
    return [
        Alert(
            "module",
            f"Di bawah nilai lulus pada {count} modul: {_items(below, 1)}.",
            f"Below the pass mark in {count} {modules}: {_items(below, 0)}.",
            "warning",
        )
    ]
