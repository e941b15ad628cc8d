"""Job orders within the intake cap, eligibility, preferences, shortlists, interviews and the
company's ranking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from magang import factories as f
from magang.placement.eligibility import CandidateFacts, Requirements, unmet
from magang.placement.intake import intake_cap
from magang.placement.models import Candidacy, HostTrade, Preference
from magang.placement.services.candidacies import (
    company_ranking_set,
    interview_record,
    preferences_set,
    shortlist_propose,
)
from magang.placement.services.orders import job_order_save

from .conftest import START, order_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("staff", "cap"),
    [
        (0, 3),
        (30, 3),
        (31, 4),
        (40, 4),
        (50, 5),
        (51, 6),
        (100, 6),
        (101, 10),
        (200, 10),
        (201, 15),
        (300, 15),
        (301, 15),
        (320, 16),
        (1000, 50),
    ],
)
def test_the_otit_intake_cap_by_staff(staff: int, cap: int) -> None:
    assert intake_cap(staff) == cap


@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=5000))
def test_the_cap_never_shrinks_as_staff_grows(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert intake_cap(low) <= intake_cap(high)


def test_an_order_over_the_cap_is_refused_with_the_arithmetic(placement: Any, cast: Any) -> None:
    job_order_save(
        host_company=cast.host_company, data=order_data("SS-2027-02", slots=3), by=cast.host
    )
    with pytest.raises(ValidationError) as caught:
        job_order_save(
            host_company=cast.host_company, data=order_data("SS-2027-03", slots=2), by=cast.host
        )
    assert caught.value.messages == [
        "Over the intake cap: 80 staff allow 6 interns a year; 5 already ordered for 2027 + 2 "
        "asked = 7, 1 too many."
    ]
    # Another year has its own cap.
    next_year = order_data("SS-2028-01", slots=6)
    job_order_save(
        host_company=cast.host_company,
        data=type(next_year)(**{**next_year.__dict__, "planned_start": dt.date(2028, 7, 1)}),
        by=cast.host,
    )


def test_who_may_send_job_orders(placement: Any, cast: Any) -> None:
    for user in (
        cast.host_other,
        cast.officer_jabar,
        cast.trainer,
        cast.candidate,
        cast.leadership,
    ):
        with pytest.raises(PermissionDenied):
            job_order_save(host_company=cast.host_company, data=order_data("X-1"), by=user)


def test_every_problem_of_an_order_at_once(placement: Any, cast: Any) -> None:
    HostTrade.objects.create(host_company=cast.host_company, trade=f.trade("2-1-9"))
    bad = order_data(
        "SS-2027-01", slots=0, min_age=30, max_age=20, interview_on=START + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as caught:
        job_order_save(host_company=cast.host_company, data=bad, by=cast.host)
    text = " ".join(caught.value.messages)
    for expected in (
        "at least one intern",
        "minimum age is above",
        "interview date is after",
        "does not train in",
        "reference no other",
    ):
        assert expected in text


def test_eligibility_explains_each_unmet_requirement() -> None:
    facts = CandidateFacts(
        sex="F", birth_date=dt.date(2000, 8, 1), height_cm=150, japanese_level="N5"
    )
    required = Requirements(
        planned_start=dt.date(2027, 7, 1),
        sex="M",
        max_age=26,
        min_height_cm=158,
        japanese_level="N4",
    )
    found = {u.rule: u.text_en for u in unmet(facts, required)}
    assert found == {
        "sex": "For men only.",
        "height": "Height 150 cm; at least 158 cm is asked.",
        "japanese": "Needs JLPT N4; you have JLPT N5.",
    }
    older = CandidateFacts(sex="M", birth_date=dt.date(2000, 6, 30), height_cm=170)
    assert [u.text_en for u in unmet(older, required)] == [
        "Aged 27 at the start; the maximum is 26.",
        "Needs JLPT N4; no certificate yet.",
    ]


def test_candidates_rank_only_orders_they_are_eligible_for(placement: Any, cast: Any) -> None:
    tall_only = job_order_save(
        host_company=cast.host_company,
        data=order_data("SS-2027-09", slots=1, min_height_cm=170),
        by=cast.host,
    )
    mine = placement.graduates[0]
    with pytest.raises(ValidationError, match="at least 170 cm"):
        preferences_set(application=mine, job_orders=[tall_only], by=cast.candidate)
    with pytest.raises(PermissionDenied):
        preferences_set(
            application=placement.graduates[1], job_orders=placement.orders, by=cast.candidate
        )
    preferences_set(
        application=mine, job_orders=list(reversed(placement.orders)), by=cast.candidate
    )
    assert list(
        Preference.objects.filter(application=mine).values_list("job_order__reference", "rank")
    ) == [("NK-2027-01", 1), ("SS-2027-01", 2)]


def test_shortlist_interviews_and_company_ranking(placement: Any, cast: Any) -> None:
    order = placement.orders[0]  # 2 slots: a shortlist of up to 6
    for graduate in placement.graduates:
        preferences_set(application=graduate, job_orders=[order], by=graduate.candidate.user)
    added = shortlist_propose(order=order, by=cast.partner)
    assert len(added) == 5
    with pytest.raises(PermissionDenied):
        shortlist_propose(order=order, by=cast.host_other)
    people = list(
        Candidacy.objects.filter(job_order=order).order_by("application__registration_number")
    )
    for index, candidacy in enumerate(people):
        interview_record(
            candidacy=candidacy,
            on=dt.date(2027, 2, 1),
            interviewer="Sato",
            result="passed" if index < 3 else "failed",
            notes="",
            by=cast.host,
        )
    passed = [c.application for c in people[:3]]
    with pytest.raises(ValidationError, match="Only candidates who passed"):
        company_ranking_set(order=order, applications=[people[4].application], by=cast.host)
    company_ranking_set(order=order, applications=list(reversed(passed)), by=cast.host)
    ranks = dict(
        Candidacy.objects.filter(job_order=order).values_list("application_id", "company_rank")
    )
    assert [ranks[a.pk] for a in passed] == [3, 2, 1]


def test_a_shortlist_takes_a_fixed_number_of_queries(
    placement: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    order = placement.orders[0]
    for graduate in placement.graduates:
        preferences_set(application=graduate, job_orders=[order], by=graduate.candidate.user)
    with django_assert_max_num_queries(8):
        added = shortlist_propose(order=order, by=cast.partner)
    assert len(added) == 5
