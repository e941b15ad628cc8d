"""Discipline pages: records per cohort and class, the form to record a merit or demerit
with the service's refusals shown, each trainee's net points, and who may see and do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from magang.training.models import DisciplineRecord, TrainingClass
from magang.training.services import class_assign, discipline_record

from .test_pages_graduation import NOBODY, READERS, assert_access, client_for

pytestmark = pytest.mark.django_db


def list_url(training: Any) -> str:
    return reverse("training:discipline_list", args=[training.cohort.pk])


def record(training: Any, cast: Any, index: int, kind: str, points: int, text: str) -> None:
    discipline_record(
        enrolment=training.enrolments[index], kind=kind, points=points, description=text,
        occurred_on=timezone.localdate() - dt.timedelta(days=1), by=cast.trainer,
    )  # fmt: skip


def test_a_merit_or_demerit_is_recorded_with_refusals_shown(training: Any, cast: Any) -> None:
    trainer = client_for(cast.trainer)
    enrolment = training.enrolments[1]
    bad = trainer.post(
        list_url(training),
        {"enrolment": enrolment.pk, "kind": "fine", "points": "0", "description": " ",
         "occurred_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
    )  # fmt: skip
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Choose merit or demerit." in text and "Points lie between 1 and 100." in text
    assert "The date cannot be in the future." in text
    no_date = trainer.post(
        list_url(training),
        {"enrolment": enrolment.pk, "kind": "demerit", "points": "3", "description": "Late",
         "occurred_on": "soon"},
    )  # fmt: skip
    assert no_date.status_code == 400 and "YYYY-MM-DD" in no_date.content.decode()
    assert not DisciplineRecord.objects.exists()
    saved = trainer.post(
        list_url(training),
        {"enrolment": enrolment.pk, "kind": "demerit", "points": "5",
         "description": "Late for morning roll call",
         "occurred_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert saved.status_code == 302
    row = DisciplineRecord.objects.get()
    assert (row.enrolment, row.kind, row.points, row.recorded_by) == (
        enrolment,
        "demerit",
        5,
        cast.trainer,
    )


def test_each_trainee_has_net_points_and_the_list_filters_by_class(
    training: Any, cast: Any
) -> None:
    other_class = TrainingClass.objects.create(cohort=training.cohort, name="B")
    class_assign(training_class=other_class, enrolments=[training.enrolments[3]], by=cast.trainer)
    record(training, cast, 0, "demerit", 8, "Phone during class")
    record(training, cast, 0, "merit", 3, "Helped clean the dormitory")
    record(training, cast, 3, "demerit", 2, "Late for roll call")
    trainer = client_for(cast.trainer)
    page = trainer.get(list_url(training)).content.decode()
    assert "Phone during class" in page and "Late for roll call" in page
    first = page[page.index(f'data-enrolment="{training.enrolments[0].pk}"') :]
    assert '<td class="num">3</td><td class="num">8</td><td class="num net">5</td>' in first
    only_b = trainer.get(list_url(training), {"class": other_class.pk}).content.decode()
    assert "Late for roll call" in only_b and "Phone during class" not in only_b
    assert f'data-enrolment="{training.enrolments[0].pk}"' not in only_b
    other_cohort_class = TrainingClass.objects.create(
        cohort=type(training.cohort).objects.create(
            centre=training.centre, curriculum=training.curriculum, code="other", name="Other",
            stage="central", starts_on=dt.date(2027, 2, 1), ends_on=dt.date(2027, 3, 31),
            capacity=10,
        ),
        name="Z",
    )  # fmt: skip
    assert trainer.get(list_url(training), {"class": other_cohort_class.pk}).status_code == 404
    assert trainer.get(list_url(training), {"class": "x"}).status_code == 404


def test_who_may_see_and_record_discipline(training: Any, cast: Any) -> None:
    record(training, cast, 0, "demerit", 4, "Shoes not polished")
    assert_access(cast, training, list_url(training))
    assert (
        "Record a merit or demerit"
        not in client_for(cast.central).get(list_url(training)).content.decode()
    )
    data = {"enrolment": training.enrolments[1].pk, "kind": "merit", "points": "2",
            "description": "Led the morning exercise",
            "occurred_on": timezone.localdate().isoformat()}  # fmt: skip
    for name in READERS:
        assert client_for(getattr(cast, name)).post(list_url(training), data).status_code == 403
    assert client_for(training.trainer_other).post(list_url(training), data).status_code == 404
    for name in NOBODY:
        assert client_for(getattr(cast, name)).post(list_url(training), data).status_code == 403
    assert Client().post(list_url(training), data).status_code == 302
    assert DisciplineRecord.objects.count() == 1


def test_a_trainee_of_another_cohort_cannot_be_recorded_here(training: Any, cast: Any) -> None:
    other = type(training.cohort).objects.create(
        centre=training.centre, curriculum=training.curriculum, code="other", name="Other",
        stage="central", starts_on=dt.date(2027, 2, 1), ends_on=dt.date(2027, 3, 31), capacity=10,
    )  # fmt: skip
    answer = client_for(cast.trainer).post(
        reverse("training:discipline_list", args=[other.pk]),
        {"enrolment": training.enrolments[0].pk, "kind": "merit", "points": "1",
         "description": "x", "occurred_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert answer.status_code == 404 and not DisciplineRecord.objects.exists()
