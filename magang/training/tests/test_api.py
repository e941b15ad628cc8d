"""The training API: the same scopes and refusals as the pages (401 without a session, 403
for roles without training, 404 for another centre's cohorts, 403 for readers who write),
no mass assignment, clashes answered 409, graduation refused with the failing rules, and
the trainee's own training at /me/training."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from magang import factories as f
from magang.recruitment.models import Candidate
from magang.training.models import (
    Assessment,
    Attendance,
    Bed,
    BedAssignment,
    Building,
    DisciplineRecord,
    DormRoom,
    Enrolment,
    Score,
    Session,
)

from .test_pages_graduation import NOBODY, READERS, at, client_for, hold_session, make_ready

pytestmark = pytest.mark.django_db
BASE = "/api/v1/training"


def send(client: Client, method: str, url: str, data: Any = None) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def world(training: Any, cast: Any) -> Any:
    session = hold_session(training, cast, day=dt.date(2026, 12, 2))
    assessment = Assessment.objects.create(
        cohort=training.cohort, module=training.modules["japanese"], kind="written",
        name="Bab 1-6", held_on=dt.date(2026, 12, 10), max_score=50,
    )  # fmt: skip
    building = Building.objects.create(centre=training.centre, name="Asrama Sakura")
    men = DormRoom.objects.create(building=building, name="101", sex="M")
    women = DormRoom.objects.create(building=building, name="201", sex="F")
    return {
        "session": session,
        "assessment": assessment,
        "men": [Bed.objects.create(room=men, label=str(i)) for i in (1, 2)],
        "women": Bed.objects.create(room=women, label="1"),
    }


def reads(training: Any, world: Any) -> list[str]:
    cohort, klass, assessment = training.cohort.pk, training.klass.pk, world["assessment"].pk
    return [
        f"{BASE}/cohorts",
        f"{BASE}/cohorts/{cohort}",
        f"{BASE}/cohorts/{cohort}/classes",
        f"{BASE}/classes/{klass}/trainees",
        f"{BASE}/classes/{klass}/sessions",
        f"{BASE}/cohorts/{cohort}/assessments",
        f"{BASE}/assessments/{assessment}/scores",
        f"{BASE}/cohorts/{cohort}/discipline",
        f"{BASE}/classes/{klass}/readiness",
        f"{BASE}/classes/{klass}/alerts",
    ]


def writes(training: Any, cast: Any, world: Any) -> list[tuple[str, str, dict[str, Any]]]:
    cohort, klass = training.cohort.pk, training.klass.pk
    enrolment = training.enrolments[0].pk
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    return [
        ("post", f"{BASE}/classes/{klass}/sessions", {
            "module_id": training.modules["culture"].pk, "trainer_id": cast.trainer.pk,
            "room": "R5", "starts_at": "2026-12-07T08:00:00+07:00",
            "ends_at": "2026-12-07T10:00:00+07:00"}),
        ("post", f"{BASE}/sessions/{world['session'].pk}/roll-call",
         {"marks": [{"enrolment_id": enrolment, "status": "late"}]}),
        ("post", f"{BASE}/cohorts/{cohort}/assessments", {
            "module_id": training.modules["culture"].pk, "kind": "oral", "name": "Oral 1",
            "held_on": "2026-12-11"}),
        ("post", f"{BASE}/assessments/{world['assessment'].pk}/scores",
         {"scores": [{"enrolment_id": enrolment, "score": "45"}]}),
        ("post", f"{BASE}/enrolments/{enrolment}/discipline", {
            "kind": "demerit", "points": 3, "occurred_on": yesterday, "description": "Late"}),
        ("post", f"{BASE}/enrolments/{enrolment}/bed", {"bed_id": world["men"][0].pk}),
        ("delete", f"{BASE}/enrolments/{enrolment}/bed", {}),
        ("post", f"{BASE}/enrolments/{enrolment}/medical", {"passed": True, "on": yesterday}),
        ("post", f"{BASE}/enrolments/{enrolment}/graduate", {"reason": "Final review"}),
        ("post", f"{BASE}/enrolments/{enrolment}/complete-stage", {"reason": "Done"}),
        ("post", f"{BASE}/enrolments/{training.enrolments[1].pk}/drop-out",
         {"reason": "Missed the standard"}),
    ]  # fmt: skip


def snapshot() -> tuple[int, ...]:
    return (
        Session.objects.count(),
        Attendance.objects.filter(status="late").count(),
        Assessment.objects.count(),
        Score.objects.count(),
        DisciplineRecord.objects.count(),
        BedAssignment.objects.count(),
        Enrolment.objects.filter(state="active").count(),
        Enrolment.objects.filter(medical_passed__isnull=False).count(),
    )


def test_staff_read_within_their_scope(training: Any, cast: Any, world: Any) -> None:
    for url in reads(training, world):
        assert Client().get(url).status_code == 401, url
        for name in ("trainer", *READERS):
            assert client_for(getattr(cast, name)).get(url).status_code == 200, (url, name)
        assert client_for(training.trainer_other).get(url).status_code in (200, 404), url
        for name in NOBODY:
            assert client_for(getattr(cast, name)).get(url).status_code == 403, (url, name)
    other = client_for(training.trainer_other)
    for url in reads(training, world)[1:]:
        assert other.get(url).status_code == 404, url
    assert other.get(f"{BASE}/cohorts").json()["items"] == []


def test_only_the_centres_staff_write(training: Any, cast: Any, world: Any) -> None:
    before = snapshot()
    for method, url, data in writes(training, cast, world):
        assert send(Client(), method, url, data).status_code == 401, url
        for name in (*READERS, *NOBODY):
            assert send(client_for(getattr(cast, name)), method, url, data).status_code == 403, (
                url, name,
            )  # fmt: skip
        assert send(client_for(training.trainer_other), method, url, data).status_code == 404, url
    assert snapshot() == before


def test_host_companies_get_nothing_of_training(training: Any, cast: Any, world: Any) -> None:
    host = client_for(cast.host)
    for url in [*reads(training, world), f"{BASE}/me/training"]:
        assert host.get(url).status_code == 403, url
    for method, url, data in writes(training, cast, world):
        assert send(host, method, url, data).status_code == 403, url


def test_sessions_are_listed_created_and_clashes_answer_409(
    training: Any, cast: Any, world: Any
) -> None:
    trainer = client_for(cast.trainer)
    url = f"{BASE}/classes/{training.klass.pk}/sessions"
    listed = trainer.get(url, {"starts_from": "2026-12-01", "starts_until": "2026-12-31"})
    assert [s["id"] for s in listed.json()] == [world["session"].pk]
    assert (
        trainer.get(url, {"starts_from": "2026-12-31", "starts_until": "2026-01-01"}).status_code
        == 422
    )
    body = {"module_id": training.modules["culture"].pk, "trainer_id": cast.trainer.pk,
            "room": "R5", "starts_at": "2026-12-07T08:00:00+07:00",
            "ends_at": "2026-12-07T10:00:00+07:00"}  # fmt: skip
    made = send(trainer, "post", url, body)
    assert made.status_code == 201 and made.json()["module_key"] == "culture"
    clash = send(trainer, "post", url, {**body, "room": "R6",
                                        "starts_at": "2026-12-07T09:00:00+07:00"})  # fmt: skip
    assert clash.status_code == 409
    assert clash.json()["clashes"] and "Trainer" in clash.json()["clashes"][0]
    naive = send(trainer, "post", url, {**body, "starts_at": "2026-12-08T08:00:00",
                                        "ends_at": "2026-12-08T09:00:00"})  # fmt: skip
    assert naive.status_code == 201 and naive.json()["starts_at"].endswith("+07:00")
    assert send(trainer, "post", url, {**body, "module_id": 999999}).status_code == 422
    assert send(trainer, "post", url, {**body, "trainer_id": cast.central.pk}).status_code == 422
    assert (
        send(trainer, "post", url, {**body, "roll_taken_at": "2026-12-07T08:00:00Z"}).status_code
        == 422
    )
    assert Session.objects.count() == 3


def test_roll_call_and_scores(training: Any, cast: Any, world: Any) -> None:
    trainer = client_for(cast.trainer)
    one, two = training.enrolments[0].pk, training.enrolments[1].pk
    roll = f"{BASE}/sessions/{world['session'].pk}/roll-call"
    refused = send(trainer, "post", roll, {"marks": [{"enrolment_id": one, "status": "excused"}]})
    assert refused.status_code == 422 and "needs a reason" in refused.json()["detail"]
    counts = send(trainer, "post", roll, {"marks": [
        {"enrolment_id": one, "status": "late"},
        {"enrolment_id": two, "status": "excused", "reason": "Clinic"}]})  # fmt: skip
    assert counts.json() == {"present": 2, "late": 1, "excused": 1, "absent": 0}
    scores = f"{BASE}/assessments/{world['assessment'].pk}/scores"
    bad = send(trainer, "post", scores, {"scores": [{"enrolment_id": one, "score": "51"}]})
    assert bad.status_code == 422 and "between 0 and 50" in bad.json()["detail"]
    saved = send(trainer, "post", scores, {"scores": [
        {"enrolment_id": one, "score": "45,5"}, {"enrolment_id": two, "score": None}]})  # fmt: skip
    assert saved.json() == {"changed": 1}
    assert trainer.get(scores).json() == [{"enrolment_id": one, "score": 45.5, "version": 1}]
    send(trainer, "post", scores, {"scores": [{"enrolment_id": one, "score": "40", "version": 1}]})
    stale = send(trainer, "post", scores,
                 {"scores": [{"enrolment_id": one, "score": "41", "version": 1}]})  # fmt: skip
    assert stale.status_code == 422 and "changed meanwhile" in stale.json()["detail"]
    listed = trainer.get(f"{BASE}/cohorts/{training.cohort.pk}/assessments").json()
    assert listed[0]["scored"] == 1 and listed[0]["max_score"] == 50
    made = send(trainer, "post", f"{BASE}/cohorts/{training.cohort.pk}/assessments",
                {"module_id": training.modules["culture"].pk, "kind": "oral", "name": "Oral 1",
                 "held_on": "2026-12-11"})  # fmt: skip
    assert made.status_code == 201 and made.json()["module_key"] == "culture"


def test_discipline_and_beds(training: Any, cast: Any, world: Any) -> None:
    trainer = client_for(cast.trainer)
    man, woman = training.enrolments[0], training.enrolments[3]
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    url = f"{BASE}/enrolments/{man.pk}/discipline"
    body = {"kind": "merit", "points": 2, "occurred_on": yesterday, "description": "Helped"}
    assert send(trainer, "post", url, {**body, "points": 0}).status_code == 422
    assert send(trainer, "post", url, {**body, "recorded_by_id": cast.admin.pk}).status_code == 422
    made = send(trainer, "post", url, body)
    assert made.status_code == 201 and made.json()["recorded_by"] == str(cast.trainer)
    listed = trainer.get(f"{BASE}/cohorts/{training.cohort.pk}/discipline").json()
    assert listed["count"] == 1 and listed["items"][0]["description"] == "Helped"
    assert trainer.get(f"{BASE}/cohorts/{training.cohort.pk}/discipline",
                       {"class_id": 999999}).status_code == 404  # fmt: skip
    bed = f"{BASE}/enrolments/{woman.pk}/bed"
    wrong = send(trainer, "post", bed, {"bed_id": world["men"][0].pk})
    assert wrong.status_code == 422 and "other sex" in wrong.json()["detail"]
    given = send(trainer, "post", bed, {"bed_id": world["women"].pk})
    assert given.status_code == 201 and given.json()["room"] == "201"
    assert send(trainer, "delete", bed).json() == {"released": 1}


def test_readiness_and_graduation(training: Any, cast: Any) -> None:
    make_ready(training, cast, training.enrolments[:1])
    trainer = client_for(cast.trainer)
    rows = trainer.get(f"{BASE}/classes/{training.klass.pk}/readiness").json()
    assert [r["ready"] for r in rows].count(True) == 1
    assert [r["rule"] for r in rows[0]["reasons"]] == [
        "attendance",
        "japanese",
        "module",
        "demerits",
        "medical",
    ]
    assert rows[0]["reasons"][0]["text_id"].startswith("Kehadiran")
    not_ready = training.enrolments[1]
    refused = send(trainer, "post", f"{BASE}/enrolments/{not_ready.pk}/graduate",
                   {"reason": "Final review"})  # fmt: skip
    assert refused.status_code == 422
    assert {r["rule"] for r in refused.json()["reasons"]} == {"japanese", "module", "medical"}
    mass = send(trainer, "post", f"{BASE}/enrolments/{training.enrolments[0].pk}/graduate",
                {"reason": "Final review", "state": "graduated"})  # fmt: skip
    assert mass.status_code == 422
    done = send(trainer, "post", f"{BASE}/enrolments/{training.enrolments[0].pk}/graduate",
                {"reason": "Final review"})  # fmt: skip
    assert done.status_code == 200 and done.json()["state"] == "graduated"
    central_stage = send(trainer, "post", f"{BASE}/enrolments/{not_ready.pk}/complete-stage",
                         {"reason": "Done"})  # fmt: skip
    assert central_stage.status_code == 422
    dropped = send(trainer, "post", f"{BASE}/enrolments/{not_ready.pk}/drop-out",
                   {"reason": "Missed the standard"})  # fmt: skip
    assert dropped.json()["state"] == "dropped_out"
    again = send(trainer, "post", f"{BASE}/enrolments/{not_ready.pk}/drop-out", {"reason": "x"})
    assert again.status_code == 422 and "already ended" in again.json()["detail"]
    medical = send(trainer, "post", f"{BASE}/enrolments/{training.enrolments[2].pk}/medical",
                   {"passed": False, "on": (timezone.localdate()).isoformat()})  # fmt: skip
    assert medical.json()["medical_passed"] is False


def test_alerts_name_the_rule(training: Any, cast: Any, world: Any) -> None:
    absent = training.enrolments[1].pk
    hold_session(training, cast, day=dt.date(2026, 12, 3), marks={absent: ("absent", "")})
    Attendance.objects.filter(session=world["session"], enrolment_id=absent).update(status="absent")
    alerts = client_for(cast.trainer).get(f"{BASE}/classes/{training.klass.pk}/alerts").json()
    assert [a["enrolment_id"] for a in alerts] == [absent]
    assert {a["rule"] for a in alerts[0]["alerts"]} == {"absences", "attendance"}


def test_the_trainee_reads_only_their_own_training(training: Any, cast: Any, world: Any) -> None:
    mine, theirs = training.enrolments[0], training.enrolments[1]
    other_user = f.UserFactory(username="trainee.two")
    Candidate.objects.filter(pk=theirs.application.candidate_id).update(user=other_user)
    Attendance.objects.filter(session=world["session"], enrolment=theirs).update(status="absent")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    DisciplineRecord.objects.create(enrolment=theirs, kind="demerit", points=9,
                                    occurred_on=yesterday, description="Theirs only",
                                    recorded_at=timezone.now())  # fmt: skip
    today = timezone.localdate()
    Session.objects.create(
        training_class=training.klass, module=training.modules["safety"], trainer=cast.trainer,
        room="R3", starts_at=at(today, 13), ends_at=at(today, 14),
    )  # fmt: skip
    url = f"{BASE}/me/training"
    assert Client().get(url).status_code == 401
    for name in ("trainer", "central", "officer_jabar", "partner", "host", "outsider"):
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    answer = client_for(cast.candidate).get(url)
    assert answer.status_code == 200
    [training_out] = answer.json()
    assert training_out["enrolment_id"] == mine.pk
    assert training_out["attendance"]["rate"] == 1.0
    assert training_out["discipline"]["records"] == []
    assert "R3" in [s["room"] for s in training_out["timetable"]]
    assert training_out["readiness"]["reasons"][0]["rule"] == "attendance"
    assert training_out["bed"] is None
    [their_out] = client_for(other_user).get(url).json()
    assert their_out["attendance"]["rate"] == 0.0
    assert their_out["discipline"]["net_points"] == 9
    no_training = f.UserFactory(username="applicant")
    f.CandidateFactory(user=no_training)
    assert client_for(no_training).get(url).json() == []
