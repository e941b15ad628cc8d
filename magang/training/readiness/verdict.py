"""The verdict: ``evaluate`` applies every rule to each trainee and explains each outcome
in a sentence in Indonesian and English."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType

from .inputs import ModuleInfo, TraineeRecord, _check_ids_and_keys, _module_index
from .rules import CheckCode, ReadinessRules
from .wording import _Bar, _int, _items, _names, _percentages, _sessions


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
