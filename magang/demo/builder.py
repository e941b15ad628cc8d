"""Build the demo: a synthetic but realistic programme history since 1993.

``demo_build`` writes, in one transaction, the organisations, one account per role, the
programme and its rounds 1993-2026, about 63,000 interns calibrated to the published figures
(see ``plan.py``), the 2025 intake still on its way, the 2026 round in progress with its
selection plan and results recorded stage by stage (``selection.py``), and a Stage II cohort
of that intake in training at BBPVP Bekasi (``training.py``), and open job orders for next
year with the graduates' rankings, shortlists and interviews (``placement.py``).

The tens of thousands of historic rows are a bulk import of history: they are written in
batches (``bulk.py``), their journeys are the walks ``recruitment.services.history_events``
makes, and one audit row records the import. A few live moves at the end go through
``application_advance`` like any officer's click, so the demo also has events and audit rows
with an actor.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Protocol

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from magang.accounts.models import Organisation, User
from magang.core.services import audit_record
from magang.internships.models import Internship
from magang.placement.models import Candidacy, JobOrder, Preference
from magang.recruitment.models import Application, Candidate, JourneyEvent
from magang.reference.models import Province
from magang.selection.models import StageResult
from magang.training.models import (
    Attendance,
    BedAssignment,
    DisciplineRecord,
    Enrolment,
    EnrolmentState,
    Score,
    Session,
)

from . import catalogue as cat
from .alumni import alumni_build
from .history import CURRENT_YEAR, History
from .internships import internships_build
from .models import DemoBuild
from .organisations import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, cast_create
from .partnerships import partnerships_build
from .placement import placement_build
from .plan import AS_OF, DEPARTED_BY, DEPARTED_BY_TARGET, IN_JAPAN_TARGET
from .stats import stats_build
from .training import training_build

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_SEED",
    "DEMO_VERSION",
    "DemoAccount",
    "DemoRefused",
    "DemoResult",
    "demo_build",
]

DEMO_SEED = 1993
# Bump when the demo's content changes: a database holding an older version is rebuilt.
DEMO_VERSION = "2026.11-5"

# Tables the demo never empties: reference data is loaded separately and kept.
_KEEP_APPS = frozenset({"reference", "contenttypes", "auth"})


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


class DemoRefused(Exception):
    """The demo cannot be built in this database as it stands."""


@dataclass(frozen=True)
class DemoResult:
    built: bool
    seconds: float
    version: str
    seed: int
    scale: float
    counts: dict[str, int]


def demo_build(
    *,
    reset: bool = False,
    stdout: Writer | None = None,
    scale: float = 1.0,
    seed: int = DEMO_SEED,
    today: dt.date | None = None,
) -> DemoResult:
    """Build the demo unless this version already exists (or ``reset`` asks to rebuild).

    ``scale`` shrinks the history and the rounds (not the organisations or accounts) for
    tests; ``today`` anchors what is current (open deadlines, who is in Japan now) and
    defaults to the local date. Rebuilding empties every table except reference data.
    """
    if not 0 < scale <= 1:
        raise ValueError("scale must be in (0, 1]")
    started = time.perf_counter()
    existing = DemoBuild.objects.filter(version=DEMO_VERSION, seed=seed, scale=scale).first()
    if existing is not None and not reset:
        return DemoResult(
            built=False,
            seconds=time.perf_counter() - started,
            version=existing.version,
            seed=existing.seed,
            scale=existing.scale,
            counts=dict(existing.counts),
        )
    if not Province.objects.exists():
        raise DemoRefused("Reference data is missing: load it first (reference_load_all).")

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(f"[{time.perf_counter() - started:5.1f}s] {message}\n")

    with transaction.atomic():
        if not reset and not DemoBuild.objects.exists() and _has_other_data():
            raise DemoRefused(
                "This database already holds data that is not from the demo. "
                "Use --reset to replace it (everything but reference data is deleted)."
            )
        say("Emptying the database (reference data is kept)")
        _wipe()
        today = today or timezone.localdate()
        say("Organisations and accounts")
        cast = cast_create(seed=seed)
        history = History(cast=cast, seed=seed, scale=scale, today=today, say=say)
        history.build()
        training_build(
            centre=cast.training_centres[cat.CENTRAL_TRAINING_CENTRE.short],
            round_=history.rounds[CURRENT_YEAR - 1],
            trainer=cast.users["trainer"],
            seed=seed + 4,
            scale=scale,
            today=today,
            say=say,
        )
        placement_build(
            cast=cast,
            intake=history.rounds[CURRENT_YEAR - 1],
            planned_year=CURRENT_YEAR + 1,
            seed=seed + 5,
            today=today,
            say=say,
        )
        internships_build(cast=cast, seed=seed + 6, today=today, say=say)
        alumni_build(cast=cast, seed=seed + 7, today=today, say=say)
        partnerships_build(cast=cast, say=say)
        stats_build(say=say)
        counts = _counts(today)
        _verify(counts, scale)
        build = DemoBuild.objects.create(
            seed=seed,
            version=DEMO_VERSION,
            scale=scale,
            seconds=time.perf_counter() - started,
            counts=counts,
        )
        audit_record(
            actor=None,
            action="demo.build",
            obj=build,
            changes={"version": DEMO_VERSION, "seed": seed, "scale": scale, **counts},
            reason="Synthetic demo data, calibrated to the published programme figures.",
        )
    # The commit checks every foreign key written: part of the time the build takes.
    seconds = round(time.perf_counter() - started, 2)
    DemoBuild.objects.filter(pk=build.pk).update(seconds=seconds)
    say("Done")
    return DemoResult(
        built=True, seconds=seconds, version=DEMO_VERSION, seed=seed, scale=scale, counts=counts
    )


def _has_other_data() -> bool:
    return (
        User.objects.exists()
        or Organisation.objects.exists()
        or Candidate.objects.exists()
        or Application.objects.exists()
    )


# Rows that migrations seed (not demo data): kept like reference data.
_KEEP_MODELS = frozenset({"recruitment.DocumentType"})


def _wipe() -> None:
    """Empty every table except reference data, in one statement per table.

    Foreign keys are checked at commit (Django creates them deferred on SQLite and
    PostgreSQL), so the order does not matter and no row-by-row cascade is needed.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if (
                meta.app_label in _KEEP_APPS
                or meta.label in _KEEP_MODELS
                or not meta.managed
                or meta.proxy
            ):
                continue
            cursor.execute(f"DELETE FROM {quote(meta.db_table)}")  # noqa: S608  (table names from the models)


def _counts(today: dt.date) -> dict[str, int]:
    internships = Internship.objects.all()
    return {
        "organisations": Organisation.objects.count(),
        "host_companies": Organisation.objects.filter(kind=Organisation.Kind.HOST_COMPANY).count(),
        "users": User.objects.count(),
        "candidates": Candidate.objects.count(),
        "applications": Application.objects.count(),
        "journey_events": JourneyEvent.objects.count(),
        "stage_results": StageResult.objects.count(),
        "internships": internships.count(),
        "departed_by_2023_12_31": internships.filter(departed_on__lte=DEPARTED_BY).count(),
        "in_japan_on_2024_09_07": _in_japan_on(AS_OF),
        "in_japan_today": _in_japan_on(today),
        "trainees_in_training": Enrolment.objects.filter(state=EnrolmentState.ACTIVE).count(),
        "training_sessions": Session.objects.count(),
        "attendance_marks": Attendance.objects.count(),
        "scores": Score.objects.count(),
        "beds_assigned": BedAssignment.objects.filter(to_date__isnull=True).count(),
        "discipline_records": DisciplineRecord.objects.count(),
        "job_orders": JobOrder.objects.count(),
        "job_order_slots": JobOrder.objects.aggregate(n=Sum("slots"))["n"] or 0,
        "job_preferences": Preference.objects.count(),
        "shortlisted": Candidacy.objects.count(),
        "company_ranks": Candidacy.objects.filter(company_rank__isnull=False).count(),
    }


def _in_japan_on(day: dt.date) -> int:
    return Internship.objects.filter(departed_on__lte=day).exclude(ended_on__lte=day).count()


def _verify(counts: dict[str, int], scale: float) -> None:
    expected = {
        "departed_by_2023_12_31": round(DEPARTED_BY_TARGET * scale),
        "in_japan_on_2024_09_07": round(IN_JAPAN_TARGET * scale),
    }
    for key, value in expected.items():
        if counts[key] != value:
            raise RuntimeError(f"Demo calibration failed: {key} is {counts[key]}, not {value}.")
