"""The journey service and candidate registration, against the database."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magang import factories as f
from magang.core.models import AuditEntry
from magang.recruitment import services
from magang.recruitment.journey import TRANSITIONS, InvalidTransition, Status
from magang.recruitment.models import Application, Candidate, JourneyEvent

pytestmark = pytest.mark.django_db


def _register(site=None, nik=None, **kwargs):
    f.regency("32.16")
    candidate = services.candidate_create(
        nik=nik or f.make_nik(),
        full_name="Budi Santoso",
        sex="M",
        birth_date=dt.date(2003, 5, 17),
        province_code="32",
        regency_code="32.16",
        **kwargs,
    )
    return services.application_create(candidate=candidate, site=site or f.SiteFactory())


def test_it_registers_with_an_event_and_an_audit_row() -> None:
    application = _register()
    assert application.status == "registered"
    assert application.registration_number.startswith("2026-")
    event = JourneyEvent.objects.get(application=application)
    assert (event.from_status, event.to_status) == ("", "registered")
    assert AuditEntry.objects.filter(
        action="application.create", object_id=str(application.pk)
    ).exists()


def test_it_moves_an_application_and_records_who_when_why(cast) -> None:
    application = cast.application_jabar
    event = services.application_advance(
        application=application, to="eligible", by=cast.officer_jabar, reason="Documents verified"
    )
    application.refresh_from_db()
    assert application.status == "eligible"
    assert (event.from_status, event.to_status, event.actor) == (
        "registered",
        "eligible",
        cast.officer_jabar,
    )
    assert event.reason == "Documents verified"
    audit = AuditEntry.objects.get(action="application.advance", object_id=str(application.pk))
    assert audit.actor == cast.officer_jabar
    assert audit.changes == {"status": ["registered", "eligible"]}
    assert audit.reason == "Documents verified"


def test_it_refuses_a_move_outside_the_graph_and_writes_nothing(cast) -> None:
    application = cast.application_jabar
    events_before = JourneyEvent.objects.count()
    audits_before = AuditEntry.objects.count()
    with pytest.raises(InvalidTransition, match="cannot move from 'registered' to 'departed'"):
        services.application_advance(application=application, to="departed", by=cast.central)
    application.refresh_from_db()
    assert application.status == "registered"
    assert JourneyEvent.objects.count() == events_before
    assert AuditEntry.objects.count() == audits_before


def test_it_checks_the_database_state_not_a_stale_copy(cast) -> None:
    stale = Application.objects.get(pk=cast.application_jabar.pk)
    services.application_advance(application=cast.application_jabar, to="ineligible", by=None)
    with pytest.raises(InvalidTransition, match="from 'ineligible'"):
        services.application_advance(application=stale, to="eligible", by=None)


def test_it_refuses_a_duplicate_nik_with_a_clear_message() -> None:
    nik = f.make_nik()
    _register(nik=nik)
    with pytest.raises(services.DuplicateNik, match="already registered"):
        _register(nik=nik)
    assert Candidate.objects.with_nik(nik).count() == 1


def test_it_refuses_a_duplicate_nik_in_the_database_too() -> None:
    nik = f.make_nik()
    f.CandidateFactory(nik=nik)
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(
            nik=nik,
            full_name="X",
            sex="M",
            birth_date=dt.date(2000, 1, 1),
            province=f.province("32"),
        )


def test_it_refuses_a_second_open_application_in_a_round(cast) -> None:
    candidate = cast.application_jabar.candidate
    with pytest.raises(services.DuplicateApplication) as excinfo:
        services.application_create(candidate=candidate, site=cast.site_jateng)
    assert cast.application_jabar.registration_number in str(excinfo.value)
    assert Application.objects.filter(candidate=candidate).count() == 1


def test_it_refuses_a_second_open_application_in_the_database_too(cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ApplicationFactory(candidate=cast.application_jabar.candidate, site=cast.site_jateng)


def test_it_lets_a_withdrawn_candidate_register_again(cast) -> None:
    services.application_advance(application=cast.application_jabar, to="withdrawn", by=None)
    again = services.application_create(
        candidate=cast.application_jabar.candidate, site=cast.site_jabar
    )
    assert again.status == "registered"


def test_it_keeps_earlier_rounds_as_history(cast) -> None:
    site_2027 = f.SiteFactory(
        round=f.RoundFactory(year=2027), organisation=cast.site_jabar.organisation
    )
    services.application_advance(application=cast.application_jabar, to="ineligible", by=None)
    services.application_create(candidate=cast.application_jabar.candidate, site=site_2027)
    assert cast.application_jabar.candidate.applications.count() == 2


@pytest.mark.parametrize(
    ("province_code", "regency_code", "field"),
    [("99", None, "province"), ("32", "32.99", "regency"), ("33", "32.16", "regency")],
)
def test_it_refuses_an_unknown_or_mismatched_region(province_code, regency_code, field) -> None:
    f.regency("32.16")
    f.province("33")
    with pytest.raises(ValidationError) as excinfo:
        services.candidate_create(
            nik=f.make_nik(),
            full_name="Siti",
            sex="F",
            birth_date=dt.date(2004, 1, 2),
            province_code=province_code,
            regency_code=regency_code,
        )
    assert field in excinfo.value.message_dict
    assert Candidate.objects.count() == 0


def test_it_refuses_an_impossible_birth_date_field() -> None:
    f.province("32")
    with pytest.raises(ValidationError) as excinfo:
        services.candidate_create(
            nik="123",
            full_name="Siti",
            sex="X",
            birth_date=dt.date(2004, 1, 2),
            province_code="32",
        )
    assert {"sex"} <= set(excinfo.value.message_dict)
    assert Candidate.objects.count() == 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(list(Status)), min_size=1, max_size=15))
def test_it_only_ever_stores_allowed_walks(cast, attempts) -> None:
    application = f.ApplicationFactory(site=cast.site_jabar, candidate=f.CandidateFactory())
    for target in attempts:
        with contextlib.suppress(InvalidTransition):
            services.application_advance(application=application, to=target, by=None)
    application.refresh_from_db()
    walk = list(
        JourneyEvent.objects.filter(application=application)
        .order_by("id")
        .values_list("from_status", "to_status")
    )
    state = "registered"
    for before, after in walk:
        assert before == state
        assert Status(after) in TRANSITIONS[Status(before)]
        state = after
    assert application.status == state


def test_it_builds_a_valid_history_for_imported_records(cast) -> None:
    events = services.history_events(
        application=cast.application_jabar,
        steps=[
            services.HistoryStep(Status.SELECTED, dt.date(2019, 3, 1)),
            services.HistoryStep(Status.DEPARTED, dt.date(2019, 10, 1)),
            services.HistoryStep(Status.COMPLETED, dt.date(2022, 10, 1)),
        ],
        recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    path = [(e.from_status, e.to_status) for e in events]
    assert path[0] == ("", "registered")
    for before, after in path[1:]:
        assert Status(after) in TRANSITIONS[Status(before)]
    assert path[-1][1] == "completed"
    assert ("matched", "departed") in path


def test_it_gives_the_wizard_and_the_submit_the_same_nik_answers(cast) -> None:
    from magang.recruitment.services.registration import registration_nik_conflict

    own = cast.application_jabar.candidate
    # Same account, another NIK: one account is one person.
    problem = registration_nik_conflict(user=cast.candidate, site=cast.site_jateng, nik="1" * 16)
    assert problem is not None and own.nik in " ".join(problem.messages)
    # Own NIK, already open in this round: the registration number is the candidate's own.
    problem = registration_nik_conflict(user=cast.candidate, site=cast.site_jateng, nik=own.nik)
    assert isinstance(problem, services.DuplicateApplication)
    # Someone else's NIK, bound to their account: refused without revealing anything.
    other = f.UserFactory(username="someone")
    problem = registration_nik_conflict(user=other, site=cast.site_jateng, nik=own.nik)
    assert problem is not None
    assert cast.application_jabar.registration_number not in " ".join(problem.messages)
    # A NIK nobody has: no conflict.
    assert registration_nik_conflict(user=other, site=cast.site_jateng, nik=f.make_nik()) is None
