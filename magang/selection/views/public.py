"""Public selection results (no login): by registration number only, never names or NIK,
with the SHA-256 digest of the published list so anyone can check a copy."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from ..models import Placement, RankingRun, RunState
from ..services import published_content


def _published(round_code: str) -> RankingRun:
    return get_object_or_404(
        RankingRun.objects.select_related("plan__round"),
        plan__round__code=round_code,
        state=RunState.FINAL,
        published_at__isnull=False,
    )


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    runs = (
        RankingRun.objects.filter(state=RunState.FINAL, published_at__isnull=False)
        .select_related("plan__round")
        .order_by("-published_at")
    )
    return render(request, "selection/public_index.html", {"runs": runs})


@require_GET
def public_results(request: HttpRequest, round_code: str) -> HttpResponse:
    run = _published(round_code)
    number = request.GET.get("number", "").strip().upper()[:24]
    placement = None
    if number:
        placement = (
            Placement.objects.filter(run=run, application__registration_number=number)
            .select_related("application")
            .first()
        )
    english = (get_language() or "id").startswith(("en", "ja"))
    return render(
        request,
        "selection/public_results.html",
        {
            "run": run,
            "round": run.plan.round,
            "number": number,
            "placement": placement,
            "explanation": (
                placement and (placement.explanation_en if english else placement.explanation_id)
            ),
            "unit_name": placement
            and next((u["name"] for u in run.units if u["key"] == placement.unit_key), ""),
        },
        status=404 if number and placement is None else 200,
    )


@require_GET
def public_list(request: HttpRequest, round_code: str) -> HttpResponse:
    run = _published(round_code)
    try:
        content = published_content(run)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="selection-{run.plan.round.code}-{run.number}.csv"'
    )
    return response


urlpatterns: list[URLPattern] = [
    path("results/", public_index, name="public_index"),
    path("results/<slug:round_code>/", public_results, name="public_results"),
    path("results/<slug:round_code>/list.csv", public_list, name="public_list"),
]
