from __future__ import annotations

from datetime import date

import pytest
from pytest_django import DjangoAssertNumQueries, Settings

from magang.stats.selectors import FIRST_YEAR, public_as_of, stats_today, summary
from magang.stats.suppression import Cell

from .conftest import MakeInternship

pytestmark = pytest.mark.django_db


def exact(**kwargs: date) -> dict[str, int | None]:
    """The totals with suppression off, so the boundary arithmetic is visible."""
    s = summary(as_of=kwargs["as_of"], minimum_cell=1)
    return {"departed": s.departed_total.count, "in_japan": s.in_japan.count}


def test_it_counts_an_intern_departing_on_the_date_as_departed_and_in_japan(
    make_internship: MakeInternship,
) -> None:
    make_internship(date(2020, 4, 1))
    assert exact(as_of=date(2020, 3, 31)) == {"departed": 0, "in_japan": 0}
    assert exact(as_of=date(2020, 4, 1)) == {"departed": 1, "in_japan": 1}


def test_it_counts_an_intern_ending_on_the_date_as_no_longer_in_japan(
    make_internship: MakeInternship,
) -> None:
    make_internship(date(2020, 4, 1), date(2023, 4, 1))
    assert exact(as_of=date(2023, 3, 31)) == {"departed": 1, "in_japan": 1}
    assert exact(as_of=date(2023, 4, 1)) == {"departed": 1, "in_japan": 0}
    assert exact(as_of=date(2030, 1, 1)) == {"departed": 1, "in_japan": 0}


def test_it_counts_a_stay_that_ends_on_the_day_it_starts_as_departed_only(
    make_internship: MakeInternship,
) -> None:
    make_internship(date(2020, 4, 1), date(2020, 4, 1))
    assert exact(as_of=date(2020, 4, 1)) == {"departed": 1, "in_japan": 0}


def test_it_suppresses_small_breakdowns_and_keeps_zeros(
    make_internship: MakeInternship,
) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1), province="32", prefecture="13")
    for _ in range(2):
        make_internship(date(2019, 6, 1), date(2022, 6, 1), province="33", prefecture="23")

    s = summary(as_of=date(2023, 1, 1))

    assert s.minimum_cell == 5
    assert s.departed_total == Cell(7, 5)
    assert s.in_japan == Cell(5, 5)
    assert [(p.code, p.name, p.count) for p in s.departed_by_province] == [
        ("32", "Jawa Barat", Cell(5, 5)),
        ("33", "Jawa Tengah", Cell(None, 5)),
    ]
    assert [(p.code, p.count) for p in s.in_japan_by_province] == [
        ("32", Cell(5, 5)),
        ("33", Cell(0, 5)),
    ]
    assert [(p.code, p.name_en, p.name_ja, p.count) for p in s.departed_by_prefecture] == [
        ("13", "Tokyo", "東京都", Cell(5, 5)),
        ("23", "Aichi", "愛知県", Cell(None, 5)),
    ]
    assert [p.count for p in s.in_japan_by_prefecture] == [Cell(5, 5), Cell(0, 5)]
    assert s.departures_by_year[2019] == Cell(7, 5)
    assert s.departures_by_year[2018] == Cell(0, 5)


def test_it_suppresses_a_small_total_too(make_internship: MakeInternship) -> None:
    make_internship(date(2019, 6, 1))
    s = summary(as_of=date(2023, 1, 1))
    assert s.departed_total.suppressed
    assert s.in_japan.suppressed


def test_it_takes_the_minimum_cell_size_from_settings(
    make_internship: MakeInternship, settings: Settings
) -> None:
    settings.MAGANG_STATS_MIN_CELL = 3
    for _ in range(3):
        make_internship(date(2019, 6, 1))
    assert summary(as_of=date(2023, 1, 1)).departed_total == Cell(3, 3)


def test_it_lists_every_year_from_1993_to_the_as_of_year(
    make_internship: MakeInternship,
) -> None:
    for day in (date(1995, 1, 1), date(1995, 12, 31), date(2001, 7, 1)):
        make_internship(day)
    s = summary(as_of=date(2001, 12, 31), minimum_cell=1)
    assert list(s.departures_by_year) == list(range(FIRST_YEAR, 2002))
    assert s.departures_by_year[1995] == Cell(2, 1)
    assert s.departures_by_year[2001] == Cell(1, 1)
    assert sum(c.count or 0 for c in s.departures_by_year.values()) == 3


def test_it_counts_only_departures_up_to_the_date_in_its_year(
    make_internship: MakeInternship,
) -> None:
    make_internship(date(2001, 7, 1))
    make_internship(date(2001, 7, 2))
    s = summary(as_of=date(2001, 7, 1), minimum_cell=1)
    assert s.departures_by_year[2001] == Cell(1, 1)


def test_it_gives_zeros_and_no_rows_before_the_programme(
    make_internship: MakeInternship,
) -> None:
    make_internship(date(2001, 7, 1))
    s = summary(as_of=date(1980, 1, 1))
    assert s.departed_total == Cell(0, 5)
    assert s.in_japan == Cell(0, 5)
    assert s.departures_by_year == {}
    assert s.by_province == ()
    assert s.by_prefecture == ()


def test_it_reads_a_fixed_number_of_small_queries_however_many_interns(
    make_internship: MakeInternship, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(12):
        make_internship(date(2000 + i, 1, 1), province="32" if i % 2 else "33")
    # The first read after a refresh also reads the names of places and trades and the
    # current rounds' progress; later reads only the refresh, the month totals and the days.
    summary(as_of=date(2024, 1, 1))
    with django_assert_num_queries(3):
        summary(as_of=date(2023, 6, 1))


def test_it_never_publishes_a_date_after_today() -> None:
    today = stats_today()
    assert public_as_of(None) == today
    assert public_as_of(date(9999, 12, 31)) == today
    assert public_as_of(date(1990, 1, 1)) == date(1990, 1, 1)
