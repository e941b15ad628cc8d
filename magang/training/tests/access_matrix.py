"""Access-matrix rows for training (format: ``magang/tests/access.py``)."""

import datetime as dt

from magang.tests.access import NATIONWIDE, Entry, Literal
from magang.tests.world import SENTINELS, World, xlsx_upload
from magang.training.models import (
    Assessment,
    Bed,
    Building,
    Cohort,
    Curriculum,
    DisciplineRecord,
    DormRoom,
    Enrolment,
    Module,
    Session,
    TrainingClass,
)
from magang.training.services.imports import score_upload_store

TRAINER_A = frozenset({"trainer_a"})
TRAINERS = frozenset({"trainer_a", "trainer_b"})
CANDIDATES = frozenset({"candidate", "candidate_other"})
READERS_A = TRAINER_A | NATIONWIDE
OWNER = frozenset({"candidate"})
COHORT = {"pk": "cohort_a"}
KLASS = {"pk": "class_a"}
ENROLMENT = {"enrolment_id": "enrolment_a"}


def build(world: World) -> None:
    curriculum = world.add(
        "curriculum",
        Curriculum.objects.create(
            programme=world.round.programme, code="titp-2026", name="TITP 2026", year=2026
        ),
    )
    module = Module.objects.create(
        curriculum=curriculum, order=1, key="japanese", name_en="Japanese", name_id="Bahasa",
        category="japanese", planned_hours=40, pass_mark=60, weight=1,
    )  # fmt: skip
    cohort = world.add(
        "cohort_a",
        Cohort.objects.create(
            centre=world.centre_a, curriculum=curriculum, code="bekasi-2026-12",
            name="Angkatan Desember 2026", stage="central", starts_on=dt.date(2026, 12, 1),
            ends_on=dt.date(2027, 1, 31), capacity=40, round=world.round,
        ),
    )  # fmt: skip
    klass = world.add(
        "class_a",
        TrainingClass.objects.create(
            cohort=cohort, name="A", homeroom_trainer=world.users["trainer_a"]
        ),
    )
    enrolment = world.add(
        "enrolment_a",
        Enrolment.objects.create(
            cohort=cohort, application=world.application_a, training_class=klass,
            enrolled_on=dt.date(2026, 12, 1),
        ),
    )  # fmt: skip
    world.add(
        "session_a",
        Session.objects.create(
            training_class=klass, module=module, trainer=world.users["trainer_a"], room="R1",
            starts_at=dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC),
        ),
    )  # fmt: skip
    assessment = world.add(
        "assessment_a",
        Assessment.objects.create(
            cohort=cohort, module=module, kind="written", name="Quiz 1",
            held_on=dt.date(2026, 12, 10),
        ),
    )  # fmt: skip
    for name in ("score_upload_preview", "score_upload_commit"):
        stored = score_upload_store(
            upload=xlsx_upload(), size=None, user=world.users["trainer_a"], assessment=assessment,
            file_name="scores.xlsx",
        )  # fmt: skip
        world.add(name, Literal(stored.token))
    building = world.add("building_a", Building.objects.create(centre=world.centre_a, name="A"))
    room = world.add("room_a", DormRoom.objects.create(building=building, name="101", sex="M"))
    Bed.objects.create(room=room, label="1")
    world.add(
        "discipline_a",
        DisciplineRecord.objects.create(
            enrolment=enrolment, kind="demerit", points=5, occurred_on=dt.date(2026, 12, 3),
            description=SENTINELS["discipline"], recorded_at=world.now,
        ),
    )  # fmt: skip


ENTRIES = [
    Entry("training:cohort_list", allowed=READERS_A, shows="cohort_a.code"),
    Entry("training:cohort_detail", COHORT, allowed=READERS_A),
    Entry("training:cohort_enrol", COHORT, allowed=TRAINER_A),
    Entry("training:class_create", COHORT, method="POST", allowed=TRAINER_A),
    Entry("training:class_move", COHORT, method="POST", allowed=TRAINER_A),
    Entry("training:curriculum_detail", {"pk": "curriculum"}, allowed=TRAINERS | NATIONWIDE),
    Entry("training:curriculum_copy", {"pk": "curriculum"}, method="POST", allowed={"admin"}),
    Entry("training:alerts_class", {"class_id": "class_a"}, allowed=READERS_A),
    Entry("training:readiness_class", {"class_id": "class_a"}, allowed=READERS_A),
    Entry("training:attendance_class", {"class_id": "class_a"}, allowed=READERS_A),
    Entry("training:assessment_create", KLASS, allowed=TRAINER_A),
    Entry("training:gradebook", KLASS, allowed=READERS_A),
    Entry("training:timetable", KLASS, allowed=READERS_A),
    Entry("training:session_create", KLASS, allowed=TRAINER_A),
    Entry("training:session_edit", {"pk": "session_a"}, allowed=TRAINER_A),
    Entry("training:roll_call", {"pk": "session_a"}, allowed=READERS_A),
    Entry("training:score_grid", {"pk": "assessment_a"}, allowed=READERS_A),
    Entry("training:import_upload", {"pk": "assessment_a"}, allowed=TRAINER_A),
    Entry("training:import_template", {"pk": "assessment_a"}, allowed=READERS_A),
    Entry("training:import_preview", {"pk": "assessment_a", "token": "score_upload_preview"},
          allowed=TRAINER_A),
    Entry("training:import_commit", {"pk": "assessment_a", "token": "score_upload_commit"},
          method="POST", allowed=TRAINER_A),
    Entry("training:discipline_list", {"cohort_id": "cohort_a"}, allowed=READERS_A),
    Entry("training:dorm_index", allowed=TRAINERS | NATIONWIDE, allowed_status=(200, 302)),
    Entry("training:dorm_centre", {"centre_id": "centre_a"}, allowed=READERS_A),
    Entry("training:dorm_building_create", {"centre_id": "centre_a"}, method="POST",
          allowed=TRAINER_A),
    Entry("training:dorm_room_create", {"building_id": "building_a"}, method="POST",
          allowed=TRAINER_A),
    Entry("training:dorm_beds_add", {"room_id": "room_a"}, method="POST", allowed=TRAINER_A),
    Entry("training:dorm_bed_assign", {"centre_id": "centre_a"}, method="POST",
          allowed=TRAINER_A),
    Entry("training:dorm_bed_release", ENROLMENT, method="POST", allowed=TRAINER_A),
    Entry("training:graduation_trainee", ENROLMENT, allowed=READERS_A),
    Entry("training:graduation_complete_stage", ENROLMENT, method="POST", allowed=TRAINER_A),
    Entry("training:graduation_drop_out", ENROLMENT, method="POST", allowed=TRAINER_A),
    Entry("training:graduation_graduate", ENROLMENT, method="POST", allowed=TRAINER_A),
    Entry("training:graduation_medical", ENROLMENT, method="POST", allowed=TRAINER_A),
    Entry("training:my_training", allowed=CANDIDATES),
    Entry("training:my_training_detail", ENROLMENT, allowed=OWNER),
    Entry("training:my_attendance", ENROLMENT, allowed=OWNER),
    Entry("training:my_discipline", ENROLMENT, allowed=OWNER),
    Entry("training:my_grades", ENROLMENT, allowed=OWNER),
    Entry("training:my_timetable", ENROLMENT, allowed=OWNER),
    Entry("GET /api/v1/training/cohorts", allowed=READERS_A, shows="cohort_a.code"),
    Entry("GET /api/v1/training/cohorts/{cohort_id}", {"cohort_id": "cohort_a"},
          allowed=READERS_A),
    Entry("GET /api/v1/training/cohorts/{cohort_id}/classes", {"cohort_id": "cohort_a"},
          allowed=READERS_A),
    Entry("GET /api/v1/training/classes/{class_id}/trainees", {"class_id": "class_a"},
          allowed=READERS_A),
    Entry("GET /api/v1/training/classes/{class_id}/sessions", {"class_id": "class_a"},
          allowed=READERS_A),
    Entry("POST /api/v1/training/classes/{class_id}/sessions", {"class_id": "class_a"},
          allowed=TRAINER_A),
    Entry("POST /api/v1/training/sessions/{session_id}/roll-call", {"session_id": "session_a"},
          allowed=TRAINER_A),
    Entry("GET /api/v1/training/cohorts/{cohort_id}/assessments", {"cohort_id": "cohort_a"},
          allowed=READERS_A),
    Entry("POST /api/v1/training/cohorts/{cohort_id}/assessments", {"cohort_id": "cohort_a"},
          allowed=TRAINER_A),
    Entry("GET /api/v1/training/assessments/{assessment_id}/scores",
          {"assessment_id": "assessment_a"}, allowed=READERS_A),
    Entry("POST /api/v1/training/assessments/{assessment_id}/scores",
          {"assessment_id": "assessment_a"}, allowed=TRAINER_A),
    Entry("GET /api/v1/training/cohorts/{cohort_id}/discipline", {"cohort_id": "cohort_a"},
          allowed=READERS_A),
    Entry("POST /api/v1/training/enrolments/{enrolment_id}/discipline", ENROLMENT,
          allowed=TRAINER_A),
    Entry("POST /api/v1/training/enrolments/{enrolment_id}/bed", ENROLMENT, allowed=TRAINER_A),
    Entry("DELETE /api/v1/training/enrolments/{enrolment_id}/bed", ENROLMENT,
          allowed=TRAINER_A),
    Entry("GET /api/v1/training/classes/{class_id}/readiness", {"class_id": "class_a"},
          allowed=READERS_A),
    Entry("GET /api/v1/training/classes/{class_id}/alerts", {"class_id": "class_a"},
          allowed=READERS_A),
    Entry("POST /api/v1/training/enrolments/{enrolment_id}/graduate", ENROLMENT,
          allowed=TRAINER_A),
    Entry("POST /api/v1/training/enrolments/{enrolment_id}/drop-out", ENROLMENT,
          allowed=TRAINER_A),
    Entry("POST /api/v1/training/enrolments/{enrolment_id}/complete-stage", ENROLMENT,
          allowed=TRAINER_A),
    Entry("POST /api/v1/training/enrolments/{enrolment_id}/medical", ENROLMENT,
          allowed=TRAINER_A),
    Entry("GET /api/v1/training/me/training", allowed=CANDIDATES),
]  # fmt: skip
