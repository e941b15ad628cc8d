"""Pre-departure training in the demo: the programme's curriculum, and a Stage II cohort at
BBPVP Bekasi running now, with its classes, timetable, roll calls, scores, dormitory beds
and discipline records.

The trainees are last year's intake in training, topped up with selected ones when there are
too few (a small demo); they are enrolled through ``cohort_enrol`` like a trainer's click.
What follows enrolment is a bulk import of the weeks already taught, kept to the services'
rules: the timetable is clash-free by construction (Japanese in each class's own room with
its own teacher; the other modules rotate so no two classes share one, nor its trainer or
room, at a time); every session of a past day has its roll call and no other session has
one; an excused absence has a reason; scores lie within their assessment's scale and exist
only for assessments already held; every trainee has a bed in a room of their sex. One
audit row records the import.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db.models import Max
from django.utils import timezone

from magang.accounts.models import Membership, Organisation, Role, User
from magang.core.services import audit_record
from magang.recruitment.journey import Status
from magang.recruitment.models import Application, RecruitmentRound
from magang.training.models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    Bed,
    BedAssignment,
    Building,
    Cohort,
    Curriculum,
    DisciplineKind,
    DisciplineRecord,
    DormRoom,
    Enrolment,
    Module,
    Score,
    Session,
    TrainingClass,
    TrainingStage,
)
from magang.training.services import cohort_enrol

from . import catalogue as cat

Say = Callable[[str], None]

TRAINEES = 144  # at full scale: four classes of 36
CLASS_SIZE = 36
CLASS_NAMES = ("A", "B", "C", "D")
CLASS_ROOMS = ("Ruang 2.01", "Ruang 2.02", "Ruang 2.03", "Ruang 2.04")
BEDS_PER_ROOM = 6
BATCH = 2_000
# A day's sessions by weekday: J is Japanese, R the next rotating module; two hours each.
WEEK = ("JRJ", "JRR", "JRJ", "JRR", "JR")
SLOTS = (dt.time(7, 30), dt.time(10, 0), dt.time(13, 30))
SESSION_LENGTH = dt.timedelta(hours=2)
STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)


@dataclass
class Trainee:
    enrolment_id: int
    class_index: int
    sex: str
    enrolled_on: dt.date
    ability: float  # the score they tend to get, on 0..100
    odds: tuple[float, ...]  # cumulative chances of present, late, excused, absent


def training_build(
    *,
    centre: Organisation,
    round_: RecruitmentRound,
    trainer: User,
    seed: int,
    scale: float,
    today: dt.date,
    say: Say,
) -> dict[str, int]:
    """The curriculum and the cohort in training ``today`` (its classes are led by ``trainer``
    and the centre's other trainers, created here); returns the rows written."""
    builder = _Builder(centre, round_, trainer, random.Random(seed), scale, today)
    say("Training: curriculum and a Stage II cohort at BBPVP Bekasi")
    counts = builder.build()
    say(
        f"Training: {counts['trainees']} trainees, {counts['sessions']} sessions, "
        f"{counts['attendance']:,} roll-call marks, {counts['scores']:,} scores"
    )
    return counts


class _Builder:
    def __init__(
        self,
        centre: Organisation,
        round_: RecruitmentRound,
        trainer: User,
        rng: random.Random,
        scale: float,
        today: dt.date,
    ) -> None:
        self.centre, self.round, self.trainer, self.rng = centre, round_, trainer, rng
        self.scale, self.today = scale, today
        self.tz = timezone.get_current_timezone()
        monday = today - dt.timedelta(days=today.weekday())
        self.starts_on = monday - dt.timedelta(weeks=5)
        self.ends_on = monday + dt.timedelta(weeks=3, days=4)
        self.planned_until = monday + dt.timedelta(weeks=2, days=4)

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def few(self, full: int) -> int:
        """``full`` at full scale, fewer (at least one) in a small demo."""
        return min(len(self.trainees), max(1, round(full * min(1.0, self.scale * 10))))

    def build(self) -> dict[str, int]:
        self._staff()
        self._curriculum()
        self._cohort()
        self._enrol()
        counts = {
            "trainees": len(self.trainees),
            "sessions": self._timetable(),
            "attendance": self._roll_calls(),
            "scores": self._scores(),
            "beds": self._dormitory(),
            "discipline_records": self._discipline(),
        }
        audit_record(
            actor=None,
            action="demo.training",
            obj=self.cohort,
            changes=counts,
            reason="Synthetic timetable, roll calls, scores, beds and discipline of the demo.",
        )
        return counts

    # Staff and curriculum -----------------------------------------------------------------

    def _staff(self) -> None:
        """The centre's other trainers; they have no password, so they cannot log in."""
        people = [*cat.JAPANESE_TEACHERS, *(m.trainer for m in cat.ROTATING_MODULES if m.trainer)]
        users = User.objects.bulk_create(
            User(username=username, full_name=name, password=make_password(None))
            for username, name in people
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation=self.centre, role=Role.TRAINING_STAFF)
            for user in users
        )
        staff = {user.username: user for user in users}
        self.teachers = [self.trainer, *(staff[u] for u, _ in cat.JAPANESE_TEACHERS)]
        self.trainers = {m.key: staff[m.trainer[0]] for m in cat.ROTATING_MODULES if m.trainer}

    def _curriculum(self) -> None:
        year = self.round.year + 1
        self.curriculum = Curriculum.objects.create(
            programme=self.round.programme,
            code=f"titp-{year}",
            name=f"Kurikulum pelatihan pra-keberangkatan TITP {year}",
            year=year,
        )
        self.plans = {m.key: m for m in (cat.JAPANESE_MODULE, *cat.ROTATING_MODULES)}
        modules = Module.objects.bulk_create(
            Module(
                curriculum=self.curriculum,
                order=order,
                key=m.key,
                name_en=m.name_en,
                name_id=m.name_id,
                category=m.category,
                planned_hours=m.planned_hours,
                pass_mark=60,
                weight=m.weight,
            )
            for order, m in enumerate(self.plans.values(), 1)
        )
        self.modules = {module.key: module for module in modules}

    # Cohort, classes and enrolment --------------------------------------------------------

    def _cohort(self) -> None:
        start = self.starts_on
        self.cohort = Cohort.objects.create(
            centre=self.centre,
            round=self.round,
            curriculum=self.curriculum,
            code=f"bekasi-{start:%Y-%m}-tahap-2",
            name=f"Angkatan {cat.MONTHS_ID[start.month - 1]} {start.year} (Tahap II)",
            stage=TrainingStage.CENTRAL,
            starts_on=start,
            ends_on=self.ends_on,
            capacity=160,
        )

    def _chosen(self) -> list[tuple[int, dt.date, str]]:
        """Applications to enrol, each with the date of its last move and the candidate's
        sex: those in training since before the cohort began first, then the selected. Not
        those who moved today: nobody joins a running cohort the day they are picked."""
        rows = (
            Application.objects.filter(
                round=self.round, status__in=(Status.IN_TRAINING, Status.SELECTED)
            )
            .annotate(last_on=Max("events__effective_on"))
            .values_list("pk", "status", "last_on", "candidate__sex")
        )
        ordered = sorted(
            (row for row in rows if row[2] < self.today),
            key=lambda r: (r[1] != Status.IN_TRAINING, r[2] > self.starts_on, r[0]),
        )
        wanted = max(8, round(TRAINEES * self.scale))
        return [(pk, last_on, sex) for pk, _status, last_on, sex in ordered[:wanted]]

    def _enrol(self) -> None:
        """Classes of about 36, class A led by the demo trainer; those picked after the
        cohort began join on the day after their move."""
        chosen = self._chosen()
        self.rng.shuffle(chosen)
        count = max(1, min(len(CLASS_NAMES), math.ceil(len(chosen) / CLASS_SIZE)))
        self.classes = TrainingClass.objects.bulk_create(
            TrainingClass(cohort=self.cohort, name=CLASS_NAMES[i], homeroom_trainer=teacher)
            for i, teacher in enumerate(self.teachers[:count])
        )
        groups: dict[tuple[int, dt.date], list[int]] = {}
        for index, (pk, last_on, _sex) in enumerate(chosen):
            day = max(self.starts_on, last_on + dt.timedelta(days=1))
            groups.setdefault((index * count // len(chosen), day), []).append(pk)
        sexes = {pk: sex for pk, _last_on, sex in chosen}
        applications = Application.objects.in_bulk(list(sexes))
        self.trainees: list[Trainee] = []
        for (class_index, day), ids in sorted(groups.items()):
            enrolments = cohort_enrol(
                cohort=self.cohort,
                applications=[applications[pk] for pk in ids],
                by=self.trainer,
                training_class=self.classes[class_index],
                on=day,
            )
            self.trainees += [
                self._trainee(e, class_index, sexes[e.application_id]) for e in enrolments
            ]
        self._medical()

    def _trainee(self, enrolment: Enrolment, class_index: int, sex: str) -> Trainee:
        rng = self.rng
        present = rng.uniform(0.975, 0.995) if rng.random() < 0.85 else rng.uniform(0.92, 0.96)
        missed = 1 - present
        return Trainee(
            enrolment_id=enrolment.pk,
            class_index=class_index,
            sex=sex,
            enrolled_on=enrolment.enrolled_on,
            ability=min(97.0, max(50.0, rng.gauss(79, 8))),
            odds=_cumulative(present, missed * 0.45, missed * 0.3, missed * 0.25),
        )

    def _medical(self) -> None:
        """The centre's medical check two to three weeks in; a few results not yet in."""
        rows = list(Enrolment.objects.filter(cohort=self.cohort).order_by("pk"))
        waiting = set(self.rng.sample(range(len(rows)), k=max(1, len(rows) // 50)))
        for index, enrolment in enumerate(rows):
            checked = enrolment.enrolled_on + dt.timedelta(days=self.rng.randint(14, 21))
            if index not in waiting and checked < self.today:
                enrolment.medical_passed, enrolment.medical_checked_on = True, checked
        Enrolment.objects.bulk_update(rows, ["medical_passed", "medical_checked_on"])

    # Timetable and roll calls -------------------------------------------------------------

    def _timetable(self) -> int:
        """Mon-Fri from the start to two weeks ahead, 2-3 sessions a day per class; the
        roll was called at every session of a day before today."""
        rotating = [self.modules[m.key] for m in cat.ROTATING_MODULES]
        japanese = self.modules[cat.JAPANESE_MODULE.key]
        sessions, turn, day = [], 0, self.starts_on
        while day <= self.planned_until:
            for slot, kind in enumerate(WEEK[day.weekday()] if day.weekday() < 5 else ""):
                starts_at = self.at(day, SLOTS[slot])
                taken = starts_at + dt.timedelta(minutes=10) if day < self.today else None
                for index, klass in enumerate(self.classes):
                    if kind == "J":
                        module, trainer = japanese, self.teachers[index]
                    else:
                        module = rotating[(turn + index) % len(rotating)]
                        trainer = self.trainers[module.key]
                    session = Session(training_class=klass, module=module, trainer=trainer)
                    session.room = self.plans[module.key].room or CLASS_ROOMS[index]
                    session.starts_at, session.ends_at = starts_at, starts_at + SESSION_LENGTH
                    session.roll_taken_at = taken
                    sessions.append(session)
                turn += kind == "R"
            day += dt.timedelta(days=1)
        self.sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
        return len(self.sessions)

    def _roll_calls(self) -> int:
        """Most are present, a few late, excused or absent; one misses too often (below the
        attendance rule) and one or two missed every session of the last day taught (a run
        of absences, the at-risk alert)."""
        rng = self.rng
        held = [(s, s.roll_taken_at) for s in self.sessions if s.roll_taken_at is not None]
        last_day = max((s.starts_at.astimezone(self.tz).date() for s, _ in held), default=None)
        from_start = [t for t in self.trainees if t.enrolled_on == self.starts_on] or self.trainees
        at_risk = {t.enrolment_id for t in rng.sample(from_start, k=self.few(2))}
        others = [t for t in from_start if t.enrolment_id not in at_risk]
        if others:
            rng.choice(others).odds = _cumulative(0.8, 0.04, 0.02, 0.14)
        by_class: dict[int, list[Trainee]] = {}
        for trainee in self.trainees:
            by_class.setdefault(self.classes[trainee.class_index].pk, []).append(trainee)
        rows: list[Attendance] = []
        for session, taken in held:
            day = session.starts_at.astimezone(self.tz).date()
            for trainee in by_class.get(session.training_class_id, []):
                if trainee.enrolled_on > day:
                    continue
                row = Attendance(session=session, enrolment_id=trainee.enrolment_id)
                if trainee.enrolment_id in at_risk and day == last_day:
                    row.status, row.reason = AttendanceStatus.ABSENT, ""
                else:
                    row.status, row.reason = self._mark(trainee)
                row.recorded_by_id, row.recorded_at = session.trainer_id, taken
                rows.append(row)
        return len(Attendance.objects.bulk_create(rows, batch_size=BATCH))

    def _mark(self, trainee: Trainee) -> tuple[AttendanceStatus, str]:
        status = self.rng.choices(STATUSES, cum_weights=trainee.odds)[0]
        if status == AttendanceStatus.LATE:
            return status, self.rng.choice(cat.LATE_REASONS)
        if status == AttendanceStatus.EXCUSED:
            return status, self.rng.choice(cat.EXCUSES)
        return status, ""

    # Assessments and scores ---------------------------------------------------------------

    def _assessments(self) -> list[Assessment]:
        """Japanese: a quiz every Friday taught, an oral test, and a JFT-Basic and a mock
        JLPT still to come; every other module: one test, in week 3 or 4."""
        week, day = dt.timedelta(weeks=1), dt.timedelta(days=1)
        fridays = []
        friday = self.starts_on + dt.timedelta(days=4)
        while friday <= self.planned_until:
            fridays.append(friday)
            friday += week
        japanese = self.modules[cat.JAPANESE_MODULE.key]

        def test(module: Module, kind: str, name: str, held_on: dt.date) -> Assessment:
            return Assessment(
                cohort=self.cohort, module=module, kind=kind, name=name, held_on=held_on
            )

        rows = [
            test(japanese, "written", f"Bahasa Jepang: kuis minggu ke-{n}", friday)
            for n, friday in enumerate(fridays, 1)
            if friday < self.today
        ]
        rows.append(test(japanese, "oral", "Bahasa Jepang: tes lisan", fridays[3] - day))
        for kind, name, held_on, top in (
            ("jft_basic", "Simulasi JFT-Basic", fridays[-1] - day, 250),
            ("mock_jlpt", "Simulasi JLPT N4", fridays[-1], 180),
        ):
            rows.append(test(japanese, kind, name, held_on))
            rows[-1].max_score, rows[-1].weight = Decimal(top), Decimal(2)
        for index, plan in enumerate(cat.ROTATING_MODULES):
            held_on = self.starts_on + (2 + index % 2) * week + dt.timedelta(days=index % 5)
            kind, what = plan.test
            rows.append(test(self.modules[plan.key], kind, f"{plan.name_id}: {what}", held_on))
        return Assessment.objects.bulk_create(rows)

    def _scores(self) -> int:
        """A score per trainee for every assessment held before today and after they
        joined: their ability, the module's difficulty and the day's luck, on its scale.
        The weakest stays below the pass marks."""
        weakest = min(self.trainees, key=lambda t: t.ability)
        weakest.ability = min(weakest.ability, 55.0)
        rows = []
        for assessment in self._assessments():
            if assessment.held_on >= self.today:
                continue
            key = assessment.module.key
            top = Decimal(assessment.max_score)
            recorded_at = self.at(assessment.held_on, dt.time(16))
            for trainee in self.trainees:
                if trainee.enrolled_on > assessment.held_on:
                    continue
                mark = trainee.ability + self.plans[key].difficulty + self.rng.gauss(0, 6)
                share = Decimal(min(100.0, max(0.0, mark)) / 100)
                score = Score(assessment=assessment, enrolment_id=trainee.enrolment_id)
                score.score = (share * top).quantize(Decimal(1))
                score.recorded_by = self.trainers.get(key, self.teachers[trainee.class_index])
                score.recorded_at = recorded_at
                rows.append(score)
        return len(Score.objects.bulk_create(rows, batch_size=BATCH))

    # Dormitory and discipline -------------------------------------------------------------

    def _dormitory(self) -> int:
        """A building for men and one for women, rooms of six with a spare room or two, and
        a bed for everyone from the day they joined (the database checks the room's sex)."""
        beds: dict[str, list[Bed]] = {}
        for sex, name, spare in (("M", "Asrama Putra Sakura", 2), ("F", "Asrama Putri Melati", 1)):
            people = sum(1 for t in self.trainees if t.sex == sex)
            building = Building.objects.create(centre=self.centre, name=name)
            rooms = DormRoom.objects.bulk_create(
                DormRoom(building=building, name=str(101 + n), sex=sex)
                for n in range(math.ceil(people / BEDS_PER_ROOM) + spare)
            )
            beds[sex] = Bed.objects.bulk_create(
                Bed(room=room, label=f"{room.name}-{n}")
                for room in rooms
                for n in range(1, BEDS_PER_ROOM + 1)
            )
        free = {sex: iter(beds_of_sex) for sex, beds_of_sex in beds.items()}
        trainees = sorted(self.trainees, key=lambda t: (t.class_index, t.enrolment_id))
        assignments = BedAssignment.objects.bulk_create(
            BedAssignment(
                bed=next(free[t.sex]), enrolment_id=t.enrolment_id, from_date=t.enrolled_on
            )
            for t in trainees
        )
        return len(assignments)

    def _discipline(self) -> int:
        """A few merits and demerits; one trainee reaches the demerit limit."""
        rng = self.rng
        worst = rng.choice(self.trainees)
        records = [(worst, DisciplineKind.DEMERIT, *demerit) for demerit in cat.DEMERITS[2:]]
        for trainee in rng.sample(self.trainees, k=self.few(6)):
            records.append((trainee, DisciplineKind.DEMERIT, *rng.choice(cat.DEMERITS[:2])))
        for trainee in rng.sample(self.trainees, k=self.few(4)):
            records.append((trainee, DisciplineKind.MERIT, *rng.choice(cat.MERITS)))
        last = (self.today - self.starts_on).days - 1
        rows = []
        for trainee, kind, description, points in records:
            earliest = min(last, (trainee.enrolled_on - self.starts_on).days)
            occurred_on = self.starts_on + dt.timedelta(days=rng.randint(earliest, last))
            rows.append(
                DisciplineRecord(
                    enrolment_id=trainee.enrolment_id,
                    kind=kind,
                    points=points,
                    occurred_on=occurred_on,
                    description=description,
                    recorded_by=self.teachers[trainee.class_index],
                    recorded_at=self.at(occurred_on, dt.time(17)),
                )
            )
        return len(DisciplineRecord.objects.bulk_create(rows))


def _cumulative(*weights: float) -> tuple[float, ...]:
    return tuple(accumulate(weights))
