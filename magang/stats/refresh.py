"""Recomputing the summary tables of ``models.py`` from the programme's tables.

``stats_refresh()`` is the one entry point: ``manage.py stats_refresh`` calls it (from cron,
a Celery beat or its own ``--every`` loop), and so does the demo build. It reads each source
table once with GROUP BY queries, rolls the groups up in Python and replaces every summary
row in one transaction, so readers see either the old figures or the new ones, never a mix.
On PostgreSQL a transaction-level advisory lock keeps two refreshes from interleaving. The
partner prefecture pages' own counts (``partnerships.figures.prefecture_counts_refresh``)
are taken in the same transaction: ``stats`` reads every app, so this job keeps them too.
A refresh has a new ``token``, which retires every page rendered from the figures before it
(``rendered.py``).

Freshness: run it every 2 minutes and figures are at most 2 minutes plus one refresh old
(the refresh of 200,000 internships and 1,000,000 applications takes seconds: see
docs/benchmarks.md). Every page says when its figures were taken ("as of HH:MM").
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from magang.core.bulk import BulkTable
from magang.internships.models import EndReason, Internship
from magang.internships.models.alumni import AlumniSurvey
from magang.internships.models.cases import OPEN_CASE_STATUSES, Case
from magang.partnerships.figures import prefecture_counts_refresh
from magang.placement.models import JobOrder, Match, MatchState
from magang.recruitment.models import Application
from magang.selection.models import StageResult
from magang.training.models import Enrolment

from .models import (
    AlumniCount,
    CaseCount,
    CohortCount,
    Dimension,
    FlowDay,
    FlowMonth,
    OrderCount,
    PlacementCount,
    Refresh,
    StageCount,
    StatusCount,
)

# Arbitrary but fixed: the advisory lock of the statistics refresh.
_LOCK_KEY = 80_2026_08
_REASONS = (EndReason.COMPLETED.value, EndReason.EARLY_RETURN.value, EndReason.MISSING.value)
FlowKey = tuple[str, str]  # (dimension, key)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def daily_flows() -> dict[tuple[dt.date, str, str], list[int]]:
    """(day, dimension, key) -> [departed, completed, early_return, missing]."""
    flows: dict[tuple[dt.date, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    places = {
        "province_ref": F("application__candidate__province__code"),
        "prefecture_ref": F("prefecture__code"),
        "trade_ref": F("trade__code"),
    }
    departures = (
        Internship.objects.order_by()
        .values("departed_on", **places)
        .annotate(n=Count("pk"))
        .values_list("departed_on", "province_ref", "prefecture_ref", "trade_ref", "n")
    )
    for day, province, prefecture, trade, n in departures:
        for key in _keys(str(day.year), province, prefecture, trade):
            flows[(day, *key)][0] += n
    endings = (
        Internship.objects.filter(ended_on__isnull=False)
        .order_by()
        .values("ended_on", "end_reason", year=ExtractYear("departed_on"), **places)
        .annotate(n=Count("pk"))
        .values_list(
            "ended_on", "end_reason", "year", "province_ref", "prefecture_ref", "trade_ref", "n"
        )
    )
    columns = {reason: 1 + i for i, reason in enumerate(_REASONS)}
    for ended_on, reason, year, province, prefecture, trade, n in endings:
        column = columns.get(reason)
        if ended_on is None or column is None:
            continue
        for key in _keys(str(year), province, prefecture, trade):
            flows[(ended_on, *key)][column] += n
    return flows


_TOTAL, _YEAR, _PROVINCE, _PREFECTURE, _TRADE = (d.value for d in Dimension)


def _keys(year: str, province: Any, prefecture: Any, trade: Any) -> tuple[FlowKey, ...]:
    return (
        (_TOTAL, ""),
        (_YEAR, year),
        (_PROVINCE, province or ""),
        (_PREFECTURE, prefecture or ""),
        (_TRADE, trade or ""),
    )


def monthly_totals(
    flows: dict[tuple[dt.date, str, str], list[int]], *, until: dt.date
) -> list[tuple[dt.date, str, str, list[int]]]:
    """Running totals before the first of every month, from the first month with a flow
    to the month after ``until``, for every key that has moved by then."""
    by_key: dict[FlowKey, list[tuple[dt.date, list[int]]]] = defaultdict(list)
    for (day, dimension, key), counts in flows.items():
        by_key[(dimension, key)].append((day, counts))
    rows: list[tuple[dt.date, str, str, list[int]]] = []
    last = _next_month(_month(until))
    for (dimension, key), days in by_key.items():
        days.sort()
        running = [0, 0, 0, 0]
        index = 0
        month = _next_month(_month(days[0][0]))
        while month <= last:
            while index < len(days) and days[index][0] < month:
                running = [a + b for a, b in zip(running, days[index][1], strict=True)]
                index += 1
            rows.append((month, dimension, key, list(running)))
            month = _next_month(month)
    return rows


def _placements(today: dt.date) -> list[tuple[Any, ...]]:
    still_there = Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    return list(
        Internship.objects.filter(departed_on__lte=today)
        .order_by()
        .values(
            "supervising_organisation_id",
            "host_company_id",
            pref=F("prefecture__code"),
            trade_code=F("trade__code"),
        )
        .annotate(
            departed=Count("pk"),
            in_japan=Count("pk", filter=still_there),
            completed=Count("pk", filter=Q(end_reason=EndReason.COMPLETED, ended_on__lte=today)),
            early=Count("pk", filter=Q(end_reason=EndReason.EARLY_RETURN, ended_on__lte=today)),
            missing=Count("pk", filter=Q(end_reason=EndReason.MISSING, ended_on__lte=today)),
        )
        .values_list(
            "supervising_organisation_id",
            "host_company_id",
            "pref",
            "trade_code",
            "departed",
            "in_japan",
            "completed",
            "early",
            "missing",
        )
    )


def _orders() -> list[tuple[Any, ...]]:
    filled: dict[int, int] = dict(
        Match.objects.filter(run__state=MatchState.FINAL)
        .order_by()
        .values("job_order_id")
        .annotate(n=Count("pk"))
        .values_list("job_order_id", "n")
    )
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    for order_id, so, host, pref, trade, state, slots in JobOrder.objects.values_list(
        "pk",
        "supervising_organisation_id",
        "host_company_id",
        "prefecture__code",
        "trade__code",
        "state",
        "slots",
    ):
        group = groups[(so, host, pref, trade, state)]
        group[0] += 1
        group[1] += slots
        group[2] += min(filled.get(order_id, 0), slots)
    return [(*key, *counts) for key, counts in groups.items()]


def _cases() -> list[tuple[Any, ...]]:
    groups: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0])
    for (
        category,
        so,
        site_org,
        shared,
        status,
        filed_at,
        resolved_at,
        escalated_at,
    ) in Case.objects.values_list(
        "category",
        "internship__supervising_organisation_id",
        "internship__application__site__organisation_id",
        "share_with_partner",
        "status",
        "filed_at",
        "resolved_at",
        "escalated_at",
    ).iterator():
        group = groups[(category, so, site_org, shared)]
        group[0] += 1
        group[1] += status in OPEN_CASE_STATUSES
        if resolved_at is not None:
            group[2] += 1
            group[4] += (resolved_at - filed_at).total_seconds() / 3600
        group[3] += escalated_at is not None
    return [
        (*key, int(a), int(b), int(c), int(d), round(e, 2))
        for key, (a, b, c, d, e) in groups.items()
    ]


def _alumni() -> list[tuple[Any, ...]]:
    """Each alumnus's latest survey, grouped by what it says."""
    latest: dict[int, tuple[str, bool, bool]] = {}
    for profile, employment, business, ssw in AlumniSurvey.objects.order_by(
        "profile_id", "answered_on", "pk"
    ).values_list("profile_id", "employment", "business_started", "back_in_japan_ssw"):
        latest[profile] = (employment, business, ssw)
    counts: dict[tuple[str, bool, bool], int] = defaultdict(int)
    for answer in latest.values():
        counts[answer] += 1
    return [(*key, n) for key, n in counts.items()]


def _copy_text(value: Any) -> str:
    """A value as PostgreSQL's COPY text reads it. Summary values are numbers, dates,
    booleans, None and codes (no tabs, newlines or backslashes)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _write(model: Any, fields: tuple[str, ...], rows: list[tuple[Any, ...]], now: Any) -> int:
    """Replace every row of ``model`` by ``rows``: one DELETE statement (QuerySet.delete()
    would load the rows first), then COPY as text on PostgreSQL (a few times faster than
    adapting row by row; these tables hold up to a few hundred thousand rows), else
    ``BulkTable``."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        BulkTable(model, fields, now=now, ids=False).write(rows)
        return len(rows)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    copy_sql = f"COPY {table} ({columns}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(copy_sql) as copy,
    ):
        for start in range(0, len(rows), 50_000):
            batch = rows[start : start + 50_000]
            copy.write("".join("\t".join(map(_copy_text, row)) + "\n" for row in batch))
    return len(rows)


def _statuses() -> list[tuple[Any, ...]]:
    return list(
        Application.objects.order_by()
        .values("round_id", "site_id", "status")
        .annotate(n=Count("pk"))
        .values_list("round_id", "site_id", "status", "n")
    )


def _stages() -> list[tuple[Any, ...]]:
    return list(
        StageResult.objects.order_by()
        .values("application__round_id", "application__site_id", "stage_id")
        .annotate(
            passed_n=Count("pk", filter=Q(passed=True)),
            failed_n=Count("pk", filter=Q(passed=False)),
        )
        .values_list(
            "application__round_id", "application__site_id", "stage_id", "passed_n", "failed_n"
        )
    )


def _cohorts() -> list[tuple[Any, ...]]:
    return list(
        Enrolment.objects.order_by()
        .values("cohort_id", "state", centre=F("cohort__centre_id"))
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "centre", "state", "n")
    )


FLOW = ("departed", "completed", "early_return", "missing")
PLACE = ("supervising_organisation_id", "host_company_id", "prefecture_code", "trade_code")


def stats_refresh() -> Refresh:
    """Recompute every summary table from the programme's tables, in one transaction."""
    from .selectors import stats_today

    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        now = timezone.now()
        today = stats_today()
        flows: dict[tuple[dt.date, str, str], list[int]] = {}

        def day_rows() -> list[tuple[Any, ...]]:
            flows.update(daily_flows())
            return [(day, dim, key, *counts) for (day, dim, key), counts in flows.items()]

        def month_rows() -> list[tuple[Any, ...]]:
            return [(m, dim, key, *c) for m, dim, key, c in monthly_totals(flows, until=today)]

        parts: list[tuple[str, Any, tuple[str, ...], Callable[[], list[tuple[Any, ...]]]]] = [
            ("flow_days", FlowDay, ("day", "dimension", "key", *FLOW), day_rows),
            ("flow_months", FlowMonth, ("month", "dimension", "key", *FLOW), month_rows),
            (
                "placements",
                PlacementCount,
                (*PLACE, "departed", "in_japan", "completed", "early_return", "missing"),
                lambda: _placements(today),
            ),
            ("statuses", StatusCount, ("round_id", "site_id", "status", "count"), _statuses),
            (
                "stages",
                StageCount,
                ("round_id", "site_id", "stage_id", "passed", "failed"),
                _stages,
            ),
            ("cohorts", CohortCount, ("cohort_id", "centre_id", "state", "count"), _cohorts),
            ("orders", OrderCount, (*PLACE, "state", "orders", "slots", "filled"), _orders),
            (
                "cases",
                CaseCount,
                (
                    "category",
                    "supervising_organisation_id",
                    "site_organisation_id",
                    "shared_with_partner",
                    "filed",
                    "open",
                    "resolved",
                    "escalated",
                    "hours_to_resolution",
                ),
                _cases,
            ),
            (
                "alumni",
                AlumniCount,
                ("employment", "business_started", "back_in_japan_ssw", "count"),
                _alumni,
            ),
        ]
        written: dict[str, int] = {}
        seconds: dict[str, float] = {}
        for name, model, fields, rows in parts:
            part_started = time.perf_counter()
            written[name] = _write(model, fields, rows(), now)
            seconds[name] = round(time.perf_counter() - part_started, 3)
        # The partner prefecture pages' own counts (``partnerships.figures``), taken in the
        # same transaction so that they and the statistics agree.
        part_started = time.perf_counter()
        for name, n in prefecture_counts_refresh(day=today, now=now).items():
            written[name] = n
        seconds["partner_prefectures"] = round(time.perf_counter() - part_started, 3)
        refresh = Refresh.objects.create(
            data_as_of=now,
            finished_at=timezone.now(),
            seconds=round(time.perf_counter() - started, 3),
            rows=written,
            parts=seconds,
        )
        keep_recent_refreshes()
        return refresh


def latest_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-data_as_of").first()


def refresh_if_stale(*, max_age: dt.timedelta = dt.timedelta(minutes=2)) -> Refresh | None:
    """Refresh unless the last refresh is younger than ``max_age``: what a Celery beat or a
    cron entry calls every minute. Returns the new refresh, or None when it was fresh."""
    latest = latest_refresh()
    if latest is not None and timezone.now() - latest.data_as_of < max_age:
        return None
    return stats_refresh()


def keep_recent_refreshes(count: int = 100) -> None:
    """Forget all but the last ``count`` refresh records (they only say when and how long)."""
    keep = Refresh.objects.order_by("-data_as_of").values_list("pk", flat=True)[:count]
    Refresh.objects.exclude(pk__in=list(keep)).delete()
