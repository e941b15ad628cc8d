"""The results grid: one page per stage and selection site where officers type the results
of the people who sat the stage, a row at a time.

Each row is its own form. With JavaScript it saves through htmx when the keyboard leaves
the row and comes back with the server's verdict (passed or failed, a refusal, a request
for a reason, or someone else's newer value); without it, each row is an ordinary POST that
redirects back to the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from magang.accounts.models import User
from magang.accounts.permissions import role_required
from magang.recruitment.services.privacy import medical_read_log

from .. import selectors
from ..models import Stage, StageKind, StageResult
from ..services.results import StaleResult, plain, result_parse, result_record, result_text

PAGE_SIZE = 100


class GridRequest(HttpRequest):
    """A request that passed ``role_required``."""

    user: User
    htmx: HtmxDetails


@dataclass(frozen=True)
class Column:
    """One value column: the form field's name, its header and the input's attributes."""

    name: str
    label: str
    unit: str = ""
    number: bool = False
    low: str = ""
    high: str = ""


def columns(stage: Stage) -> list[Column]:
    if stage.kind == StageKind.GATE:
        return [Column("value", _("Passed (1) or failed (0)"))]
    if stage.kind == StageKind.SCORE:
        return [
            Column(
                "value",
                _("Score"),
                number=True,
                low=plain(stage.min_score or Decimal(0)),
                high=plain(stage.max_score if stage.max_score is not None else Decimal(100)),
            )
        ]
    language = (get_language() or "").startswith("id")
    return [
        Column(
            f"m_{measure['key']}",
            measure.get("name_id" if language else "name_en", measure["key"]),
            unit=measure.get("unit", ""),
            number=True,
            low="0",
        )
        for measure in stage.measures
    ]


def stored_inputs(result: StageResult | None) -> dict[str, str]:
    """What a row's inputs show for a recorded result."""
    if result is None:
        return {}
    if result.stage.kind == StageKind.GATE:
        return {"value": "1" if result.passed else "0"}
    if result.stage.kind == StageKind.SCORE:
        return {"value": plain(result.score)} if result.score is not None else {}
    return {f"m_{key}": plain(Decimal(value)) for key, value in result.measurements.items()}


def typed_inputs(stage: Stage, data: QueryDict) -> dict[str, str]:
    return {column.name: data.get(column.name, "")[:40] for column in columns(stage)}


@dataclass
class Cell:
    column: Column
    value: str


@dataclass
class RowView:
    """A grid row as the template draws it: the stored row, plus what one save answered."""

    row: selectors.GridRow
    columns: list[Column]
    inputs: dict[str, str] = field(default_factory=dict)
    error: str = ""
    needs_reason: bool = False
    reason: str = ""
    saved: str = ""
    stale: bool = False

    @property
    def result(self) -> StageResult | None:
        return self.row.result

    @property
    def cells(self) -> list[Cell]:
        return [Cell(column, self.inputs.get(column.name, "")) for column in self.columns]

    @property
    def missing(self) -> str:
        return ", ".join(selectors.stage_name(stage) for stage in self.row.missing)


def row_view(row: selectors.GridRow, stage: Stage) -> RowView:
    return RowView(row=row, columns=columns(stage), inputs=stored_inputs(row.result))


def _context(
    access: selectors.GridAccess,
    *,
    page: Page[Any] | None = None,
    page_number: int = 1,
    to_record: bool = False,
) -> dict[str, Any]:
    stage = access.stage
    return {
        "access": access,
        "stage": stage,
        "site": access.site,
        "stage_name": selectors.stage_name(stage),
        "columns": columns(stage),
        "page": page,
        "page_number": page_number,
        "to_record": to_record,
    }


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) <= 6 else 1


def _render_grid(
    request: GridRequest,
    access: selectors.GridAccess,
    *,
    replace: RowView | None = None,
    page_number: int = 1,
    to_record: bool = False,
    status: int = 200,
) -> HttpResponse:
    applications = selectors.grid_applications(
        stage=access.stage, site=access.site, to_record=to_record
    )
    page = Paginator(applications, PAGE_SIZE).get_page(page_number)
    rows = [
        row_view(row, access.stage)
        for row in selectors.grid_rows(stage=access.stage, applications=list(page.object_list))
    ]
    if replace is not None:
        rows = [replace if r.row.application.pk == replace.row.application.pk else r for r in rows]
        if replace not in rows:
            rows.insert(0, replace)
    if access.detail and access.stage.is_medical:
        # Every showing of medical detail is logged (who, when, whose; not the values).
        medical_read_log(
            actor=request.user,
            candidate_ids=[r.row.application.candidate_id for r in rows if r.result is not None],
            what="selection.grid",
        )
    context = _context(access, page=page, page_number=page.number, to_record=to_record)
    context.update(
        rows=rows,
        progress=selectors.grid_counts(stage=access.stage, site=access.site),
    )
    return render(request, "selection/grid.html", context, status=status)


@require_GET
@role_required(*selectors.GRID_ROLES)
def grid_index(request: GridRequest) -> HttpResponse:
    rounds = selectors.grid_index(user=request.user)
    return render(
        request,
        "selection/grid_index.html",
        {"rounds": [(r, [selectors.stage_name(s) for s in r.stages]) for r in rounds]},
    )


@require_GET
@role_required(*selectors.GRID_ROLES)
def grid(request: GridRequest, stage: int, site: int) -> HttpResponse:
    access = selectors.access_grid(user=request.user, stage_pk=stage, site_pk=site)
    return _render_grid(
        request,
        access,
        page_number=_page_number(request.GET.get("page")),
        to_record=request.GET.get("todo") == "1",
    )


def _raw_value(stage: Stage, data: QueryDict) -> Any:
    if stage.kind == StageKind.MEASURE:
        return {m["key"]: data.get(f"m_{m['key']}", "")[:40] for m in stage.measures}
    return data.get("value", "")[:40]


def _row_save(
    *, access: selectors.GridAccess, row: selectors.GridRow, data: QueryDict, by: User
) -> RowView:
    """Record what one row's form holds, and the row as it should be drawn afterwards."""
    stage = access.stage
    typed = typed_inputs(stage, data)
    reason = data.get("reason", "").strip()[:1000]
    version = data.get("version", "")
    if not version.isdigit():
        view = row_view(row, stage)
        view.inputs, view.reason = typed, reason
        view.error = _("The form is incomplete; reload the page and try again.")
        return view
    try:
        value = result_parse(stage, _raw_value(stage, data))
        result = result_record(
            application=row.application,
            stage=stage,
            value=value,
            by=by,
            reason=reason,
            expected_version=int(version),
        )
    except StaleResult as exc:
        # Someone saved meanwhile: show their value and version, so saving again is a
        # decision made knowing it.
        fresh = selectors.grid_row(access=access, application_pk=row.application.pk)
        view = row_view(fresh, stage)
        view.error, view.stale = exc.messages[0], True
        return view
    except ValidationError as exc:
        view = row_view(row, stage)
        view.inputs, view.reason = typed, reason
        view.error = " ".join(exc.messages)
        view.needs_reason = getattr(exc, "code", None) == "reason_required"
        return view
    view = row_view(selectors.grid_row(access=access, application_pk=row.application.pk), stage)
    if result is None:
        view.saved = _("Unchanged.")
    else:
        view.saved = _("Saved: %(result)s.") % {"result": result_text(result, detail=True)}
    return view


@require_POST
@role_required(*selectors.GRID_ROLES)
def grid_row(request: GridRequest, stage: int, site: int, application: int) -> HttpResponse:
    access = selectors.access_grid(user=request.user, stage_pk=stage, site_pk=site, write=True)
    row = selectors.grid_row(access=access, application_pk=application)
    view = _row_save(access=access, row=row, data=request.POST, by=request.user)
    page_number = _page_number(request.POST.get("page"))
    to_record = request.POST.get("todo") == "1"
    if request.htmx:
        if access.detail and access.stage.is_medical and view.result is not None:
            medical_read_log(
                actor=request.user,
                candidate_ids=[row.application.candidate_id],
                what="selection.grid_row",
            )
        context = _context(access, page_number=page_number, to_record=to_record)
        context["row"] = view
        return render(request, "selection/grid_row.html", context)
    if view.error:
        return _render_grid(
            request,
            access,
            replace=view,
            page_number=page_number,
            to_record=to_record,
            status=409 if view.stale else 400,
        )
    messages.success(request, f"{row.application.registration_number}: {view.saved}")
    return HttpResponseRedirect(
        grid_url(access, page_number=page_number, to_record=to_record)
        + f"#row-{row.application.pk}"
    )


def grid_url(access: selectors.GridAccess, *, page_number: int = 1, to_record: bool = False) -> str:
    params: dict[str, int] = {}
    if page_number > 1:
        params["page"] = page_number
    if to_record:
        params["todo"] = 1
    url = reverse("selection:grid", args=[access.stage.pk, access.site.pk])
    return f"{url}?{urlencode(params)}" if params else url


urlpatterns: list[URLPattern] = [
    path("grid/", grid_index, name="grid_index"),
    path("grid/<int:stage>/<int:site>/", grid, name="grid"),
    path("grid/<int:stage>/<int:site>/row/<int:application>/", grid_row, name="grid_row"),
]
