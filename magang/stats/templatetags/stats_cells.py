from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language

from magang.stats.suppression import Cell

register = template.Library()


def grouped(value: int) -> str:
    """``value`` with the active language's thousand separator: what ``number_format(value,
    force_grouping=True)`` gives for a whole number, without its per-call lookups (a national
    page formats hundreds of counts)."""
    language = get_language() or ""
    separator = _SEPARATORS.get(language)
    if separator is None:
        separator = _SEPARATORS[language] = (
            str(number_format(1000, force_grouping=True)).removeprefix("1").removesuffix("000")
        )
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


@register.filter
def funnel_cells(row: Any, funnel: Any) -> list[tuple[str, str]]:
    """A funnel row's cells in the order of the steps: the drill-down link and the count,
    formatted once here rather than through a tag per cell (a national round has hundreds
    of sites)."""
    base = f"{reverse('stats:drill_applications')}?round={funnel.round.pk}"
    if row.site_id is not None:
        base += f"&site={row.site_id}"
    return [(f"{base}&step={step.key}", grouped(n)) for step, n in row.cells(funnel.steps)]
