"""Home page sections: a candidate's selection status, and the funnel for staff."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from magang.accounts.home import register_home_section
from magang.accounts.scopes import Scope

from . import selectors


def _candidate(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.user_id is None:
        return None
    selections = selectors.my_selection(user=request.user)
    if not selections:
        return None
    return {"selections": [(s, _where(s)) for s in selections]}


def _where(selection: selectors.MySelection) -> str:
    """Where the candidate is: the published result, else the first stage without a
    passing result (a failure or the one waiting)."""
    if selection.published:
        return selection.outcome_label
    for line in selection.stages:
        if line.state != selectors.StageState.PASSED:
            return f"{line.name}: {line.text}"
    return selection.outcome_label


def _funnels(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """Links to the funnel of the current rounds (the latest year with a selection plan)."""
    if not scope.has_role(*selectors.FUNNEL_ROLES):
        return None
    rounds = selectors.funnel_rounds(user=request.user)
    if not rounds:
        return None
    latest = rounds[0].year
    return {"rounds": [r for r in rounds if r.year == latest]}


register_home_section(
    key="selection.candidate",
    order=15,
    template_name="selection/home_candidate.html",
    build=_candidate,
)
register_home_section(
    key="selection.funnel",
    order=35,
    template_name="selection/home_funnel.html",
    build=_funnels,
)
