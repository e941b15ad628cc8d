from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magang.internships.schedule import AUDIT, VISIT, MonitoringRules, due_on, first_after

RULES = MonitoringRules()
ARRIVED = dt.date(2025, 1, 31)


def test_visits_fall_monthly_during_the_first_year_only() -> None:
    assert due_on(VISIT, 1, arrived_on=ARRIVED, rules=RULES) == dt.date(2025, 2, 28)
    assert due_on(VISIT, 12, arrived_on=ARRIVED, rules=RULES) == dt.date(2026, 1, 31)
    assert due_on(VISIT, 13, arrived_on=ARRIVED, rules=RULES) is None


def test_audits_fall_every_three_months_for_the_whole_stay() -> None:
    assert due_on(AUDIT, 1, arrived_on=ARRIVED, rules=RULES) == dt.date(2025, 4, 30)
    assert due_on(AUDIT, 20, arrived_on=ARRIVED, rules=RULES) == dt.date(2030, 1, 31)


def test_a_resumed_stay_continues_with_the_next_duty() -> None:
    assert first_after(VISIT, dt.date(2025, 6, 15), arrived_on=ARRIVED, rules=RULES) == (
        5,
        dt.date(2025, 6, 30),
    )
    assert first_after(VISIT, dt.date(2026, 2, 1), arrived_on=ARRIVED, rules=RULES) is None


def test_unknown_kinds_and_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown"):
        due_on("party", 1, arrived_on=ARRIVED, rules=RULES)
    with pytest.raises(ValueError, match="from 1"):
        due_on(VISIT, 0, arrived_on=ARRIVED, rules=RULES)


@given(st.integers(min_value=1, max_value=40), st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)))
def test_duties_fall_in_order(sequence: int, arrived: dt.date) -> None:
    first = due_on(AUDIT, sequence, arrived_on=arrived, rules=RULES)
    second = due_on(AUDIT, sequence + 1, arrived_on=arrived, rules=RULES)
    assert first is not None and second is not None and arrived < first < second
