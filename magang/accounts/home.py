"""The home page is built from sections that each app contributes for the roles it serves.

Apps downstream of ``accounts`` register their sections in ``AppConfig.ready()``, so the home
view never imports them (imports point upstream only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .scopes import Scope

ContextBuilder = Callable[[HttpRequest, Scope], dict[str, Any] | None]


@dataclass(frozen=True)
class HomeSection:
    key: str
    template_name: str
    order: int
    build: ContextBuilder


_SECTIONS: dict[str, HomeSection] = {}


def register_home_section(
    *, key: str, template_name: str, build: ContextBuilder, order: int = 100
) -> None:
    """``build`` returns the section's context, or None when the user should not see it."""
    _SECTIONS[key] = HomeSection(key=key, template_name=template_name, order=order, build=build)


def home_sections(request: HttpRequest, scope: Scope) -> list[tuple[HomeSection, dict[str, Any]]]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.build(request, scope)
        if context is not None:
            shown.append((section, context))
    return shown
