"""Eligibility rules on their own: pure, table-driven at the boundaries, property-tested."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magang.recruitment.eligibility import (
    DECLARATIONS,
    EDUCATION_LEVELS,
    Applicant,
    InvalidRules,
    RuleSet,
    Verdict,
    age_in_months,
    education_rank,
    evaluate,
)

REFERENCE = date(2026, 1, 1)
ALL_DECLARATIONS = frozenset(DECLARATIONS)

# The regular track as the briefing describes it: men, 18-26 (SMA/SMK from 18y6m), SMA or
# higher, 158 cm / 50 kg (women 150 cm / 40 kg), all five declarations, never departed.
REGULAR = RuleSet(
    reference_date=REFERENCE,
    allowed_sexes=frozenset({"M"}),
    min_age_years=18,
    max_age_years=26,
    min_age_months_by_education={"sma": 18 * 12 + 6},
    min_education="sma",
    min_height_cm={"M": 158, "F": 150},
    min_weight_kg={"M": 50, "F": 40},
    required_declarations=ALL_DECLARATIONS,
)
BOTH_SEXES = replace(REGULAR, allowed_sexes=frozenset({"M", "F"}))

FIT = Applicant(
    birth_date=date(2004, 3, 15),
    sex="M",
    education="d3",
    height_cm=165,
    weight_kg=60,
    declarations=ALL_DECLARATIONS,
    has_departed_before=False,
)


def rules_failed(rules: RuleSet, applicant: Applicant) -> list[str]:
    return [failure.rule for failure in evaluate(rules, applicant).failures]


def test_it_finds_a_fit_applicant_eligible() -> None:
    verdict = evaluate(REGULAR, FIT)

    assert verdict.eligible
    assert verdict.failures == ()


@pytest.mark.parametrize(
    ("birth_date", "failed"),
    [
        # Maximum 26 means not yet 27 on 1 Jan 2026: born 1 Jan 1999 turns 27 that day.
        (date(1999, 1, 1), ["age_max"]),
        (date(1998, 12, 31), ["age_max"]),
        (date(1999, 1, 2), []),
        # Minimum 18 (a D3 graduate has no stricter minimum): born 1 Jan 2008 turns 18.
        (date(2008, 1, 1), []),
        (date(2007, 12, 31), []),
        (date(2008, 1, 2), ["age_min"]),
        # Born after the reference date.
        (date(2026, 1, 2), ["age_min"]),
    ],
)
def test_it_checks_age_on_the_reference_date(birth_date: date, failed: list[str]) -> None:
    assert rules_failed(REGULAR, replace(FIT, birth_date=birth_date)) == failed


@pytest.mark.parametrize(
    ("education", "birth_date", "failed"),
    [
        # SMA and SMK graduates need 18 years 6 months: born 1 Jul 2007.
        ("sma", date(2007, 7, 1), []),
        ("sma", date(2007, 6, 30), []),
        ("sma", date(2007, 7, 2), ["age_min"]),
        ("smk", date(2007, 7, 1), []),
        ("smk", date(2007, 7, 2), ["age_min"]),
        # 18 is enough for higher education.
        ("d1", date(2008, 1, 1), []),
        ("s1", date(2008, 1, 1), []),
    ],
)
def test_it_applies_a_stricter_minimum_age_by_education(
    education: str, birth_date: date, failed: list[str]
) -> None:
    applicant = replace(FIT, education=education, birth_date=birth_date)

    assert rules_failed(REGULAR, applicant) == failed


def test_an_smk_entry_of_its_own_overrides_the_sma_entry() -> None:
    rules = replace(REGULAR, min_age_months_by_education={"sma": 18 * 12 + 6, "smk": 19 * 12 + 6})
    applicant = replace(FIT, education="smk", birth_date=date(2006, 7, 2))

    assert rules_failed(rules, applicant) == ["age_min"]
    assert rules_failed(rules, replace(applicant, education="sma")) == []


def test_a_lower_entry_by_education_does_not_undercut_the_general_minimum() -> None:
    rules = replace(REGULAR, min_age_months_by_education={"sma": 17 * 12})

    assert rules.min_age_months("sma") == 18 * 12


def test_it_explains_ages_with_the_numbers_in_both_languages() -> None:
    too_old = replace(FIT, birth_date=date(1998, 10, 20))
    [failure] = evaluate(REGULAR, too_old).failures

    assert failure.rule == "age_max"
    assert failure.message_en == "Age on 1 Jan 2026 is 27 years 2 months; the maximum is 26 years."
    assert failure.message_id == (
        "Usia pada 1 Januari 2026 adalah 27 tahun 2 bulan; batas maksimal 26 tahun."
    )

    too_young = replace(FIT, education="smk", birth_date=date(2007, 11, 1))
    [failure] = evaluate(REGULAR, too_young).failures

    assert failure.rule == "age_min"
    assert failure.message_en == (
        "Age on 1 Jan 2026 is 18 years 2 months; the minimum for SMK graduates is "
        "18 years 6 months."
    )
    assert failure.message_id == (
        "Usia pada 1 Januari 2026 adalah 18 tahun 2 bulan; batas minimal untuk lulusan SMK "
        "18 tahun 6 bulan."
    )

    [failure] = evaluate(REGULAR, replace(FIT, birth_date=date(2008, 12, 1))).failures
    assert failure.message_en == "Age on 1 Jan 2026 is 17 years 1 month; the minimum is 18 years."


@pytest.mark.parametrize(
    ("birth_date", "on", "months"),
    [
        (date(2000, 1, 1), date(2026, 1, 1), 26 * 12),
        (date(2000, 1, 2), date(2026, 1, 1), 26 * 12 - 1),
        (date(2000, 1, 31), date(2000, 2, 29), 0),
        (date(2000, 2, 29), date(2001, 2, 28), 11),
        (date(2000, 2, 29), date(2001, 3, 1), 12),
        (date(2000, 2, 29), date(2004, 2, 29), 48),
        (date(2026, 1, 2), date(2026, 1, 1), -1),
    ],
)
def test_it_counts_whole_months_lived(birth_date: date, on: date, months: int) -> None:
    assert age_in_months(birth_date, on) == months


@pytest.mark.parametrize(
    ("sex", "allowed", "failed"),
    [
        ("M", {"M"}, []),
        ("F", {"M"}, ["sex"]),
        ("F", {"F"}, []),
        ("M", {"F"}, ["sex"]),
        ("F", {"M", "F"}, []),
        ("", {"M"}, ["sex"]),
    ],
)
def test_it_checks_the_sexes_the_track_allows(
    sex: str, allowed: set[str], failed: list[str]
) -> None:
    rules = replace(REGULAR, allowed_sexes=frozenset(allowed))
    applicant = replace(FIT, sex=sex, height_cm=170, weight_kg=70)

    assert rules_failed(rules, applicant) == failed


def test_it_explains_a_refused_sex() -> None:
    [failure] = evaluate(REGULAR, replace(FIT, sex="F")).failures

    assert failure.message_en == "This round is open to men only; the applicant is a woman."
    assert failure.message_id == "Putaran ini hanya untuk laki-laki; pendaftar adalah perempuan."


@pytest.mark.parametrize(
    ("sex", "height", "weight", "failed"),
    [
        ("M", 158, 50, []),
        ("M", 157, 50, ["height"]),
        ("M", Decimal("157.9"), 50, ["height"]),
        ("M", 157.99, 50, ["height"]),
        ("M", 158, 49, ["weight"]),
        ("M", 158, Decimal("49.9"), ["weight"]),
        ("M", 157, 49, ["height", "weight"]),
        ("F", 150, 40, []),
        ("F", 149, 40, ["height"]),
        ("F", 150, Decimal("39.5"), ["weight"]),
        ("F", 155, 45, []),  # a woman need not meet the men's minimums
        ("M", None, 50, ["height"]),
        ("M", 158, None, ["weight"]),
    ],
)
def test_it_checks_height_and_weight_by_sex(
    sex: str,
    height: Decimal | float | None,
    weight: Decimal | float | None,
    failed: list[str],
) -> None:
    applicant = replace(FIT, sex=sex, height_cm=height, weight_kg=weight)

    assert rules_failed(BOTH_SEXES, applicant) == failed


def test_it_explains_height_and_weight_with_units() -> None:
    applicant = replace(FIT, sex="F", height_cm=Decimal("149.5"), weight_kg=39.0)
    height, weight = evaluate(BOTH_SEXES, applicant).failures

    assert height.message_en == "Height is 149.5 cm; the minimum for women is 150 cm."
    assert height.message_id == "Tinggi badan 149,5 cm; batas minimal untuk perempuan 150 cm."
    assert weight.message_en == "Weight is 39 kg; the minimum for women is 40 kg."
    assert weight.message_id == "Berat badan 39 kg; batas minimal untuk perempuan 40 kg."


def test_a_sex_without_a_minimum_has_no_height_or_weight_rule() -> None:
    rules = replace(BOTH_SEXES, min_height_cm={"M": 158}, min_weight_kg={"M": 50})

    assert rules_failed(rules, replace(FIT, sex="F", height_cm=120, weight_kg=30)) == []


@pytest.mark.parametrize(
    ("education", "minimum", "failed"),
    [
        ("sma", "sma", []),
        ("smk", "sma", []),
        ("sma", "smk", []),  # the same rank either way
        ("smp", "sma", ["education"]),
        ("sd", "sma", ["education"]),
        ("d1", "sma", []),
        ("s2", "sma", []),
        ("d3", "d3", []),
        ("d2", "d3", ["education"]),
        ("s1", "d4", []),
        ("d4", "s1", ["education"]),
        ("", "sma", ["education"]),
        ("paket_c", "sma", ["education"]),
    ],
)
def test_it_checks_education_on_the_ordered_scale(
    education: str, minimum: str, failed: list[str]
) -> None:
    rules = replace(REGULAR, min_education=minimum, min_age_months_by_education={})

    assert rules_failed(rules, replace(FIT, education=education)) == failed


def test_it_explains_education() -> None:
    [failure] = evaluate(REGULAR, replace(FIT, education="smp")).failures

    assert failure.message_en == "Education is SMP; the minimum is SMA/SMK."
    assert failure.message_id == "Pendidikan SMP; batas minimal SMA/SMK."


def test_the_education_scale_is_ordered_with_sma_and_smk_level() -> None:
    ranks = [education_rank(level) or 0 for level in EDUCATION_LEVELS]

    assert ranks == sorted(ranks)
    assert education_rank("sma") == education_rank("smk")
    assert len(set(ranks)) == len(EDUCATION_LEVELS) - 1
    assert education_rank("paket_c") is None


def test_it_lists_each_missing_declaration_on_its_own() -> None:
    applicant = replace(FIT, declarations=frozenset({"no_tattoo", "no_glasses"}))

    failures = evaluate(REGULAR, applicant).failures

    assert [f.rule for f in failures] == [
        "declaration:no_piercing",
        "declaration:no_previous_participation",
        "declaration:not_colour_blind",
    ]
    assert failures[0].message_en == "Missing declaration: no piercings."
    assert failures[0].message_id == "Pernyataan belum dibuat: tidak bertindik."


def test_a_declaration_the_round_does_not_require_is_not_needed() -> None:
    rules = replace(REGULAR, required_declarations=frozenset({"no_tattoo"}))

    assert rules_failed(rules, replace(FIT, declarations=frozenset({"no_tattoo"}))) == []


@pytest.mark.parametrize(
    ("departed", "allowed", "failed"),
    [
        (False, False, []),
        (True, False, ["previous_departure"]),
        (True, True, []),
        (False, True, []),
    ],
)
def test_it_checks_previous_departure(departed: bool, allowed: bool, failed: list[str]) -> None:
    rules = replace(REGULAR, allow_previous_departure=allowed)

    assert rules_failed(rules, replace(FIT, has_departed_before=departed)) == failed


def test_it_reports_every_failed_rule_not_just_the_first() -> None:
    applicant = Applicant(
        birth_date=date(1998, 10, 20),
        sex="F",
        education="smp",
        height_cm=Decimal("149.5"),
        weight_kg=39.0,
        declarations=frozenset({"no_tattoo"}),
        has_departed_before=True,
    )

    verdict = evaluate(REGULAR, applicant)

    assert not verdict.eligible
    assert [f.rule for f in verdict.failures] == [
        "sex",
        "age_max",
        "education",
        "height",
        "weight",
        "declaration:no_glasses",
        "declaration:no_piercing",
        "declaration:no_previous_participation",
        "declaration:not_colour_blind",
        "previous_departure",
    ]
    assert json.loads(json.dumps(verdict.to_dict()))["failures"][0]["rule"] == "sex"


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), -1, Decimal("NaN"), Decimal("sNaN"), True]
)
def test_an_applicant_cannot_have_an_impossible_measure(value: float | Decimal) -> None:
    with pytest.raises(ValueError, match="height_cm"):
        replace(FIT, height_cm=value)


# --- Rules as data --------------------------------------------------------------------------

REGULAR_JSON = {
    "reference_date": "2026-01-01",
    "allowed_sexes": ["M"],
    "min_age_years": 18,
    "max_age_years": 26,
    "min_education": "sma",
    "min_age_months_by_education": {"sma": 222},
    "min_height_cm": {"F": 150, "M": 158},
    "min_weight_kg": {"F": 40, "M": 50},
    "required_declarations": sorted(ALL_DECLARATIONS),
    "allow_previous_departure": False,
}


def test_it_writes_rules_as_json() -> None:
    assert REGULAR.to_dict() == REGULAR_JSON
    assert json.loads(json.dumps(REGULAR.to_dict())) == REGULAR_JSON


def test_it_reads_rules_from_json() -> None:
    assert RuleSet.from_dict(REGULAR_JSON) == REGULAR


def test_it_fills_optional_rules_with_defaults() -> None:
    rules = RuleSet.from_dict(
        {
            "reference_date": "2026-01-01",
            "allowed_sexes": ["F"],
            "min_age_years": 18,
            "max_age_years": 26,
            "min_education": "sma",
        }
    )

    assert rules.min_height_cm == {}
    assert rules.required_declarations == frozenset()
    assert rules.allow_previous_departure is False


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"reference_date": None}, "'reference_date' is missing."),
        ({"reference_date": "01-01-2026"}, "'reference_date' must be a date written as YYYY-MM-DD"),
        ({"reference_date": "2026-02-30"}, "'reference_date' must be a date"),
        ({"reference_date": "2026-W01-1"}, "'reference_date' must be a date"),
        ({"reference_date": 20260101}, "'reference_date' must be a date"),
        ({"allowed_sexes": "M"}, "'allowed_sexes' must be a list of text values"),
        ({"allowed_sexes": ["M", "X"]}, "'allowed_sexes' has 'X'; sexes are M and F."),
        ({"allowed_sexes": []}, "'allowed_sexes' must name at least one sex"),
        ({"allowed_sexes": ["M", "M"]}, "'allowed_sexes' lists a value twice."),
        ({"min_age_years": "18"}, "'min_age_years' must be a whole number, not '18'."),
        ({"min_age_years": 18.5}, "'min_age_years' must be a whole number"),
        ({"max_age_years": True}, "'max_age_years' must be a whole number"),
        ({"min_age_years": -1}, "'min_age_years' must be a whole number of at least 0."),
        ({"min_age_years": 27}, "'max_age_years' (26) is below 'min_age_years' (27)."),
        ({"min_education": "sltp"}, "'min_education' is 'sltp'; use one of sd, smp, sma"),
        ({"min_education": 3}, "'min_education' must be text"),
        ({"min_age_months_by_education": {"slta": 222}}, "has 'slta'; use one of sd"),
        ({"min_age_months_by_education": [222]}, "must be an object"),
        ({"min_age_months_by_education": {"sma": "18y6m"}}, "must map names to whole numbers"),
        ({"min_height_cm": {"L": 158}}, "'min_height_cm' has 'L'; sexes are M and F."),
        ({"min_height_cm": {"M": 0}}, "'min_height_cm' for 'M' must be a whole number above 0."),
        ({"min_weight_kg": {"M": 50.5}}, "must map names to whole numbers"),
        ({"required_declarations": ["no_tatoo"]}, "'required_declarations' has 'no_tatoo'"),
        ({"required_declarations": "no_tattoo"}, "must be a list of text values"),
        ({"allow_previous_departure": "no"}, "'allow_previous_departure' must be true or false."),
        ({"max_age": 26}, "Unknown rule(s): max_age."),
    ],
)
def test_it_refuses_malformed_rules_with_a_clear_message(
    change: dict[str, object], problem: str
) -> None:
    data = {**REGULAR_JSON, **change}
    data = {key: value for key, value in data.items() if value is not None}

    with pytest.raises(InvalidRules) as raised:
        RuleSet.from_dict(data)

    assert isinstance(raised.value, ValueError)
    assert any(problem in p for p in raised.value.problems), raised.value.problems


def test_it_lists_every_problem_at_once() -> None:
    with pytest.raises(InvalidRules) as raised:
        RuleSet.from_dict({"allowed_sexes": "M", "min_age_years": "x", "colour": "red"})

    assert len(raised.value.problems) >= 6
    assert "'reference_date' is missing." in str(raised.value)


def test_it_refuses_rules_that_are_not_an_object() -> None:
    with pytest.raises(InvalidRules, match="must be a JSON object"):
        RuleSet.from_dict(["M"])  # type: ignore[arg-type]


def test_rules_built_in_code_are_validated_too() -> None:
    with pytest.raises(InvalidRules, match="'min_education' is 'college'"):
        replace(REGULAR, min_education="college")


def test_rules_cannot_be_changed_through_a_shared_dictionary() -> None:
    heights = {"M": 158}
    rules = replace(REGULAR, min_height_cm=heights)

    heights["M"] = 100

    assert rules.min_height_cm["M"] == 158
    assert hash(rules) == hash(replace(REGULAR, min_height_cm={"M": 158}))


# --- Properties -----------------------------------------------------------------------------

sex_sets = st.sampled_from([frozenset({"M"}), frozenset({"F"}), frozenset({"M", "F"})])
educations = st.sampled_from(EDUCATION_LEVELS)
declaration_sets = st.frozensets(st.sampled_from(sorted(ALL_DECLARATIONS)))


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    min_age = draw(st.integers(min_value=0, max_value=40))
    return RuleSet(
        reference_date=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))),
        allowed_sexes=draw(sex_sets),
        min_age_years=min_age,
        max_age_years=draw(st.integers(min_value=min_age, max_value=60)),
        min_age_months_by_education=draw(
            st.dictionaries(educations, st.integers(min_value=0, max_value=600), max_size=3)
        ),
        min_education=draw(educations),
        min_height_cm=draw(
            st.dictionaries(st.sampled_from(["M", "F"]), st.integers(min_value=1, max_value=250))
        ),
        min_weight_kg=draw(
            st.dictionaries(st.sampled_from(["M", "F"]), st.integers(min_value=1, max_value=200))
        ),
        required_declarations=draw(declaration_sets),
        allow_previous_departure=draw(st.booleans()),
    )


measures = st.none() | st.integers(0, 300) | st.floats(0, 300) | st.decimals(0, 300, places=1)

applicants = st.builds(
    Applicant,
    birth_date=st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31)),
    sex=st.sampled_from(["M", "F", ""]),
    education=educations | st.just(""),
    height_cm=measures,
    weight_kg=measures,
    declarations=declaration_sets,
    has_departed_before=st.booleans(),
)


@given(rules=rule_sets(), applicant=applicants)
def test_evaluation_is_deterministic_and_eligible_means_no_failures(
    rules: RuleSet, applicant: Applicant
) -> None:
    verdict = evaluate(rules, applicant)

    assert verdict == evaluate(rules, applicant)
    assert isinstance(verdict, Verdict)
    assert verdict.eligible == (verdict.failures == ())
    rule_keys = [failure.rule for failure in verdict.failures]
    assert len(rule_keys) == len(set(rule_keys))
    for failure in verdict.failures:
        assert failure.message_en
        assert failure.message_id
        assert failure.message_en != failure.message_id


@given(rules=rule_sets(), applicant=applicants)
def test_each_declaration_failure_names_a_required_declaration_not_made(
    rules: RuleSet, applicant: Applicant
) -> None:
    failed = {
        failure.rule.removeprefix("declaration:")
        for failure in evaluate(rules, applicant).failures
        if failure.rule.startswith("declaration:")
    }

    assert failed == rules.required_declarations - applicant.declarations


@given(rules=rule_sets())
def test_rules_survive_a_round_trip_through_json(rules: RuleSet) -> None:
    stored = json.dumps(rules.to_dict())

    assert RuleSet.from_dict(json.loads(stored)) == rules
    assert RuleSet.from_dict(json.loads(stored)).to_dict() == rules.to_dict()
