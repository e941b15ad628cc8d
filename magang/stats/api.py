"""The public statistics API: /api/v1/stats/.

``SummaryOut`` documents the response (the OpenAPI schema); the body itself is built as
plain data by ``summary_json`` and kept until the next refresh (``rendered.kept``).
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, P, QueryEx, Router, Schema
from ninja.responses import NinjaJSONEncoder

from . import rendered, selectors
from .suppression import Cell

router = Router(tags=["statistics"])


class CellOut(Schema):
    count: int | None = Field(
        description="The count, or null when it is between 1 and minimum_cell - 1."
    )
    suppressed: bool = Field(description="True when the count is hidden because it is small.")


class YearOut(Schema):
    year: int
    departed: CellOut


class ProvinceOut(Schema):
    code: str = Field(description="Kemendagri province code, e.g. 32 for Jawa Barat.")
    name: str
    departed: CellOut
    in_japan: CellOut


class PrefectureOut(Schema):
    code: str = Field(description="JIS X 0401 prefecture code, e.g. 13 for Tokyo.")
    name_en: str
    name_ja: str
    name_id: str
    departed: CellOut
    in_japan: CellOut


class TradeOut(Schema):
    code: str = Field(description="OTIT operation code, e.g. 2-1-9.")
    name_en: str
    name_ja: str
    name_id: str
    departed: CellOut
    in_japan: CellOut


class OutcomeOut(Schema):
    year: int = Field(description="The year the interns departed.")
    departed: CellOut
    in_japan: CellOut = Field(description="Still in Japan on as_of.")
    completed: CellOut
    early_return: CellOut
    missing: CellOut


class RoundOut(Schema):
    code: str
    name: str
    year: int
    registered: CellOut = Field(description="Applications registered so far.")
    selected: CellOut = Field(description="Applications selected so far (or further on).")


class SummaryOut(Schema):
    as_of: date = Field(description="The date the figures are for (never after today).")
    minimum_cell: int = Field(description="Counts from 1 to minimum_cell - 1 are suppressed.")
    departed_total: int | None = Field(description="Interns departed on or before as_of.")
    departed_total_suppressed: bool
    in_japan: int | None = Field(description="Interns departed and not yet back on as_of.")
    in_japan_suppressed: bool
    departures_by_year: list[YearOut]
    by_province: list[ProvinceOut] = Field(
        description="Provinces of origin with at least one departure, by code."
    )
    by_prefecture: list[PrefectureOut] = Field(
        description="Prefectures with at least one intern received, by code."
    )
    by_trade: list[TradeOut] = Field(description="Trades with at least one departure, by code.")
    outcomes_by_year: list[OutcomeOut] = Field(
        description="How the stays of each departure year stood on as_of."
    )
    rounds: list[RoundOut] = Field(
        description="The current year's recruitment rounds (today's counts, whatever as_of)."
    )
    data_as_of: datetime | None = Field(
        description="When the figures were taken from the records (refreshed every few "
        "minutes); null before the first refresh."
    )


def cell_out(value: Cell) -> CellOut:
    return CellOut(count=value.count, suppressed=value.suppressed)


def summary_out(summary: selectors.Summary) -> SummaryOut:
    return SummaryOut(
        as_of=summary.as_of,
        minimum_cell=summary.minimum_cell,
        departed_total=summary.departed_total.count,
        departed_total_suppressed=summary.departed_total.suppressed,
        in_japan=summary.in_japan.count,
        in_japan_suppressed=summary.in_japan.suppressed,
        departures_by_year=[
            YearOut(year=year, departed=cell_out(departed))
            for year, departed in summary.departures_by_year.items()
        ],
        by_province=[
            ProvinceOut(
                code=p.code,
                name=p.name,
                departed=cell_out(p.departed),
                in_japan=cell_out(p.in_japan),
            )
            for p in summary.by_province
        ],
        by_prefecture=[
            PrefectureOut(
                code=f.code,
                name_en=f.name_en,
                name_ja=f.name_ja,
                name_id=f.name_id,
                departed=cell_out(f.departed),
                in_japan=cell_out(f.in_japan),
            )
            for f in summary.by_prefecture
        ],
        by_trade=[
            TradeOut(
                code=t.code,
                name_en=t.name_en,
                name_ja=t.name_ja,
                name_id=t.name_id,
                departed=cell_out(t.departed),
                in_japan=cell_out(t.in_japan),
            )
            for t in summary.by_trade
        ],
        outcomes_by_year=[
            OutcomeOut(
                year=o.year,
                departed=cell_out(o.departed),
                in_japan=cell_out(o.in_japan),
                completed=cell_out(o.completed),
                early_return=cell_out(o.early_return),
                missing=cell_out(o.missing),
            )
            for o in summary.outcomes_by_year
        ],
        rounds=[
            RoundOut(
                code=r.code,
                name=r.name,
                year=r.year,
                registered=cell_out(r.registered),
                selected=cell_out(r.selected),
            )
            for r in summary.rounds
        ],
        data_as_of=summary.data_as_of,
    )


def summary_json(summary: selectors.Summary) -> bytes:
    """``summary_out(summary)`` as the API sends it, built as plain data: the same bytes as
    letting Ninja validate and serialise ``SummaryOut`` (thousands of small objects, most of
    the cost of the request), which the tests check."""

    def c(value: Cell) -> dict[str, object]:
        return {"count": value.count, "suppressed": value.suppressed}

    names = ("name_en", "name_ja", "name_id")
    data = {
        "as_of": summary.as_of,
        "minimum_cell": summary.minimum_cell,
        "departed_total": summary.departed_total.count,
        "departed_total_suppressed": summary.departed_total.suppressed,
        "in_japan": summary.in_japan.count,
        "in_japan_suppressed": summary.in_japan.suppressed,
        "departures_by_year": [
            {"year": year, "departed": c(departed)}
            for year, departed in summary.departures_by_year.items()
        ],
        "by_province": [
            {"code": p.code, "name": p.name, "departed": c(p.departed), "in_japan": c(p.in_japan)}
            for p in summary.by_province
        ],
        "by_prefecture": [
            {
                "code": f.code,
                **{name: getattr(f, name) for name in names},
                "departed": c(f.departed),
                "in_japan": c(f.in_japan),
            }
            for f in summary.by_prefecture
        ],
        "by_trade": [
            {
                "code": t.code,
                **{name: getattr(t, name) for name in names},
                "departed": c(t.departed),
                "in_japan": c(t.in_japan),
            }
            for t in summary.by_trade
        ],
        "outcomes_by_year": [
            {
                "year": o.year,
                "departed": c(o.departed),
                "in_japan": c(o.in_japan),
                "completed": c(o.completed),
                "early_return": c(o.early_return),
                "missing": c(o.missing),
            }
            for o in summary.outcomes_by_year
        ],
        "rounds": [
            {
                "code": r.code,
                "name": r.name,
                "year": r.year,
                "registered": c(r.registered),
                "selected": c(r.selected),
            }
            for r in summary.rounds
        ],
        "data_as_of": summary.data_as_of,
    }
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


@router.get(
    "/summary",
    response=SummaryOut,
    url_name="stats_summary",
    auth=None,  # public: the same figures as the /stats/ page
    summary="Programme figures as of a date",
    description=(
        "Departures and interns in Japan as of a date, by year, province, prefecture and "
        "trade, outcomes per departure year and the current rounds, with small counts "
        "suppressed. "
        "An intern departing on the date counts as departed and in Japan; one whose stay "
        "ended on the date does not count as in Japan."
    ),
)
def get_summary(
    request: HttpRequest,
    as_of: QueryEx[
        date | None,
        P(description="YYYY-MM-DD. Defaults to today (Asia/Jakarta); later dates give today."),
    ] = None,
) -> HttpResponse:
    day = selectors.public_as_of(as_of)
    body = rendered.kept(
        "api",
        stamp=rendered.latest_stamp(),
        parts=(day, selectors.minimum_cell_size()),
        make=lambda: summary_json(selectors.summary(as_of=day)),
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")
