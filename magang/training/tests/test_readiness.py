"""Readiness rules on their own: pure, worked examples in both languages, property-tested."""

from __future__ import annotations

import json
import random
from dataclasses import FrozenInstanceError, replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magang.training.readiness import (
    CATEGORIES,
    CHECKS,
    InvalidInput,
    InvalidRules,
    ModuleInfo,
    ReadinessRules,
    Reason,
    TraineeRecord,
    Verdict,
    evaluate,
)

JAPANESE = ModuleInfo("japanese", "Japanese language", "Bahasa Jepang", "japanese", 60, 3)
CULTURE = ModuleInfo("culture", "Culture and manners", "Budaya dan tata krama", "culture", 55, 1)
PHYSICAL = ModuleInfo("physical", "Physical training", "Latihan fisik", "discipline", 60, 1)
WELDING = ModuleInfo("welding", "Welding", "Pengelasan", "technical", 65, 2)
SAFETY = ModuleInfo("safety", "Occupational safety", "K3", "safety", 70, 0)
MODULES = (JAPANESE, CULTURE, PHYSICAL, WELDING, SAFETY)
RULES = ReadinessRules()

READY = TraineeRecord(
    enrolment_id=7,
    sessions_held=200,
    sessions_attended=190,
    sessions_excused=0,
    module_averages={
        "japanese": 72.5,
        "culture": 80,
        "physical": 75,
        "welding": 68,
        "safety": 90,
    },
    demerit_points=8,
    merit_points=3,
    medical_passed=True,
)


def verdict_of(
    record: TraineeRecord,
    modules: tuple[ModuleInfo, ...] = MODULES,
    rules: ReadinessRules = RULES,
) -> Verdict:
    return evaluate([record], modules, rules)[record.enrolment_id]


def reason(record: TraineeRecord, rule: str, **kwargs: object) -> Reason:
    verdict = verdict_of(record, **kwargs)  # type: ignore[arg-type]
    (found,) = [r for r in verdict.reasons if r.rule == rule]
    return found


def with_averages(**averages: float | None) -> TraineeRecord:
    return replace(READY, module_averages={**READY.module_averages, **averages})


# --- The whole checklist -----------------------------------------------------------------


def test_it_finds_a_trainee_who_meets_every_rule_ready_and_lists_every_rule() -> None:
    verdict = verdict_of(READY)

    assert verdict.ready
    assert verdict.failures == ()
    assert [(r.rule, r.passed) for r in verdict.reasons] == [(code, True) for code in CHECKS]
    assert [r.text_en for r in verdict.reasons] == [
        "Attendance 95.0% meets the required 90% (190 of 200 sessions).",
        "Japanese meets the required score: Japanese language 72.5 (required 60).",
        "All modules (5) are at or above their pass marks.",
        "Net demerit points 5 (8 demerit, 3 merit) are below the limit of 20.",
        "The medical check was passed.",
    ]
    assert [r.text_id for r in verdict.reasons] == [
        "Kehadiran 95,0% memenuhi batas 90% (190 dari 200 sesi).",
        "Bahasa Jepang memenuhi nilai minimal: Bahasa Jepang 72,5 (minimal 60).",
        "Semua modul (5) memenuhi nilai lulus.",
        "Poin pelanggaran bersih 5 (8 pelanggaran, 3 prestasi) di bawah batas 20.",
        "Pemeriksaan kesehatan dinyatakan lulus.",
    ]


def test_one_failed_rule_makes_a_trainee_not_ready_and_keeps_the_full_checklist() -> None:
    verdict = verdict_of(replace(READY, medical_passed=False))

    assert not verdict.ready
    assert [r.rule for r in verdict.reasons] == list(CHECKS)
    assert [r.rule for r in verdict.failures] == ["medical"]


# --- Attendance ----------------------------------------------------------------------------


def test_it_explains_low_attendance_in_both_languages() -> None:
    found = reason(replace(READY, sessions_attended=173), "attendance")

    assert not found.passed
    assert found.text_en == "Attendance 86.5% is below the required 90% (173 of 200 sessions)."
    assert found.text_id == "Kehadiran 86,5% di bawah batas 90% (173 dari 200 sesi)."


@pytest.mark.parametrize(
    ("held", "attended", "excused", "passed"),
    [
        (100, 90, 0, True),  # exactly 90% is enough
        (100, 89, 0, False),
        (30, 27, 0, True),  # 27/30 is 0.9 exactly, however floats round it
        # Excused sessions leave the denominator: 86 of 95 is 90.5%.
        (100, 86, 5, True),
        (100, 85, 5, False),
    ],
)
def test_attendance_counts_excused_sessions_out(
    held: int, attended: int, excused: int, passed: bool
) -> None:
    record = replace(
        READY, sessions_held=held, sessions_attended=attended, sessions_excused=excused
    )

    assert reason(record, "attendance").passed is passed


def test_excused_sessions_are_named_as_not_counted() -> None:
    record = replace(READY, sessions_held=204, sessions_excused=4)

    found = reason(record, "attendance")
    assert found.text_en == (
        "Attendance 95.0% meets the required 90% (190 of 200 sessions; 4 excused not counted)."
    )
    assert found.text_id == (
        "Kehadiran 95,0% memenuhi batas 90% (190 dari 200 sesi; 4 izin tidak dihitung)."
    )


def test_percentages_round_half_up_with_thousands_grouped_by_language() -> None:
    # 1,729 of 2,000 is 86.45%: half up gives 86.5 (half to even would give 86.4).
    record = replace(READY, sessions_held=2000, sessions_attended=1729)

    found = reason(record, "attendance")
    assert found.text_en == (
        "Attendance 86.5% is below the required 90% (1,729 of 2,000 sessions)."
    )
    assert found.text_id == "Kehadiran 86,5% di bawah batas 90% (1.729 dari 2.000 sesi)."


def test_a_rate_just_below_the_limit_never_reads_as_reaching_it() -> None:
    # 359 of 399 is 89.97%, which rounds half up to 90.0%.
    record = replace(READY, sessions_held=399, sessions_attended=359)

    found = reason(record, "attendance")
    assert not found.passed
    assert found.text_en.startswith("Attendance 89.9% is below the required 90%")


def test_a_limit_shows_as_written() -> None:
    rules = ReadinessRules(min_attendance=0.875)

    found = reason(replace(READY, sessions_attended=170), "attendance", rules=rules)
    assert found.text_en == "Attendance 85.0% is below the required 87.5% (170 of 200 sessions)."
    assert found.text_id == "Kehadiran 85,0% di bawah batas 87,5% (170 dari 200 sesi)."


def test_attendance_is_not_yet_known_before_any_session() -> None:
    record = replace(READY, sessions_held=0, sessions_attended=0)
    verdict = verdict_of(record)

    (found,) = [r for r in verdict.reasons if r.rule == "attendance"]
    assert not found.passed
    assert verdict.attendance_rate is None
    assert found.text_en == "No sessions have been held yet; attendance cannot be judged."
    assert found.text_id == "Belum ada sesi yang diadakan; kehadiran belum dapat dinilai."


def test_attendance_is_not_yet_known_when_every_session_was_excused() -> None:
    record = replace(READY, sessions_held=3, sessions_attended=0, sessions_excused=3)

    found = reason(record, "attendance")
    assert not found.passed
    assert found.text_en == ("All 3 sessions held were excused; attendance cannot be judged yet.")
    assert found.text_id == (
        "Semua 3 sesi yang diadakan berstatus izin; kehadiran belum dapat dinilai."
    )


# --- Japanese --------------------------------------------------------------------------------


def test_japanese_below_its_pass_mark_fails_with_the_score() -> None:
    found = reason(with_averages(japanese=55), "japanese")

    assert not found.passed
    assert found.text_en == (
        "Japanese is below the required score: Japanese language 55.0 (required 60)."
    )
    assert found.text_id == (
        "Bahasa Jepang di bawah nilai minimal: Bahasa Jepang 55,0 (minimal 60)."
    )


def test_a_fixed_japanese_minimum_replaces_the_pass_mark() -> None:
    stricter = ReadinessRules(japanese_min_score=75)
    laxer = ReadinessRules(japanese_min_score=50)

    found = reason(READY, "japanese", rules=stricter)
    assert not found.passed
    assert found.text_en == (
        "Japanese is below the required score: Japanese language 72.5 (required 75)."
    )
    assert reason(with_averages(japanese=55), "japanese", rules=laxer).passed
    # The module rule still holds Japanese to its own pass mark.
    assert not reason(with_averages(japanese=55), "module", rules=laxer).passed


def test_japanese_not_yet_scored_fails_as_not_yet() -> None:
    found = reason(with_averages(japanese=None), "japanese")

    assert not found.passed
    assert found.text_en == "Japanese is not yet scored: Japanese language."
    assert found.text_id == "Bahasa Jepang belum dinilai: Bahasa Jepang."


def test_every_japanese_module_is_checked() -> None:
    speaking = ModuleInfo("speaking", "Japanese speaking", "Percakapan Jepang", "japanese", 65, 1)
    kanji = ModuleInfo("kanji", "Kanji", "Kanji", "japanese", 50, 1)
    record = replace(READY, module_averages={"japanese": 59.95, "speaking": 64})

    found = reason(record, "japanese", modules=(JAPANESE, speaking, kanji))
    assert found.text_en == (
        "Japanese is below the required score: Japanese language 59.9 (required 60), "
        "Japanese speaking 64.0 (required 65); not yet scored: Kanji."
    )
    assert found.text_id == (
        "Bahasa Jepang di bawah nilai minimal: Bahasa Jepang 59,9 (minimal 60), "
        "Percakapan Jepang 64,0 (minimal 65); belum dinilai: Kanji."
    )


def test_a_curriculum_without_japanese_cannot_pass_the_japanese_rule() -> None:
    record = replace(READY, module_averages={"culture": 80, "welding": 68})

    found = reason(record, "japanese", modules=(CULTURE, WELDING))

    assert not found.passed
    assert found.text_en == (
        "No Japanese module is set up, so the Japanese requirement cannot be checked."
    )
    assert found.text_id == (
        "Belum ada modul bahasa Jepang, jadi syarat bahasa Jepang belum dapat diperiksa."
    )


# --- Modules -------------------------------------------------------------------------------


def test_one_module_below_its_pass_mark() -> None:
    found = reason(with_averages(welding=58.25), "module")

    assert not found.passed
    assert found.text_en == "1 of 5 modules is below its pass mark: Welding 58.3 (pass mark 65)."
    assert found.text_id == "1 dari 5 modul di bawah nilai lulus: Pengelasan 58,3 (nilai lulus 65)."


def test_modules_below_and_not_yet_scored_are_listed_in_curriculum_order() -> None:
    found = reason(with_averages(safety=69.9, culture=40, physical=None), "module")

    assert found.text_en == (
        "2 of 5 modules are below their pass marks: Culture and manners 40.0 (pass mark 55), "
        "Occupational safety 69.9 (pass mark 70); 1 is not yet scored: Physical training."
    )
    assert found.text_id == (
        "2 dari 5 modul di bawah nilai lulus: Budaya dan tata krama 40,0 (nilai lulus 55), "
        "K3 69,9 (nilai lulus 70); 1 belum dinilai: Latihan fisik."
    )


def test_modules_not_yet_scored_alone() -> None:
    record = replace(READY, module_averages={"japanese": 70, "culture": 70, "physical": 70})

    found = reason(record, "module")
    assert found.text_en == "2 of 5 modules are not yet scored: Welding, Occupational safety."
    assert found.text_id == "2 dari 5 modul belum dinilai: Pengelasan, K3."


def test_passing_every_module_can_be_switched_off() -> None:
    rules = ReadinessRules(all_modules_passed=False)

    found = reason(with_averages(welding=10), "module", rules=rules)
    assert found.passed
    assert found.text_en == "Passing every module is not required for this cohort."
    assert found.text_id == "Lulus semua modul tidak diwajibkan untuk angkatan ini."


def test_a_score_at_the_pass_mark_passes() -> None:
    assert reason(with_averages(welding=65), "module").passed
    assert not reason(with_averages(welding=64.99), "module").passed


# --- Demerits and medical --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("demerits", "merits", "passed"),
    [(19, 0, True), (20, 0, False), (25, 5, False), (25, 6, True), (0, 10, True)],
)
def test_net_demerits_must_stay_strictly_below_the_limit(
    demerits: int, merits: int, passed: bool
) -> None:
    record = replace(READY, demerit_points=demerits, merit_points=merits)

    assert reason(record, "demerits").passed is passed


def test_it_explains_too_many_demerits_in_both_languages() -> None:
    found = reason(replace(READY, demerit_points=25, merit_points=3), "demerits")

    assert found.text_en == (
        "Net demerit points 22 (25 demerit, 3 merit) are at or above the limit of 20."
    )
    assert found.text_id == (
        "Poin pelanggaran bersih 22 (25 pelanggaran, 3 prestasi) mencapai atau melebihi batas 20."
    )


@pytest.mark.parametrize(
    ("medical_passed", "required", "passed", "en", "id_"),
    [
        (
            True,
            True,
            True,
            "The medical check was passed.",
            "Pemeriksaan kesehatan dinyatakan lulus.",
        ),
        (
            False,
            True,
            False,
            "The medical check was not passed.",
            "Pemeriksaan kesehatan dinyatakan tidak lulus.",
        ),
        (
            None,
            True,
            False,
            "The medical check result is not yet recorded.",
            "Hasil pemeriksaan kesehatan belum tercatat.",
        ),
        (
            False,
            False,
            True,
            "A medical check is not required for this cohort.",
            "Pemeriksaan kesehatan tidak diwajibkan untuk angkatan ini.",
        ),
    ],
)
def test_medical(
    medical_passed: bool | None, required: bool, passed: bool, en: str, id_: str
) -> None:
    rules = ReadinessRules(medical_required=required)

    found = reason(replace(READY, medical_passed=medical_passed), "medical", rules=rules)
    assert (found.passed, found.text_en, found.text_id) == (passed, en, id_)


# --- Weighted total --------------------------------------------------------------------------


def test_the_weighted_total_weighs_modules_by_weight() -> None:
    # (72.5*3 + 80 + 75 + 68*2 + 90*0) / 7
    assert verdict_of(READY).weighted_total == pytest.approx((217.5 + 80 + 75 + 136) / 7)


def test_the_weighted_total_waits_for_every_weighted_module() -> None:
    assert verdict_of(with_averages(welding=None)).weighted_total is None
    # Safety has weight 0, so its missing average does not matter.
    assert verdict_of(with_averages(safety=None)).weighted_total is not None


def test_there_is_no_weighted_total_without_weights() -> None:
    unweighted = tuple(replace(m, weight=0) for m in MODULES)

    assert verdict_of(READY, modules=unweighted).weighted_total is None


def test_decimals_from_the_database_are_accepted() -> None:
    # The models keep pass marks, weights and scores as Decimal; mypy wants float(), but a
    # Decimal that slips through is read the same.
    pass_mark: object = Decimal("60.00")
    average: object = Decimal("59.99")
    module = ModuleInfo("japanese", "Japanese", "Bahasa Jepang", "japanese", pass_mark, 1)  # type: ignore[arg-type]
    record = replace(READY, module_averages={"japanese": average})  # type: ignore[dict-item]

    assert module.pass_mark == 60.0
    assert isinstance(module.pass_mark, float)
    found = reason(record, "japanese", modules=(module,))
    assert found.text_en == "Japanese is below the required score: Japanese 59.9 (required 60)."


# --- Rules as data ---------------------------------------------------------------------------


def test_the_defaults_are_the_programmes() -> None:
    assert ReadinessRules.from_dict({}) == RULES
    assert RULES.to_dict() == {
        "min_attendance": 0.9,
        "japanese_min_score": None,
        "all_modules_passed": True,
        "max_demerit_points": 20,
        "medical_required": True,
    }


def test_bad_rules_list_every_problem() -> None:
    with pytest.raises(InvalidRules) as caught:
        ReadinessRules(
            min_attendance=90,
            japanese_min_score=120,
            all_modules_passed="yes",  # type: ignore[arg-type]
            max_demerit_points=0,
            medical_required=None,  # type: ignore[arg-type]
        )

    assert caught.value.problems == (
        "'min_attendance' must be a share from 0 to 1 (0.9 means 90%), not 90.",
        "'japanese_min_score' must be empty (null) or a score from 0 to 100, not 120.",
        "'all_modules_passed' must be true or false, not 'yes'.",
        "'max_demerit_points' must be a whole number of at least 1, not 0.",
        "'medical_required' must be true or false, not None.",
    )


def test_stored_rules_with_unknown_keys_and_wrong_types_list_every_problem() -> None:
    with pytest.raises(InvalidRules) as caught:
        ReadinessRules.from_dict(
            {"min_atendance": 0.8, "max_demerit_points": 20.5, "japanese_min_score": "60"}
        )

    assert caught.value.problems == (
        "Unknown rule(s): min_atendance.",
        "'japanese_min_score' must be empty (null) or a score from 0 to 100, not '60'.",
        "'max_demerit_points' must be a whole number of at least 1, not 20.5.",
    )


@pytest.mark.parametrize("data", [[], "rules", None, 3])
def test_stored_rules_must_be_an_object(data: object) -> None:
    with pytest.raises(InvalidRules, match="must be a JSON object"):
        ReadinessRules.from_dict(data)  # type: ignore[arg-type]


rule_sets = st.builds(
    ReadinessRules,
    min_attendance=st.floats(0, 1),
    japanese_min_score=st.none() | st.floats(0, 100) | st.integers(0, 100),
    all_modules_passed=st.booleans(),
    max_demerit_points=st.integers(1, 100),
    medical_required=st.booleans(),
)


@given(rules=rule_sets)
def test_rules_survive_a_round_trip_through_json(rules: ReadinessRules) -> None:
    stored = json.dumps(rules.to_dict())

    assert ReadinessRules.from_dict(json.loads(stored)) == rules
    assert ReadinessRules.from_dict(json.loads(stored)).to_dict() == rules.to_dict()


# --- Inputs ------------------------------------------------------------------------------------


def test_a_bad_module_lists_every_problem() -> None:
    with pytest.raises(InvalidInput) as caught:
        ModuleInfo("", "", "Budaya", "manners", 101, -1)

    assert caught.value.problems == (
        "Module '': the key must be non-empty text.",
        "Module '' needs a name in English and in Indonesian.",
        f"Module '': category must be one of {', '.join(CATEGORIES)}.",
        "Module '': the pass mark must be a number from 0 to 100.",
        "Module '': the weight must be a number of at least 0.",
    )


def test_a_bad_record_lists_every_problem() -> None:
    with pytest.raises(InvalidInput) as caught:
        TraineeRecord(3, 10, -1, 0, {"japanese": 101, "culture": float("nan")}, True, 0, None)

    assert caught.value.problems == (
        "Enrolment 3: sessions_attended must be a whole number of at least 0, not -1.",
        "Enrolment 3: demerit_points must be a whole number of at least 0, not True.",
        "Enrolment 3: the average of 'japanese' must be from 0 to 100 or None.",
        "Enrolment 3: the average of 'culture' must be from 0 to 100 or None.",
    )


def test_sessions_attended_and_excused_cannot_exceed_those_held() -> None:
    with pytest.raises(InvalidInput, match="add up to more than the 10 held"):
        TraineeRecord(3, 10, 8, 3, {})


def test_evaluate_refuses_repeated_ids_repeated_modules_and_unknown_modules() -> None:
    stray = replace(READY, enrolment_id=8, module_averages={"karate": 80})

    with pytest.raises(InvalidInput) as caught:
        evaluate([READY, READY, stray], MODULES, RULES)
    assert caught.value.problems == (
        "Enrolment 7 appears more than once.",
        "Enrolment 8 has averages for unknown module(s): karate.",
    )
    with pytest.raises(InvalidInput, match="Module keys repeat: welding"):
        evaluate([READY], (*MODULES, WELDING), RULES)


def test_everything_is_immutable() -> None:
    verdict = verdict_of(READY)

    with pytest.raises(FrozenInstanceError):
        verdict.ready = False  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        RULES.min_attendance = 0.5  # type: ignore[misc]
    with pytest.raises(TypeError):
        READY.module_averages["japanese"] = 10  # type: ignore[index]
    assert isinstance(verdict.reasons, tuple)
    assert hash(READY) == hash(replace(READY))


def test_a_verdict_can_be_stored_as_json() -> None:
    data = json.loads(json.dumps(verdict_of(with_averages(welding=None)).to_dict()))

    assert data["enrolment_id"] == 7
    assert data["ready"] is False
    assert data["weighted_total"] is None
    assert [r["rule"] for r in data["reasons"]] == list(CHECKS)
    assert data["reasons"][2]["text_en"] == "1 of 5 modules is not yet scored: Welding."


# --- Properties ------------------------------------------------------------------------------

averages = st.none() | st.floats(0, 100) | st.integers(0, 100)


@st.composite
def module_lists(draw: st.DrawFn) -> tuple[ModuleInfo, ...]:
    keys = draw(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=6))
    return tuple(
        ModuleInfo(
            key,
            f"Module {key}",
            f"Modul {key}",
            draw(st.sampled_from(CATEGORIES)),
            draw(st.floats(0, 100) | st.integers(0, 100)),
            draw(st.sampled_from([0, 0.5, 1, 2, 3])),
        )
        for key in keys
    )


@st.composite
def records_for(
    draw: st.DrawFn, modules: tuple[ModuleInfo, ...], enrolment_id: int
) -> TraineeRecord:
    held = draw(st.integers(0, 400))
    excused = draw(st.integers(0, held))
    attended = draw(st.integers(0, held - excused))
    keys = draw(st.lists(st.sampled_from([m.key for m in modules]), unique=True)) if modules else []
    return TraineeRecord(
        enrolment_id=enrolment_id,
        sessions_held=held,
        sessions_attended=attended,
        sessions_excused=excused,
        module_averages={key: draw(averages) for key in keys},
        demerit_points=draw(st.integers(0, 40)),
        merit_points=draw(st.integers(0, 40)),
        medical_passed=draw(st.none() | st.booleans()),
    )


@st.composite
def cohorts(
    draw: st.DrawFn,
) -> tuple[tuple[TraineeRecord, ...], tuple[ModuleInfo, ...], ReadinessRules]:
    modules = draw(module_lists())
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=8))
    records = tuple(draw(records_for(modules, i)) for i in ids)
    return records, modules, draw(rule_sets)


Cohort = tuple[tuple[TraineeRecord, ...], tuple[ModuleInfo, ...], ReadinessRules]


@given(cohort=cohorts())
def test_ready_means_every_rule_passed_and_every_rule_is_listed(cohort: Cohort) -> None:
    records, modules, rules = cohort
    verdicts = evaluate(records, modules, rules)

    assert list(verdicts) == [r.enrolment_id for r in records]
    for verdict in verdicts.values():
        assert [r.rule for r in verdict.reasons] == list(CHECKS)
        assert verdict.ready == all(r.passed for r in verdict.reasons)
        for r in verdict.reasons:
            assert r.text_en.endswith(".")
            assert r.text_id.endswith(".")
            assert r.text_en != r.text_id


@given(cohort=cohorts(), seed=st.randoms())
def test_evaluation_does_not_depend_on_the_order_of_trainees(
    cohort: Cohort, seed: random.Random
) -> None:
    records, modules, rules = cohort
    shuffled = list(records)
    seed.shuffle(shuffled)

    assert evaluate(shuffled, modules, rules) == evaluate(records, modules, rules)


@given(cohort=cohorts())
def test_the_attendance_rule_is_exact_and_the_rate_a_share(cohort: Cohort) -> None:
    records, modules, rules = cohort
    verdicts = evaluate(records, modules, rules)

    for record in records:
        verdict = verdicts[record.enrolment_id]
        counted = record.sessions_held - record.sessions_excused
        passed = verdict.reasons[0].passed
        if counted:
            assert verdict.attendance_rate is not None
            assert 0 <= verdict.attendance_rate <= 1
            exact = Fraction(record.sessions_attended, counted)
            assert passed == (exact >= Fraction(repr(rules.min_attendance)))
        else:
            assert verdict.attendance_rate is None
            assert not passed


@given(cohort=cohorts(), extra=st.integers(1, 20))
def test_attending_more_sessions_never_lowers_attendance(cohort: Cohort, extra: int) -> None:
    records, modules, rules = cohort
    more = [
        replace(
            r, sessions_held=r.sessions_held + extra, sessions_attended=r.sessions_attended + extra
        )
        for r in records
    ]
    before = evaluate(records, modules, rules)
    after = evaluate(more, modules, rules)

    for key, verdict in before.items():
        rate = after[key].attendance_rate
        assert rate is not None
        assert rate >= (verdict.attendance_rate or 0)
        assert after[key].reasons[0].passed >= verdict.reasons[0].passed


@given(cohort=cohorts())
def test_the_weighted_total_lies_between_the_weighted_averages(cohort: Cohort) -> None:
    records, modules, rules = cohort
    weighted = [m for m in modules if m.weight > 0]

    for record in records:
        total = evaluate([record], modules, rules)[record.enrolment_id].weighted_total
        values = [record.module_averages.get(m.key) for m in weighted]
        scored = [v for v in values if v is not None]
        if not weighted or len(scored) < len(values):
            assert total is None
        else:
            assert total is not None
            assert min(scored) - 1e-9 <= total <= max(scored) + 1e-9


def test_a_large_cohort_runs() -> None:
    rng = random.Random(2026)
    modules = tuple(
        ModuleInfo(f"m{i}", f"Module {i}", f"Modul {i}", CATEGORIES[i % 5], 60, 1 + i % 3)
        for i in range(12)
    )
    records = [
        TraineeRecord(
            enrolment_id=i,
            sessions_held=300,
            sessions_attended=rng.randint(240, 295),
            sessions_excused=rng.randint(0, 5),
            module_averages={m.key: round(rng.uniform(40, 100), 2) for m in modules},
            demerit_points=rng.randint(0, 30),
            merit_points=rng.randint(0, 10),
            medical_passed=rng.random() < 0.95,
        )
        for i in range(2000)
    ]

    verdicts = evaluate(records, modules, RULES)

    assert len(verdicts) == 2000
