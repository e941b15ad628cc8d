"""Home page sections: the homeroom trainer's at-risk trainees with the rule that fired (in
a bounded number of queries), the trainee's link to their training, the dormitories."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from magang import factories as f
from magang.recruitment.journey import Status
from magang.training.models import TrainingClass
from magang.training.services import cohort_enrol

from .test_pages_graduation import client_for, hold_session

pytestmark = pytest.mark.django_db


def home(user: Any, language: str = "en") -> str:
    return client_for(user, language).get(reverse("accounts:home")).content.decode()


def absences(training: Any, cast: Any, *who: int) -> None:
    for day in (2, 3):
        hold_session(
            training, cast, day=dt.date(2026, 12, day), marks=dict.fromkeys(who, ("absent", ""))
        )


def test_the_homeroom_trainer_sees_who_is_at_risk_and_why(training: Any, cast: Any) -> None:
    at_risk = training.enrolments[2]
    absences(training, cast, at_risk.pk)
    page = home(cast.trainer)
    section = page[page.index('id="home-homeroom"') :]
    assert at_risk.application.candidate.full_name in section
    assert 'data-rule="absences"' in section and "2 absences in a row (limit 2)." in section
    assert training.enrolments[0].application.candidate.full_name not in section
    assert reverse("training:alerts_class", args=[training.klass.pk]) in section
    indonesian = home(cast.trainer, "id")
    assert "Tidak hadir 2 kali berturut-turut (batas 2)." in indonesian


def test_only_the_homeroom_trainer_gets_the_section(training: Any, cast: Any) -> None:
    absences(training, cast, training.enrolments[2].pk)
    colleague = f.member("trainer.two", "training_staff", training.centre)
    for user in (colleague, training.trainer_other, cast.central, cast.leadership, cast.candidate):
        assert 'id="home-homeroom"' not in home(user)


def test_a_class_without_alerts_says_so(training: Any, cast: Any) -> None:
    hold_session(training, cast, day=dt.date(2026, 12, 2))
    page = home(cast.trainer)
    assert "No alerts: nobody in training is at risk now." in page


def test_the_section_reads_in_queries_per_cohort_not_per_trainee(
    training: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    second = TrainingClass.objects.create(
        cohort=training.cohort, name="B", homeroom_trainer=cast.trainer
    )
    people = [f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED) for _ in range(12)]
    enrolled = cohort_enrol(cohort=training.cohort, applications=people, by=cast.trainer,
                            training_class=second)  # fmt: skip
    absences(training, cast, training.enrolments[1].pk)
    for day in (4, 5):
        hold_session(
            training, cast, day=dt.date(2026, 12, day), klass=second, room="R2",
            marks={e.pk: ("absent", "") for e in enrolled},
        )  # fmt: skip
    client = client_for(cast.trainer)
    client.get(reverse("accounts:home"))
    with django_assert_max_num_queries(30):
        page = client.get(reverse("accounts:home")).content.decode()
    assert page.count('data-rule="absences"') == 13


def test_a_trainee_gets_a_link_to_their_training(training: Any, cast: Any) -> None:
    page = home(cast.candidate)
    section = page[page.index('id="home-training"') :]
    assert training.cohort.name in section
    assert reverse("training:my_training") in section
    assert 'id="home-training"' not in home(cast.officer_jabar)


def test_training_staff_find_their_dormitories(training: Any, cast: Any) -> None:
    page = home(cast.trainer)
    assert reverse("training:dorm_centre", args=[training.centre.pk]) in page
    other = home(training.trainer_other)
    assert reverse("training:dorm_centre", args=[training.other_centre.pk]) in other
    assert reverse("training:dorm_centre", args=[training.centre.pk]) not in other
    assert 'id="home-dormitories"' not in home(cast.central)
