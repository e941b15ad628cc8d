"""Selection pages about people: a round's funnel, the candidate's own selection, and the
results of one application for staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from magang.accounts.permissions import role_required
from magang.recruitment.models import RecruitmentRound, SelectionSite

from .. import selectors


def _site_filter(request: HttpRequest, round_: RecruitmentRound) -> SelectionSite | None:
    """The site asked for in ``?site=``; 404 when it is not a site of this round (the
    selector answers 404 too when it is not one of the user's)."""
    raw = request.GET.get("site", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise Http404("No such selection site.")
    return get_object_or_404(SelectionSite, pk=int(raw), round=round_)


@role_required(*selectors.FUNNEL_ROLES)
@require_GET
def funnel(request: HttpRequest, round_code: str) -> HttpResponse:
    round_ = get_object_or_404(RecruitmentRound, code=round_code[:40])
    figures = selectors.funnel(user=request.user, round_=round_, site=_site_filter(request, round_))
    names = [selectors.stage_name(s) for s in figures.stages]
    return render(
        request,
        "selection/funnel.html",
        {
            "funnel": figures,
            "stage_names": names,
            "stage_rows": list(zip(names, figures.total.stages, strict=True)),
            "rounds": selectors.funnel_rounds(user=request.user),
        },
    )


@login_required
@require_GET
def my_selection(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "selection/my_selection.html",
        {"selections": selectors.my_selection(user=request.user)},
    )


@role_required(*selectors.RESULT_READER_ROLES)
@require_GET
def application_results(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.access_application_results(user=request.user, pk=pk)
    return render(
        request,
        "selection/application_results.html",
        {"results": selectors.application_results(user=request.user, application=application)},
    )


urlpatterns: list[URLPattern] = [
    path("rounds/<slug:round_code>/funnel/", funnel, name="funnel"),
    path("my/", my_selection, name="my_selection"),
    path("applications/<int:pk>/results/", application_results, name="application_results"),
]
