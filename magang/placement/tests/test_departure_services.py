"""Departure services: recording documents, batches that refuse incomplete files, and the
move to departed that starts each internship."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from magang.core.models import AuditEntry
from magang.internships.models import Internship
from magang.placement.models import BatchMember, DepartureBatch, DepartureFile, JobOrder
from magang.placement.services.departure import (
    batch_add,
    batch_create,
    batch_depart,
    departure_file_update,
    file_checklist,
)
from magang.recruitment.journey import InvalidTransition, Status
from magang.recruitment.models import Application, JourneyEvent

pytestmark = pytest.mark.django_db

DEPARTS = dt.date(2027, 6, 25)
COMPLETE: dict[str, Any] = {
    "passport_pages": 48,
    "passport_expires_on": dt.date(2031, 1, 1),
    "training_plan_number": "OTIT-2027-0001",
    "training_plan_certified_on": dt.date(2027, 2, 1),
    "coe_number": "COE-2027-0001",
    "coe_issued_on": dt.date(2027, 4, 1),
    "visa_number": "V-2027-0001",
    "visa_issued_on": dt.date(2027, 6, 1),
    "medical_checked_on": dt.date(2027, 6, 10),
    "medical_passed": True,
}


@dataclass
class Departure:
    """Three interns matched to Sendai Seiko (two complete, one without a visa) and one to
    Nagoya Kogyo (complete)."""

    order: JobOrder
    order_other: JobOrder
    ready: list[DepartureFile]
    not_ready: DepartureFile
    other: DepartureFile

    @property
    def files(self) -> list[DepartureFile]:
        return [*self.ready, self.not_ready, self.other]


def matched_file(
    application: Application, order: JobOrder, passport: str, **documents: Any
) -> DepartureFile:
    Application.objects.filter(pk=application.pk).update(status=Status.MATCHED)
    application.refresh_from_db()
    return DepartureFile.objects.create(
        application=application, job_order=order, passport_number=passport, **documents
    )


def build_departure(placement: Any) -> Departure:
    """The files of ``Departure``, from the ``placement`` fixture's orders and graduates."""
    order, order_other = placement.orders
    graduates = placement.graduates
    candidate = graduates[0].candidate
    candidate.name_katakana = "ブディ・サントソ"
    candidate.full_name = "Budi Santoso"
    candidate.save()
    ready = [
        matched_file(graduates[0], order, "C1000001", **COMPLETE),
        matched_file(graduates[1], order, "C1000002", **COMPLETE),
    ]
    not_ready = matched_file(
        graduates[2], order, "C1000003", **{**COMPLETE, "visa_number": "", "visa_issued_on": None}
    )
    other = matched_file(graduates[3], order_other, "C1000004", **COMPLETE)
    return Departure(order, order_other, ready, not_ready, other)


@pytest.fixture
def departure(placement: Any) -> Departure:
    return build_departure(placement)


def new_batch(cast: Any, departs_on: dt.date = DEPARTS) -> DepartureBatch:
    return batch_create(
        departs_on=departs_on, flight=" ga 874 ", airport="Soekarno-Hatta (CGK)",
        arrives_at="Narita (NRT)", by=cast.central,
    )  # fmt: skip


def test_the_checklist_uses_the_batch_date_or_else_the_planned_start(
    departure: Departure, cast: Any
) -> None:
    file = departure.ready[0]
    # 36 months from the job order's planned start (1 July 2027) end on 1 July 2030.
    departure_file_update(
        file=file, changes={"passport_expires_on": dt.date(2030, 6, 28)}, by=cast.central
    )
    assert [i.key for i in file_checklist(file) if not i.ok] == ["passport"]
    batch = new_batch(cast, dt.date(2027, 6, 1))
    batch_add(batch=batch, files=[file], by=cast.central)
    file = DepartureFile.objects.get(pk=file.pk)
    assert all(i.ok for i in file_checklist(file))
    assert not all(i.ok for i in file_checklist(file, departs_on=dt.date(2027, 7, 1)))


def test_only_the_central_team_records_documents(departure: Departure, cast: Any) -> None:
    file = departure.not_ready
    for user in (cast.leadership, cast.admin, cast.partner, cast.host, cast.officer_jabar):
        with pytest.raises(PermissionDenied):
            departure_file_update(file=file, changes={"visa_number": "V-1"}, by=user)
    updated = departure_file_update(
        file=file,
        changes={"visa_number": "  V-2027-0003 ", "visa_issued_on": dt.date(2027, 6, 2)},
        by=cast.central,
    )
    assert DepartureFile.objects.get(pk=file.pk).visa_number == "V-2027-0003"
    assert all(i.ok for i in file_checklist(updated))
    entry = AuditEntry.objects.filter(action="placement.departure_file").latest("pk")
    assert entry.actor_id == cast.central.pk
    assert "visa_number" in entry.changes


def test_fields_outside_the_checklist_are_refused(departure: Departure, cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        departure_file_update(
            file=departure.ready[0], changes={"job_order_id": departure.order_other.pk},
            by=cast.central,
        )  # fmt: skip
    assert caught.value.messages == ["Unknown fields: job_order_id."]


def test_the_passport_number_is_not_logged(departure: Departure, cast: Any) -> None:
    departure_file_update(
        file=departure.ready[0], changes={"passport_number": "C9999999"}, by=cast.central
    )
    entry = AuditEntry.objects.filter(action="placement.departure_file").latest("pk")
    assert "passport_number" not in entry.changes


def test_a_passport_number_belongs_to_one_intern(departure: Departure, cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        departure_file_update(
            file=departure.ready[1], changes={"passport_number": "C1000001"}, by=cast.central
        )
    assert caught.value.messages == ["Another intern has this passport number."]
    assert DepartureFile.objects.get(pk=departure.ready[1].pk).passport_number == "C1000002"
    # Blank passport numbers are not duplicates of each other.
    departure_file_update(file=departure.ready[0], changes={"passport_number": ""}, by=cast.central)
    departure_file_update(file=departure.ready[1], changes={"passport_number": ""}, by=cast.central)


def test_a_batch_needs_a_flight_and_the_central_team(cast: Any) -> None:
    with pytest.raises(ValidationError):
        batch_create(departs_on=DEPARTS, flight=" ", airport="CGK", arrives_at="", by=cast.central)
    for user in (cast.leadership, cast.partner, cast.host):
        with pytest.raises(PermissionDenied):
            batch_create(departs_on=DEPARTS, flight="GA874", airport="CGK", arrives_at="", by=user)
    batch = new_batch(cast)
    assert (batch.flight, batch.arrives_at, batch.created_by) == (
        "GA 874",
        "Narita (NRT)",
        cast.central,
    )


def test_a_batch_refuses_incomplete_files_with_the_reasons(departure: Departure, cast: Any) -> None:
    batch = new_batch(cast)
    with pytest.raises(ValidationError) as caught:
        batch_add(batch=batch, files=[departure.ready[0], departure.not_ready], by=cast.central)
    number = departure.not_ready.application.registration_number
    assert caught.value.messages == [f"{number}: Visa: number and date missing."]
    assert not BatchMember.objects.exists()  # nobody is added when anyone is refused


def test_a_passport_expiring_within_the_stay_keeps_an_intern_off_the_batch(
    departure: Departure, cast: Any
) -> None:
    file = departure.ready[0]
    departure_file_update(
        file=file,
        changes={"passport_expires_on": dt.date(2029, 12, 31), "passport_pages": 24},
        by=cast.central,
    )
    with pytest.raises(ValidationError) as caught:
        batch_add(batch=new_batch(cast), files=[file], by=cast.central)
    assert "must have 48 pages (recorded: 24)" in caught.value.messages[0]
    departure_file_update(file=file, changes={"passport_pages": 48}, by=cast.central)
    with pytest.raises(ValidationError) as caught:
        batch_add(batch=new_batch(cast), files=[file], by=cast.central)
    assert "expires on 2029-12-31, before the stay ends on 2030-06-25" in caught.value.messages[0]


def test_a_failed_or_missing_medical_keeps_an_intern_off_the_batch(
    departure: Departure, cast: Any
) -> None:
    file = departure.ready[0]
    departure_file_update(file=file, changes={"medical_passed": False}, by=cast.central)
    with pytest.raises(ValidationError) as caught:
        batch_add(batch=new_batch(cast), files=[file], by=cast.central)
    assert caught.value.messages[0].endswith("Pre-departure medical not passed.")
    departure_file_update(
        file=file, changes={"medical_passed": None, "medical_checked_on": None}, by=cast.central
    )
    with pytest.raises(ValidationError) as caught:
        batch_add(batch=new_batch(cast), files=[file], by=cast.central)
    assert caught.value.messages[0].endswith("No pre-departure medical yet.")


def test_missing_training_plan_and_coe_are_both_named(departure: Departure, cast: Any) -> None:
    file = departure.ready[0]
    departure_file_update(
        file=file, changes={"training_plan_number": "", "coe_issued_on": None}, by=cast.central
    )
    with pytest.raises(ValidationError) as caught:
        batch_add(batch=new_batch(cast), files=[file], by=cast.central)
    assert caught.value.messages == [
        f"{file.application.registration_number}: Training plan certified by OTIT: number and "
        "date missing. Certificate of eligibility: number and date missing."
    ]


def test_an_intern_is_on_one_batch_only(departure: Departure, cast: Any) -> None:
    first, second = new_batch(cast), new_batch(cast, dt.date(2027, 6, 26))
    assert batch_add(batch=first, files=departure.ready, by=cast.central) == 2
    with pytest.raises(ValidationError) as caught:
        batch_add(batch=second, files=[departure.ready[0]], by=cast.central)
    assert caught.value.messages == [
        f"{departure.ready[0].application.registration_number} is already on a batch."
    ]
    with pytest.raises(PermissionDenied):
        batch_add(batch=second, files=[departure.other], by=cast.leadership)


def test_departing_moves_the_journey_and_starts_each_internship(
    departure: Departure, cast: Any
) -> None:
    batch = new_batch(cast)
    batch_add(batch=batch, files=[*departure.ready, departure.other], by=cast.central)
    assert batch_depart(batch=batch, by=cast.central) == 3
    batch.refresh_from_db()
    assert batch.departed_at is not None
    for file, order in (
        (departure.ready[0], departure.order),
        (departure.ready[1], departure.order),
        (departure.other, departure.order_other),
    ):
        application = Application.objects.get(pk=file.application_id)
        assert application.status == Status.DEPARTED
        event = JourneyEvent.objects.filter(application=application).latest("recorded_at")
        assert (event.from_status, event.to_status) == (Status.MATCHED, Status.DEPARTED)
        assert event.effective_on == DEPARTS
        assert event.reason == "Departed on GA 874, 2027-06-25"
        internship = Internship.objects.get(application=application)
        assert internship.host_company_id == order.host_company_id
        assert internship.supervising_organisation_id == cast.imjapan.pk
        assert internship.prefecture_id == order.prefecture_id
        assert internship.trade_id == order.trade_id
        assert internship.departed_on == DEPARTS
    assert Internship.objects.get(application=departure.other.application).host_company == (
        cast.host_company_other
    )
    # The intern left out stays matched, without an internship.
    assert Application.objects.get(pk=departure.not_ready.application_id).status == Status.MATCHED
    assert not Internship.objects.filter(application=departure.not_ready.application).exists()


def test_a_batch_departs_once(departure: Departure, cast: Any) -> None:
    batch = new_batch(cast)
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    batch_depart(batch=batch, by=cast.central)
    with pytest.raises(ValidationError) as caught:
        batch_depart(batch=batch, by=cast.central)
    assert caught.value.messages == ["This batch has already been recorded as departed."]
    assert Internship.objects.count() == 2
    with pytest.raises(ValidationError) as caught:
        batch_add(batch=batch, files=[departure.other], by=cast.central)
    assert caught.value.messages == ["This batch has left."]


def test_an_empty_batch_does_not_depart_and_others_may_not_record_it(
    departure: Departure, cast: Any
) -> None:
    batch = new_batch(cast)
    with pytest.raises(ValidationError) as caught:
        batch_depart(batch=batch, by=cast.central)
    assert caught.value.messages == ["The batch has nobody on it."]
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    for user in (cast.leadership, cast.admin, cast.partner, cast.host):
        with pytest.raises(PermissionDenied):
            batch_depart(batch=batch, by=user)
    assert not Internship.objects.exists()


def test_a_failed_departure_changes_nothing(departure: Departure, cast: Any) -> None:
    batch = new_batch(cast)
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    # Someone moved one intern on meanwhile: the journey refuses and nobody departs.
    Application.objects.filter(pk=departure.ready[1].application_id).update(status=Status.WITHDRAWN)
    with pytest.raises(InvalidTransition):
        batch_depart(batch=batch, by=cast.central)
    assert not Internship.objects.exists()
    assert Application.objects.get(pk=departure.ready[0].application_id).status == Status.MATCHED
    batch.refresh_from_db()
    assert batch.departed_at is None
