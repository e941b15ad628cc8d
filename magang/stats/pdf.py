"""A printable A4 summary of the public figures for one date (reportlab).

The same suppressed figures as the page: headline counts, departures per year, outcomes per
departure year, provinces, prefectures and trades, each as a table. Japanese names use the
system's IPAex Gothic (``MAGANG_PDF_FONT``, as the CV does); without it the summary is still
made, with Latin names only.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from magang.placement.cv import FontMissing, register_font

from .selectors import PROGRAMME_TIME_ZONE, Summary


def _font() -> tuple[str, bool]:
    try:
        return register_font(), True
    except FontMissing:
        return "Helvetica", False


def _table(header: list[str], rows: list[list[str]], font: str) -> Table:
    table = Table([header, *rows], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b8c0cc")),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def summary_pdf(summary: Summary) -> bytes:
    font, japanese = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=19, spaceAfter=4)
    heading = ParagraphStyle("heading", fontName=font, fontSize=11, leading=14, spaceBefore=8)
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=11)
    taken = (
        timezone.localtime(summary.data_as_of, PROGRAMME_TIME_ZONE).strftime("%Y-%m-%d %H:%M")
        if summary.data_as_of
        else "-"
    )
    story: list[Any] = [
        Paragraph(_("Indonesian technical interns in Japan"), title),
        Paragraph(
            _("Figures as of %(date)s (summaries taken %(taken)s, Asia/Jakarta).")
            % {"date": summary.as_of.isoformat(), "taken": taken},
            body,
        ),
        Paragraph(
            _("Counts from 1 to %(largest)d are shown as <%(minimum)d.").replace("<", "&lt;")
            % {"largest": summary.minimum_cell - 1, "minimum": summary.minimum_cell},
            body,
        )
        if summary.minimum_cell > 1
        else Spacer(1, 1),
        Spacer(1, 4 * mm),
        _table(
            [_("Figure"), _("Count")],
            [
                [_("Departed since 1993"), summary.departed_total.label],
                [_("In Japan on this date"), summary.in_japan.label],
            ],
            font,
        ),
    ]
    if summary.outcomes_by_year:
        story += [
            Paragraph(_("Departures and outcomes per departure year"), heading),
            _table(
                [
                    _("Year"),
                    _("Departed"),
                    _("In Japan"),
                    _("Completed"),
                    _("Early return"),
                    _("Missing"),
                ],
                [
                    [
                        str(o.year),
                        o.departed.label,
                        o.in_japan.label,
                        o.completed.label,
                        o.early_return.label,
                        o.missing.label,
                    ]
                    for o in summary.outcomes_by_year
                ],
                font,
            ),
        ]
    sections: list[tuple[str, list[list[str]]]] = [
        (
            _("By province of origin"),
            [
                [f"{p.code} {p.name}", p.departed.label, p.in_japan.label]
                for p in summary.by_province
            ],
        ),
        (
            _("By prefecture in Japan"),
            [
                [
                    f"{f.code} {f.name_en}" + (f" {f.name_ja}" if japanese else ""),
                    f.departed.label,
                    f.in_japan.label,
                ]
                for f in summary.by_prefecture
            ],
        ),
        (
            _("By trade"),
            [
                [f"{t.code} {t.name_en}"[:70], t.departed.label, t.in_japan.label]
                for t in summary.by_trade
            ],
        ),
    ]
    for name, rows in sections:
        if rows:
            story += [
                Paragraph(name, heading),
                _table(["", _("Departed"), _("In Japan")], rows, font),
            ]
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Magang statistics {summary.as_of.isoformat()}",
    )
    document.build(story)
    return out.getvalue()
