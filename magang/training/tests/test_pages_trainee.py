"""My training: the trainee's own timetable, attendance, grades, discipline, bed and
readiness, in Indonesian by default; never another trainee's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from magang import factories as f
from magang.recruitment.models import Candidate
from magang.training.models import Bed, BedAssignment, Building, DormRoom
from magang.training.services import discipline_record

from .test_pages_graduation import client_for, hold_session, score_all

pytestmark = pytest.mark.django_db

PAGES = ("my_training_detail", "my_timetable", "my_attendance", "my_grades", "my_discipline")


@pytest.fixture
def record(training: Any, cast: Any) -> Any:
    """The cast candidate (enrolment 0) and a second trainee with an account (enrolment 1):
    three roll calls, scores, discipline entries and a bed each."""
    mine, theirs = training.enrolments[0], training.enrolments[1]
    other_user = f.UserFactory(username="trainee.two")
    Candidate.objects.filter(pk=theirs.application.candidate_id).update(user=other_user)
    hold_session(training, cast, day=dt.date(2026, 12, 2), marks={theirs.pk: ("absent", "")})
    hold_session(
        training, cast, day=dt.date(2026, 12, 3), marks={mine.pk: ("absent", "")}, module="culture"
    )
    hold_session(
        training, cast, day=dt.date(2026, 12, 4),
        marks={mine.pk: ("excused", "Sick, letter from the clinic")},
    )  # fmt: skip
    score_all(training, cast, {mine.pk: "72.5", theirs.pk: "41"}, modules=["japanese"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    discipline_record(enrolment=mine, kind="demerit", points=4, occurred_on=yesterday,
                      description="Late for morning roll call", by=cast.trainer)  # fmt: skip
    discipline_record(enrolment=mine, kind="merit", points=1, occurred_on=yesterday,
                      description="Helped a friend with kanji", by=cast.trainer)  # fmt: skip
    discipline_record(enrolment=theirs, kind="demerit", points=9, occurred_on=yesterday,
                      description="Secret of trainee two", by=cast.trainer)  # fmt: skip
    building = Building.objects.create(centre=training.centre, name="Asrama Sakura")
    room = DormRoom.objects.create(building=building, name="101", sex="M")
    for enrolment, label in ((mine, "1"), (theirs, "2")):
        BedAssignment.objects.create(
            bed=Bed.objects.create(room=room, label=label), enrolment=enrolment,
            from_date=dt.date(2026, 12, 1),
        )  # fmt: skip
    return {"mine": mine, "theirs": theirs, "other_user": other_user}


def test_the_overview_shows_rate_readiness_and_bed_in_indonesian(
    training: Any, cast: Any, record: Any
) -> None:
    page = client_for(cast.candidate, language="id").get(reverse("training:my_training"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "50,0%" in text  # 1 of 2 counted; the excused session is left out
    assert "Kehadiran 50,0% di bawah batas 90%" in text
    assert "Hasil pemeriksaan kesehatan belum tercatat." in text
    bed = text.split('id="my-bed"')[1].split("</section>")[0]
    assert "Asrama Sakura" in bed and "101" in bed
    assert "Secret of trainee two" not in text


def test_attendance_lists_every_roll_call_with_the_rate(
    training: Any, cast: Any, record: Any
) -> None:
    url = reverse("training:my_attendance", args=[record["mine"].pk])
    text = client_for(cast.candidate).get(url).content.decode()
    assert "50.0%" in text
    assert text.count('data-status="present"') == 1 and text.count('data-status="absent"') == 1
    assert "Sick, letter from the clinic" in text


def test_grades_show_scores_and_module_averages(training: Any, cast: Any, record: Any) -> None:
    url = reverse("training:my_grades", args=[record["mine"].pk])
    text = client_for(cast.candidate).get(url).content.decode()
    assert "72.5 of 100" in text and "Test japanese" in text
    assert 'data-module="japanese" data-passed="yes"' in text
    assert 'data-module="culture" data-passed="none"' in text
    scores = text.split('id="my-scores"')[1].split("</section>")[0]
    assert scores.count("<li") == 1 and " 41 " not in scores


def test_discipline_shows_only_the_trainees_own_entries(
    training: Any, cast: Any, record: Any
) -> None:
    url = reverse("training:my_discipline", args=[record["mine"].pk])
    text = client_for(cast.candidate).get(url).content.decode()
    assert "Late for morning roll call" in text and "Helped a friend with kanji" in text
    assert "Net demerit points: 3" in text
    assert "Secret of trainee two" not in text


def test_the_timetable_shows_this_week_and_next(training: Any, cast: Any, record: Any) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    hold_session(training, cast, day=monday + dt.timedelta(days=1), hour=13, room="R7")
    hold_session(training, cast, day=monday + dt.timedelta(days=9), hour=13, room="R8")
    hold_session(training, cast, day=monday + dt.timedelta(days=16), hour=13, room="R9")
    url = reverse("training:my_timetable", args=[record["mine"].pk])
    text = client_for(cast.candidate).get(url).content.decode()
    this_week, next_week = text.split('id="next-week"')
    assert "room R7" in this_week and "room R8" in next_week
    assert "room R9" not in text


def test_another_trainees_pages_are_not_found(training: Any, cast: Any, record: Any) -> None:
    for name in PAGES:
        url = reverse(f"training:{name}", args=[record["theirs"].pk])
        assert client_for(cast.candidate).get(url).status_code == 404, name
        assert client_for(record["other_user"]).get(url).status_code == 200, name
    theirs = client_for(record["other_user"]).get(reverse("training:my_training")).content.decode()
    assert f'href="/training/my/{record["theirs"].pk}/' in theirs
    assert f'href="/training/my/{record["mine"].pk}/' not in theirs
    discipline = (
        client_for(record["other_user"])
        .get(reverse("training:my_discipline", args=[record["theirs"].pk]))
        .content.decode()
    )
    assert "Secret of trainee two" in discipline and "Late for morning roll call" not in discipline


def test_only_candidates_have_a_training_of_their_own(
    training: Any, cast: Any, record: Any
) -> None:
    urls = [reverse("training:my_training")] + [
        reverse(f"training:{name}", args=[record["mine"].pk]) for name in PAGES
    ]
    for url in urls:
        for name in ("trainer", "central", "leadership", "admin", "officer_jabar", "partner",
                     "host", "outsider"):  # fmt: skip
            assert client_for(getattr(cast, name)).get(url).status_code == 403, (url, name)
        assert client_for(training.trainer_other).get(url).status_code == 403
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_candidate_not_in_training_is_told_so(cast: Any) -> None:
    text = client_for(cast.candidate).get(reverse("training:my_training")).content.decode()
    assert "You are not in training yet." in text
