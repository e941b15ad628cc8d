"""The public statistics page and its CSV download. Public: no login."""

from __future__ import annotations

import io
from datetime import date

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from . import selectors
from .charts import year_bar_chart
from .exports import write_summary_csv
from .forms import AsOfForm


def _requested_as_of(form: AsOfForm) -> date | None:
    return form.cleaned_data["as_of"] if form.is_valid() else None


@require_safe
def public(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET)
    requested = _requested_as_of(form)
    as_of = selectors.public_as_of(requested)
    summary = selectors.summary(as_of=as_of)
    query = urlencode({"as_of": as_of.isoformat()})
    language = get_language() or ""
    return render(
        request,
        "stats/public.html",
        {
            "form": form,
            # An invalid entry stays in the box so it can be corrected.
            "as_of_value": form.data.get("as_of", "") if form.errors else as_of.isoformat(),
            "summary": summary,
            "chart": year_bar_chart(summary.departures_by_year),
            "later_than_today": requested is not None and requested > as_of,
            "japanese_names": language.startswith("ja"),
            "json_url": f"{reverse('api-v1:stats_summary')}?{query}",
            "csv_url": f"{reverse('stats:summary_csv')}?{query}",
        },
    )


@require_safe
def summary_csv(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET)
    if not form.is_valid():
        errors = " ".join(str(e) for e in form.errors.get("as_of", []))
        return HttpResponseBadRequest(
            gettext("Invalid as_of date: %(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    summary = selectors.summary(as_of=selectors.public_as_of(form.cleaned_data["as_of"]))
    out = io.StringIO()
    out.write("\ufeff")  # a byte order mark, so Excel reads the Japanese names as UTF-8
    write_summary_csv(summary, out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"magang-statistics-{summary.as_of.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
