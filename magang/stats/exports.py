"""The public summary as CSV, XLSX and rows. Pure apart from the XLSX writer.

One row per figure, the same shape in every format: ``breakdown`` says which group
(``total``, ``year``, ``province``, ``prefecture``, ``trade``, ``outcome`` (per departure
year), ``round``); the count columns hold counts or "<5" for suppressed cells, empty where a
column does not apply. Column names are stable keys, not translated, so scripts keep working
whatever language the page was in. In XLSX shown counts are numbers and suppressed ones the
text "<5".
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .selectors import Summary
    from .suppression import Cell

HEADER = (
    "as_of",
    "breakdown",
    "code",
    "name",
    "name_ja",
    "name_id",
    "departed",
    "in_japan",
    "completed",
    "early_return",
    "missing",
    "registered",
    "selected",
)
COUNT_COLUMNS = HEADER[6:]

# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Record = tuple[tuple[str, ...], dict[str, "Cell"]]


def spreadsheet_safe(value: str) -> str:
    """Neutralise a text cell: a formula-looking value gets a leading apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def summary_records(summary: Summary) -> Iterator[Record]:
    """Every figure of ``summary``: its six text columns and its counts by column name."""
    as_of = summary.as_of.isoformat()
    yield (
        (as_of, "total", "", "", "", ""),
        {"departed": summary.departed_total, "in_japan": summary.in_japan},
    )
    for year, departed in summary.departures_by_year.items():
        yield (as_of, "year", str(year), "", "", ""), {"departed": departed}
    for p in summary.by_province:
        yield (
            (as_of, "province", p.code, p.name, "", ""),
            {"departed": p.departed, "in_japan": p.in_japan},
        )
    for f in summary.by_prefecture:
        yield (
            (as_of, "prefecture", f.code, f.name_en, f.name_ja, f.name_id),
            {"departed": f.departed, "in_japan": f.in_japan},
        )
    for t in summary.by_trade:
        yield (
            (as_of, "trade", t.code, t.name_en, t.name_ja, t.name_id),
            {"departed": t.departed, "in_japan": t.in_japan},
        )
    for o in summary.outcomes_by_year:
        yield (
            (as_of, "outcome", str(o.year), "", "", ""),
            {
                "departed": o.departed,
                "in_japan": o.in_japan,
                "completed": o.completed,
                "early_return": o.early_return,
                "missing": o.missing,
            },
        )
    for r in summary.rounds:
        yield (
            (as_of, "round", r.code, r.name, "", ""),
            {"registered": r.registered, "selected": r.selected},
        )


def summary_rows(summary: Summary) -> Iterator[tuple[str, ...]]:
    """The header, then every figure of ``summary`` as text, formula-safe."""
    yield HEADER
    for texts, counts in summary_records(summary):
        labels = tuple(counts[c].label if c in counts else "" for c in COUNT_COLUMNS)
        yield tuple(spreadsheet_safe(v) for v in (*texts, *labels))


def write_summary_csv(summary: Summary, out: TextIO) -> None:
    csv.writer(out).writerows(summary_rows(summary))


def summary_xlsx(summary: Summary) -> bytes:
    """The same rows as the CSV in one sheet; shown counts are numbers."""
    from magang.core.exports import write_xlsx

    rows = []
    for texts, counts in summary_records(summary):
        values: list[object] = list(texts)
        for column in COUNT_COLUMNS:
            value = counts.get(column)
            values.append(
                None if value is None else value.count if value.count is not None else value.label
            )
        rows.append(values)
    return write_xlsx(rows, HEADER, "statistics")
