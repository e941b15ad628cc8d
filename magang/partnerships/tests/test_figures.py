"""A prefecture's figures as of a date: from the counts taken in the background for their
day, else counted from that prefecture's internships only; exact for ministry roles and
suppressed for everyone else."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Cast
from magang import factories as f
from magang.internships.models import EndReason, Internship
from magang.internships.services.cases import case_file
from magang.partnerships.figures import (
    compute_figures,
    counted_figures,
    prefecture_counts_refresh,
    prefecture_figures,
)
from magang.partnerships.models import PrefectureCountsRefresh
from magang.partnerships.selectors import programme_today, publish
from magang.stats.refresh import stats_refresh

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def stay(
    departed: dt.date,
    ended: dt.date | None = None,
    reason: str = "",
    *,
    prefecture: str = "04",
    host: object = None,
    trade: str = "6-1-1",
) -> None:
    f.InternshipFactory(
        departed_on=departed,
        ended_on=ended,
        end_reason=reason or (EndReason.COMPLETED if ended else ""),
        prefecture=f.prefecture(prefecture),
        host_company=host,
        trade=f.trade(trade),
    )


def test_it_counts_years_outcomes_and_who_is_there(cast: Cast) -> None:
    stay(D(2021, 4, 1), D(2024, 3, 31), EndReason.COMPLETED, host=cast.host_company)
    stay(D(2021, 4, 1), D(2022, 1, 10), EndReason.EARLY_RETURN, host=cast.host_company)
    stay(D(2022, 9, 1), D(2023, 5, 5), EndReason.MISSING)
    stay(D(2023, 9, 21), host=cast.host_company, trade="2-1-9")
    stay(D(2023, 9, 21), prefecture="23", host=cast.host_company_other)  # elsewhere
    figures = compute_figures(f.prefecture("04"), D(2024, 12, 31))
    assert (figures.departed, figures.in_japan) == (4, 1)
    assert (figures.completed, figures.early_return, figures.missing) == (1, 1, 1)
    by_year = {row.year: row for row in figures.years}
    assert [row.year for row in figures.years] == [2021, 2022, 2023, 2024]
    assert by_year[2021].departed == 2 and by_year[2021].in_japan_at_end == 2
    assert by_year[2022].early_return == 1 and by_year[2022].in_japan_at_end == 2
    assert by_year[2023].missing == 1 and by_year[2023].in_japan_at_end == 2
    assert by_year[2024].completed == 1 and by_year[2024].in_japan_at_end == 1
    assert {t.code: (t.departed, t.in_japan) for t in figures.trades} == {
        "6-1-1": (3, 0),
        "2-1-9": (1, 1),
    }
    assert [(h.name, h.departed, h.in_japan) for h in figures.hosts] == [("Sendai Seiko", 3, 1)]
    assert (figures.host_companies_now, figures.host_companies_ever) == (1, 1)
    assert figures.rate(figures.missing) == pytest.approx(1 / 3)


def test_a_stay_ending_after_the_date_is_still_there_then(cast: Cast) -> None:
    stay(D(2023, 1, 1), D(2025, 1, 1), EndReason.COMPLETED)
    figures = compute_figures(f.prefecture("04"), D(2024, 6, 30))
    assert (figures.in_japan, figures.completed) == (1, 0)
    assert figures.years[-1].in_japan_at_end == 1


def test_departures_after_the_date_do_not_count(cast: Cast) -> None:
    stay(D(2025, 1, 1))
    figures = compute_figures(f.prefecture("04"), D(2024, 6, 30))
    assert figures.departed == 0 and figures.years == ()


def test_the_queries_stay_within_one_prefecture(cast: Cast) -> None:
    stay(D(2023, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        compute_figures(f.prefecture("04"), D(2024, 6, 30))
    internship_queries = [q["sql"] for q in queries if "internships_internship" in q["sql"]]
    assert internship_queries
    assert all('"prefecture_id" =' in sql for sql in internship_queries)


def _touching(queries: CaptureQueriesContext, *tables: str) -> list[str]:
    return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]


def test_figures_are_cached_per_prefecture_and_date(cast: Cast) -> None:
    stay(D(2023, 1, 1))
    miyagi = f.prefecture("04")
    prefecture_figures(miyagi, D(2024, 6, 30))
    with CaptureQueriesContext(connection) as queries:
        again = prefecture_figures(miyagi, D(2024, 6, 30))
    # Only the check for counts taken that day; nothing counted again.
    assert len(queries) == 1
    assert not _touching(queries, "internships_")
    assert again.departed == 1


def _some_stays(cast: Cast) -> None:
    rng = random.Random(8)
    hosts = [cast.host_company, cast.host_company_other, None]
    for _ in range(30):
        departed = D(2015, 1, 1) + dt.timedelta(days=rng.randrange(3500))
        ended = departed + dt.timedelta(days=rng.randrange(30, 1500))
        reason = rng.choice([EndReason.COMPLETED, EndReason.EARLY_RETURN, EndReason.MISSING])
        over = rng.random() < 0.7
        stay(
            departed,
            ended if over else None,
            reason if over else "",
            prefecture=rng.choice(["04", "23", "13"]),
            host=rng.choice(hosts),
            trade=rng.choice(["6-1-1", "2-1-9"]),
        )
    for internship in Internship.objects.order_by("pk")[::3]:
        case_file(
            internship=internship, by=cast.central, kind="incident",
            category=rng.choice(["wages", "housing", "health"]), severity="medium",
            description="Generated", share_with_partner=rng.random() < 0.5,
        )  # fmt: skip


def test_the_counts_give_what_counting_each_prefecture_gives(cast: Cast) -> None:
    _some_stays(cast)
    for day in (D(2017, 3, 1), D(2019, 12, 31), D(2026, 1, 1)):
        prefecture_counts_refresh(day=day, now=timezone.now())
        for code in ("04", "23", "13", "47"):
            prefecture = f.prefecture(code)
            counted = counted_figures(prefecture, day)
            assert counted == compute_figures(prefecture, day), (code, day)


def test_a_page_reads_its_prefectures_counts_and_no_internship(cast: Cast) -> None:
    _some_stays(cast)
    today = programme_today()
    prefecture_counts_refresh(day=today, now=timezone.now())
    miyagi = f.prefecture("04")
    with CaptureQueriesContext(connection) as queries:
        figures = prefecture_figures(miyagi, today)
    assert not _touching(queries, "internships_internship", "internships_case")
    assert figures == compute_figures(miyagi, today)
    assert figures.departed > 0


def test_counts_taken_for_another_day_are_not_used(cast: Cast) -> None:
    stay(D(2023, 1, 1), D(2024, 1, 1))
    miyagi = f.prefecture("04")
    prefecture_counts_refresh(day=D(2023, 6, 30), now=timezone.now())
    assert counted_figures(miyagi, D(2024, 6, 30)) is None
    with CaptureQueriesContext(connection) as queries:
        figures = prefecture_figures(miyagi, D(2024, 6, 30))
    assert _touching(queries, "internships_internship")
    assert (figures.in_japan, figures.completed) == (0, 1)


def test_the_statistics_refresh_takes_the_counts_for_today(cast: Cast) -> None:
    stay(D(2023, 1, 1))
    refresh = stats_refresh()
    taken = PrefectureCountsRefresh.objects.get()
    assert taken.day == programme_today()
    assert refresh.rows["prefecture_stays"] == 1
    stay(D(2023, 2, 1))
    stats_refresh()
    assert PrefectureCountsRefresh.objects.count() == 1
    assert counted_figures(f.prefecture("04"), programme_today()).departed == 2  # type: ignore[union-attr]


def test_the_public_reads_small_counts_suppressed_and_no_names(
    cast: Cast, settings: object
) -> None:
    settings.MAGANG_STATS_MIN_CELL = 5  # type: ignore[attr-defined]
    for _ in range(6):
        stay(D(2023, 1, 1), host=cast.host_company)
    stay(D(2023, 1, 1), D(2023, 6, 1), EndReason.MISSING)
    figures = compute_figures(f.prefecture("04"), D(2024, 6, 30))
    public = publish(f.prefecture("04"), figures, exact=False)
    assert public.departed.count == 7
    assert public.in_japan.count == 6
    assert public.missing.suppressed and public.missing.label == "<5"
    assert public.host_companies_now.suppressed
    assert public.hosts == () and public.incidents is None
    assert public.missing_rate is None
    exact = publish(f.prefecture("04"), figures, exact=True)
    assert exact.missing.count == 1 and exact.hosts
