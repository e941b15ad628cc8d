"""The summaries give the same figures as counting the raw tables, on any date."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from magang.internships.models import EndReason, Internship
from magang.stats import selectors
from magang.stats.direct import summary_direct
from magang.stats.models import FlowDay, FlowMonth, Refresh
from magang.stats.refresh import refresh_if_stale, stats_refresh

from .conftest import MakeInternship

pytestmark = pytest.mark.django_db


def _same(as_of: date, minimum: int) -> None:
    read = dataclasses.replace(
        selectors.summary(as_of=as_of, minimum_cell=minimum), data_as_of=None
    )
    assert read == summary_direct(as_of=as_of, minimum_cell=minimum), as_of


def test_it_matches_counting_the_raw_tables_on_every_kind_of_date(
    make_internship: MakeInternship,
) -> None:
    rng = random.Random(8)
    for _ in range(40):
        departed = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        ended = departed + timedelta(days=rng.randrange(0, 1500)) if rng.random() < 0.7 else None
        internship = make_internship(
            departed,
            ended,
            province=rng.choice(["32", "33"]),
            prefecture=rng.choice(["13", "23"]),
        )
        if ended and rng.random() < 0.3:
            Internship.objects.filter(pk=internship.pk).update(
                end_reason=rng.choice([EndReason.EARLY_RETURN, EndReason.MISSING])
            )
    stats_refresh()
    days = [date(2014, 12, 31), date(2015, 1, 1), date(2020, 2, 29), date(2020, 3, 1)]
    days += [date(2015, 1, 1) + timedelta(days=rng.randrange(4600)) for _ in range(25)]
    for day in days:
        _same(min(day, selectors.stats_today()), 1)
        _same(min(day, selectors.stats_today()), 5)


def test_it_keeps_answering_when_the_month_has_no_running_totals_yet(
    make_internship: MakeInternship,
) -> None:
    make_internship(date(2020, 1, 10))
    make_internship(date(2020, 3, 10), date(2021, 5, 5))
    # As if no refresh had run since a month ago: the latest totals are of an older month.
    FlowMonth.objects.filter(month__gte=date(2021, 1, 1)).delete()
    _same(date(2021, 6, 1), 1)
    _same(date(2021, 5, 4), 1)


def test_it_refreshes_by_command_and_only_when_stale(make_internship: MakeInternship) -> None:
    make_internship(date(2020, 1, 10))
    out = StringIO()
    call_command("stats_refresh", stdout=out)
    assert "Statistics refreshed" in out.getvalue()
    assert refresh_if_stale() is None
    assert refresh_if_stale(max_age=timedelta(0)) is not None
    assert FlowDay.objects.filter(dimension="total").count() == 1
    assert Refresh.objects.count() >= 3


def test_it_refuses_a_loop_faster_than_thirty_seconds() -> None:
    with pytest.raises(SystemExit):
        call_command("stats_refresh", every=5, stderr=StringIO())
