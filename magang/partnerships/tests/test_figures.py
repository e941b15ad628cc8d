"""A prefecture's figures: counted from that prefecture's internships only, as of a date,
exact for ministry roles and suppressed for everyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import Cast
from magang import factories as f
from magang.internships.models import EndReason
from magang.partnerships.figures import compute_figures, prefecture_figures
from magang.partnerships.selectors import publish

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


def test_figures_are_cached_per_prefecture_and_date(cast: Cast) -> None:
    stay(D(2023, 1, 1))
    miyagi = f.prefecture("04")
    prefecture_figures(miyagi, D(2024, 6, 30))
    with CaptureQueriesContext(connection) as queries:
        again = prefecture_figures(miyagi, D(2024, 6, 30))
    assert len(queries) == 0
    assert again.departed == 1


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
