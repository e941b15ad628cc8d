"""Statistics at national scale: every public and dashboard page, and the partner prefecture
pages, on 1,000,000 applications and 200,000 internships in PostgreSQL, read from the summary
tables, against the same page computed directly with GROUP BY over the programme's tables,
in the same run.

The data (numpy, fixed seed), written by ``COPY`` (``bench.selection``'s writer, foreign keys
unchecked while loading, indexes built afterwards):

- 34 yearly rounds (1993-2026); one selection site per province in the historical rounds, 8
  per province (304) in the current one; 1,000,000 candidates and applications: 200,000 of the
  historical rounds, each with its internship, and 800,000 in the current round, spread over
  the journey (registered, eligible, in selection, not selected, selected, in training...);
- the current round's usual 8-stage plan (``plan_create``) and its stage results: those in
  selection have passed some stages so far, most of those not selected failed one, everyone
  selected or further on passed all eight (about 3 results per application);
- 200,000 internships: departures in about 20 batches a year, more every year; 3,000 host
  companies under 6 supervising organisations, each host in one prefecture (weighted to the
  industrial ones: Aichi about a tenth, ``PREFECTURE_WEIGHTS``) with one trade of 60; most
  stays complete after 3 years (some 5), about 8% end early, 3% go missing; those not yet
  ended are in Japan;
- incidents and grievances about 5% of the internships (half of them about interns in Japan
  now), most old ones closed; alumni profiles for a third of those who completed, each with
  one to three surveys;
- 40 training cohorts at 4 centres with every current application in training or graduated
  enrolled; 2,000 job orders; 6 cooperation agreements naming 5 partner prefectures.

Timed: ``stats_refresh`` (best of 3) and, for each page, the server time of ``REPEATS``
requests through Django's test client in this process (no network), two ways: as served
(what a page renders from the summaries is kept until the next refresh) and as after a
refresh (that cache emptied before each request); the median and the p95 of each (goal:
150 ms). "As of a date" requests pick a different past date each time. The baseline is the
same URL with the summary readers swapped for ``magang.stats.direct`` (GROUP BY over the
raw tables) and the prefecture figures for ``partnerships.figures.compute_figures``, fewer
times because it is slow; the ratio is baseline p50 / after-a-refresh p50.

Prints one JSON object. ``--quick`` is 100,000 applications and 20,000 internships.
PostgreSQL: MAGANG_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432); a database
``magang_bench_stats_<pid>`` is created and dropped (``--keep`` keeps it and skips the
timings, for profiling).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bench.selection import (
    PROVINCES,
    SHARES,
    _Copy,
    _create_database,
    _django,
    _drop_database,
    _drop_secondary_indexes,
    _sealed,
)

APPLICATIONS = 1_000_000
INTERNSHIPS = 200_000
GOAL_MS = 150.0
REPEATS = int(os.environ.get("MAGANG_BENCH_STATS_REPEATS", "40"))
BASELINE_REPEATS = int(os.environ.get("MAGANG_BENCH_STATS_BASELINE_REPEATS", "5"))
HOSTS = 3_000
PARTNERS = 6
CURRENT_SITES_PER_PROVINCE = 8
SEED = 20260808
# Host companies per prefecture (JIS code: weight; 1 elsewhere), so that interns crowd into
# the industrial prefectures as they do: Aichi about a tenth, Osaka and the Kanto ring next.
PREFECTURE_WEIGHTS = {
    "23": 9.0, "27": 6.0, "13": 4.0, "11": 4.0, "12": 4.0, "14": 4.0, "22": 4.0, "21": 4.0,
    "08": 4.0, "34": 3.0, "28": 3.0, "09": 2.0, "10": 2.0, "04": 2.0, "40": 2.0,
}  # fmt: skip
# Who filed what (bench data): shares of internships with a case, of returned interns who
# keep an alumni profile.
CASE_SHARE = 0.05
ALUMNI_SHARE = 0.35
# Partner prefectures of the generated agreements (JIS code, title, public).
AGREEMENTS = (
    ("04", "Miyagi Prefecture MoC on technical interns", True),
    ("23", "Aichi Prefecture cooperation agreement", True),
    ("27", "Osaka Prefecture MoU", False),
    ("22", "Shizuoka Prefecture LoI", True),
    ("13", "Tokyo Metropolis MoC", False),
)
COMPARED = ("23", "27", "04", "22")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load(n_applications: int, n_internships: int) -> dict[str, Any]:
    """Write the programme described in the module docstring; return the users to log in."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from magang.accounts.models import Membership, Organisation, Role, User
    from magang.internships.models import Internship
    from magang.placement.models import JobOrder
    from magang.recruitment.models import (
        Application,
        Candidate,
        Programme,
        RecruitmentRound,
        SelectionSite,
    )
    from magang.reference.models import Prefecture, Province, Trade
    from magang.training.models import Cohort, Curriculum, Enrolment

    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    province_ids = dict(Province.objects.values_list("code", "id"))
    prefecture_rows = list(Prefecture.objects.order_by("code").values_list("id", "code"))
    prefecture_ids = [pk for pk, _code in prefecture_rows]
    trade_ids = list(Trade.objects.order_by("code").values_list("id", flat=True))[:60]
    today = dt.date.today()

    ministry = Organisation.objects.create(kind=Organisation.Kind.MINISTRY_UNIT, name="Kemnaker")
    partners = [
        Organisation.objects.create(
            kind=Organisation.Kind.SUPERVISING_ORGANISATION, name=f"Supervisor {i}"
        )
        for i in range(PARTNERS)
    ]
    prefecture_weights = np.array(
        [PREFECTURE_WEIGHTS.get(code, 1.0) for _pk, code in prefecture_rows]
    )
    host_prefecture = rng.choice(
        len(prefecture_ids), size=HOSTS, p=prefecture_weights / prefecture_weights.sum()
    )
    host_trade = rng.choice(len(trade_ids), size=HOSTS)
    host_partner = rng.choice(PARTNERS, size=HOSTS, p=[0.5, 0.2, 0.1, 0.1, 0.05, 0.05])
    hosts = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=Organisation.Kind.HOST_COMPANY,
                name=f"Host {i}",
                parent=partners[host_partner[i]],
                prefecture_id=prefecture_ids[host_prefecture[i]],
            )
            for i in range(HOSTS)
        ]
    )
    centres = [
        Organisation.objects.create(kind=Organisation.Kind.TRAINING_CENTRE, name=f"Centre {i}")
        for i in range(4)
    ]
    offices = {
        code: Organisation.objects.create(
            kind=Organisation.Kind.REGIONAL_OFFICE,
            name=f"Disnaker {code}",
            province_id=province_ids[code],
        )
        for code in PROVINCES
    }
    programme = Programme.objects.create(
        code="titp",
        name="TITP",
        duration_months=36,
        max_duration_months=60,
        valid_from=dt.date(1993, 1, 1),
    )
    years = list(range(1993, 2027))
    rounds = {
        year: RecruitmentRound.objects.create(
            programme=programme,
            code=f"titp-{year}",
            name=f"TITP {year}",
            year=year,
            opens_on=dt.date(year, 1, 1),
            closes_on=dt.date(year, 3, 1),
            reference_date=dt.date(year, 3, 1),
        )
        for year in years
    }
    sites: dict[tuple[int, str], list[int]] = {}
    site_rows = []
    for year in years:
        per_province = CURRENT_SITES_PER_PROVINCE if year == 2026 else 1
        for code in PROVINCES:
            for k in range(per_province):
                site_rows.append(
                    SelectionSite(
                        round=rounds[year],
                        organisation=offices[code],
                        name=f"Seleksi {code}-{k} {year}",
                        province_id=province_ids[code],
                        registration_deadline=dt.date(year, 3, 1),
                    )
                )
    for site in SelectionSite.objects.bulk_create(site_rows):
        sites.setdefault((site.round.year, site.name.split()[1].split("-")[0]), []).append(site.pk)

    # Internships: departures grow year on year, in ~20 batch days a year.
    weights = np.linspace(1, 12, len(years) - 1)
    dep_year = rng.choice(np.arange(1993, 2026), size=n_internships, p=weights / weights.sum())
    batch_day = rng.integers(0, 20, size=n_internships)
    departed = np.array(
        [
            dt.date(int(y), 1, 8) + dt.timedelta(days=int(b) * 18)
            for y, b in zip(dep_year, batch_day, strict=True)
        ]
    )
    fate = rng.random(n_internships)
    length = np.where(rng.random(n_internships) < 0.15, 5 * 365, 3 * 365)
    early_after = rng.integers(30, 3 * 365, size=n_internships)
    ended, reasons = [], []
    for day, f, full, early in zip(departed, fate, length, early_after, strict=True):
        if f < 0.08:
            end, reason = day + dt.timedelta(days=int(early)), "early_return"
        elif f < 0.11:
            end, reason = day + dt.timedelta(days=int(early)), "missing"
        else:
            end, reason = day + dt.timedelta(days=int(full)), "completed"
        if end > today:
            ended.append("\\N")
            reasons.append("")
        else:
            ended.append(end.isoformat())
            reasons.append(reason)
    host_of = rng.integers(0, HOSTS, size=n_internships)

    share = np.array(list(SHARES.values()), dtype=np.float64)
    share /= share.sum()
    n_current = n_applications - n_internships
    provinces = rng.choice(len(PROVINCES), size=n_applications, p=share)
    statuses = np.array(
        [
            "registered",
            "eligible",
            "ineligible",
            "in_selection",
            "not_selected",
            "reserve",
            "selected",
            "in_training",
            "graduated",
            "withdrawn",
        ]
    )
    current_status = rng.choice(
        statuses, size=n_current, p=[0.25, 0.1, 0.1, 0.2, 0.15, 0.03, 0.05, 0.05, 0.04, 0.03]
    )
    site_pick = rng.integers(0, CURRENT_SITES_PER_PROVINCE, size=n_current)

    now = timezone.now().isoformat()
    candidates = _Copy(
        Candidate, ("nik", "nik_index", "full_name", "sex", "birth_date", "province"), now
    )
    applications = _Copy(
        Application,
        ("candidate", "round", "site", "registration_number", "status", "status_changed_at"),
        now,
    )
    internships = _Copy(
        Internship,
        (
            "application",
            "supervising_organisation",
            "host_company",
            "prefecture",
            "trade",
            "departed_on",
            "ended_on",
            "end_reason",
        ),
        now,
    )
    in_japan_status = {
        "": "in_japan",
        "completed": "returned",
        "early_return": "early_return",
        "missing": "missing",
    }
    connection.ensure_connection()
    tables = [m._meta.db_table for m in (Candidate, Application, Internship)]
    with connection.connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        indexes = _drop_secondary_indexes(cursor, tables)
        codes = PROVINCES
        candidates.write(
            cursor,
            (
                f"{i}\t{_sealed(f'{codes[p]}{i:014d}')}\tPeserta {i}\tM\t2003-05-17"
                f"\t{province_ids[codes[p]]}"
                for i, p in zip(range(1, n_applications + 1), provinces.tolist(), strict=True)
            ),
        )

        def application_rows() -> Any:
            for i in range(n_applications):
                code = codes[provinces[i]]
                if i < n_internships:
                    year = max(1993, int(dep_year[i]) - 1)
                    round_id = rounds[year].pk
                    site = sites[(year, code)][0]
                    status = in_japan_status[reasons[i]]
                else:
                    j = i - n_internships
                    round_id = rounds[2026].pk
                    site = sites[(2026, code)][site_pick[j]]
                    status = current_status[j]
                yield f"{i + 1}\t{i + 1}\t{round_id}\t{site}\tR{i + 1:09d}\t{status}\t{now}"

        applications.write(cursor, application_rows())
        internships.write(
            cursor,
            (
                f"{i + 1}\t{i + 1}\t{partners[host_partner[h]].pk}\t{hosts[h].pk}"
                f"\t{prefecture_ids[host_prefecture[h]]}\t{trade_ids[host_trade[h]]}"
                f"\t{departed[i].isoformat()}\t{ended[i]}\t{reasons[i]}"
                for i, h in enumerate(host_of.tolist())
            ),
        )
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in indexes:
            cursor.execute(statement)
        for table, count in zip(
            tables, (n_applications, n_applications, n_internships), strict=True
        ):
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, count])
    connection.connection.commit()
    outcomes = _load_outcomes(
        rng,
        round_=rounds[2026],
        first_current=n_internships + 1,
        current_status=current_status,
        departed=departed,
        ended=ended,
        reasons=reasons,
        host_of=host_of,
        host_ids=[h.pk for h in hosts],
        today=today,
    )

    # Training: cohorts with every current application in training or graduated.
    curriculum = Curriculum.objects.create(
        programme=programme, code="c-2026", name="2026", year=2026
    )
    cohorts = [
        Cohort.objects.create(
            centre=centres[k % 4],
            round=rounds[2026],
            curriculum=curriculum,
            code=f"cohort-{k}",
            name=f"Cohort {k}",
            stage="central",
            starts_on=dt.date(2026, 1, 5) + dt.timedelta(days=7 * k),
            ends_on=dt.date(2026, 3, 5) + dt.timedelta(days=7 * k),
            capacity=5000,
        )
        for k in range(40)
    ]
    trainees = Application.objects.filter(
        round=rounds[2026], status__in=["in_training", "graduated"]
    )
    enrolments = [
        Enrolment(
            cohort=cohorts[k % 40],
            application_id=pk,
            state="graduated" if status == "graduated" else "active",
            ended_on=dt.date(2026, 3, 5) if status == "graduated" else None,
            enrolled_on=dt.date(2026, 1, 5),
        )
        for k, (pk, status) in enumerate(trainees.values_list("pk", "status").iterator())
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    leadership_user = User.objects.create(username="leadership", password=make_password(None))
    partner_user = User.objects.create(username="partner", password=make_password(None))
    host_user = User.objects.create(username="host", password=make_password(None))
    officer_user = User.objects.create(username="officer", password=make_password(None))
    trainer_user = User.objects.create(username="trainer", password=make_password(None))
    Membership.objects.bulk_create(
        [
            Membership(user=leadership_user, organisation=ministry, role=Role.LEADERSHIP),
            Membership(user=partner_user, organisation=partners[0], role=Role.PARTNER),
            Membership(user=host_user, organisation=hosts[int(host_of[0])], role=Role.HOST_COMPANY),
            Membership(user=officer_user, organisation=offices["32"], role=Role.REGIONAL_OFFICER),
            Membership(user=trainer_user, organisation=centres[0], role=Role.TRAINING_STAFF),
        ]
    )
    JobOrder.objects.bulk_create(
        [
            JobOrder(
                host_company=hosts[h],
                supervising_organisation=partners[host_partner[h]],
                round=rounds[2026],
                reference=f"JO-{k:05d}",
                trade_id=trade_ids[host_trade[h]],
                prefecture_id=prefecture_ids[host_prefecture[h]],
                slots=int(rng.integers(1, 6)),
                planned_start=dt.date(2027, 4, 1),
                state="open" if k % 3 else "matched",
            )
            for k, h in enumerate(rng.integers(0, HOSTS, size=2000).tolist())
        ]
    )
    places = _agreements(
        partners[0],
        {code: Prefecture.objects.get(code=code) for code in ("04", "13", "22", "23", "27")},
        {"32": Province.objects.get(code="32")},
    )
    with connection.cursor() as cursor:
        for table in (*tables, *outcomes["tables"], Enrolment._meta.db_table):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        **places,
        "stage_results": outcomes["stage_results"],
        "cases": outcomes["cases"],
        "alumni_profiles": outcomes["alumni_profiles"],
        "alumni_surveys": outcomes["alumni_surveys"],
        "users": {
            "leadership": leadership_user,
            "partner": partner_user,
            "host": host_user,
            "officer": officer_user,
            "trainer": trainer_user,
        },
        "current_round": rounds[2026].pk,
        "load_seconds": round(time.perf_counter() - started, 1),
        "enrolments": len(enrolments),
    }


def _load_outcomes(
    rng: np.random.Generator,
    *,
    round_: Any,
    first_current: int,
    current_status: np.ndarray,
    departed: np.ndarray,
    ended: list[str],
    reasons: list[str],
    host_of: np.ndarray,
    host_ids: list[int],
    today: dt.date,
) -> dict[str, Any]:
    """The current round's stage plan (``plan_create``) and, by ``COPY``, its stage results,
    the cases filed during the stays and the alumni with their surveys."""
    from django.db import connection
    from django.utils import timezone

    from magang.internships.models import Case
    from magang.internships.models.alumni import AlumniProfile, AlumniSurvey
    from magang.selection.models import StageResult
    from magang.selection.services.plans import plan_create

    plan = plan_create(round_=round_, by=None)
    stages = list(plan.stages.order_by("order"))
    now = timezone.now()
    stamp = now.isoformat()
    results = _Copy(StageResult, ("application", "stage", "passed", "score"), stamp)
    cases = _Copy(
        Case,
        (
            "internship", "kind", "category", "severity", "description", "host_company",
            "about_host_company", "share_with_partner", "filed_as", "filed_at", "status",
            "due_at", "escalated_at", "resolution", "resolved_at", "closed_at",
        ),
        stamp,
    )  # fmt: skip
    profiles = _Copy(AlumniProfile, ("candidate",), stamp)
    surveys = _Copy(
        AlumniSurvey,
        ("profile", "answered_on", "employment", "business_started", "income_band",
         "back_in_japan_ssw"),
        stamp,
    )  # fmt: skip
    models = (StageResult, Case, AlumniProfile, AlumniSurvey)
    tables = [m._meta.db_table for m in models]
    n_results, result_rows = _stage_result_rows(rng, first_current, current_status, stages)
    n_cases, case_rows = _case_rows(
        rng, departed=departed, ended=ended, host_of=host_of, host_ids=host_ids, now=now
    )
    profile_rows, survey_rows = _alumni_rows(rng, ended=ended, reasons=reasons, today=today)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        indexes = _drop_secondary_indexes(cursor, tables)
        results.write(cursor, result_rows)
        cases.write(cursor, iter(case_rows))
        profiles.write(cursor, iter(profile_rows))
        surveys.write(cursor, iter(survey_rows))
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in indexes:
            cursor.execute(statement)
        _set_sequences(cursor, models)
    connection.connection.commit()
    return {
        "tables": tables,
        "stage_results": n_results,
        "cases": n_cases,
        "alumni_profiles": len(profile_rows),
        "alumni_surveys": len(survey_rows),
    }


def _set_sequences(cursor: Any, models: tuple[Any, ...]) -> None:
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1)) FROM {table}",  # noqa: S608
            [table],
        )


def _stage_result_rows(
    rng: np.random.Generator, first_id: int, statuses: np.ndarray, stages: list[Any]
) -> tuple[int, Any]:
    """Stage results of the current round's applications, as ``COPY`` text: those in
    selection have passed the first 1 to 7 stages so far; of those not selected, three in
    five failed one stage (nothing is recorded after it) and the rest passed all eight and
    ranked below the quota; reserves and everyone selected or further on passed all eight;
    some who withdrew passed a stage or two first."""
    n = len(statuses)
    count = np.zeros(n, dtype=np.int64)
    fails = np.zeros(n, dtype=bool)
    in_selection = statuses == "in_selection"
    count[in_selection] = rng.integers(1, len(stages), size=int(in_selection.sum()))
    not_selected = statuses == "not_selected"
    failed_at = rng.integers(1, len(stages) + 1, size=n)
    failing = not_selected & (rng.random(n) < 0.6)
    count[not_selected] = len(stages)
    count[failing] = failed_at[failing]
    fails[failing] = True
    passed_all = np.isin(statuses, ["reserve", "selected", "in_training", "graduated"])
    count[passed_all] = len(stages)
    withdrawn = statuses == "withdrawn"
    count[withdrawn] = rng.integers(0, 3, size=int(withdrawn.sum()))
    total = int(count.sum())
    application = np.repeat(np.arange(first_id, first_id + n), count)
    starts = np.repeat(np.cumsum(count) - count, count)
    index = np.arange(total) - starts
    last = index == np.repeat(count - 1, count)
    passed = ~(last & np.repeat(fails, count))
    stage_ids = np.array([stage.pk for stage in stages])[index]
    # Scores where the stage is scored: at or above the pass mark when passed, below if not.
    marks = [(int(s.pass_mark), int(s.max_score)) if s.kind == "score" else None for s in stages]
    noise = rng.random(total)

    def score(i: int, ok: bool, u: float) -> str:
        mark = marks[i]
        if mark is None:
            return "\\N"
        low, high = (mark[0], mark[1]) if ok else (0, mark[0] - 1)
        return str(low + int(u * (high - low + 1)))

    rows = (
        f"{k}\t{a}\t{st}\t{'t' if ok else 'f'}\t{score(i, ok, u)}"
        for k, a, st, ok, i, u in zip(
            range(1, total + 1),
            application.tolist(),
            stage_ids.tolist(),
            passed.tolist(),
            index.tolist(),
            noise.tolist(),
            strict=True,
        )
    )
    return total, rows


CATEGORIES = (
    ("wages", 0.2), ("working_hours", 0.15), ("harassment", 0.1), ("accident", 0.1),
    ("health", 0.15), ("housing", 0.1), ("debt_or_fees", 0.1), ("other", 0.1),
)  # fmt: skip
# Severity: share of cases and hours to resolve before escalation (``CaseTarget``).
SEVERITIES = (("low", 0.35, 720), ("medium", 0.4, 336), ("high", 0.2, 72), ("critical", 0.05, 24))


def _case_rows(
    rng: np.random.Generator,
    *,
    departed: np.ndarray,
    ended: list[str],
    host_of: np.ndarray,
    host_ids: list[int],
    now: dt.datetime,
) -> tuple[int, list[str]]:
    """Incidents and grievances about ``CASE_SHARE`` of the internships (a few have two),
    half of them about interns in Japan now, filed during the stay; older ones mostly
    closed, recent ones open or in progress; those resolved after their target time
    escalated first."""
    n_cases = int(len(departed) * CASE_SHARE)
    # Half of them about interns in Japan now (cases are recorded since the system started),
    # the rest about any stay.
    there = np.flatnonzero(np.array([end == "\\N" for end in ended]))
    internship = np.where(
        rng.random(n_cases) < 0.5,
        there[rng.integers(0, max(len(there), 1), size=n_cases)] if len(there) else 0,
        rng.integers(0, len(departed), size=n_cases),
    )
    category = rng.choice([c for c, _w in CATEGORIES], size=n_cases, p=[w for _c, w in CATEGORIES])
    severity = rng.choice(len(SEVERITIES), size=n_cases, p=[w for _s, w, _h in SEVERITIES])
    u = rng.random((n_cases, 6))
    rows = []
    for k in range(n_cases):
        i = int(internship[k])
        start = dt.datetime.combine(departed[i], dt.time(9), tzinfo=dt.UTC)
        end = (
            now
            if ended[i] == "\\N"
            else dt.datetime.combine(dt.date.fromisoformat(ended[i]), dt.time(9), tzinfo=dt.UTC)
        )
        end = min(end, now)
        filed = start + (end - start) * float(u[k, 0])
        level, _share, hours = SEVERITIES[int(severity[k])]
        due = filed + dt.timedelta(hours=hours)
        took = dt.timedelta(hours=float(rng.exponential(hours * 0.5)) + 1)
        resolved = filed + took
        old = now - filed > dt.timedelta(days=60)
        if resolved > now or (not old and u[k, 1] < 0.5):
            status = "open" if u[k, 2] < 0.5 else "in_progress"
            resolved_at = closed_at = None
        elif resolved + dt.timedelta(days=3) <= now and u[k, 3] < 0.9:
            status, resolved_at, closed_at = "closed", resolved, resolved + dt.timedelta(days=3)
        else:
            status, resolved_at, closed_at = "resolved", resolved, None
        reference = resolved_at or now
        escalated = due + dt.timedelta(hours=1) if reference > due else None
        kind = "incident" if category[k] in ("accident", "health") else "grievance"
        filed_as = "intern" if u[k, 4] < 0.6 else "officer" if u[k, 4] < 0.9 else "partner"

        def text(value: dt.datetime | None) -> str:
            return "\\N" if value is None else value.isoformat()

        rows.append(
            "\t".join(
                (
                    str(k + 1),
                    str(i + 1),
                    kind,
                    str(category[k]),
                    level,
                    f"Case {k + 1} (generated)",
                    str(host_ids[int(host_of[i])]),
                    "t" if u[k, 5] < 0.3 else "f",
                    "t" if u[k, 5] < 0.6 else "f",
                    filed_as,
                    filed.isoformat(),
                    status,
                    due.isoformat(),
                    text(escalated),
                    "Resolved with the host company" if resolved_at else "",
                    text(resolved_at),
                    text(closed_at),
                )
            )
        )
    return n_cases, rows


EMPLOYMENT = (
    ("employed", 0.45), ("self_employed", 0.2), ("unemployed", 0.1), ("studying", 0.05),
    ("in_japan", 0.12), ("other", 0.08),
)  # fmt: skip
INCOME = ("below_2m", "2m_5m", "5m_10m", "above_10m", "undisclosed")


def _alumni_rows(
    rng: np.random.Generator, *, ended: list[str], reasons: list[str], today: dt.date
) -> tuple[list[str], list[str]]:
    """Alumni profiles for ``ALUMNI_SHARE`` of the interns who completed and came home (the
    candidate of internship i is candidate i), each with one to three follow-up surveys
    from six months after the return; most self-employed alumni started a business, most
    working in Japan went back as Specified Skilled Workers."""
    returned = [i for i, reason in enumerate(reasons) if reason == "completed"]
    chosen = [i for i in returned if rng.random() < ALUMNI_SHARE]
    profiles, surveys = [], []
    survey_id = 0
    for profile_id, i in enumerate(chosen, start=1):
        profiles.append(f"{profile_id}\t{i + 1}")
        back = dt.date.fromisoformat(ended[i])
        first = min(back + dt.timedelta(days=180), today)
        answers = int(rng.integers(1, 4))
        span = max((today - first).days, 0)
        for day in sorted(int(d) for d in rng.integers(0, span + 1, size=answers)):
            survey_id += 1
            work = str(rng.choice([e for e, _w in EMPLOYMENT], p=[w for _e, w in EMPLOYMENT]))
            business = rng.random() < (0.8 if work == "self_employed" else 0.05)
            ssw = work == "in_japan" and rng.random() < 0.9
            surveys.append(
                f"{survey_id}\t{profile_id}\t{(first + dt.timedelta(days=day)).isoformat()}"
                f"\t{work}\t{'t' if business else 'f'}\t{INCOME[int(rng.integers(0, 5))]}"
                f"\t{'t' if ssw else 'f'}"
            )
    return profiles, surveys


def _agreements(
    partner: Any, prefectures: dict[str, Any], provinces: dict[str, Any]
) -> dict[str, Any]:
    """The partner prefectures' agreements (``AGREEMENTS``) through the service, plus one
    between the first supervising organisation and the Jawa Barat province, naming Aichi."""
    from magang.partnerships.services import AgreementData, agreement_save

    for k, (code, title, public) in enumerate(AGREEMENTS):
        agreement_save(
            data=AgreementData(
                title=title,
                kind="moc" if k % 2 == 0 else "agreement",
                status="signed",
                prefecture=prefectures[code],
                signed_on=dt.date(2019 + k, 7, 10),
                valid_from=dt.date(2019 + k, 7, 10),
                valid_until=dt.date(2029 + k, 7, 9),
                is_public=public,
                intern_quota=500,
            ),
            by=None,
        )
    agreement_save(
        data=AgreementData(
            title="Supervisor 0 and Jawa Barat",
            kind="mou",
            status="signed",
            indonesian_province=provinces["32"],
            prefecture=prefectures["23"],
            organisations=(partner,),
            signed_on=dt.date(2024, 2, 1),
            valid_from=dt.date(2024, 2, 1),
        ),
        by=None,
    )
    return {"partner_prefecture": "23", "public_prefecture": "04", "largest_prefecture": "23"}


Page = tuple[str, str, str | None, Callable[[int], dict[str, Any]]]


def pages(facts: dict[str, Any]) -> list[Page]:
    """(name, URL, user, query for request i): every public and dashboard page."""
    today = dt.date.today()

    def none(_i: int) -> dict[str, str]:
        return {}

    def past(i: int) -> dict[str, str]:
        return {"as_of": (today - dt.timedelta(days=37 * i + 11)).isoformat()}

    round_query = {"round": str(facts["current_round"])}

    def in_round(_i: int) -> dict[str, str]:
        return round_query

    def drill(_i: int) -> dict[str, str]:
        return {"prefecture": facts["largest_prefecture"], "outcome": "in_japan"}

    return [
        ("public page, today", "/stats/", None, none),
        ("public page, as of a past date", "/stats/", None, past),
        ("CSV download", "/stats/summary.csv", None, past),
        ("XLSX download", "/stats/summary.xlsx", None, past),
        ("PDF summary", "/stats/summary.pdf", None, past),
        ("API summary", "/api/v1/stats/summary", None, past),
        ("dashboard, leadership", "/stats/dashboard/", "leadership", none),
        ("dashboard, partner", "/stats/dashboard/", "partner", none),
        ("dashboard, host company", "/stats/dashboard/", "host", none),
        ("dashboard, training staff", "/stats/dashboard/", "trainer", none),
        ("dashboard, regional officer", "/stats/dashboard/", "officer", none),
        ("funnel, leadership (304 sites)", "/stats/dashboard/funnel/", "leadership", in_round),
        ("funnel, regional officer", "/stats/dashboard/funnel/", "officer", in_round),
        ("rates, leadership", "/stats/dashboard/rates/", "leadership", none),
        (
            f"drill-down list, leadership (interns in {facts['largest_prefecture']} now)",
            "/stats/dashboard/internships/",
            "leadership",
            drill,
        ),
        *partnership_pages(facts),
    ]


def partnership_pages(facts: dict[str, Any]) -> list[Page]:
    """The partner prefecture pages and the comparison (``magang.partnerships``)."""

    def none(_i: int) -> dict[str, str]:
        return {}

    def compared(_i: int) -> dict[str, list[str]]:
        return {"p": list(COMPARED)}

    public, largest = facts["public_prefecture"], facts["largest_prefecture"]
    return [
        (f"prefecture page {public}, public", f"/partnerships/prefectures/{public}/", None, none),
        (
            f"prefecture page {largest} (largest), leadership",
            f"/partnerships/prefectures/{largest}/",
            "leadership",
            none,
        ),
        (
            f"prefecture page {facts['partner_prefecture']}, partner",
            f"/partnerships/prefectures/{facts['partner_prefecture']}/",
            "partner",
            none,
        ),
        (
            f"compare {len(COMPARED)} prefectures, leadership",
            "/partnerships/compare/",
            "leadership",
            compared,
        ),
    ]


def _forget_rendered() -> None:
    """What a new refresh makes the pages compute again: the cache of rendered pages and
    partner prefecture figures, and the per-process names of places and trades."""
    from django.core.cache import cache

    from magang.stats import selectors

    cache.clear()
    selectors._per_refresh.clear()


def _swapped() -> Any:
    """A context manager: the summary readers swapped for ``magang.stats.direct`` (GROUP BY
    over the programme's tables), and the partner prefecture figures for their uncached
    count."""
    import contextlib

    from magang.partnerships import figures as partner_figures
    from magang.partnerships import selectors as partner_selectors
    from magang.stats import direct, scoped, selectors

    @contextlib.contextmanager
    def swap() -> Any:
        targets: dict[tuple[Any, str], Any] = {
            (selectors if attr == "summary" else scoped, attr): replacement
            for attr, replacement in direct.REPLACEMENTS.items()
        }
        targets[(partner_selectors, "prefecture_figures")] = partner_figures.compute_figures
        originals = {(module, attr): getattr(module, attr) for module, attr in targets}
        for (module, attr), replacement in targets.items():
            setattr(module, attr, replacement)
        try:
            yield
        finally:
            for (module, attr), original in originals.items():
                setattr(module, attr, original)

    return swap()


def measure(facts: dict[str, Any], repeats: int, baseline_repeats: int) -> list[dict[str, Any]]:
    """Each page three ways: *served* (what users get: 2 warm-ups, then ``repeats``
    requests, rendered figures kept between requests as in production); *after a refresh*
    (``repeats`` requests each computing and rendering from the summaries, as the first
    request after every refresh does); *baseline* (the same computation from the
    programme's tables, ``baseline_repeats`` requests)."""
    from django.test import Client

    # dev settings allow localhost, not the test client's "testserver"
    clients: dict[str | None, Any] = {None: Client(SERVER_NAME="localhost")}
    for name, user in facts["users"].items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        clients[name] = client

    def run(
        url: str, user: str | None, query: Callable[[int], Any], n: int, *, cold: bool
    ) -> list[float]:
        samples = []
        for i in range(n + 2):
            if cold:
                _forget_rendered()
            started = time.perf_counter()
            response = clients[user].get(url, query(i))
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, user, response.status_code)
            if i >= 2:  # two warm-ups
                samples.append(elapsed)
        return samples

    results = []
    for name, url, user, query in pages(facts):
        _forget_rendered()
        served = run(url, user, query, repeats, cold=False)
        fresh = run(url, user, query, repeats, cold=True)
        with _swapped():
            slow = run(url, user, query, baseline_repeats, cold=True)
        _forget_rendered()
        results.append(
            {
                "page": name,
                "url": url,
                "p50_ms": _ms(statistics.median(served)),
                "p95_ms": _ms(_p95(served)),
                "fresh_p50_ms": _ms(statistics.median(fresh)),
                "fresh_p95_ms": _ms(_p95(fresh)),
                "baseline_p50_ms": _ms(statistics.median(slow)),
                "ratio": round(statistics.median(slow) / statistics.median(fresh), 1),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stats")
    parser.add_argument("--quick", action="store_true", help="100,000 applications")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and skip the page timings"
    )
    args = parser.parse_args()
    n_apps, n_interns = (100_000, 20_000) if args.quick else (APPLICATIONS, INTERNSHIPS)
    load_average = round(os.getloadavg()[0], 1)
    url = _create_database("stats")
    try:
        _django(url, "stats")
        from django.core.management import call_command

        from magang.reference.services import reference_load_all
        from magang.stats.refresh import stats_refresh

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        reference_load_all()
        migrate_seconds = time.perf_counter() - started
        facts = load(n_apps, n_interns)
        print(f"loaded in {facts['load_seconds']} s", file=sys.stderr)
        refreshes = []
        for _ in range(3):
            refresh = stats_refresh()
            refreshes.append(refresh.seconds)
        rows = dict(refresh.rows)
        print(f"refreshed in {min(refreshes)} s", file=sys.stderr)
        if args.keep:
            print(f"kept {url}", file=sys.stderr)
            return
        results = measure(facts, REPEATS, BASELINE_REPEATS)
    finally:
        if not args.keep:
            _drop_database(url)
    print(
        json.dumps(
            {
                "applications": n_apps,
                "internships": n_interns,
                "host_companies": HOSTS,
                "enrolments": facts["enrolments"],
                "stage_results": facts["stage_results"],
                "cases": facts["cases"],
                "alumni_profiles": facts["alumni_profiles"],
                "alumni_surveys": facts["alumni_surveys"],
                "migrate_seconds": round(migrate_seconds, 1),
                "load_seconds": facts["load_seconds"],
                "refresh_seconds": min(refreshes),
                "refresh_rows": rows,
                "repeats": REPEATS,
                "baseline_repeats": BASELINE_REPEATS,
                "goal_ms": GOAL_MS,
                "load_average": load_average,
                "pages": results,
            }
        )
    )


if __name__ == "__main__":
    main()
