from __future__ import annotations

from django import template
from django.utils.formats import number_format

from magang.stats.suppression import Cell

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    """A published count for a page: grouped digits in the active language, or "<5"."""
    if value.count is None:
        return value.label
    return number_format(value.count, force_grouping=True)


@register.filter
def number(value: int) -> str:
    return number_format(value, force_grouping=True)
