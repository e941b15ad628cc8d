"""Training at scale: a central cohort of 2,000 trainees in 80 classes over 8 weeks, on
PostgreSQL. Goals (issue: training): saving one class's roll call under 100 ms of server
time; the gradebook of a class of 40 with 30 assessments under 200 ms; the readiness of all
2,000 trainees under 2 s; a fixed number of queries, never one per trainee.

The cohort (fixed seed): a curriculum of 10 modules (Japanese weight 3), 80 classes (one of
40, the rest of 24-25), three sessions a day Monday to Friday for 8 weeks, every roll taken
(about 240,000 marks: mostly present, a few late, excused or absent), 30 assessments with
every trainee scored (60,000 scores), a few hundred discipline records. Written by
``bulk_create`` and ``COPY`` (not timed) into a database ``magang_bench_training_<pid>``
created and dropped here (MAGANG_BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432).

Timed, each against a named baseline measured in the same run:

- ``roll_call_save`` for one class of 25: the first save of a session (25 new rows) and
  re-saves with a few different exceptions each, p50/p95; the roll-call page's POST through
  ``django.test.Client`` too. Baseline: the same 25 rows inserted by one ``bulk_create``.
- the gradebook page (``training:gradebook``) of the class of 40 through the client, p50/p95.
  Baseline: an empty page on the base layout through the same client.
- ``cohort_readiness`` and ``cohort_alerts`` over the 2,000 trainees. Baselines: one
  GROUP BY over the cohort's attendance; the cohort's attendance statuses read in order.

Query counts come from ``CaptureQueriesContext`` in a separate run, so capturing does not
slow the timed ones. Prints one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("MAGANG_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
TRAINEES = 2_000
CLASSES = 80
BIG_CLASS = 40
WEEKS = 8
SESSIONS_PER_DAY = 3
ASSESSMENTS = 30
GOALS = {"roll_call_ms": 100, "gradebook_ms": 200, "readiness_s": 2.0}
MODULES = (
    ("japanese", "japanese", 3, 12),
    ("culture", "culture", 1, 2),
    ("living", "culture", 1, 2),
    ("physical", "discipline", 1, 3),
    ("drill", "discipline", 1, 2),
    ("technical", "technical", 1, 3),
    ("kaizen", "technical", 1, 2),
    ("machining", "technical", 1, 2),
    ("safety", "safety", 1, 1),
    ("first-aid", "safety", 1, 1),
)  # (key, category, weight, assessments)


def _django(database_url: str) -> None:
    os.environ["MAGANG_VAR_DIR"] = tempfile.mkdtemp(prefix="magang-bench-training-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"  # django.test.Client's host
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # As in production: no query log on every cursor, no template debug information.
    settings.DEBUG = False


def _create_database() -> str:
    import psycopg

    name = f"magang_bench_training_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def _drop_database(url: str) -> None:
    import psycopg

    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- The cohort ----------------------------------------------------------------------------


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def build(seed: int = 20261019) -> dict[str, Any]:
    """The cohort, its timetable, roll calls, assessments, scores and discipline."""
    from django.db import connection
    from django.utils import timezone

    from magang.accounts.models import Membership, Organisation, Role, User
    from magang.recruitment.journey import Status
    from magang.recruitment.models import (
        Application,
        Candidate,
        Programme,
        RecruitmentRound,
        SelectionSite,
    )
    from magang.reference.models import Province
    from magang.training.models import (
        Assessment,
        Attendance,
        Cohort,
        Curriculum,
        DisciplineRecord,
        Enrolment,
        Module,
        Score,
        Session,
        TrainingClass,
        TrainingStage,
    )

    rng = random.Random(seed)
    started = time.perf_counter()
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    starts_on = monday - dt.timedelta(weeks=WEEKS)
    province = Province.objects.get(code="32")
    centre = Organisation.objects.create(
        kind=Organisation.Kind.TRAINING_CENTRE, name="BBPVP Bekasi", province=province
    )
    trainers = User.objects.bulk_create(
        User(username=f"trainer{i:02d}", full_name=f"Pelatih {i}") for i in range(CLASSES)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=centre, role=Role.TRAINING_STAFF) for u in trainers
    )
    programme = Programme.objects.create(
        code="titp", name="TITP", duration_months=36, max_duration_months=60,
        valid_from=dt.date(1993, 1, 1),
    )  # fmt: skip
    round_ = RecruitmentRound.objects.create(
        programme=programme, code="titp-2025", name="TITP 2025", year=2025,
        opens_on=dt.date(2025, 1, 5), closes_on=dt.date(2025, 12, 20),
        reference_date=dt.date(2025, 12, 20),
    )  # fmt: skip
    site = SelectionSite.objects.create(
        round=round_, organisation=centre, name="Seleksi Pusat", province=province,
        registration_deadline=dt.date(2025, 12, 20),
    )  # fmt: skip
    candidates = Candidate.objects.bulk_create(
        (
            Candidate(
                nik=f"32{i:014d}",
                full_name=f"Peserta {i:04d}",
                birth_date=dt.date(2003, 5, 17),
                sex="F" if i % 16 == 0 else "M",
                province=province,
            )
            for i in range(TRAINEES)
        ),
        batch_size=1000,
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        (
            Application(
                candidate=c,
                round=round_,
                site=site,
                registration_number=f"2025-0001-{i:06d}",
                status=Status.IN_TRAINING,
                status_changed_at=now,
            )
            for i, c in enumerate(candidates)
        ),
        batch_size=1000,
    )
    curriculum = Curriculum.objects.create(
        programme=programme, code="titp-2026", name="TITP 2026", year=2026
    )
    modules = Module.objects.bulk_create(
        Module(
            curriculum=curriculum,
            order=i,
            key=key,
            name_en=key.title(),
            name_id=key.title(),
            category=category,
            planned_hours=40,
            weight=weight,
        )
        for i, (key, category, weight, _n) in enumerate(MODULES, 1)
    )
    cohort = Cohort.objects.create(
        centre=centre, round=round_, curriculum=curriculum, code="bekasi-bench",
        name="Angkatan bench", stage=TrainingStage.CENTRAL, starts_on=starts_on,
        ends_on=monday + dt.timedelta(weeks=1), capacity=TRAINEES,
    )  # fmt: skip
    classes = TrainingClass.objects.bulk_create(
        TrainingClass(cohort=cohort, name=f"K{i + 1:02d}", homeroom_trainer=trainers[i])
        for i in range(CLASSES)
    )
    # Class 0 holds 40; the other 1,960 fill the rest, 24 or 25 each.
    sizes = [BIG_CLASS] + [
        len(range(i, TRAINEES - BIG_CLASS, CLASSES - 1)) for i in range(CLASSES - 1)
    ]
    class_of = [i for i, size in enumerate(sizes) for _ in range(size)]
    enrolments = Enrolment.objects.bulk_create(
        (
            Enrolment(
                cohort=cohort,
                application=a,
                training_class=classes[class_of[i]],
                enrolled_on=starts_on,
                medical_passed=i % 97 != 0,
                medical_checked_on=starts_on,
            )
            for i, a in enumerate(applications)
        ),
        batch_size=1000,
    )
    members: dict[int, list[int]] = {klass.pk: [] for klass in classes}
    for i, enrolment in enumerate(enrolments):
        members[classes[class_of[i]].pk].append(enrolment.pk)

    days = [
        starts_on + dt.timedelta(days=d)
        for d in range(WEEKS * 7)
        if (starts_on.weekday() + d) % 7 < 5
    ]
    slots = (dt.time(7, 30), dt.time(10), dt.time(13, 30))[:SESSIONS_PER_DAY]
    sessions = []
    for day in days:
        for s, slot in enumerate(slots):
            at = dt.datetime.combine(day, slot, tzinfo=tz)
            for c, klass in enumerate(classes):
                sessions.append(
                    Session(
                        training_class=klass,
                        module=modules[(c + s + day.toordinal()) % len(modules)],
                        trainer=trainers[c],
                        room=f"R{c:02d}",
                        starts_at=at,
                        ends_at=at + dt.timedelta(hours=2),
                        roll_taken_at=at + dt.timedelta(minutes=10),
                    )
                )
    sessions = Session.objects.bulk_create(sessions, batch_size=2000)
    statuses = ("present", "late", "excused", "absent")
    cum = (0.95, 0.97, 0.985, 1.0)
    marks = []
    for session in sessions:
        taken = session.roll_taken_at
        for enrolment_id in members[session.training_class_id]:
            status = rng.choices(statuses, cum_weights=cum)[0]
            reason = "Sakit." if status == "excused" else ""
            marks.append((session.pk, enrolment_id, status, reason, session.trainer_id, taken))
    _copy(
        Attendance._meta.db_table,
        ("session_id", "enrolment_id", "status", "reason", "recorded_by_id", "recorded_at"),
        marks,
    )

    assessments = []
    for module, (_key, _category, _weight, count) in zip(modules, MODULES, strict=True):
        for n in range(count):
            assessments.append(
                Assessment(
                    cohort=cohort,
                    module=module,
                    kind="written",
                    name=f"{module.key} {n + 1}",
                    held_on=days[(n + 1) * len(days) // (count + 1)],
                )
            )
    assessments = Assessment.objects.bulk_create(assessments)
    assert len(assessments) == ASSESSMENTS
    ability = [rng.gauss(76, 9) for _ in enrolments]
    scores = [
        (
            a.pk,
            e.pk,
            Decimal(max(0, min(100, round(ability[i] + rng.gauss(0, 7))))),
            1,
            trainers[class_of[i]].pk,
            now,
        )
        for a in assessments
        for i, e in enumerate(enrolments)
    ]
    _copy(
        Score._meta.db_table,
        ("assessment_id", "enrolment_id", "score", "version", "recorded_by_id", "recorded_at"),
        scores,
    )
    DisciplineRecord.objects.bulk_create(
        DisciplineRecord(
            enrolment=e,
            kind=rng.choice(("merit", "demerit", "demerit")),
            points=rng.choice((5, 10)),
            occurred_on=rng.choice(days),
            description="Catatan.",
            recorded_by=trainers[0],
            recorded_at=now,
        )
        for e in rng.sample(enrolments, k=300)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "cohort": cohort,
        "trainer": trainers[0],
        "big_class": classes[0],
        "class_25": classes[1],
        "sessions": len(sessions),
        "attendance": len(marks),
        "scores": len(scores),
        "load_seconds": round(time.perf_counter() - started, 1),
    }


# --- Measuring -----------------------------------------------------------------------------


Case = tuple[Callable[[], object], Callable[[], object] | None]  # (work, set-up not timed)


def _timed(runs: int, cases: dict[str, Case]) -> dict[str, list[float]]:
    """Seconds per run of each case's work, the cases taking turns round by round so a
    measurement and its baseline see the same machine; each set-up runs untimed first."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (work, before) in cases.items():
            if before is not None:
                before()
            started = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - started)
    return times


def _summary(times: list[float], unit: float = 1000.0, digits: int = 1) -> dict[str, float]:
    ordered = sorted(times)
    p95 = (
        statistics.quantiles(ordered, n=20, method="inclusive")[18]
        if len(ordered) > 1
        else ordered[0]
    )
    return {
        "p50": round(statistics.median(ordered) * unit, digits),
        "p95": round(p95 * unit, digits),
        "runs": len(ordered),
    }


def _queries(work: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def measure_roll_call(facts: dict[str, Any], runs: int = 50) -> dict[str, Any]:
    """The service on one class of 25: first saves (the session's marks deleted before each)
    and re-saves with 2-4 new exceptions each; the page's POST; a bulk_create baseline."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from magang.accounts.models import User
    from magang.training.models import Attendance, Enrolment, Session
    from magang.training.services import roll_call_save

    rng = random.Random(25)
    klass = facts["class_25"]
    session = Session.objects.filter(training_class=klass).order_by("-starts_at").first()
    assert session is not None
    ids = list(Enrolment.objects.filter(training_class=klass).values_list("pk", flat=True))
    trainer_pk = facts["trainer"].pk
    state: dict[str, Any] = {}

    def exceptions() -> dict[int, tuple[str, str]]:
        picked = rng.sample(ids, k=rng.randint(2, 4))
        kinds = [("late", ""), ("excused", "Sakit, surat dokter."), ("absent", "")]
        return {pk: rng.choice(kinds) for pk in picked}

    def fresh() -> None:
        Attendance.objects.filter(session=session).delete()
        Session.objects.filter(pk=session.pk).update(roll_taken_at=None)
        prepare()

    def prepare() -> None:
        # New user and session objects each save, as each request has: the user's scope is
        # looked up again; the session comes with its class, cohort and module, as the
        # page's access check loads it.
        state["by"] = User.objects.get(pk=trainer_pk)
        state["session"] = Session.objects.select_related("training_class__cohort", "module").get(
            pk=session.pk
        )
        state["marks"] = exceptions()

    def save() -> None:
        counts = roll_call_save(session=state["session"], marks=state["marks"], by=state["by"])
        assert sum(counts.values()) == len(ids)

    fresh()
    first_queries = _queries(save)
    prepare()
    again_queries = _queries(save)

    client = Client()
    client.force_login(facts["trainer"])
    url = reverse("training:roll_call", args=[session.pk])

    def post() -> None:
        data = {}
        for pk, (status, reason) in state["marks"].items():
            data[f"status-{pk}"], data[f"reason-{pk}"] = status, reason
        response = client.post(url, data)
        assert response.status_code == 302, response.status_code

    post()
    prepare()
    page_queries = _queries(post)

    now = timezone.now()

    def bulk() -> None:
        Attendance.objects.bulk_create(
            Attendance(
                session=session,
                enrolment_id=pk,
                status="present",
                recorded_by_id=trainer_pk,
                recorded_at=now,
            )
            for pk in ids
        )

    def empty() -> None:
        Attendance.objects.filter(session=session).delete()

    # Each round: the baseline, a first save (the baseline's rows deleted before it), then a
    # save again and the page's POST, each with other exceptions.
    times = _timed(
        runs,
        {
            "baseline": (bulk, empty),
            "first": (save, fresh),
            "again": (save, prepare),
            "page": (post, prepare),
        },
    )
    return {
        "class_size": len(ids),
        "first_save_ms": _summary(times["first"]),
        "first_save_queries": first_queries,
        "resave_ms": _summary(times["again"]),
        "resave_queries": again_queries,
        "page_post_ms": _summary(times["page"]),
        "page_post_queries": page_queries,
        "baseline_bulk_create_ms": _summary(times["baseline"]),
    }


def measure_gradebook(facts: dict[str, Any], runs: int = 40) -> dict[str, Any]:
    """The gradebook page of the class of 40 through the client, against an empty page on
    the base layout through the same client."""
    from django.test import Client, override_settings
    from django.urls import NoReverseMatch, reverse

    from magang.training.models import Enrolment

    klass = facts["big_class"]
    size = Enrolment.objects.filter(training_class=klass).count()
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        client.force_login(facts["trainer"])
        try:
            url = reverse("training:gradebook", args=[klass.pk])
        except NoReverseMatch:
            return {"class_size": size, "note": "training:gradebook does not exist yet."}

        def page() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def empty() -> None:
            response = client.get("/bench/empty/")
            assert response.status_code == 200, response.status_code

        for _ in range(3):
            page()
            empty()
        times = _timed(runs, {"baseline": (empty, None), "page": (page, None)})
        queries = _queries(page)
        baseline_queries = _queries(empty)
        html = client.get(url).content.decode()
    return {
        "class_size": size,
        "assessments": ASSESSMENTS,
        "page_ms": _summary(times["page"]),
        "page_queries": queries,
        "page_kilobytes": round(len(html) / 1024),
        "baseline_empty_page_ms": _summary(times["baseline"]),
        "baseline_queries": baseline_queries,
    }


def measure_readiness(facts: dict[str, Any], runs: int = 7) -> dict[str, Any]:
    """cohort_readiness and cohort_alerts over every trainee; their queries for 20 trainees
    too (the same count: nothing per trainee); the two baselines."""
    from django.db.models import Count, Q

    from magang.training.models import Attendance, Enrolment
    from magang.training.services.readiness import cohort_alerts, cohort_readiness

    cohort = facts["cohort"]
    some = list(Enrolment.objects.filter(cohort=cohort).values_list("pk", flat=True)[:20])
    attendance = Attendance.objects.filter(enrolment__cohort=cohort)
    verdicts = cohort_readiness(cohort=cohort)
    alerts = cohort_alerts(cohort=cohort)

    def grouped() -> None:
        list(
            attendance.values("enrolment_id").annotate(
                held=Count("id"),
                attended=Count("id", filter=Q(status__in=("present", "late"))),
                excused=Count("id", filter=Q(status="excused")),
            )
        )

    def ordered() -> None:
        list(
            attendance.order_by("enrolment_id", "session__starts_at", "session_id").values_list(
                "enrolment_id", "status"
            )
        )

    times = _timed(
        runs,
        {
            "group_by": (grouped, None),
            "readiness": (lambda: cohort_readiness(cohort=cohort), None),
            "ordered": (ordered, None),
            "alerts": (lambda: cohort_alerts(cohort=cohort), None),
        },
    )
    return {
        "trainees": len(verdicts),
        "ready": sum(v.ready for v in verdicts.values()),
        "with_alerts": sum(1 for found in alerts.values() if found),
        "readiness_s": _summary(times["readiness"], 1, 3),
        "readiness_queries": _queries(lambda: cohort_readiness(cohort=cohort)),
        "readiness_queries_20": _queries(
            lambda: cohort_readiness(cohort=cohort, enrolment_ids=some)
        ),
        "baseline_group_by_s": _summary(times["group_by"], 1, 3),
        "alerts_s": _summary(times["alerts"], 1, 3),
        "alerts_queries": _queries(lambda: cohort_alerts(cohort=cohort)),
        "alerts_queries_20": _queries(lambda: cohort_alerts(cohort=cohort, enrolment_ids=some)),
        "baseline_ordered_read_s": _summary(times["ordered"], 1, 3),
    }


def main() -> None:
    url = _create_database()
    try:
        _django(url)
        from django.core.management import call_command
        from django.db import connection

        from magang.reference.services import regions_load

        call_command("migrate", verbosity=0)
        regions_load()
        facts = build()
        roll_call = measure_roll_call(facts)
        gradebook = measure_gradebook(facts)
        readiness = measure_readiness(facts)
        version = connection.cursor().connection.info.server_version
    finally:
        _drop_database(url)
    print(
        json.dumps(
            {
                "trainees": TRAINEES,
                "classes": CLASSES,
                "weeks": WEEKS,
                "sessions": facts["sessions"],
                "attendance": facts["attendance"],
                "scores": facts["scores"],
                "load_seconds": facts["load_seconds"],
                "postgresql": f"{version // 10000}.{version % 10000}",
                "load_average": round(os.getloadavg()[0], 1),
                "goals": GOALS,
                "roll_call": roll_call,
                "gradebook": gradebook,
                "readiness": readiness,
            }
        )
    )


if __name__ == "__main__":
    main()
