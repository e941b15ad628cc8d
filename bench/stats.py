"""Statistics at national scale: every public and dashboard page on 1,000,000 applications and
200,000 internships in PostgreSQL, read from the summary tables, against the same page
computed directly with GROUP BY over the programme's tables, in the same run.

The data (numpy, fixed seed), written by ``COPY`` (``bench.selection``'s writer, foreign keys
unchecked while loading, indexes built afterwards):

- 34 yearly rounds (1993-2026); one selection site per province in the historical rounds, 8
  per province (304) in the current one; 1,000,000 candidates and applications: 200,000 of the
  historical rounds, each with its internship, and 800,000 in the current round, spread over
  the journey (registered, eligible, in selection, not selected, selected, in training...);
- 200,000 internships: departures in about 20 batches a year, more every year; 3,000 host
  companies under 6 supervising organisations, each host in one prefecture with one trade of
  60; most stays complete after 3 years (some 5), about 8% end early, 3% go missing;
  those not yet ended are in Japan;
- 40 training cohorts at 4 centres with every current application in training or graduated
  enrolled; 2,000 job orders.
Selection stage results are not generated (the funnel's stage columns read an empty table).

Timed: ``stats_refresh`` (best of 3) and, for each page, the server time of ``REPEATS``
requests through Django's test client in this process (no network): the median and the p95
(goal: 150 ms). "As of a date" requests pick a different past date each time. The baseline is
the same URL with the summary readers swapped for ``magang.stats.direct`` (GROUP BY over the
raw tables), fewer times because it is slow; the ratio is baseline p50 / summary p50.

Prints one JSON object. ``--quick`` is 100,000 applications and 20,000 internships.
PostgreSQL: MAGANG_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432); a database
``magang_bench_stats_<pid>`` is created and dropped.
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
    prefecture_ids = list(Prefecture.objects.order_by("code").values_list("id", flat=True))
    trade_ids = list(Trade.objects.order_by("code").values_list("id", flat=True))[:60]
    today = dt.date.today()

    ministry = Organisation.objects.create(kind=Organisation.Kind.MINISTRY_UNIT, name="Kemnaker")
    partners = [
        Organisation.objects.create(
            kind=Organisation.Kind.SUPERVISING_ORGANISATION, name=f"Supervisor {i}"
        )
        for i in range(PARTNERS)
    ]
    host_prefecture = rng.choice(len(prefecture_ids), size=HOSTS)
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
    with connection.cursor() as cursor:
        for table in (*tables, Enrolment._meta.db_table):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
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


def pages(
    facts: dict[str, Any],
) -> list[tuple[str, str, str | None, Callable[[int], dict[str, str]]]]:
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
        return {"prefecture": "04", "outcome": "in_japan"}

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
        ("funnel, leadership (304 sites)", "/stats/dashboard/funnel/", "leadership", in_round),
        ("funnel, regional officer", "/stats/dashboard/funnel/", "officer", in_round),
        ("rates, leadership", "/stats/dashboard/rates/", "leadership", none),
        ("drill-down list, leadership", "/stats/dashboard/internships/", "leadership", drill),
    ]


def measure(facts: dict[str, Any], repeats: int, baseline_repeats: int) -> list[dict[str, Any]]:
    from django.test import Client

    from magang.stats import direct, scoped, selectors

    # dev settings allow localhost, not the test client's "testserver"
    clients: dict[str | None, Any] = {None: Client(SERVER_NAME="localhost")}
    for name, user in facts["users"].items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        clients[name] = client

    def run(
        url: str, user: str | None, query: Callable[[int], dict[str, str]], n: int
    ) -> list[float]:
        samples = []
        for i in range(n + 2):
            started = time.perf_counter()
            response = clients[user].get(url, query(i))
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, user, response.status_code)
            if i >= 2:  # two warm-ups
                samples.append(elapsed)
        return samples

    originals = {
        name: getattr(selectors if name == "summary" else scoped, name)
        for name in direct.REPLACEMENTS
    }
    results = []
    for name, url, user, query in pages(facts):
        fast = run(url, user, query, repeats)
        for attr, replacement in direct.REPLACEMENTS.items():
            setattr(selectors if attr == "summary" else scoped, attr, replacement)
        try:
            slow = run(url, user, query, baseline_repeats)
        finally:
            for attr, original in originals.items():
                setattr(selectors if attr == "summary" else scoped, attr, original)
        results.append(
            {
                "page": name,
                "url": url,
                "p50_ms": _ms(statistics.median(fast)),
                "p95_ms": _ms(_p95(fast)),
                "baseline_p50_ms": _ms(statistics.median(slow)),
                "ratio": round(statistics.median(slow) / statistics.median(fast), 1),
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
