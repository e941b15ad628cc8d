"""Match runs through the database: inputs from preferences and company rankings, stored
results whose explanations, said from the stored reasons, are exactly the pure function's,
a manual change with a reason, finalisation."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from magang import factories as f
from magang.core.models import AuditEntry
from magang.placement.matching import stable_match
from magang.placement.models import Candidacy, DepartureFile, JobOrder, Match, Preference
from magang.placement.selectors.matching import match_explained
from magang.placement.services.candidacies import (
    company_ranking_set,
    interview_record,
    preferences_set,
    shortlist_propose,
)
from magang.placement.services.matching import (
    match_change,
    match_finalise,
    match_inputs,
    match_run,
)
from magang.recruitment.journey import Status

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
    explained = {row.match.application_id: row for row in match_explained(results.values())}
    assert explained[fourth.pk].explanation_en == (
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
    assert match_explained([changed])[0].explanation_en == (
        "Changed by the committee to NK-2027-01: Next in line"
    )
    assert match_explained([changed])[0].explanation_id == (
        "Diubah oleh komite ke NK-2027-01: Next in line"
    )
    withdrawn = match_explained([Match.objects.get(pk=moved.pk)])[0]
    assert withdrawn.explanation_en == "Changed by the committee to -: Withdrew consent"
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


def test_stored_reasons_say_what_the_pure_function_says(ranked: Any, cast: Any) -> None:
    """Eight more job orders with one or two slots; each graduate ranks a random handful
    and each job order ranks a random part of those who chose it. Every stored result, said
    again in both languages as the pages and the API say it, is ``explain``'s text."""
    rng = random.Random(6)
    template = ranked.orders[0]
    orders = list(ranked.orders)
    for k in range(8):
        extra = JobOrder.objects.get(pk=template.pk)
        extra.pk, extra.reference, extra.slots = None, f"SS-2027-{k + 10}", rng.randint(1, 2)
        extra.save()
        orders.append(extra)
    people = ranked.graduates + [
        f.ApplicationFactory(site=cast.site_jabar, status=Status.GRADUATED) for _ in range(15)
    ]
    for person in people[5:]:
        chosen = rng.sample(orders, rng.randint(1, 5))
        Preference.objects.bulk_create(
            Preference(application=person, job_order=order, rank=rank)
            for rank, order in enumerate(chosen, 1)
        )
    for order in orders[2:]:
        chose = [p.application for p in Preference.objects.filter(job_order=order)]
        ranked_by_it = rng.sample(chose, len(chose) * 2 // 3)
        Candidacy.objects.bulk_create(
            Candidacy(job_order=order, application=a, result="passed", company_rank=rank)
            for rank, a in enumerate(ranked_by_it, 1)
        )
    candidate_prefs, job_prefs, capacities, names = match_inputs(orders)
    expected = stable_match(candidate_prefs, job_prefs, capacities, job_names=names)
    run = match_run(orders=orders, by=cast.central)
    rows = match_explained(Match.objects.filter(run=run).select_related("job_order__host_company"))
    assert len(rows) == len(candidate_prefs) == 20
    whys = set()
    for row in rows:
        candidate = row.match.application_id
        assert row.explanation_id == expected.explain(candidate, "id")
        assert row.explanation_en == expected.explain(candidate, "en")
        whys |= {why for _job, why, _slots in json.loads(row.match.reasons)}
    assert {"filled", "not_listed"} <= whys  # the sample has both kinds of refusal


def test_a_result_stored_with_its_texts_shows_them(ranked: Any, cast: Any) -> None:
    """Results of runs made before the reasons were stored keep their texts (migration
    0003) and show them as they are."""
    run = match_run(orders=ranked.orders, by=cast.central)
    old = Match.objects.filter(run=run, job_order__isnull=True).first()
    assert old is not None
    Match.objects.filter(pk=old.pk).update(reasons=json.dumps({"id": "Lama", "en": "Old"}))
    shown = match_explained([Match.objects.get(pk=old.pk)])[0]
    assert (shown.explanation_id, shown.explanation_en) == ("Lama", "Old")
