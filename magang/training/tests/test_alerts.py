"""At-risk alerts on their own: pure, worked examples in both languages, property-tested."""

from __future__ import annotations

import json
import random
from dataclasses import FrozenInstanceError, replace
from fractions import Fraction
from itertools import takewhile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magang.training.alerts import (
    ALERT_CODES,
    STATUSES,
    Alert,
    AlertRules,
    InvalidInput,
    InvalidRules,
    ModuleInfo,
    TraineeActivity,
    absence_streak,
    alerts_for,
)
from magang.training.readiness import ReadinessRules, TraineeRecord, evaluate

JAPANESE = ModuleInfo("japanese", "Japanese language", "Bahasa Jepang", "japanese", 60, 3)
WELDING = ModuleInfo("welding", "Welding", "Pengelasan", "technical", 65, 2)
SAFETY = ModuleInfo("safety", "Occupational safety", "K3", "safety", 70, 1)
MODULES = (JAPANESE, WELDING, SAFETY)
RULES = AlertRules()

FINE = TraineeActivity(
    enrolment_id=11,
    attendance=("present",) * 18 + ("late", "present"),
    module_averages={"japanese": 72.5, "welding": 70, "safety": None},
    demerit_points=4,
    merit_points=1,
)


def alerts_of(
    activity: TraineeActivity,
    modules: tuple[ModuleInfo, ...] = MODULES,
    rules: AlertRules = RULES,
) -> tuple[Alert, ...]:
    return alerts_for([activity], modules, rules)[activity.enrolment_id]


def alert(activity: TraineeActivity, rule: str, rules: AlertRules = RULES) -> Alert:
    (found,) = [a for a in alerts_of(activity, rules=rules) if a.rule == rule]
    return found


def fired(activity: TraineeActivity, rules: AlertRules = RULES) -> list[str]:
    return [a.rule for a in alerts_of(activity, rules=rules)]


def test_a_trainee_doing_fine_has_no_alerts() -> None:
    assert alerts_for([FINE], MODULES, RULES) == {11: ()}


def test_every_rule_can_fire_at_once_in_a_fixed_order() -> None:
    activity = replace(
        FINE,
        attendance=("present",) * 8 + ("absent",) * 4,
        module_averages={"japanese": 50, "welding": 64.96},
        demerit_points=25,
        merit_points=2,
    )

    assert fired(activity) == list(ALERT_CODES)


# --- Consecutive absences ------------------------------------------------------------------


def test_it_explains_a_run_of_absences_in_both_languages() -> None:
    found = alert(
        replace(FINE, attendance=(*FINE.attendance, "absent", "absent", "absent")), "absences"
    )

    assert found.text_en == "3 absences in a row (limit 2)."
    assert found.text_id == "Tidak hadir 3 kali berturut-turut (batas 2)."
    assert found.severity == "warning"


@pytest.mark.parametrize(
    ("attendance", "streak"),
    [
        ((), 0),
        (("absent",), 1),
        (("absent", "absent", "present"), 0),
        (("absent", "late"), 0),
        (("absent", "present", "absent", "absent"), 2),
        # Excused sessions neither break a run nor extend it.
        (("absent", "excused", "absent"), 2),
        (("absent", "absent", "excused"), 2),
        (("excused", "excused"), 0),
        (("present", "excused", "absent"), 1),
    ],
)
def test_the_current_run_of_absences(attendance: tuple[str, ...], streak: int) -> None:
    assert absence_streak(attendance) == streak


def test_a_run_of_twice_the_limit_is_a_danger() -> None:
    activity = replace(FINE, attendance=(*FINE.attendance, *("absent",) * 4))

    assert alert(activity, "absences").severity == "danger"
    assert alert(activity, "absences").text_en == "4 absences in a row (limit 2)."


def test_a_single_absence_reads_in_the_singular() -> None:
    rules = AlertRules(consecutive_absences=1)

    found = alert(replace(FINE, attendance=(*FINE.attendance, "absent")), "absences", rules)
    assert found.text_en == "1 absence in a row (limit 1)."
    assert found.text_id == "Tidak hadir 1 kali berturut-turut (batas 1)."


# --- Attendance ------------------------------------------------------------------------------


def test_late_counts_as_attended_and_excused_is_left_out() -> None:
    # 18 attended (2 of them late) of 20 counted is exactly 90%: no alert; one more absence is.
    attendance = ("present",) * 15 + ("late", "late", "absent", "excused", "absent", "present")

    assert "attendance" not in fired(replace(FINE, attendance=attendance))
    assert "attendance" in fired(replace(FINE, attendance=(*attendance, "absent")))


def test_it_explains_attendance_below_the_limit_in_both_languages() -> None:
    attendance = ("present", "late", "absent", "excused") * 5  # 10 of 15 counted

    found = alert(replace(FINE, attendance=attendance), "attendance")
    assert found.text_en == (
        "Attendance 66.7% is below the required 90% (10 of 15 sessions; 5 excused not counted)."
    )
    assert found.text_id == (
        "Kehadiran 66,7% di bawah batas 90% (10 dari 15 sesi; 5 izin tidak dihitung)."
    )
    assert found.severity == "danger"


@pytest.mark.parametrize(
    ("attended", "absent", "severity"),
    [
        (18, 2, None),  # 90%: meets the limit
        (17, 3, "warning"),  # 85%
        (81, 19, "warning"),  # 81%
        (80, 20, "danger"),  # 80%: twice the 10% that may be missed
    ],
)
def test_low_attendance_turns_to_danger_at_twice_the_allowed_absence(
    attended: int, absent: int, severity: str | None
) -> None:
    # Absences first, so no run of absences is current.
    activity = replace(FINE, attendance=("absent",) * absent + ("present",) * attended)

    found = [a for a in alerts_of(activity) if a.rule == "attendance"]
    assert [a.severity for a in found] == ([] if severity is None else [severity])


def test_no_sessions_yet_raise_no_attendance_alert() -> None:
    assert alerts_of(replace(FINE, attendance=())) == ()
    assert alerts_of(replace(FINE, attendance=("excused", "excused"))) == ()


# --- Demerits and modules --------------------------------------------------------------------


def test_it_explains_demerits_at_the_warning_limit_in_both_languages() -> None:
    found = alert(replace(FINE, demerit_points=14, merit_points=4), "demerits")

    assert found.text_en == (
        "Net demerit points 10 (14 demerit, 4 merit) are at or above the warning limit of 10."
    )
    assert found.text_id == (
        "Poin pelanggaran bersih 10 (14 pelanggaran, 4 prestasi) "
        "mencapai atau melebihi batas peringatan 10."
    )
    assert found.severity == "warning"


@pytest.mark.parametrize(
    ("demerits", "merits", "severity"),
    [(9, 0, None), (10, 0, "warning"), (19, 0, "warning"), (20, 0, "danger"), (25, 16, None)],
)
def test_demerit_alerts(demerits: int, merits: int, severity: str | None) -> None:
    activity = replace(FINE, demerit_points=demerits, merit_points=merits)

    found = [a.severity for a in alerts_of(activity) if a.rule == "demerits"]
    assert found == ([] if severity is None else [severity])


def test_it_lists_every_module_below_its_pass_mark_in_one_alert() -> None:
    activity = replace(FINE, module_averages={"japanese": 55, "welding": 64.96, "safety": None})

    found = alert(activity, "module")
    assert found.text_en == (
        "Below the pass mark in 2 modules: Japanese language 55.0 (pass mark 60), "
        "Welding 64.9 (pass mark 65)."
    )
    assert found.text_id == (
        "Di bawah nilai lulus pada 2 modul: Bahasa Jepang 55,0 (nilai lulus 60), "
        "Pengelasan 64,9 (nilai lulus 65)."
    )
    assert found.severity == "warning"


def test_module_alerts_can_be_switched_off() -> None:
    activity = replace(FINE, module_averages={"japanese": 10})

    assert fired(activity) == ["module"]
    assert fired(activity, AlertRules(module_below_pass_mark=False)) == []


def test_a_module_not_yet_scored_raises_nothing() -> None:
    assert alerts_of(replace(FINE, module_averages={})) == ()


# --- Rules and inputs --------------------------------------------------------------------------


def test_the_defaults_are_the_programmes() -> None:
    assert AlertRules.from_dict({}) == RULES
    assert RULES.to_dict() == {
        "consecutive_absences": 2,
        "min_attendance": 0.9,
        "max_demerit_points": 10,
        "module_below_pass_mark": True,
    }


def test_bad_rules_list_every_problem() -> None:
    with pytest.raises(InvalidRules) as caught:
        AlertRules.from_dict(
            {
                "consecutive_absence": 3,
                "consecutive_absences": 0,
                "min_attendance": True,
                "max_demerit_points": "10",
                "module_below_pass_mark": "no",
            }
        )

    assert caught.value.problems == (
        "Unknown rule(s): consecutive_absence.",
        "'consecutive_absences' must be a whole number of at least 1, not 0.",
        "'min_attendance' must be a share from 0 to 1 (0.9 means 90%), not True.",
        "'max_demerit_points' must be a whole number of at least 1, not '10'.",
        "'module_below_pass_mark' must be true or false, not 'no'.",
    )
    with pytest.raises(InvalidRules) as caught:
        AlertRules(consecutive_absences=-1, min_attendance=1.5)
    assert len(caught.value.problems) == 2


@given(
    rules=st.builds(
        AlertRules,
        consecutive_absences=st.integers(1, 30),
        min_attendance=st.floats(0, 1) | st.integers(0, 1),
        max_demerit_points=st.integers(1, 100),
        module_below_pass_mark=st.booleans(),
    )
)
def test_rules_survive_a_round_trip_through_json(rules: AlertRules) -> None:
    stored = json.dumps(rules.to_dict())

    assert AlertRules.from_dict(json.loads(stored)) == rules
    assert AlertRules.from_dict(json.loads(stored)).to_dict() == rules.to_dict()


def test_a_bad_activity_lists_every_problem() -> None:
    with pytest.raises(InvalidInput) as caught:
        TraineeActivity(5, ["present", "sick", "Absent"], {"japanese": -1}, -2)

    assert caught.value.problems == (
        "Enrolment 5: demerit_points must be a whole number of at least 0, not -2.",
        "Enrolment 5: unknown attendance status(es) 'Absent', 'sick'; "
        "use present, late, excused, absent.",
        "Enrolment 5: the average of 'japanese' must be from 0 to 100 or None.",
    )


def test_alerts_for_refuses_repeated_ids_and_unknown_modules() -> None:
    stray = replace(FINE, enrolment_id=12, module_averages={"karate": 50})

    with pytest.raises(InvalidInput) as caught:
        alerts_for([FINE, FINE, stray], MODULES, RULES)
    assert caught.value.problems == (
        "Enrolment 11 appears more than once.",
        "Enrolment 12 has averages for unknown module(s): karate.",
    )


def test_activities_are_immutable() -> None:
    activity = TraineeActivity(1, ["present"], {"japanese": 70})

    assert activity.attendance == ("present",)
    with pytest.raises(TypeError):
        activity.module_averages["japanese"] = 10  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        activity.demerit_points = 3  # type: ignore[misc]
    assert hash(activity) == hash(TraineeActivity(1, ("present",), {"japanese": 70}))


# --- Properties ------------------------------------------------------------------------------

statuses = st.lists(st.sampled_from(STATUSES), max_size=60)
averages = st.dictionaries(st.sampled_from([m.key for m in MODULES]), st.none() | st.floats(0, 100))
activities = st.builds(
    TraineeActivity,
    enrolment_id=st.integers(1, 10_000),
    attendance=statuses,
    module_averages=averages,
    demerit_points=st.integers(0, 40),
    merit_points=st.integers(0, 40),
)
alert_rules = st.builds(
    AlertRules,
    consecutive_absences=st.integers(1, 8),
    min_attendance=st.floats(0, 1),
    max_demerit_points=st.integers(1, 30),
    module_below_pass_mark=st.booleans(),
)


def trailing_absences(attendance: tuple[str, ...]) -> int:
    """The oracle: drop excused sessions, then count absences back from the end."""
    held = [s for s in attendance if s != "excused"]
    return len(list(takewhile(lambda s: s == "absent", reversed(held))))


@given(activity=activities, rules=alert_rules)
def test_each_alert_fires_exactly_when_its_rule_says(
    activity: TraineeActivity, rules: AlertRules
) -> None:
    found = {a.rule: a for a in alerts_of(activity, rules=rules)}
    attendance = tuple(activity.attendance)
    counted = [s for s in attendance if s != "excused"]
    attended = sum(s in ("present", "late") for s in counted)
    net = activity.demerit_points - activity.merit_points
    below = [
        m
        for m in MODULES
        if (average := activity.module_averages.get(m.key)) is not None and average < m.pass_mark
    ]

    assert ("absences" in found) == (trailing_absences(attendance) >= rules.consecutive_absences)
    assert ("attendance" in found) == (
        bool(counted) and Fraction(attended, len(counted)) < Fraction(repr(rules.min_attendance))
    )
    assert ("demerits" in found) == (net >= rules.max_demerit_points)
    assert ("module" in found) == (rules.module_below_pass_mark and bool(below))


@given(activity=activities, rules=alert_rules)
def test_alerts_come_once_each_in_a_fixed_order_with_both_languages(
    activity: TraineeActivity, rules: AlertRules
) -> None:
    found = alerts_of(activity, rules=rules)
    codes = [a.rule for a in found]

    assert codes == [code for code in ALERT_CODES if code in codes]
    for a in found:
        assert a.severity in ("warning", "danger")
        assert a.text_en.endswith(".")
        assert a.text_id.endswith(".")
        assert a.text_en != a.text_id


@given(attendance=statuses)
def test_the_streak_matches_the_oracle(attendance: list[str]) -> None:
    assert absence_streak(attendance) == trailing_absences(tuple(attendance))


@given(activity=activities, min_attendance=st.floats(0, 1))
def test_the_attendance_alert_agrees_with_the_graduation_rule(
    activity: TraineeActivity, min_attendance: float
) -> None:
    attendance = tuple(activity.attendance)
    record = TraineeRecord(
        enrolment_id=activity.enrolment_id,
        sessions_held=len(attendance),
        sessions_attended=sum(s in ("present", "late") for s in attendance),
        sessions_excused=attendance.count("excused"),
        module_averages={},
    )
    readiness = evaluate([record], (), ReadinessRules(min_attendance=min_attendance))
    (attendance_reason, *_) = readiness[record.enrolment_id].reasons
    alerts = alerts_of(activity, rules=AlertRules(min_attendance=min_attendance))
    counted = record.sessions_held - record.sessions_excused

    if counted:
        assert ("attendance" in [a.rule for a in alerts]) == (not attendance_reason.passed)


@given(
    data=st.lists(activities, max_size=8, unique_by=lambda a: a.enrolment_id),
    rules=alert_rules,
    seed=st.randoms(),
)
def test_alerts_do_not_depend_on_the_order_of_trainees(
    data: list[TraineeActivity], rules: AlertRules, seed: random.Random
) -> None:
    shuffled = list(data)
    seed.shuffle(shuffled)

    result = alerts_for(data, MODULES, rules)
    assert alerts_for(shuffled, MODULES, rules) == result
    assert set(result) == {a.enrolment_id for a in data}


def test_a_large_cohort_runs() -> None:
    rng = random.Random(2026)
    modules = tuple(
        ModuleInfo(f"m{i}", f"Module {i}", f"Modul {i}", "technical", 60, 1) for i in range(12)
    )
    activities = [
        TraineeActivity(
            enrolment_id=i,
            attendance=rng.choices(STATUSES, weights=(85, 5, 3, 7), k=300),
            module_averages={m.key: round(rng.uniform(40, 100), 2) for m in modules},
            demerit_points=rng.randint(0, 30),
            merit_points=rng.randint(0, 10),
        )
        for i in range(2000)
    ]

    assert len(alerts_for(activities, modules, RULES)) == 2000
