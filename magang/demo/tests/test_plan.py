"""The demo's pure parts: the calibrated departure plan, the timelines, the people."""

from __future__ import annotations

import datetime as dt
import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magang.demo import catalogue as cat
from magang.demo.people import PersonFactory, Region, nik_for
from magang.demo.plan import (
    AS_OF,
    DEPARTED_BY,
    DEPARTED_BY_TARGET,
    IN_JAPAN_TARGET,
    Stay,
    departed_by,
    in_japan_on,
    plan_departures,
    split_total,
)
from magang.demo.timelines import current_timeline, intake_timeline, stay_timeline
from magang.recruitment.journey import INITIAL, Status, check_transition

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def full_plan() -> list[Stay]:
    return plan_departures(1993, today=TODAY)


def test_it_hits_both_published_figures_exactly(full_plan: list[Stay]) -> None:
    assert departed_by(full_plan, DEPARTED_BY) == DEPARTED_BY_TARGET == 52_440
    assert in_japan_on(full_plan, AS_OF) == IN_JAPAN_TARGET == 6_365


def test_it_keeps_the_figures_whatever_today_is() -> None:
    for today in (dt.date(2024, 9, 8), dt.date(2025, 6, 1), None):
        stays = plan_departures(1993, today=today)
        assert departed_by(stays, DEPARTED_BY) == 52_440
        assert in_japan_on(stays, AS_OF) == 6_365


def test_it_hits_the_figures_for_other_seeds_and_scales() -> None:
    for seed, scale in ((1, 1.0), (7, 0.5), (1993, 0.01), (42, 0.2)):
        stays = plan_departures(seed, scale=scale, today=TODAY)
        assert departed_by(stays, DEPARTED_BY) == round(52_440 * scale)
        assert in_japan_on(stays, AS_OF) == round(6_365 * scale)


def test_it_is_deterministic() -> None:
    assert plan_departures(1993, scale=0.05) == plan_departures(1993, scale=0.05)
    assert plan_departures(1993, scale=0.05) != plan_departures(1994, scale=0.05)


def test_it_starts_in_1993_and_has_interns_in_japan_today(full_plan: list[Stay]) -> None:
    assert min(stay.departed_on for stay in full_plan).year == 1993
    assert max(stay.departed_on for stay in full_plan) <= TODAY
    assert in_japan_on(full_plan, TODAY) > 5_000
    years = {stay.departed_on.year for stay in full_plan}
    assert years == set(range(1993, 2027))


def test_it_ends_stays_after_departure_and_not_in_the_future(full_plan: list[Stay]) -> None:
    reasons = {"completed": 0, "early_return": 0, "missing": 0, "": 0}
    for stay in full_plan:
        reasons[stay.end_reason] += 1
        if stay.ended_on is None:
            assert stay.end_reason == ""
        else:
            assert stay.departed_on <= stay.ended_on <= TODAY
            assert stay.end_reason
    total = len(full_plan)
    assert 0.01 <= reasons["missing"] / total <= 0.03
    assert 0.02 <= reasons["early_return"] / total <= 0.06
    stage3 = sum(
        1 for stay in full_plan if stay.ended_on and (stay.ended_on - stay.departed_on).days > 1200
    )
    assert stage3 > 0


def test_it_follows_a_growth_curve_with_a_covid_dip(full_plan: list[Stay]) -> None:
    per_year = dict.fromkeys(range(1993, 2027), 0)
    for stay in full_plan:
        per_year[stay.departed_on.year] += 1
    assert per_year[1993] < 200
    assert all(1_500 <= per_year[year] <= 3_000 for year in range(2012, 2020))
    assert per_year[2020] < per_year[2019] / 2
    assert per_year[2021] < per_year[2020]
    assert per_year[2023] > per_year[2022] > per_year[2021]


@given(st.integers(min_value=0, max_value=10**6), st.lists(st.integers(1, 50), min_size=1))
def test_it_splits_a_total_exactly(total: int, weights: list[int]) -> None:
    counts = split_total(total, dict(enumerate(weights)))
    assert sum(counts.values()) == total
    assert all(count >= 0 for count in counts.values())


def _assert_valid_walk(steps: list[tuple[Status, dt.date]], today: dt.date) -> None:
    assert steps[0][0] == INITIAL
    for (before, on_before), (after, on_after) in pairwise(steps):
        check_transition(before, after)
        assert on_before <= on_after
    assert steps[-1][1] <= today


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(range(200)))
def test_it_dates_every_intern_journey_as_a_valid_walk(seed: int, index: int) -> None:
    rng = random.Random(seed)
    stays = plan_departures(seed % 50, scale=0.01, today=TODAY)
    stay = stays[index % len(stays)]
    year = max(1993, stay.departed_on.year - 1)
    steps, _ = stay_timeline(
        rng, stay, earliest=dt.date(year, 1, 5), latest=dt.date(year, 12, 15), today=TODAY
    )
    _assert_valid_walk(steps, TODAY)
    assert steps[0][1] >= dt.date(year, 1, 5)
    assert (Status.DEPARTED, stay.departed_on) in steps


@given(
    st.integers(min_value=0, max_value=2**32),
    st.sampled_from(
        [
            Status.NOT_SELECTED,
            Status.INELIGIBLE,
            Status.WITHDRAWN,
            Status.RESERVE,
            Status.SELECTED,
            Status.IN_TRAINING,
            Status.DROPPED_OUT,
            Status.GRADUATED,
            Status.MATCHED,
        ]
    ),
)
def test_it_dates_last_years_intake_as_valid_walks(seed: int, status: Status) -> None:
    rng = random.Random(seed)
    registered = dt.date(2025, 1, 5) + dt.timedelta(days=rng.randint(0, 290))
    steps, _ = intake_timeline(rng, status, registered=registered, today=TODAY)
    _assert_valid_walk(steps, TODAY)
    assert steps[-1][0] == status


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=-40, max_value=30))
def test_it_dates_the_current_round_as_valid_walks(seed: int, deadline_in_days: int) -> None:
    rng = random.Random(seed)
    deadline = TODAY + dt.timedelta(days=deadline_in_days)
    registered = TODAY - dt.timedelta(days=rng.randint(0, 80))
    registered = min(registered, deadline)
    steps, _ = current_timeline(rng, registered=registered, deadline=deadline, today=TODAY)
    _assert_valid_walk(steps, TODAY)
    if deadline >= TODAY:
        assert steps[-1][0] != Status.IN_SELECTION


def test_it_builds_niks_from_district_birth_date_sex_and_serial() -> None:
    assert nik_for("321601", dt.date(2003, 5, 17), "M", 12) == "3216011705030012"
    assert nik_for("321601", dt.date(2003, 5, 17), "F", 1) == "3216015705030001"


def test_it_makes_people_with_unique_niks_and_plausible_ages() -> None:
    regions = [
        Region("32", "32.16", "Kabupaten Bekasi", False, ("01", "02")),
        Region("32", "32.73", "Kota Bandung", True, ("01",)),
        Region("33", "33.09", "Kabupaten Boyolali", False, ("01", "02", "03")),
    ]
    factory = PersonFactory(
        seed=1, regions=regions, province_weights=cat.PROVINCE_WEIGHTS, default_weight=0.1
    )
    on = dt.date(2020, 6, 1)
    people = [
        factory.person(age_on=on, youngest=19, oldest=25, female_share=0.3) for _ in range(3000)
    ]
    assert len({person.nik for person in people}) == len(people)
    for person in people:
        assert len(person.nik) == 16 and person.nik.isdigit()
        assert person.nik.startswith(person.regency_code.replace(".", ""))
        day = int(person.nik[6:8])
        assert day == person.birth_date.day + (40 if person.sex == "F" else 0)
        assert person.nik[8:12] == person.birth_date.strftime("%m%y")
        assert 19 <= (on - person.birth_date).days / 365.25 <= 26.1
        assert person.full_name
    assert {person.sex for person in people} == {"M", "F"}
    assert factory.person(age_on=on, youngest=20, oldest=20, female_share=0, province_code="33")
    again = PersonFactory(
        seed=1, regions=regions, province_weights=cat.PROVINCE_WEIGHTS, default_weight=0.1
    )
    assert again.person(age_on=on, youngest=19, oldest=25, female_share=0.3) == people[0]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), passes=st.booleans(), sex=st.sampled_from(["M", "F"]))
def test_stage_values_pass_or_fail_as_drawn(seed: int, passes: bool, sex: str) -> None:
    from magang.demo.selection import stage_value
    from magang.selection.models import Stage
    from magang.selection.services import USUAL_STAGES, result_parse, result_passes

    rng = random.Random(seed)
    for data in USUAL_STAGES:
        stage = Stage(**data)
        value = result_parse(stage, stage_value(rng, stage, passes=passes, sex=sex))
        assert result_passes(stage, value, sex) is passes, (data["key"], value)
