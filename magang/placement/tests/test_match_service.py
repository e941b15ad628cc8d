"""Match runs through the database: inputs from preferences and company rankings, stored
results with explanations, a manual change with a reason, finalisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from magang.core.models import AuditEntry
from magang.placement.models import Candidacy, DepartureFile, Match
from magang.placement.services.candidacies import (
    company_ranking_set,
    interview_record,
    preferences_set,
    shortlist_propose,
)
from magang.placement.services.matching import match_change, match_finalise, match_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(placement: Any, cast: Any) -> Any:
    """Everyone prefers Sendai Seiko (2 slots) to Nagoya Kogyo (1 slot). Sendai Seiko
    shortlists all five and ranks them in registration order; Nagoya Kogyo shortlists three
    (three times its slot) and ranks the third of them first."""
    sendai, nagoya = placement.orders
    people = placement.graduates
    for person in people:
        preferences_set(application=person, job_orders=[sendai, nagoya], by=person.candidate.user)
    for order in (sendai, nagoya):
        shortlist_propose(order=order, by=cast.partner)
        for candidacy in Candidacy.objects.filter(job_order=order):
            interview_record(
                candidacy=candidacy,
                on=dt.date(2027, 2, 1),
                interviewer="Sato",
                result="passed",
                notes="",
                by=cast.partner,
            )
    by_number = sorted(people, key=lambda a: a.registration_number)
    company_ranking_set(order=sendai, applications=by_number, by=cast.partner)
    company_ranking_set(
        order=nagoya, applications=[by_number[2], by_number[0], by_number[1]], by=cast.partner
    )
    placement.by_number = by_number
    return placement


def test_a_run_matches_and_explains_everyone(ranked: Any, cast: Any) -> None:
    run = match_run(orders=ranked.orders, by=cast.central)
    sendai, nagoya = ranked.orders
    first, second, third, fourth, fifth = ranked.by_number
    results = {m.application_id: m for m in Match.objects.filter(run=run)}
    assert results[first.pk].job_order == sendai and results[first.pk].preference_rank == 1
    assert results[second.pk].job_order == sendai
    assert results[third.pk].job_order == nagoya and results[third.pk].preference_rank == 2
    assert results[fourth.pk].job_order is None and results[fifth.pk].job_order is None
    assert results[fourth.pk].explanation_en == (
        "Not matched to SS-2027-01 (Sendai Seiko), your 1st choice: its 2 slots went to "
        "candidates it ranked higher; not matched to NK-2027-01 (Nagoya Kogyo), your 2nd "
        "choice: it did not list you"
    )
    assert run.statistics["matched"] == 3 and run.statistics["at_first_choice"] == 2
    assert run.statistics["slots"] == 3 and run.statistics["slots_filled"] == 3
    with pytest.raises(PermissionDenied):
        match_run(orders=ranked.orders, by=cast.partner)


def test_a_manual_change_needs_a_reason_and_a_free_slot(ranked: Any, cast: Any) -> None:
    run = match_run(orders=ranked.orders, by=cast.central)
    sendai, nagoya = ranked.orders
    waiting = Match.objects.get(run=run, application=ranked.by_number[3])
    with pytest.raises(ValidationError, match="reason"):
        match_change(match=waiting, job_order=nagoya, reason=" ", by=cast.central)
    with pytest.raises(ValidationError, match="no free slot"):
        match_change(match=waiting, job_order=sendai, reason="Committee", by=cast.central)
    moved = Match.objects.get(run=run, application=ranked.by_number[2])
    match_change(match=moved, job_order=None, reason="Withdrew consent", by=cast.central)
    changed = match_change(match=waiting, job_order=nagoya, reason="Next in line", by=cast.central)
    assert changed.changed_by == cast.central and changed.preference_rank == 2
    assert "Next in line" in changed.explanation_en
    assert AuditEntry.objects.filter(action="placement.match_change").count() == 2


def test_finalising_moves_the_journey_and_opens_departure_files(
    ranked: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast.partner.email = "partner@imjapan.example"
    cast.partner.save()
    run = match_run(orders=ranked.orders, by=cast.central)
    with django_capture_on_commit_callbacks(execute=True):
        match_finalise(run=run, by=cast.central)
    matched = [m.application for m in Match.objects.filter(run=run, job_order__isnull=False)]
    for application in matched:
        application.refresh_from_db()
        assert application.status == "matched"
    assert DepartureFile.objects.count() == 3
    assert {o.state for o in type(ranked.orders[0]).objects.all()} == {"matched"}
    assert any("partner@imjapan.example" in m.to for m in mail.outbox)
    with pytest.raises(ValidationError, match="draft"):
        match_finalise(run=run, by=cast.central)


def test_a_run_only_for_open_orders(ranked: Any, cast: Any) -> None:
    run = match_run(orders=ranked.orders, by=cast.central)
    match_finalise(run=run, by=cast.central)
    with pytest.raises(ValidationError, match="not open"):
        match_run(orders=ranked.orders, by=cast.central)


def test_an_order_nobody_was_matched_to_stays_open(ranked: Any, cast: Any) -> None:
    from magang.placement.models import JobOrder
    from magang.placement.services.orders import job_order_save

    from .conftest import order_data

    empty = job_order_save(
        host_company=cast.host_company, data=order_data("SS-2027-05", slots=1), by=cast.partner
    )
    run = match_run(orders=[*ranked.orders, empty], by=cast.central)
    match_finalise(run=run, by=cast.central)
    assert JobOrder.objects.get(pk=empty.pk).state == "open"
