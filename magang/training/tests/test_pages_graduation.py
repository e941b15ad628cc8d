"""Readiness, alerts and graduation pages: the class checklist in the reader's language,
graduation refused with the failing rules, drop-out with a confirmation, Stage I completion,
the medical check, and who may see and do what. The helpers here serve the other page
tests too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from magang.core.models import AuditEntry
from magang.training.models import Assessment, Enrolment, Session, TrainingClass
from magang.training.services import roll_call_save, scores_save, session_save

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=7))
READERS = ("central", "leadership", "admin")
NOBODY = ("officer_jabar", "officer_jateng", "partner", "host", "candidate", "outsider")


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client


def who(cast: Any, training: Any, name: str) -> Any:
    return training.trainer_other if name == "trainer_other" else getattr(cast, name)


def assert_access(
    cast: Any, training: Any, url: str, *, readers_too: bool = True, method: str = "get"
) -> None:
    """The matrix: the centre's staff 200; readers 200 (or 403 for action pages); the other
    centre's trainer 404; everyone else 403; anonymous to the login page."""

    def status(user: Any) -> int:
        return int(getattr(client_for(user), method)(url).status_code)

    assert status(cast.trainer) == 200, url
    for name in READERS:
        assert status(getattr(cast, name)) == (200 if readers_too else 403), (url, name)
    assert status(training.trainer_other) == 404, url
    for name in NOBODY:
        assert status(getattr(cast, name)) == 403, (url, name)
    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], url


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def hold_session(
    training: Any, cast: Any, *, day: dt.date, hour: int = 8, module: str = "japanese",
    marks: dict[int, tuple[str, str]] | None = None, klass: TrainingClass | None = None,
    room: str = "R1",
) -> Session:  # fmt: skip
    session = session_save(
        training_class=klass or training.klass, module=training.modules[module],
        trainer=cast.trainer, room=room, starts_at=at(day, hour), ends_at=at(day, hour + 1),
        by=cast.trainer,
    )  # fmt: skip
    roll_call_save(session=session, marks=marks or {}, by=cast.trainer)
    return session


def score_all(
    training: Any, cast: Any, scores: dict[int, str], *, modules: Iterable[str] = ()
) -> None:
    """One written test per module, each trainee scored as given (out of 100)."""
    for key in modules or training.modules:
        assessment = Assessment.objects.create(
            cohort=training.cohort, module=training.modules[key], kind="written",
            name=f"Test {key}", held_on=dt.date(2026, 12, 10),
        )  # fmt: skip
        scores_save(assessment=assessment, scores=scores, by=cast.trainer)


def make_ready(training: Any, cast: Any, ready: Iterable[Enrolment]) -> None:
    """Everyone was at one session; the ``ready`` ones scored 80 everywhere and passed the
    medical check, the others scored 40 and have no medical result."""
    ready_ids = {e.pk for e in ready}
    hold_session(training, cast, day=dt.date(2026, 12, 2))
    score_all(
        training, cast, {e.pk: "80" if e.pk in ready_ids else "40" for e in training.enrolments}
    )
    Enrolment.objects.filter(pk__in=ready_ids).update(
        medical_passed=True, medical_checked_on=dt.date(2026, 12, 3)
    )


def test_the_class_checklist_shows_every_rule_and_the_ready_count(training: Any, cast: Any) -> None:
    make_ready(training, cast, training.enrolments[:1])
    url = reverse("training:readiness_class", args=[training.klass.pk])
    page = client_for(cast.trainer).get(url).content.decode()
    assert "1 of 4 trainees in training are ready to graduate." in page
    assert page.count('data-ready="yes"') == 1 and page.count('data-ready="no"') == 3
    assert "Attendance 100.0% meets the required 90%" in page
    assert "The medical check result is not yet recorded." in page
    assert 'action="/training/trainees/' in page  # the graduate buttons


def test_the_checklist_is_in_indonesian_by_default(training: Any, cast: Any) -> None:
    make_ready(training, cast, training.enrolments[:1])
    url = reverse("training:readiness_class", args=[training.klass.pk])
    page = client_for(cast.trainer, language="id").get(url).content.decode()
    assert "Kehadiran 100,0% memenuhi batas 90%" in page
    assert "Hasil pemeriksaan kesehatan belum tercatat." in page
    japanese = client_for(cast.trainer, language="ja").get(url).content.decode()
    assert "Attendance 100.0% meets the required 90%" in japanese


def test_readers_see_the_checklist_without_buttons(training: Any, cast: Any) -> None:
    url = reverse("training:readiness_class", args=[training.klass.pk])
    page = client_for(cast.central).get(url).content.decode()
    assert "graduate/" not in page and "drop-out/" not in page


def test_graduation_is_refused_with_the_failing_rules(training: Any, cast: Any) -> None:
    make_ready(training, cast, training.enrolments[:1])
    ready, not_ready = training.enrolments[0], training.enrolments[1]
    trainer = client_for(cast.trainer)
    refused = trainer.post(
        reverse("training:graduation_graduate", args=[not_ready.pk]), {"reason": "Final review"}
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Not ready to graduate:" in text and "below their pass marks" in text
    assert "The medical check result is not yet recorded." in text
    not_ready.refresh_from_db()
    assert not_ready.state == "active"
    no_reason = trainer.post(reverse("training:graduation_graduate", args=[ready.pk]), {})
    assert no_reason.status_code == 400 and "Give the reason." in no_reason.content.decode()
    done = trainer.post(
        reverse("training:graduation_graduate", args=[ready.pk]), {"reason": "Final review"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("training:readiness_class", args=[training.klass.pk])
    ready.refresh_from_db()
    ready.application.refresh_from_db()
    assert ready.state == "graduated" and ready.application.status == "graduated"


def test_refused_reasons_follow_the_readers_language(training: Any, cast: Any) -> None:
    make_ready(training, cast, [])
    refused = client_for(cast.trainer, language="id").post(
        reverse("training:graduation_graduate", args=[training.enrolments[1].pk]),
        {"reason": "Evaluasi akhir"},
    )
    assert "Hasil pemeriksaan kesehatan belum tercatat." in refused.content.decode()


def test_dropping_out_needs_a_reason_and_a_confirmation(training: Any, cast: Any) -> None:
    enrolment = training.enrolments[2]
    url = reverse("training:graduation_drop_out", args=[enrolment.pk])
    trainer = client_for(cast.trainer)
    assert "I confirm" in trainer.get(url).content.decode()
    unconfirmed = trainer.post(url, {"reason": "Missed the standard"})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.content.decode()
    no_reason = trainer.post(url, {"confirm": "1", "reason": " "})
    assert no_reason.status_code == 400 and "Give the reason." in no_reason.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.state == "active"
    done = trainer.post(url, {"confirm": "1", "reason": "Missed the standard"})
    assert done.status_code == 302
    enrolment.refresh_from_db()
    enrolment.application.refresh_from_db()
    assert enrolment.state == "dropped_out" and enrolment.end_reason == "Missed the standard"
    assert enrolment.application.status == "dropped_out"
    again = trainer.get(url).content.decode()
    assert "already ended" in again


def test_stage_one_completion_is_for_regional_cohorts_only(training: Any, cast: Any) -> None:
    enrolment = training.enrolments[0]
    url = reverse("training:graduation_complete_stage", args=[enrolment.pk])
    trainer = client_for(cast.trainer)
    refused = trainer.post(url, {"reason": "Stage I completed"})
    assert refused.status_code == 400 and "Stage I (regional)" in refused.content.decode()
    type(training.cohort).objects.filter(pk=training.cohort.pk).update(stage="regional")
    page = trainer.get(reverse("training:readiness_class", args=[training.klass.pk]))
    assert "complete-stage/" in page.content.decode()
    assert trainer.post(url, {"reason": "Stage I completed"}).status_code == 302
    enrolment.refresh_from_db()
    enrolment.application.refresh_from_db()
    assert enrolment.state == "completed" and enrolment.application.status == "in_training"


def test_the_medical_check_keeps_only_pass_or_fail_and_is_audited(training: Any, cast: Any) -> None:
    enrolment = training.enrolments[1]
    url = reverse("training:graduation_medical", args=[enrolment.pk])
    trainer = client_for(cast.trainer)
    bad = trainer.post(url, {"passed": "maybe", "on": "yesterday"})
    assert bad.status_code == 400
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert trainer.post(url, {"passed": "1", "on": future}).status_code == 400
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert trainer.post(url, {"passed": "0", "on": yesterday.isoformat()}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.medical_passed is False and enrolment.medical_checked_on == yesterday
    entry = AuditEntry.objects.get(action="training.medical")
    assert entry.changes == {"passed": False, "on": yesterday.isoformat()}
    assert entry.actor == cast.trainer
    page = trainer.get(reverse("training:graduation_trainee", args=[enrolment.pk]))
    assert "The medical check was not passed." in page.content.decode()


def test_the_alerts_page_lists_trainees_at_risk_with_the_rule(training: Any, cast: Any) -> None:
    absent = training.enrolments[1].pk
    for day in (2, 3):
        hold_session(training, cast, day=dt.date(2026, 12, day), marks={absent: ("absent", "")})
    page = (
        client_for(cast.trainer)
        .get(reverse("training:alerts_class", args=[training.klass.pk]))
        .content.decode()
    )
    assert f'data-enrolment="{absent}"' in page and 'data-rule="absences"' in page
    assert "2 absences in a row (limit 2)." in page
    assert "1 of 4 trainees in training have an alert." in page
    assert f'data-enrolment="{training.enrolments[0].pk}"' not in page


def test_who_may_open_the_readiness_pages(training: Any, cast: Any) -> None:
    enrolment = training.enrolments[0]
    for url in (
        reverse("training:readiness_class", args=[training.klass.pk]),
        reverse("training:alerts_class", args=[training.klass.pk]),
        reverse("training:graduation_trainee", args=[enrolment.pk]),
    ):
        assert_access(cast, training, url)
    assert_access(
        cast, training, reverse("training:graduation_drop_out", args=[enrolment.pk]),
        readers_too=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "name", ["graduation_graduate", "graduation_drop_out", "graduation_complete_stage",
             "graduation_medical"],
)  # fmt: skip
def test_only_the_centres_staff_act(training: Any, cast: Any, name: str) -> None:
    enrolment = training.enrolments[0]
    url = reverse(f"training:{name}", args=[enrolment.pk])
    data = {"reason": "x", "confirm": "1", "passed": "1", "on": "2026-12-01"}
    for reader in READERS:
        assert client_for(getattr(cast, reader)).post(url, data).status_code == 403
    assert client_for(training.trainer_other).post(url, data).status_code == 404
    for nobody in NOBODY:
        assert client_for(getattr(cast, nobody)).post(url, data).status_code == 403
    assert Client().post(url, data).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.state == "active" and enrolment.medical_passed is None


def test_the_class_page_reads_in_a_fixed_number_of_queries(
    training: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    make_ready(training, cast, training.enrolments[:2])
    client = client_for(cast.trainer)
    url = reverse("training:readiness_class", args=[training.klass.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
