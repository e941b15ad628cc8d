"""When the supervising organisation's monitoring duties fall due. Pure: no Django.

Duties are counted from arrival: visit ``n`` falls due ``n * visit_every`` months after
arrival while that is within the first ``visits_for`` months; audit ``n`` falls due
``n * audit_every`` months after arrival, for as long as the stay lasts. A duty is overdue
when it is still open ``overdue_after_days`` after it fell due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .stages import add_months

VISIT = "visit"
AUDIT = "audit"


@dataclass(frozen=True, kw_only=True)
class MonitoringRules:
    visit_every_months: int = 1
    visits_for_months: int = 12
    audit_every_months: int = 3
    overdue_after_days: int = 7


def due_on(
    kind: str, sequence: int, *, arrived_on: dt.date, rules: MonitoringRules
) -> dt.date | None:
    """When duty number ``sequence`` (from 1) of ``kind`` falls due, or None when there is
    no such duty (visits after the first year)."""
    if sequence < 1:
        raise ValueError("Duties are numbered from 1.")
    if kind == VISIT:
        months = sequence * rules.visit_every_months
        return add_months(arrived_on, months) if months <= rules.visits_for_months else None
    if kind == AUDIT:
        return add_months(arrived_on, sequence * rules.audit_every_months)
    raise ValueError(f"Unknown duty kind: {kind!r}")


def first_after(
    kind: str, day: dt.date, *, arrived_on: dt.date, rules: MonitoringRules
) -> tuple[int, dt.date] | None:
    """The first duty of ``kind`` falling due after ``day`` (a stay resumed after ``day``)."""
    sequence = 1
    while True:
        due = due_on(kind, sequence, arrived_on=arrived_on, rules=rules)
        if due is None:
            return None
        if due > day:
            return sequence, due
        sequence += 1


def overdue_from(due: dt.date, rules: MonitoringRules) -> dt.date:
    """The first day on which a duty still open is overdue."""
    return due + dt.timedelta(days=rules.overdue_after_days)
