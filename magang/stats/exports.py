"""The public summary as CSV rows. Pure: no Django.

One row per figure group, the same shape as the JSON: ``breakdown`` says which group
(``total``, ``year``, ``province``, ``prefecture``), ``departed`` and ``in_japan`` hold counts or
"<5" for suppressed cells. Column names are stable keys, not translated, so scripts keep working
whatever language the page was in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .selectors import Summary
    from .suppression import Cell

HEADER = ("as_of", "breakdown", "code", "name", "name_ja", "name_id", "departed", "in_japan")

# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Neutralise a text cell: a formula-looking value gets a leading apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def summary_rows(summary: Summary) -> Iterator[tuple[str, ...]]:
    """The header, then every figure of ``summary`` as text, formula-safe."""
    as_of = summary.as_of.isoformat()
    no_names = ("", "", "")
    yield HEADER
    yield _row(as_of, "total", "", no_names, summary.departed_total, summary.in_japan)
    for year, departed in summary.departures_by_year.items():
        yield _row(as_of, "year", str(year), no_names, departed, None)
    for p in summary.by_province:
        yield _row(as_of, "province", p.code, (p.name, "", ""), p.departed, p.in_japan)
    for f in summary.by_prefecture:
        names = (f.name_en, f.name_ja, f.name_id)
        yield _row(as_of, "prefecture", f.code, names, f.departed, f.in_japan)


def _row(
    as_of: str,
    breakdown: str,
    code: str,
    names: tuple[str, str, str],
    departed: Cell,
    in_japan: Cell | None,
) -> tuple[str, ...]:
    counts = (departed.label, "" if in_japan is None else in_japan.label)
    return tuple(spreadsheet_safe(v) for v in (as_of, breakdown, code, *names, *counts))


def write_summary_csv(summary: Summary, out: TextIO) -> None:
    csv.writer(out).writerows(summary_rows(summary))
