"""Training services: enrolment through the journey, clashes, roll call, scores, beds (down to
the database's own refusals), discipline, graduation and drop-out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from magang import factories as f
from magang.recruitment.journey import Status
from magang.recruitment.models import JourneyEvent
from magang.training.models import (
    Assessment,
    Attendance,
    Bed,
    BedAssignment,
    Building,
    DormRoom,
    Enrolment,
    Session,
)
from magang.training.services import (
    SessionClash,
    bed_assign,
    cohort_enrol,
    curriculum_copy,
    discipline_record,
    enrolment_drop_out,
    roll_call_save,
    scores_save,
    session_save,
)

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, 0, tzinfo=TZ)


def test_enrolment_moves_selected_people_into_training(training: Any, cast: Any) -> None:
    for application in training.applications:
        application.refresh_from_db()
        assert application.status == "in_training"
    event = JourneyEvent.objects.get(application=training.applications[0], to_status="in_training")
    assert event.actor == cast.trainer and "Angkatan Desember 2026" in event.reason


def test_enrolment_is_all_or_nothing_with_every_problem(training: Any, cast: Any) -> None:
    newcomer = f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED)
    registered = f.ApplicationFactory(site=cast.site_jabar)
    with pytest.raises(ValidationError) as caught:
        cohort_enrol(
            cohort=training.cohort,
            applications=[newcomer, registered, training.applications[0]],
            by=cast.trainer,
        )
    text = " ".join(caught.value.messages)
    assert registered.registration_number in text and "not selected or in training" in text
    assert f"{training.applications[0].registration_number} is already in training" in text
    newcomer.refresh_from_db()
    assert newcomer.status == "selected" and not Enrolment.objects.filter(application=newcomer)


def test_capacity_is_never_exceeded(training: Any, cast: Any) -> None:
    training.cohort.capacity = 5
    training.cohort.save()
    people = [f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED) for _ in range(2)]
    with pytest.raises(ValidationError, match="holds 5 and has 4; 2 more do not fit"):
        cohort_enrol(cohort=training.cohort, applications=people, by=cast.trainer)


def test_only_staff_of_the_centre_change_its_cohorts(training: Any, cast: Any) -> None:
    person = f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED)
    for user in (training.trainer_other, cast.central, cast.admin, cast.officer_jabar):
        with pytest.raises(PermissionDenied):
            cohort_enrol(cohort=training.cohort, applications=[person], by=user)


def test_the_database_keeps_one_active_enrolment_per_person(training: Any) -> None:
    other = type(training.cohort).objects.create(
        centre=training.centre, curriculum=training.curriculum, code="other", name="Other",
        stage="central", starts_on=dt.date(2027, 2, 1), ends_on=dt.date(2027, 3, 31), capacity=10,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            cohort=other, application=training.applications[0], enrolled_on=dt.date(2027, 2, 1)
        )


def test_a_curriculum_copy_is_edited_without_touching_the_original(training: Any) -> None:
    copy = curriculum_copy(source=training.curriculum, code="titp-2027", name="TITP 2027",
                           year=2027, by=None)  # fmt: skip
    assert [m.key for m in copy.modules.all()] == list(training.modules)
    copy.modules.filter(key="japanese").update(pass_mark=70)
    assert training.modules["japanese"].pass_mark == 60
    training.modules["japanese"].refresh_from_db()
    assert training.modules["japanese"].pass_mark == 60


def test_a_clash_of_trainer_or_room_is_refused_with_the_clash(training: Any, cast: Any) -> None:
    japanese = training.modules["japanese"]
    session_save(training_class=training.klass, module=japanese, trainer=cast.trainer,
                 room="R1", starts_at=at(2, 8), ends_at=at(2, 10), by=cast.trainer)  # fmt: skip
    other_class = type(training.klass).objects.create(cohort=training.cohort, name="B")
    colleague = f.member("trainer.two", "training_staff", training.centre)
    with pytest.raises(SessionClash) as caught:
        session_save(training_class=other_class, module=japanese, trainer=cast.trainer,
                     room="R2", starts_at=at(2, 9), ends_at=at(2, 11), by=cast.trainer)  # fmt: skip
    assert (
        "Trainer" in caught.value.messages[0]
        and "A · Japanese language" in caught.value.messages[0]
    )
    with pytest.raises(SessionClash, match="Room R1 is taken"):
        session_save(training_class=other_class, module=japanese, trainer=colleague,
                     room="r1", starts_at=at(2, 9), ends_at=at(2, 11), by=cast.trainer)  # fmt: skip
    # Back to back is no clash.
    session_save(training_class=other_class, module=japanese, trainer=cast.trainer,
                 room="R1", starts_at=at(2, 10), ends_at=at(2, 12), by=cast.trainer)  # fmt: skip
    assert Session.objects.count() == 2


def test_roll_call_marks_only_the_exceptions(training: Any, cast: Any) -> None:
    session = session_save(training_class=training.klass, module=training.modules["culture"],
                           trainer=cast.trainer, room="R1", starts_at=at(3, 8), ends_at=at(3, 10),
                           by=cast.trainer)  # fmt: skip
    one, two = training.enrolments[0].pk, training.enrolments[1].pk
    with pytest.raises(ValidationError, match="needs a reason"):
        roll_call_save(session=session, marks={one: ("excused", " ")}, by=cast.trainer)
    assert not Attendance.objects.exists()
    counts = roll_call_save(
        session=session, marks={one: ("late", ""), two: ("excused", "Sick, letter from clinic")},
        by=cast.trainer,
    )  # fmt: skip
    assert counts == {"present": 2, "late": 1, "excused": 1, "absent": 0}
    counts = roll_call_save(session=session, marks={two: ("absent", "")}, by=cast.trainer)
    assert counts["absent"] == 1 and counts["present"] == 3
    assert Attendance.objects.filter(session=session).count() == 4
    session.refresh_from_db()
    assert session.roll_taken_at is not None
    with pytest.raises(PermissionDenied):
        roll_call_save(session=session, marks={}, by=training.trainer_other)


def test_scores_are_checked_and_stale_ones_refused(training: Any, cast: Any) -> None:
    test = Assessment.objects.create(
        cohort=training.cohort, module=training.modules["japanese"], kind="written",
        name="Bab 1-6", held_on=dt.date(2026, 12, 10), max_score=50,
    )  # fmt: skip
    one, two = training.enrolments[0].pk, training.enrolments[1].pk
    with pytest.raises(ValidationError) as caught:
        scores_save(assessment=test, scores={one: "51", two: "4x"}, by=cast.trainer)
    assert len(caught.value.messages) == 2
    assert scores_save(assessment=test, scores={one: "45,5", two: ""}, by=cast.trainer) == 1
    assert scores_save(assessment=test, scores={one: "45.5"}, by=cast.trainer) == 0
    scores_save(assessment=test, scores={one: "40"}, by=cast.trainer, versions={one: 1})
    with pytest.raises(ValidationError, match="changed meanwhile to 40"):
        scores_save(assessment=test, scores={one: "41"}, by=cast.trainer, versions={one: 1})


@pytest.fixture
def dorm(training: Any) -> Any:
    building = Building.objects.create(centre=training.centre, name="Asrama Sakura")
    men = DormRoom.objects.create(building=building, name="101", sex="M")
    women = DormRoom.objects.create(building=building, name="201", sex="F")
    return {
        "men": [Bed.objects.create(room=men, label=str(i)) for i in (1, 2)],
        "women": [Bed.objects.create(room=women, label="1")],
    }


def test_beds_are_one_person_each_and_rooms_one_sex(training: Any, cast: Any, dorm: Any) -> None:
    man, other_man, woman = training.enrolments[0], training.enrolments[1], training.enrolments[3]
    bed_assign(bed=dorm["men"][0], enrolment=man, by=cast.trainer)
    with pytest.raises(ValidationError, match="is taken"):
        bed_assign(bed=dorm["men"][0], enrolment=other_man, by=cast.trainer)
    with pytest.raises(ValidationError, match="for the other sex"):
        bed_assign(bed=dorm["men"][1], enrolment=woman, by=cast.trainer)
    # Moving releases the previous bed.
    bed_assign(bed=dorm["men"][1], enrolment=man, by=cast.trainer)
    assert BedAssignment.objects.filter(enrolment=man, to_date__isnull=True).count() == 1


def test_the_database_itself_refuses_mixed_rooms_and_shared_beds(training: Any, dorm: Any) -> None:
    man, woman = training.enrolments[0], training.enrolments[3]
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(bed=dorm["men"][0], enrolment=woman, from_date=today)
    BedAssignment.objects.create(bed=dorm["men"][0], enrolment=man, from_date=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(
            bed=dorm["men"][0], enrolment=training.enrolments[1], from_date=today
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(bed=dorm["men"][1], enrolment=man, from_date=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        DormRoom.objects.filter(pk=dorm["men"][0].room_id).update(sex="F")


def test_discipline_records_are_checked(training: Any, cast: Any) -> None:
    enrolment = training.enrolments[0]
    with pytest.raises(ValidationError) as caught:
        discipline_record(
            enrolment=enrolment,
            kind="fine",
            points=0,
            description=" ",
            occurred_on=timezone.localdate() + dt.timedelta(days=1),
            by=cast.trainer,
        )
    assert len(caught.value.messages) == 4
    record = discipline_record(enrolment=enrolment, kind="demerit", points=5,
                               description="Late for morning roll call", by=cast.trainer,
                               occurred_on=timezone.localdate())  # fmt: skip
    assert record.recorded_by == cast.trainer


def test_dropping_out_goes_through_the_journey(training: Any, cast: Any) -> None:
    enrolment = training.enrolments[2]
    with pytest.raises(ValidationError, match="reason"):
        enrolment_drop_out(enrolment=enrolment, by=cast.trainer, reason="")
    enrolment_drop_out(enrolment=enrolment, by=cast.trainer, reason="Missed the standard")
    enrolment.refresh_from_db()
    enrolment.application.refresh_from_db()
    assert enrolment.state == "dropped_out" and enrolment.ended_on is not None
    assert enrolment.application.status == "dropped_out"
    with pytest.raises(ValidationError, match="already ended"):
        enrolment_drop_out(enrolment=enrolment, by=cast.trainer, reason="Again")


def test_score_decimals(training: Any, cast: Any) -> None:
    test = Assessment.objects.create(
        cohort=training.cohort, module=training.modules["culture"], kind="oral", name="Oral 1",
        held_on=dt.date(2026, 12, 10),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="two decimals"):
        scores_save(assessment=test, scores={training.enrolments[0].pk: "70.125"}, by=cast.trainer)
    assert Decimal("70.12") == Decimal("70.12")
