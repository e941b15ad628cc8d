"""A candidate ranks the job orders they may go to, on their phone: the open job orders whose
requirements they meet, each with a rank to choose (1 = most wanted, up to ten), and below,
folded away, the ones they do not meet with the reasons. Only graduates and trainees rank;
anyone else with a candidate record is told why not. Staff have no ranking of their own."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import JobOrder
from ..selectors import preferences as selectors
from ..services.candidacies import preferences_set
from .common import UserRequest, indonesian


def ranked_orders(
    posted: Mapping[str, str], choices: list[selectors.Choice]
) -> tuple[list[JobOrder], list[str]]:
    """The orders given a rank in the form (``rank-<id>``), most wanted first, and the
    problems with the ranks typed."""
    ranked: list[tuple[int, JobOrder]] = []
    problems: list[str] = []
    for choice in choices:
        raw = (posted.get(f"rank-{choice.order.pk}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= selectors.MAX_PREFERENCES:
            problems.append(
                _("%(ref)s: choose a rank from 1 to %(max)s.")
                % {"ref": choice.order.reference, "max": selectors.MAX_PREFERENCES}
            )
            continue
        ranked.append((int(raw), choice.order))
    seen: dict[int, str] = {}
    for rank, order in sorted(ranked, key=lambda pair: pair[0]):
        if rank in seen:
            problems.append(
                _("%(one)s and %(other)s both have rank %(rank)s: give each its own rank.")
                % {"one": seen[rank], "other": order.reference, "rank": rank}
            )
        seen.setdefault(rank, order.reference)
    return [order for _rank, order in sorted(ranked, key=lambda pair: pair[0])], problems


@login_required
@require_http_methods(["GET", "POST"])
def my_preferences(request: UserRequest) -> HttpResponse:
    if not selectors.is_candidate(request.user):
        raise PermissionDenied
    ranking = selectors.my_ranking(user=request.user)
    errors: list[str] = []
    if request.method == "POST":
        if not ranking.may_rank or ranking.application is None:
            errors = [_("Graduates and trainees rank job orders.")]
        else:
            orders, errors = ranked_orders(request.POST, ranking.choices)
            if not errors:
                try:
                    preferences_set(
                        application=ranking.application, job_orders=orders, by=request.user
                    )
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    messages.success(
                        request,
                        _("Your ranking of %(n)s job order(s) was saved.") % {"n": len(orders)},
                    )
                    return redirect("placement:my_preferences")
    posted = request.POST if request.method == "POST" else None
    rows = [
        (c, posted.get(f"rank-{c.order.pk}", "") if posted is not None else str(c.rank or ""))
        for c in ranking.choices
    ]
    in_indonesian = indonesian()
    ineligible = [
        (c, [u.text_id if in_indonesian else u.text_en for u in c.unmet])
        for c in ranking.ineligible
    ]
    return render(
        request,
        "placement/preference_form.html",
        {
            "ranking": ranking,
            "rows": rows,
            "ineligible": ineligible,
            "ranks": [str(n) for n in range(1, selectors.MAX_PREFERENCES + 1)],
            "max": selectors.MAX_PREFERENCES,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("preferences/", my_preferences, name="my_preferences"),
]
