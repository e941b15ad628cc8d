"""Ranking runs through the database: stored placements and explanations, digests, re-runs
after a correction, two-person finalisation, publication, reserve promotion, objections."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from magang.recruitment.journey import Status
from magang.recruitment.models import Application, JourneyEvent
from magang.selection.models import Objection, Placement, RankingRun, ReservePromotion
from magang.selection.selectors import run_changes
from magang.selection.services import (
    objection_file,
    objection_review,
    published_content,
    ranking_run,
    result_record,
    run_approve,
    run_inputs,
    run_propose,
    run_publish,
    seat_vacate,
)

from .conftest import PASSING

pytestmark = pytest.mark.django_db


def complete(selection: Any, interviews: dict[int, int]) -> None:
    """Record passing results for everyone; interview scores by application position."""
    people = selection.jabar + selection.jateng
    for position, application in enumerate(people):
        for key, value in PASSING.items():
            if key == "interview":
                value = Decimal(interviews.get(position, 70))
            selection.record(application, key, value)


@pytest.fixture
def ranked(selection: Any) -> Any:
    # West Java: 2 seats, 1 reserve; Central Java: 1 seat, 1 reserve.
    complete(selection, {0: 90, 1: 80, 2: 70, 3: 95, 4: 85, 5: 75})
    return selection


def outcomes(run: RankingRun) -> dict[int, str]:
    return dict(Placement.objects.filter(run=run).values_list("application_id", "outcome"))


def test_a_run_stores_every_placement_with_explanations(ranked: Any, cast: Any) -> None:
    run = ranking_run(plan=ranked.plan, by=cast.central)
    jabar, jateng = ranked.jabar, ranked.jateng
    assert outcomes(run) == {
        jabar[0].pk: "selected", jabar[1].pk: "selected", jabar[2].pk: "reserve",
        jateng[0].pk: "selected", jateng[1].pk: "reserve", jateng[2].pk: "not_selected",
    }  # fmt: skip
    assert run.counts == {"selected": 3, "reserve": 2, "not_selected": 1, "eliminated": 0}
    last = Placement.objects.get(run=run, application=jateng[2])
    assert last.rank_in_unit == 3
    assert last.explanation_id.startswith("Tidak terpilih")
    assert "Jawa Tengah" in last.explanation_id or "33" in last.explanation_id
    assert last.explanation_en.startswith("Not selected")
    assert len(run.input_digest) == 64 and len(run.result_digest) == 64


def test_the_same_inputs_give_the_same_digests_and_supersede(ranked: Any, cast: Any) -> None:
    first = ranking_run(plan=ranked.plan, by=cast.central)
    second = ranking_run(plan=ranked.plan, by=cast.central)
    first.refresh_from_db()
    assert (second.input_digest, second.result_digest) == (first.input_digest, first.result_digest)
    assert first.state == "superseded" and second.state == "draft"
    assert second.number == 2 and second.previous == first
    assert run_inputs(ranked.plan).digest() == second.input_digest
    assert run_changes(second) == []


def test_a_correction_then_a_rerun_shows_who_changed_and_why(ranked: Any, cast: Any) -> None:
    first = ranking_run(plan=ranked.plan, by=cast.central)
    loser = ranked.jateng[2]
    result_record(
        application=loser,
        stage=ranked.stages["interview"],
        value=Decimal(99),
        by=cast.central,
        reason="Second interviewer's sheet was missed",
    )
    second = ranking_run(plan=ranked.plan, by=cast.central)
    assert second.input_digest != first.input_digest
    changes = {c.registration_number: c for c in run_changes(second, language="en")}
    assert set(changes) == {r.registration_number for r in ranked.jateng}
    mine = changes[loser.registration_number]
    assert (mine.before, mine.after) == ("not_selected", "selected")
    assert [(c.stage, c.reason) for c in mine.corrections] == [
        ("interview", "Second interviewer's sheet was missed")
    ]


def test_missing_results_refuse_the_run_unless_counted_as_failing(
    selection: Any, cast: Any
) -> None:
    complete(selection, {})
    Application.objects.filter(pk=selection.jabar[0].pk)  # keep the queryset lazy
    selection.jabar[0].stage_results.filter(stage__key="japanese").delete()
    with pytest.raises(ValidationError, match="japanese"):
        ranking_run(plan=selection.plan, by=cast.central)
    assert not RankingRun.objects.exists()
    run = ranking_run(plan=selection.plan, by=cast.central, allow_incomplete=True)
    placement = Placement.objects.get(run=run, application=selection.jabar[0])
    assert placement.outcome == "eliminated" and placement.eliminated_at == "japanese"


def test_only_the_central_team_runs(ranked: Any, cast: Any) -> None:
    for user in (cast.officer_jabar, cast.leadership, cast.admin, cast.candidate):
        with pytest.raises(PermissionDenied):
            ranking_run(plan=ranked.plan, by=user)


def test_finalising_needs_two_different_people(
    ranked: Any, cast: Any, django_user_model: Any
) -> None:
    run = ranking_run(plan=ranked.plan, by=cast.central)
    with pytest.raises(ValidationError, match="proposed"):
        run_approve(run=run, by=cast.central)
    run_propose(run=run, by=cast.central)
    with pytest.raises(ValidationError, match="another member"):
        run_approve(run=run, by=cast.central)
    with pytest.raises(PermissionDenied):
        run_approve(run=run, by=cast.leadership)
    second = second_central(cast, django_user_model)
    run_approve(run=run, by=second)
    run.refresh_from_db()
    assert run.state == "final" and run.approved_by == second
    statuses = dict(Application.objects.filter(round=ranked.plan.round).values_list("pk", "status"))
    assert statuses[ranked.jabar[0].pk] == "selected"
    assert statuses[ranked.jabar[2].pk] == "reserve"
    assert statuses[ranked.jateng[2].pk] == "not_selected"
    event = JourneyEvent.objects.get(application=ranked.jabar[0], to_status="selected")
    assert event.from_status == "in_selection" and event.actor == second
    with pytest.raises(ValidationError, match="final"):
        ranking_run(plan=ranked.plan, by=cast.central)


def second_central(cast: Any, django_user_model: Any) -> Any:
    from magang import factories as f
    from magang.accounts.models import Membership, Role

    kemnaker = Membership.objects.filter(user=cast.central).first()
    assert kemnaker is not None
    return f.member("central.two", Role.CENTRAL_TEAM, kemnaker.organisation)


def test_approval_refuses_a_run_whose_inputs_changed(
    ranked: Any, cast: Any, django_user_model: Any
) -> None:
    run = ranking_run(plan=ranked.plan, by=cast.central)
    run_propose(run=run, by=cast.central)
    result_record(
        application=ranked.jabar[2], stage=ranked.stages["maths"], value=Decimal(20),
        by=cast.central, reason="Recount",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="changed since this run"):
        run_approve(run=run, by=second_central(cast, django_user_model))
    assert Application.objects.filter(status="selected").count() == 0


def test_publication_digest_matches_the_list(
    ranked: Any, cast: Any, django_user_model: Any, tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    run = ranking_run(plan=ranked.plan, by=cast.central)
    run_propose(run=run, by=cast.central)
    run_approve(run=run, by=second_central(cast, django_user_model))
    run = run_publish(run=run, by=cast.central)
    content = published_content(run)
    assert hashlib.sha256(content).hexdigest() == run.published_digest
    text = content.decode()
    assert ranked.jabar[0].registration_number in text
    assert ranked.jabar[0].candidate.full_name not in text
    assert ranked.jabar[0].candidate.nik not in text
    assert text.splitlines()[0].startswith("registration_number,")
    with pytest.raises(ValidationError, match="already published"):
        run_publish(run=run, by=cast.central)
    # Someone altering the stored file is caught.
    from magang.selection.services.runs import published_path

    published_path(run).write_bytes(content.replace(b"selected", b"reserve", 1))
    with pytest.raises(ValidationError, match="does not match"):
        published_content(run)


@pytest.fixture
def final(ranked: Any, cast: Any, django_user_model: Any, tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    run = ranking_run(plan=ranked.plan, by=cast.central)
    run_propose(run=run, by=cast.central)
    run_approve(run=run, by=second_central(cast, django_user_model))
    run_publish(run=run, by=cast.central)
    return ranked


def test_a_withdrawal_promotes_the_next_reserve_of_the_unit(
    final: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    leaving, reserve = final.jateng[0], final.jateng[1]
    reserve.candidate.email = "reserve@example.org"
    reserve.candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        promotion = seat_vacate(
            application=leaving, to=Status.WITHDRAWN, reason="Withdrew for family reasons",
            by=cast.central,
        )  # fmt: skip
    assert promotion.promoted == reserve
    reserve.refresh_from_db()
    leaving.refresh_from_db()
    assert (leaving.status, reserve.status) == ("withdrawn", "selected")
    event = JourneyEvent.objects.get(application=reserve, to_status="selected")
    assert "reserve 1" in event.reason
    assert [m.to for m in mail.outbox] == [["reserve@example.org"]]
    # The unit has no reserve left: the next seat stays empty, and that is recorded.
    second = seat_vacate(
        application=reserve, to=Status.NOT_SELECTED, reason="Medical check-up failed",
        by=cast.central,
    )  # fmt: skip
    assert second.promoted is None
    assert ReservePromotion.objects.count() == 2


def test_promotion_is_refused_for_someone_not_selected(final: Any, cast: Any) -> None:
    with pytest.raises(ValidationError, match="Only a selected"):
        seat_vacate(application=final.jateng[1], to="withdrawn", reason="x", by=cast.central)
    with pytest.raises(PermissionDenied):
        seat_vacate(application=final.jateng[0], to="withdrawn", reason="x", by=cast.officer_jateng)


def test_an_objection_is_filed_by_the_candidate_and_decided_by_a_person(
    final: Any, cast: Any
) -> None:
    mine = final.jabar[0]  # the cast candidate's application
    with pytest.raises(PermissionDenied):
        objection_file(application=final.jabar[1], by=cast.candidate, reason="Not my application")
    with pytest.raises(ValidationError, match="at least 10"):
        objection_file(application=mine, by=cast.candidate, reason="no")
    objection = objection_file(
        application=mine, by=cast.candidate, reason="My run time was recorded wrongly."
    )
    with pytest.raises(ValidationError, match="already have"):
        objection_file(application=mine, by=cast.candidate, reason="Again, the run time.")
    with pytest.raises(PermissionDenied):
        objection_review(objection=objection, by=cast.officer_jabar, upheld=True, decision="ok")
    with pytest.raises(ValidationError, match="reason"):
        objection_review(objection=objection, by=cast.central, upheld=False, decision=" ")
    decided = objection_review(
        objection=objection, by=cast.central, upheld=False,
        decision="The stopwatch sheet signed by two judges shows 14:10; the result stands.",
    )  # fmt: skip
    assert decided.state == "dismissed" and decided.reviewed_by == cast.central
    assert Objection.objects.get().decision.startswith("The stopwatch")


def test_objections_wait_for_publication(ranked: Any, cast: Any) -> None:
    with pytest.raises(ValidationError, match="not published"):
        objection_file(application=ranked.jabar[0], by=cast.candidate, reason="Too early to tell")


@pytest.mark.parametrize("micro", [0, 1, 524_559, 999_999])
def test_the_database_counts_registration_time_in_microseconds(selection: Any, micro: int) -> None:
    import datetime as dt

    from magang.selection.services.runs import EpochMicroseconds

    at = dt.datetime(2026, 3, 1, 7, 5, 9, micro, tzinfo=dt.UTC)
    Application.objects.filter(pk=selection.jabar[0].pk).update(submitted_at=at)
    value = (
        Application.objects.filter(pk=selection.jabar[0].pk)
        .annotate(us=EpochMicroseconds("submitted_at"))
        .values_list("us", flat=True)
        .get()
    )
    assert value == (at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def test_applications_that_left_selection_are_not_ranked(ranked: Any, cast: Any) -> None:
    gone = ranked.jateng[0]
    Application.objects.filter(pk=gone.pk).update(status="withdrawn")
    run = ranking_run(plan=ranked.plan, by=cast.central)
    assert gone.pk not in outcomes(run)
    assert outcomes(run)[ranked.jateng[1].pk] == "selected"
