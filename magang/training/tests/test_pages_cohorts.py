"""The cohort pages through the client: who may read and who may act, the list in scope,
one cohort's classes, trainees and capacity, bulk enrolment, classes created and trainees
moved, and curricula (read by all training readers, copied and edited by administrators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang import factories as f
from magang.core.models import AuditEntry
from magang.recruitment.journey import Status
from magang.training.models import Cohort, Curriculum, Enrolment, TrainingClass
from magang.training.services import enrolment_complete_stage

pytestmark = pytest.mark.django_db

NOBODY = ("officer_jabar", "partner", "host", "candidate", "outsider")
READERS = ("central", "leadership", "admin")


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})  # pages negotiate; Indonesian by default
    if user is not None:
        client.force_login(user)
    return client


def assert_refused(
    cast: Any, training: Any, url: str, *, method: str = "get", readers: int = 200,
    data: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """A trainer of another centre finds nothing (404); anyone without a training role is
    refused (403); the anonymous go to the login page; the central team, leadership and
    administrators get ``readers`` (200 to read, 403 where the page acts)."""

    def status(user: Any) -> int:
        return int(getattr(client_for(user), method)(url, data or {}).status_code)

    assert status(training.trainer_other) == 404, url
    for name in NOBODY:
        assert status(getattr(cast, name)) == 403, (url, name)
    for name in READERS:
        assert status(getattr(cast, name)) == readers, (url, name)
    response = getattr(client_for(None), method)(url, data or {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def html(response: Any) -> str:
    return str(response.content.decode())


def test_every_cohort_page_refuses_the_wrong_people(cast: Any, training: Any) -> None:
    pk = training.cohort.pk
    assert_refused(cast, training, reverse("training:cohort_detail", args=[pk]))
    assert_refused(cast, training, reverse("training:cohort_enrol", args=[pk]), readers=403)
    for name in ("cohort_enrol", "class_create", "class_move"):
        assert_refused(
            cast, training, reverse(f"training:{name}", args=[pk]), method="post", readers=403
        )
    assert (
        client_for(cast.trainer).get(reverse("training:cohort_detail", args=[pk])).status_code
        == 200
    )
    assert client_for(None).get(reverse("training:cohort_list")).status_code == 302
    for name in NOBODY:
        response = client_for(getattr(cast, name)).get(reverse("training:cohort_list"))
        assert response.status_code == 403, name


def test_the_list_shows_the_cohorts_of_ones_own_centre_only(cast: Any, training: Any) -> None:
    Cohort.objects.create(
        centre=training.other_centre, curriculum=training.curriculum, code="semarang-1",
        name="Angkatan Semarang", stage="regional", starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 11, 30), capacity=30,
    )  # fmt: skip
    url = reverse("training:cohort_list")
    mine = html(client_for(cast.trainer).get(url))
    assert "Angkatan Desember 2026" in mine and "Angkatan Semarang" not in mine
    theirs = html(client_for(training.trainer_other).get(url))
    assert "Angkatan Semarang" in theirs and "Angkatan Desember 2026" not in theirs
    every = html(client_for(cast.leadership).get(url))
    assert "Angkatan Semarang" in every and "Angkatan Desember 2026" in every


def test_a_cohort_shows_its_classes_trainees_and_capacity(cast: Any, training: Any) -> None:
    response = client_for(cast.trainer).get(
        reverse("training:cohort_detail", args=[training.cohort.pk])
    )
    page = html(response)
    assert 'id="count-active">4<' in page and 'id="count-capacity">40<' in page
    assert 'id="count-left">36<' in page
    assert str(cast.trainer) in page  # the homeroom trainer of class A
    for application in training.applications:
        assert application.registration_number in page
    assert 'id="class-form"' in page and 'id="move-form"' in page
    assert reverse("training:cohort_enrol", args=[training.cohort.pk]) in page


def test_readers_see_the_cohort_without_its_forms(cast: Any, training: Any) -> None:
    page = html(
        client_for(cast.central).get(reverse("training:cohort_detail", args=[training.cohort.pk]))
    )
    assert training.applications[0].registration_number in page
    assert 'id="class-form"' not in page and 'id="move-form"' not in page
    assert reverse("training:cohort_enrol", args=[training.cohort.pk]) not in page


def test_selected_people_are_enrolled_in_bulk_filtered_by_site(cast: Any, training: Any) -> None:
    jabar = [f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED) for _ in range(2)]
    jateng = f.ApplicationFactory(site=cast.site_jateng, status=Status.SELECTED)
    url = reverse("training:cohort_enrol", args=[training.cohort.pk])
    client = client_for(cast.trainer)
    page = html(client.get(url, {"site": cast.site_jabar.pk}))
    assert all(a.registration_number in page for a in jabar)
    assert jateng.registration_number not in page
    assert training.applications[1].registration_number not in page  # enrolled already
    assert jateng.registration_number in html(client.get(url))
    response = client.post(
        url, {"application": [a.pk for a in jabar], "training_class": training.klass.pk}
    )
    assert response.status_code == 302
    for application in jabar:
        application.refresh_from_db()
        assert application.status == Status.IN_TRAINING
    assert (
        Enrolment.objects.filter(application__in=jabar, training_class=training.klass).count() == 2
    )
    page = html(client.get(response["Location"]))
    assert "2 trainee(s) enrolled in Angkatan Desember 2026." in page


def test_enrolment_refused_is_explained_and_writes_nothing(cast: Any, training: Any) -> None:
    training.cohort.capacity = 5
    training.cohort.save()
    people = [f.ApplicationFactory(site=cast.site_jabar, status=Status.SELECTED) for _ in range(2)]
    url = reverse("training:cohort_enrol", args=[training.cohort.pk])
    response = client_for(cast.trainer).post(url, {"application": [p.pk for p in people]})
    assert response.status_code == 400
    assert "holds 5 and has 4; 2 more do not fit" in html(response)
    assert not Enrolment.objects.filter(application__in=people).exists()
    assert client_for(cast.trainer).post(url, {}).status_code == 400


def test_people_after_stage_one_can_join_a_stage_two_cohort(cast: Any, training: Any) -> None:
    finished = training.enrolments[2]
    enrolment_complete_stage(enrolment=finished, by=cast.trainer, reason="Stage I done")
    stage_two = Cohort.objects.create(
        centre=training.centre, curriculum=training.curriculum, code="bekasi-2027-02",
        name="Angkatan Februari 2027", stage="central", starts_on=dt.date(2027, 2, 1),
        ends_on=dt.date(2027, 3, 31), capacity=40, round=training.cohort.round,
    )  # fmt: skip
    page = html(client_for(cast.trainer).get(reverse("training:cohort_enrol", args=[stage_two.pk])))
    assert finished.application.registration_number in page
    assert training.applications[0].registration_number not in page  # still active elsewhere


def test_classes_are_created_and_trainees_moved(cast: Any, training: Any) -> None:
    client = client_for(cast.trainer)
    create = reverse("training:class_create", args=[training.cohort.pk])
    response = client.post(create, {"name": "B", "homeroom_trainer": cast.trainer.pk})
    assert response.status_code == 302
    b = TrainingClass.objects.get(cohort=training.cohort, name="B")
    again = client.post(create, {"name": "B"})
    assert again.status_code == 400 and "already exists" in html(again)
    foreign = client.post(create, {"name": "C", "homeroom_trainer": training.trainer_other.pk})
    assert foreign.status_code == 400 and not TrainingClass.objects.filter(name="C").exists()

    move = reverse("training:class_move", args=[training.cohort.pk])
    ids = [e.pk for e in training.enrolments[:2]]
    response = client.post(move, {"enrolment": ids, "to": b.pk}, follow=True)
    assert "2 trainee(s) moved to class B." in html(response)
    assert set(b.enrolments.values_list("pk", flat=True)) == set(ids)
    assert AuditEntry.objects.filter(action="training.class_assign").exists()
    refused = client.post(move, {"enrolment": [ids[0]]})
    assert refused.status_code == 400 and "Choose the class" in html(refused)


def test_trainees_of_another_cohort_are_not_moved(cast: Any, training: Any) -> None:
    other = Cohort.objects.create(
        centre=training.centre, curriculum=training.curriculum, code="other", name="Other",
        stage="central", starts_on=dt.date(2027, 2, 1), ends_on=dt.date(2027, 3, 31), capacity=9,
    )  # fmt: skip
    stranger = Enrolment.objects.create(
        cohort=other, application=f.ApplicationFactory(site=cast.site_jabar),
        enrolled_on=dt.date(2027, 2, 1),
    )  # fmt: skip
    response = client_for(cast.trainer).post(
        reverse("training:class_move", args=[training.cohort.pk]),
        {"enrolment": [stranger.pk, training.enrolments[0].pk], "to": training.klass.pk},
    )
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert stranger.training_class is None


def test_a_curriculum_is_read_by_every_training_reader(cast: Any, training: Any) -> None:
    url = reverse("training:curriculum_detail", args=[training.curriculum.pk])
    for user in (cast.trainer, training.trainer_other, cast.central, cast.leadership):
        page = html(client_for(user).get(url))
        assert "Japanese language" in page and "Occupational safety" in page
        assert reverse("training:curriculum_copy", args=[training.curriculum.pk]) not in page
    assert reverse("training:curriculum_copy", args=[training.curriculum.pk]) in html(
        client_for(cast.admin).get(url)
    )
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_only_administrators_copy_a_curriculum(cast: Any, training: Any) -> None:
    url = reverse("training:curriculum_copy", args=[training.curriculum.pk])
    assert client_for(None).get(url).status_code == 302
    for user in (cast.trainer, cast.central, cast.leadership, cast.candidate):
        assert client_for(user).get(url).status_code == 403
        assert (
            client_for(user).post(url, {"code": "x", "name": "x", "year": 2027}).status_code == 403
        )
    client = client_for(cast.admin)
    assert 'value="titp-2027"' in html(client.get(url))
    taken = client.post(url, {"code": "titp-2026", "name": "Again", "year": 2027})
    assert taken.status_code == 400 and "Another curriculum has this code." in html(taken)
    response = client.post(url, {"code": "titp-2027", "name": "TITP 2027", "year": 2027})
    copy = Curriculum.objects.get(code="titp-2027")
    assert response["Location"] == reverse("admin:training_curriculum_change", args=[copy.pk])
    assert copy.copied_from == training.curriculum and copy.modules.count() == 4
    assert client.get(response["Location"]).status_code == 200


def test_the_admin_refuses_a_pass_mark_above_100_and_bad_rules(cast: Any, training: Any) -> None:
    curriculum = training.curriculum
    modules = list(curriculum.modules.order_by("order"))
    data: dict[str, Any] = {
        "programme": curriculum.programme_id, "code": curriculum.code, "name": curriculum.name,
        "year": curriculum.year, "readiness_rules": '{"min_attendance": 0.9}',
        "alert_rules": '{"consecutive_absences": 3}', "modules-TOTAL_FORMS": len(modules),
        "modules-INITIAL_FORMS": len(modules), "modules-MIN_NUM_FORMS": 0,
        "modules-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for i, module in enumerate(modules):
        for name in ("order", "key", "name_en", "name_id", "category", "planned_hours",
                     "pass_mark", "weight"):  # fmt: skip
            data[f"modules-{i}-{name}"] = getattr(module, name)
        data[f"modules-{i}-id"] = module.pk
        data[f"modules-{i}-curriculum"] = curriculum.pk
    data["modules-0-pass_mark"] = "150"
    url = reverse("admin:training_curriculum_change", args=[curriculum.pk])
    client = client_for(cast.admin)
    response = client.post(url, data)
    assert response.status_code == 200 and "A pass mark lies between 0 and 100." in html(response)
    data["modules-0-pass_mark"] = "65"
    data["readiness_rules"] = '{"min_attendance": 2}'
    response = client.post(url, data)
    assert response.status_code == 200 and "min_attendance" in html(response)
    data["readiness_rules"] = '{"min_attendance": 0.85}'
    assert client.post(url, data).status_code == 302
    modules[0].refresh_from_db()
    assert modules[0].pass_mark == 65
