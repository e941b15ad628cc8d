"""Readiness and alerts from the database: a fixed number of queries for any cohort size, the
checklist a trainer sees, and graduation only for the ready."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from magang import factories as f
from magang.recruitment.journey import Status
from magang.training.models import Assessment, Enrolment
from magang.training.services import (
    cohort_enrol,
    discipline_record,
    enrolment_graduate,
    roll_call_save,
    scores_save,
    session_save,
)
from magang.training.services.readiness import cohort_alerts, cohort_readiness

from .test_services import at

pytestmark = pytest.mark.django_db


def teach(training: Any, cast: Any, *, absent: dict[int, int] | None = None, week: int = 0) -> None:
    """Three sessions with roll calls (``absent`` maps a trainee's position to how many of
    them they missed, the latest first), and one passing assessment per module for all."""
    absent = absent or {}
    for day in (2, 3, 4):
        session = session_save(
            training_class=training.klass, module=training.modules["japanese"],
            trainer=cast.trainer, room="R1", starts_at=at(day + 7 * week, 8),
            ends_at=at(day + 7 * week, 10), by=cast.trainer,
        )  # fmt: skip
        marks = {
            e.pk: ("absent", "")
            for position, e in enumerate(training.enrolments)
            if absent.get(position, 0) >= 5 - day
        }
        roll_call_save(session=session, marks=marks, by=cast.trainer)
    for key, module in training.modules.items():
        test = Assessment.objects.create(
            cohort=training.cohort, module=module, kind="written", name=f"{key} {week}",
            held_on=dt.date(2026, 12, 5),
        )  # fmt: skip
        scores_save(
            assessment=test, scores={e.pk: "75" for e in training.enrolments}, by=cast.trainer
        )
    Enrolment.objects.filter(cohort=training.cohort).update(medical_passed=True)


def test_a_trainee_who_meets_every_rule_is_ready(training: Any, cast: Any) -> None:
    teach(training, cast, absent={1: 1})
    verdicts = cohort_readiness(cohort=training.cohort)
    first, second = verdicts[training.enrolments[0].pk], verdicts[training.enrolments[1].pk]
    assert first.ready and first.attendance_rate == 1.0
    assert [r.rule for r in first.reasons] == [
        "attendance",
        "japanese",
        "module",
        "demerits",
        "medical",
    ]
    assert not second.ready
    assert [r.rule for r in second.reasons if not r.passed] == ["attendance"]
    assert "66.7%" in second.failures[0].text_en and "66,7%" in second.failures[0].text_id


def test_graduation_only_for_the_ready_and_through_the_journey(training: Any, cast: Any) -> None:
    teach(training, cast, absent={1: 1})
    with pytest.raises(ValidationError) as caught:
        enrolment_graduate(enrolment=training.enrolments[1], by=cast.trainer, reason="Done")
    assert "Not ready to graduate:" in caught.value.messages[0]
    assert "Attendance" in caught.value.messages[1]
    enrolment_graduate(enrolment=training.enrolments[0], by=cast.trainer, reason="All rules met")
    application = training.applications[0]
    application.refresh_from_db()
    assert application.status == Status.GRADUATED


def test_alerts_name_the_rule_that_fired(training: Any, cast: Any) -> None:
    teach(training, cast, absent={2: 2})
    discipline_record(
        enrolment=training.enrolments[3], kind="demerit", points=12, by=cast.trainer,
        description="Left the dormitory at night", occurred_on=dt.date(2026, 11, 20),
    )  # fmt: skip
    fired = cohort_alerts(cohort=training.cohort)
    assert fired[training.enrolments[0].pk] == ()
    assert {a.rule for a in fired[training.enrolments[2].pk]} >= {"absences", "attendance"}
    assert [a.rule for a in fired[training.enrolments[3].pk]] == ["demerits"]


def test_reads_take_a_fixed_number_of_queries(
    training: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    teach(training, cast)
    with django_assert_max_num_queries(8):
        cohort_readiness(cohort=training.cohort)
    more = [f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED) for _ in range(6)]
    cohort_enrol(cohort=training.cohort, applications=more, by=cast.trainer,
                 training_class=training.klass)  # fmt: skip
    training.enrolments = list(Enrolment.objects.filter(cohort=training.cohort))
    teach(training, cast, week=1)
    with django_assert_max_num_queries(8):
        cohort_readiness(cohort=training.cohort)
    with django_assert_max_num_queries(8):
        cohort_alerts(cohort=training.cohort)
