"""Filters of the partnership pages: published counts, shares, names in the page language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from magang.stats.suppression import Cell

register = template.Library()


@register.filter
def count(value: Cell | int) -> str:
    """A count for a page: grouped digits in the active language, or "<5" when suppressed."""
    if isinstance(value, Cell):
        if value.count is None:
            return value.label
        return number_format(value.count, force_grouping=True)
    return number_format(value, force_grouping=True)


@register.filter
def share(value: float | None) -> str:
    """A share as a percentage with one decimal, or a dash when there is none."""
    return "—" if value is None else f"{number_format(value * 100, decimal_pos=1)} %"


@register.filter
def local_name(obj: Any) -> str:
    """A prefecture's or a trade's name in the page language (Indonesian by default)."""
    language = get_language() or "id"
    for prefix, attribute in (("ja", "name_ja"), ("en", "name_en")):
        if language.startswith(prefix):
            return str(getattr(obj, attribute))
    return str(getattr(obj, "name_id", "") or getattr(obj, "name_en", ""))


@register.filter
def state_on(agreement: Any, day: Any) -> Any:
    """The agreement's state (in force, expired...) on ``day``."""
    return agreement.state_on(day)
