"""Moving an intern to the next stage of their programme, with the reasons for a refusal in
Indonesian and English. Pure: no Django.

The rules are the next stage's row (``StageRule``), never code, checked on the day the move
takes effect:

1. ``last_stage``: there is a next stage at all.
2. ``duration``: the current stage has run its course (its start plus its duration in
   months), less the next stage's ``early_entry_days``.
3. ``exam``: every exam the next stage names has been passed (on or before the day).
4. ``trade``: when the stage ``requires_eligible_trade``, the intern's trade allows it.
5. ``home_leave``: when ``min_home_leave_days`` > 0, a temporary return home of at least that
   many days, finished by the day (days counted from leaving Japan to coming back).
6. ``excellent``: when ``requires_excellent_organisations``, both the supervising
   organisation and the host company hold an "excellent" standing on the day.

TITP (stage 2 after the basic grade; stage 3 after grade 3, a month at home, an eligible trade
and two excellent organisations) and the 2027 Employment for Skill Development programme are
different rows of the same table.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class StageRule:
    number: int
    code: str
    name: str
    duration_months: int
    required_exams: tuple[str, ...] = ()
    requires_eligible_trade: bool = False
    min_home_leave_days: int = 0
    requires_excellent_organisations: bool = False
    early_entry_days: int = 0


@dataclass(frozen=True)
class Leave:
    left_on: dt.date
    returned_on: dt.date | None

    def days(self) -> int | None:
        return None if self.returned_on is None else (self.returned_on - self.left_on).days


@dataclass(frozen=True, kw_only=True)
class StayFacts:
    stage_number: int
    stage_started_on: dt.date
    passed_exams: frozenset[str]
    trade_stage3_eligible: bool
    home_leaves: tuple[Leave, ...]
    supervisor_excellent: bool
    host_excellent: bool


@dataclass(frozen=True)
class Reason:
    rule: str
    text_en: str
    text_id: str


@dataclass(frozen=True)
class Decision:
    stage: StageRule | None
    reasons: tuple[Reason, ...]

    @property
    def allowed(self) -> bool:
        return self.stage is not None and not self.reasons


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or that month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def planned_end(started_on: dt.date, duration_months: int) -> dt.date:
    return add_months(started_on, duration_months)


def next_stage(stages: Sequence[StageRule], number: int) -> StageRule | None:
    later = sorted((s for s in stages if s.number > number), key=lambda s: s.number)
    return later[0] if later else None


def check_next_stage(
    *,
    stages: Sequence[StageRule],
    facts: StayFacts,
    on: dt.date,
    exam_names: Mapping[str, str],
) -> Decision:
    """Whether the intern may enter the stage after ``facts.stage_number`` on ``on``."""
    target = next_stage(stages, facts.stage_number)
    if target is None:
        return Decision(
            None,
            (
                Reason(
                    "last_stage",
                    "This is the programme's last stage; there is no next stage.",
                    "Ini tahap terakhir program; tidak ada tahap berikutnya.",
                ),
            ),
        )
    current = next((s for s in stages if s.number == facts.stage_number), None)
    reasons: list[Reason] = []
    if current is not None:
        ends = planned_end(facts.stage_started_on, current.duration_months)
        earliest = ends - dt.timedelta(days=target.early_entry_days)
        if on < earliest:
            reasons.append(
                Reason(
                    "duration",
                    f"{current.name} runs until {ends.isoformat()}; {target.name} can start "
                    f"on {earliest.isoformat()} at the earliest.",
                    f"{current.name} berlangsung sampai {ends.isoformat()}; {target.name} paling "
                    f"cepat dapat dimulai {earliest.isoformat()}.",
                )
            )
    missing = [code for code in target.required_exams if code not in facts.passed_exams]
    if missing:
        names = ", ".join(exam_names.get(code, code) for code in missing)
        reasons.append(
            Reason(
                "exam",
                f"{target.name} needs a pass in: {names}; none is recorded.",
                f"{target.name} memerlukan kelulusan ujian: {names}; belum tercatat.",
            )
        )
    if target.requires_eligible_trade and not facts.trade_stage3_eligible:
        reasons.append(
            Reason(
                "trade",
                f"The intern's trade is not allowed in {target.name}.",
                f"Jenis pekerjaan pemagang tidak diizinkan pada {target.name}.",
            )
        )
    if target.min_home_leave_days:
        finished = [
            leave.days() or 0
            for leave in facts.home_leaves
            if leave.returned_on is not None and leave.returned_on <= on
        ]
        longest = max(finished, default=0)
        if longest < target.min_home_leave_days:
            reasons.append(
                Reason(
                    "home_leave",
                    f"{target.name} needs a temporary return home of at least "
                    f"{target.min_home_leave_days} days; the longest recorded is {longest} days.",
                    f"{target.name} memerlukan pulang sementara minimal "
                    f"{target.min_home_leave_days} hari; yang terlama tercatat {longest} hari.",
                )
            )
    if target.requires_excellent_organisations:
        lacking_en, lacking_id = [], []
        if not facts.supervisor_excellent:
            lacking_en.append("the supervising organisation")
            lacking_id.append("organisasi pengawas")
        if not facts.host_excellent:
            lacking_en.append("the host company")
            lacking_id.append("perusahaan penerima")
        if lacking_en:
            reasons.append(
                Reason(
                    "excellent",
                    f'{target.name} needs an "excellent" standing of both organisations on '
                    f"{on.isoformat()}; missing for {' and '.join(lacking_en)}.",
                    f'{target.name} memerlukan status "unggul" kedua organisasi pada '
                    f"{on.isoformat()}; belum dimiliki {' dan '.join(lacking_id)}.",
                )
            )
    return Decision(target, tuple(reasons))
