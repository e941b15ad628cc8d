"""The lists behind the figures: the applications and internships one figure counts, filtered
by the same scope as the figure."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .funnels import STATUS_STEPS

DRILL_PAGE = 50


def application_drill(*, user: Any, round_id: int, site_id: int | None, step: str) -> QuerySet[Any]:
    """The applications behind one funnel figure, within the user's scope."""
    from magang.recruitment.selectors import application_scope

    qs = application_scope(user=user).filter(round_id=round_id)
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    if step.startswith("stage-") and step[6:].isdigit():
        qs = qs.filter(stage_results__stage_id=int(step[6:]), stage_results__passed=True)
    else:
        reached = STATUS_STEPS.get(step)
        if reached is not None:
            qs = qs.filter(status__in=sorted(reached))
    return qs.select_related("site", "round").order_by("registration_number")


OUTCOMES = ("in_japan", "completed", "early_return", "missing")


def internship_drill(
    *, user: Any, prefecture: str, trade: str, host: int | None, outcome: str, today: Any
) -> QuerySet[Any]:
    """The internships behind one placement figure, within the user's scope."""
    from magang.internships.selectors import in_japan_on, internship_scope

    qs = internship_scope(user=user)
    if prefecture:
        qs = qs.filter(prefecture__code=prefecture)
    if trade:
        qs = qs.filter(trade__code=trade)
    if host is not None:
        qs = qs.filter(host_company_id=host)
    if outcome == "in_japan":
        qs = in_japan_on(qs, today)
    elif outcome in OUTCOMES:
        qs = qs.filter(end_reason=outcome, ended_on__lte=today)
    else:
        qs = qs.filter(departed_on__lte=today)
    return qs.select_related("application", "prefecture", "trade", "host_company").order_by(
        "-departed_on", "pk"
    )
