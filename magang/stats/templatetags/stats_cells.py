from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from magang.stats.suppression import Cell

register = template.Library()


def grouped(value: int) -> str:
    """``value`` with the active language's thousand separator: what ``number_format(value,
    force_grouping=True)`` gives for a whole number, without its per-call lookups (a national
    page formats hundreds of counts)."""
    return _with_separator(value, _separator())


def _separator() -> str:
    language = get_language() or ""
    separator = _SEPARATORS.get(language)
    if separator is None:
        separator = _SEPARATORS[language] = (
            str(number_format(1000, force_grouping=True)).removeprefix("1").removesuffix("000")
        )
    return separator


def _with_separator(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator) if separator != "," else f"{value:,}"


_SEPARATORS: dict[str, str] = {}


@register.filter
def cell(value: Cell) -> str:
    """A published count for a page: grouped digits in the active language, or "<5"."""
    if value.count is None:
        return value.label
    return grouped(value.count)


@register.filter
def number(value: int) -> str:
    return grouped(value)


def _funnel_row(row: Any, funnel: Any, base: str, separator: str) -> str:
    if row.site_id is not None:
        base += f"&amp;site={row.site_id}"
    cells = "".join(
        f'<td class="num"><a href="{base}&amp;step={escape(step.key)}">'
        f"{_with_separator(n, separator)}</a></td>"
        for step, n in row.cells(funnel.steps)
    )
    return f'<tr><th scope="row">{escape(row.name)}</th>{cells}</tr>'


@register.filter
def funnel_rows(funnel: Any, part: str = "body") -> SafeString:
    """The funnel's rows as HTML (``part`` "body": a row per site; "total": the total row):
    the site, then each step's count linking to the list behind it. Built here in one go
    rather than through the template per cell: a national round has hundreds of sites, and
    a tag per cell was most of the page's time."""
    base = f"{reverse('stats:drill_applications')}?round={funnel.round.pk}"
    separator = _separator()
    rows = funnel.rows if part == "body" else (funnel.total,)
    html = "\n".join(_funnel_row(row, funnel, base, separator) for row in rows)
    return mark_safe(html)  # noqa: S308 - every value in it is escaped or a number
