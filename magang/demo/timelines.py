"""Dated journeys for the demo's applications. Pure: no Django.

Each function returns ``(status, date)`` steps that walk the journey graph in order, with dates
that never go backwards and never pass ``today``, plus the reason for the last move if it
needs one.
"""

from __future__ import annotations

import datetime as dt
import random

from magang.recruitment.journey import Status

from . import catalogue as cat
from .plan import COMPLETED, EARLY_RETURN, MISSING, Stay

Step = tuple[Status, dt.date]
Timeline = tuple[list[Step], str]

PRE_DEPARTURE = (
    Status.REGISTERED,
    Status.ELIGIBLE,
    Status.IN_SELECTION,
    Status.SELECTED,
    Status.IN_TRAINING,
    Status.GRADUATED,
    Status.MATCHED,
)
END_STATUS = {
    COMPLETED: Status.COMPLETED,
    EARLY_RETURN: Status.EARLY_RETURN,
    MISSING: Status.MISSING,
}
WITHDRAWN_REASON = "Mengundurkan diri atas permintaan sendiri."
DROPPED_OUT_REASON = "Tidak memenuhi standar evaluasi pelatihan."


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def in_order(steps: list[Step], today: dt.date) -> list[Step]:
    """The same steps with dates made non-decreasing and no later than today."""
    ordered: list[Step] = []
    previous = dt.date.min
    for status, on in steps:
        previous = min(max(on, previous), today)
        ordered.append((status, previous))
    return ordered


def pre_departure_dates(
    rng: random.Random, *, departed_on: dt.date, earliest: dt.date, latest: dt.date
) -> list[dt.date]:
    """Dates of registration, eligibility, selection stages, selection, training start,
    graduation and matching of someone who departed on ``departed_on``, non-decreasing.

    Registration falls in [earliest, latest] (the round's registration period). The usual gaps
    (about 4 months of training, 3-5 months of papers between matching and departure) are
    squeezed when time is short; when it is long, the waits for a cohort and a match grow.
    """
    gaps = [
        rng.randint(7, 30),  # registered -> eligible
        rng.randint(3, 14),  # -> in selection
        rng.randint(20, 45),  # -> selected
        rng.randint(14, 40),  # -> in training
        rng.randint(110, 130),  # -> graduated
        rng.randint(7, 30),  # -> matched
        rng.randint(90, 150),  # -> departed
    ]
    registered = departed_on - _days(sum(gaps))
    if registered < earliest:
        registered = min(earliest, departed_on)
        span, total = (departed_on - registered).days, sum(gaps)
        gaps = [gap * span // total for gap in gaps]
    elif registered > latest:
        registered = latest
        extra = (departed_on - registered).days - sum(gaps)
        gaps[3] += extra // 2
        gaps[5] += extra - extra // 2
    dates = [registered]
    for gap in gaps[:-1]:
        dates.append(dates[-1] + _days(gap))
    return dates


def stay_timeline(
    rng: random.Random, stay: Stay, *, earliest: dt.date, latest: dt.date, today: dt.date
) -> Timeline:
    """From registration to departure, the stay in Japan, and the return if there was one."""
    departed_on = stay.departed_on
    dates = pre_departure_dates(rng, departed_on=departed_on, earliest=earliest, latest=latest)
    steps: list[Step] = list(zip(PRE_DEPARTURE, dates, strict=True))
    steps += [(Status.DEPARTED, departed_on), (Status.IN_JAPAN, departed_on)]
    reason = ""
    if stay.ended_on is not None:
        steps.append((END_STATUS[stay.end_reason], stay.ended_on))
        if stay.end_reason == EARLY_RETURN:
            reason = rng.choice(cat.EARLY_RETURN_REASONS)
        elif stay.end_reason == MISSING:
            reason = cat.MISSING_REASON
        elif stay.ended_on <= today - _days(30) and rng.random() < 0.97:
            steps.append((Status.RETURNED, stay.ended_on + _days(rng.randint(1, 14))))
    return in_order(steps, today), reason


def intake_timeline(
    rng: random.Random, status: Status, *, registered: dt.date, today: dt.date
) -> Timeline:
    """An application of last year's round that now has ``status`` and has not departed.

    Selection happened weeks after registration; training, graduation and matching are dated
    back from today, so the cohorts are the ones in training now.
    """
    eligible = registered + _days(rng.randint(5, 25))
    in_selection = eligible + _days(rng.randint(3, 14))
    outcome = in_selection + _days(rng.randint(20, 45))
    steps: list[Step] = [(Status.REGISTERED, registered)]
    reason = ""
    if status == Status.INELIGIBLE:
        steps.append((Status.INELIGIBLE, eligible))
        reason = rng.choice(cat.INELIGIBLE_REASONS)
    elif status == Status.WITHDRAWN:
        path = [(Status.ELIGIBLE, eligible), (Status.IN_SELECTION, in_selection)]
        path.append((Status.SELECTED, outcome))
        steps += path[: rng.randint(1, len(path))]
        steps.append((Status.WITHDRAWN, steps[-1][1] + _days(rng.randint(2, 30))))
        reason = WITHDRAWN_REASON
    else:
        steps += [(Status.ELIGIBLE, eligible), (Status.IN_SELECTION, in_selection)]
        if status in (Status.NOT_SELECTED, Status.RESERVE):
            steps.append((status, outcome))
        else:
            steps += _after_selection(rng, status, today)
            if status == Status.DROPPED_OUT:
                reason = DROPPED_OUT_REASON
    return in_order(steps, today), reason


def _after_selection(rng: random.Random, status: Status, today: dt.date) -> list[Step]:
    def ago(low: int, high: int) -> dt.date:
        return today - _days(rng.randint(low, high))

    def before(day: dt.date, low: int, high: int) -> dt.date:
        return day - _days(rng.randint(low, high))

    if status == Status.SELECTED:
        return [(Status.SELECTED, ago(1, 60))]
    if status in (Status.IN_TRAINING, Status.DROPPED_OUT):
        started = ago(30, 115)
        steps = [(Status.SELECTED, before(started, 14, 40)), (Status.IN_TRAINING, started)]
        if status == Status.DROPPED_OUT:
            steps.append((Status.DROPPED_OUT, started + _days(rng.randint(10, 29))))
        return steps
    matched = ago(1, 60) if status == Status.MATCHED else None
    graduated = before(matched, 7, 40) if matched else ago(1, 40)
    started = before(graduated, 110, 130)
    steps = [
        (Status.SELECTED, before(started, 14, 40)),
        (Status.IN_TRAINING, started),
        (Status.GRADUATED, graduated),
    ]
    if matched is not None:
        steps.append((Status.MATCHED, matched))
    return steps


def current_timeline(
    rng: random.Random, *, registered: dt.date, deadline: dt.date, today: dt.date
) -> Timeline:
    """An application of the round in progress: checked, and in selection once the site's
    registration has closed."""
    draw = rng.random()
    if deadline < today:
        status = (
            Status.REGISTERED if draw < 0.08
            else Status.INELIGIBLE if draw < 0.2
            else Status.ELIGIBLE if draw < 0.4
            else Status.IN_SELECTION
        )  # fmt: skip
    else:
        status = (
            Status.REGISTERED if draw < 0.65
            else Status.ELIGIBLE if draw < 0.9
            else Status.INELIGIBLE
        )  # fmt: skip
    checked = registered + _days(rng.randint(2, 20))
    steps: list[Step] = [(Status.REGISTERED, registered)]
    reason = ""
    if status == Status.INELIGIBLE:
        steps.append((status, checked))
        reason = rng.choice(cat.INELIGIBLE_REASONS)
    elif status != Status.REGISTERED:
        steps.append((Status.ELIGIBLE, checked))
    if status == Status.IN_SELECTION:
        steps.append((Status.IN_SELECTION, deadline + _days(rng.randint(1, 5))))
    return in_order(steps, today), reason
