"""The public statistics page and its downloads (CSV, XLSX, PDF). Public: no login.

The figures of the page and the downloads are rendered once per refresh, date and language
and then served as rendered (``rendered.kept``); the date form around them is per request.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from . import rendered, selectors
from .boundaries import MAP_AREAS
from .charts import year_bar_chart
from .exports import summary_xlsx as summary_xlsx_bytes
from .exports import write_summary_csv
from .forms import AsOfForm
from .pdf import summary_pdf
from .suppression import Cell


def _requested_as_of(form: AsOfForm) -> date | None:
    return form.cleaned_data["as_of"] if form.is_valid() else None


@require_safe
def public(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET)
    requested = _requested_as_of(form)
    as_of = selectors.public_as_of(requested)
    minimum = selectors.minimum_cell_size()
    stamp = rendered.latest_stamp()
    figures = rendered.kept(
        "public", stamp=stamp, parts=(as_of, minimum), make=lambda: _public_figures(as_of)
    )
    return render(
        request,
        "stats/public.html",
        {
            "form": form,
            # An invalid entry stays in the box so it can be corrected.
            "as_of_value": form.data.get("as_of", "") if form.errors else as_of.isoformat(),
            "as_of": as_of,
            "minimum_cell": minimum,
            "taken": stamp.data_as_of if stamp else None,
            "later_than_today": requested is not None and requested > as_of,
            "figures": mark_safe(figures),  # noqa: S308 - our own template's output
        },
    )


def _public_figures(as_of: date) -> str:
    """The page's figures for ``as_of`` in the active language: the same for everyone."""
    summary = selectors.summary(as_of=as_of)
    query = urlencode({"as_of": as_of.isoformat()})
    language = get_language() or ""
    japanese = language.startswith("ja")
    return render_to_string(
        "stats/_public_figures.html",
        {
            "LANGUAGE_CODE": language,
            "summary": summary,
            "chart": year_bar_chart(summary.departures_by_year),
            "japanese_names": japanese,
            "json_url": f"{reverse('api-v1:stats_summary')}?{query}",
            "csv_url": f"{reverse('stats:summary_csv')}?{query}",
            "xlsx_url": f"{reverse('stats:summary_xlsx')}?{query}",
            "pdf_url": f"{reverse('stats:summary_pdf')}?{query}",
            "chart_data": _chart_data(summary, japanese=japanese),
        },
    )


def _chart_data(summary: selectors.Summary, *, japanese: bool) -> dict[str, object]:
    """What the browser draws (charts and maps): published labels and counts only."""

    def value(c: Cell) -> int | None:
        return c.count

    return {
        "outcomes": {
            "years": [o.year for o in summary.outcomes_by_year],
            "series": [
                {
                    "key": key,
                    "label": label,
                    "values": [value(getattr(o, key)) for o in summary.outcomes_by_year],
                }
                for key, label in (
                    ("completed", gettext("Completed")),
                    ("early_return", gettext("Early return")),
                    ("missing", gettext("Missing")),
                    ("in_japan", gettext("In Japan")),
                )
            ],
        },
        "trades": [
            {
                "label": f"{t.code} {t.name_ja if japanese else t.name_en}",
                "departed": value(t.departed),
            }
            for t in summary.by_trade
        ],
        "provinces": {
            p.code: {
                "name": p.name,
                "departed": p.departed.label,
                "in_japan": p.in_japan.label,
                "value": value(p.in_japan),
            }
            for p in summary.by_province
        },
        "prefectures": {
            f.code: {
                "name": f.name_ja if japanese else f.name_en,
                "departed": f.departed.label,
                "in_japan": f.in_japan.label,
                "value": value(f.in_japan),
            }
            for f in summary.by_prefecture
        },
        "areas": MAP_AREAS,
        "labels": {
            "departed": gettext("Departed"),
            "in_japan": gettext("In Japan"),
            "suppressed": gettext("fewer than %(minimum)d") % {"minimum": summary.minimum_cell},
            "none": gettext("none"),
        },
    }


def _download(
    request: HttpRequest, kind: str, make: Callable[[selectors.Summary], bytes | str]
) -> tuple[date, bytes | str] | HttpResponse:
    """The download ``kind`` for the requested date: made by ``make`` from the summary, or
    as made since the last refresh for the same date and language."""
    form = AsOfForm(request.GET)
    if not form.is_valid():
        errors = " ".join(str(e) for e in form.errors.get("as_of", []))
        return HttpResponseBadRequest(
            gettext("Invalid as_of date: %(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    as_of = selectors.public_as_of(form.cleaned_data["as_of"])
    content = rendered.kept(
        kind,
        stamp=rendered.latest_stamp(),
        parts=(as_of, selectors.minimum_cell_size()),
        make=lambda: make(selectors.summary(as_of=as_of)),
    )
    return as_of, content


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv(summary: selectors.Summary) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # a byte order mark, so Excel reads the Japanese names as UTF-8
    write_summary_csv(summary, out)
    return out.getvalue()


@require_safe
def summary_csv(request: HttpRequest) -> HttpResponse:
    made = _download(request, "csv", _csv)
    if isinstance(made, HttpResponse):
        return made
    as_of, content = made
    filename = f"magang-statistics-{as_of.isoformat()}.csv"
    return _attachment(content, "text/csv; charset=utf-8", filename)


@require_safe
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    made = _download(request, "xlsx", summary_xlsx_bytes)
    if isinstance(made, HttpResponse):
        return made
    as_of, content = made
    return _attachment(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"magang-statistics-{as_of.isoformat()}.xlsx",
    )


@require_safe
def summary_pdf_download(request: HttpRequest) -> HttpResponse:
    made = _download(request, "pdf", summary_pdf)
    if isinstance(made, HttpResponse):
        return made
    as_of, content = made
    return _attachment(content, "application/pdf", f"magang-statistics-{as_of.isoformat()}.pdf")
