"""The stage rules (pure): what it takes to move to the next stage, explained."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from magang.internships.stages import (
    Leave,
    StageRule,
    StayFacts,
    add_months,
    check_next_stage,
    planned_end,
)

D = dt.date
TITP = (
    StageRule(number=1, code="titp-1", name="TITP stage 1", duration_months=12),
    StageRule(
        number=2,
        code="titp-2",
        name="TITP stage 2",
        duration_months=24,
        required_exams=("basic",),
        early_entry_days=0,
    ),
    StageRule(
        number=3,
        code="titp-3",
        name="TITP stage 3",
        duration_months=24,
        required_exams=("grade3",),
        requires_eligible_trade=True,
        min_home_leave_days=30,
        requires_excellent_organisations=True,
    ),
)
NAMES = {"basic": "basic grade", "grade3": "grade 3"}


def facts(**overrides: object) -> StayFacts:
    base: dict[str, object] = {
        "stage_number": 1,
        "stage_started_on": D(2025, 1, 10),
        "passed_exams": frozenset({"basic"}),
        "trade_stage3_eligible": True,
        "home_leaves": (),
        "supervisor_excellent": True,
        "host_excellent": True,
    }
    base.update(overrides)
    return StayFacts(**base)  # type: ignore[arg-type]


def test_it_moves_to_stage_2_after_a_year_with_the_basic_grade() -> None:
    decision = check_next_stage(stages=TITP, facts=facts(), on=D(2026, 1, 10), exam_names=NAMES)
    assert decision.allowed
    assert decision.stage is not None and decision.stage.number == 2
    assert decision.reasons == ()


def test_it_refuses_stage_2_without_the_basic_grade_and_says_why() -> None:
    decision = check_next_stage(
        stages=TITP, facts=facts(passed_exams=frozenset()), on=D(2026, 1, 10), exam_names=NAMES
    )
    assert not decision.allowed
    assert [r.rule for r in decision.reasons] == ["exam"]
    assert "basic grade" in decision.reasons[0].text_en
    assert "basic grade" in decision.reasons[0].text_id


def test_it_refuses_a_move_before_the_stage_has_run_its_course() -> None:
    decision = check_next_stage(stages=TITP, facts=facts(), on=D(2025, 12, 1), exam_names=NAMES)
    assert [r.rule for r in decision.reasons] == ["duration"]
    assert "2026-01-10" in decision.reasons[0].text_en


def test_stage_3_needs_every_condition_and_names_each_missing_one() -> None:
    stage2 = facts(
        stage_number=2,
        stage_started_on=D(2026, 1, 10),
        passed_exams=frozenset({"basic"}),
        trade_stage3_eligible=False,
        home_leaves=(Leave(D(2027, 12, 1), D(2027, 12, 20)),),
        supervisor_excellent=False,
        host_excellent=True,
    )
    decision = check_next_stage(stages=TITP, facts=stage2, on=D(2028, 1, 10), exam_names=NAMES)
    assert not decision.allowed
    assert [r.rule for r in decision.reasons] == ["exam", "trade", "home_leave", "excellent"]
    assert "19 days" in decision.reasons[2].text_en
    assert "supervising organisation" in decision.reasons[3].text_en


def test_stage_3_with_everything_in_place() -> None:
    stage2 = facts(
        stage_number=2,
        stage_started_on=D(2026, 1, 10),
        passed_exams=frozenset({"basic", "grade3"}),
        home_leaves=(Leave(D(2027, 12, 1), D(2028, 1, 5)),),
    )
    decision = check_next_stage(stages=TITP, facts=stage2, on=D(2028, 1, 10), exam_names=NAMES)
    assert decision.allowed and decision.stage is not None and decision.stage.number == 3


def test_a_home_leave_still_running_does_not_count() -> None:
    stage2 = facts(
        stage_number=2,
        stage_started_on=D(2026, 1, 10),
        passed_exams=frozenset({"grade3"}),
        home_leaves=(Leave(D(2027, 12, 1), None),),
    )
    decision = check_next_stage(stages=TITP, facts=stage2, on=D(2028, 1, 10), exam_names=NAMES)
    assert [r.rule for r in decision.reasons] == ["home_leave"]


def test_there_is_no_stage_after_the_last() -> None:
    last = facts(stage_number=3, stage_started_on=D(2028, 1, 10))
    decision = check_next_stage(stages=TITP, facts=last, on=D(2031, 1, 10), exam_names=NAMES)
    assert [r.rule for r in decision.reasons] == ["last_stage"]


def test_early_entry_days_allow_a_move_before_the_planned_end() -> None:
    stages = (
        TITP[0],
        StageRule(number=2, code="x-2", name="x", duration_months=24, early_entry_days=30),
    )
    decision = check_next_stage(stages=stages, facts=facts(), on=D(2025, 12, 15), exam_names={})
    assert decision.allowed


@given(
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31)),
    months=st.integers(min_value=0, max_value=120),
)
def test_add_months_lands_on_the_same_day_or_the_months_last(start: dt.date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or end.day < start.day
    assert planned_end(start, months) == end


@given(st.sets(st.sampled_from(["basic", "grade3"])), st.booleans(), st.booleans(), st.booleans())
def test_a_refusal_always_has_a_reason_and_an_allowance_never(
    passed: set[str], trade: bool, sup: bool, host: bool
) -> None:
    stage2 = facts(
        stage_number=2,
        stage_started_on=D(2026, 1, 10),
        passed_exams=frozenset(passed),
        trade_stage3_eligible=trade,
        supervisor_excellent=sup,
        host_excellent=host,
        home_leaves=(Leave(D(2027, 11, 1), D(2027, 12, 15)),),
    )
    decision = check_next_stage(stages=TITP, facts=stage2, on=D(2028, 1, 10), exam_names=NAMES)
    assert decision.allowed == (decision.reasons == ())
    assert decision.allowed == ("grade3" in passed and trade and sup and host)
