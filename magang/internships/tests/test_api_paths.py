"""The internships API's areas (stay, cases, alumni) share the prefix /api/v1/internships/;
no path of one area may match a URL of another, so the order the routers are added in
(``api/__init__.py``) does not matter. The stay's ``/{internship_id}`` once caught
``POST /cases``: its path parameter is an int now."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern

from config.api import api

PREFIX = "internships/"


def _patterns() -> list[URLPattern]:
    return [
        p for p in api.urls[0] if isinstance(p, URLPattern) and str(p.pattern).startswith(PREFIX)
    ]


def _area(route: str) -> str:
    rest = route[len(PREFIX) :]
    return rest.split("/", 1)[0] if rest.startswith(("cases", "alumni")) else "stay"


def _sample(route: str) -> str:
    return re.sub(r"<(?:\w+:)?\w+>", "1", route)


def test_no_path_of_one_area_matches_a_url_of_another() -> None:
    patterns = _patterns()
    assert {_area(str(p.pattern)) for p in patterns} == {"stay", "cases", "alumni"}
    clashes = [
        (str(mine.pattern), str(other.pattern))
        for mine in patterns
        for other in patterns
        if _area(str(mine.pattern)) != _area(str(other.pattern))
        and other.pattern.match(_sample(str(mine.pattern)))
    ]
    assert clashes == []


def test_the_internship_id_is_a_number() -> None:
    routes = [str(p.pattern) for p in _patterns() if "internship_id" in str(p.pattern)]
    assert routes == [f"{PREFIX}<int:internship_id>"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "cases"), ("post", "cases"), ("get", "abc"), ("post", "abc")],
)
def test_words_never_reach_the_internship_detail(method: str, path: str) -> None:
    """Anonymous callers: the cases operations answer 401 (they exist for both methods);
    a word where an id belongs is not found, never a 405 from the detail's path."""
    response = getattr(Client(), method)(f"/api/v1/internships/{path}")
    assert response.status_code == (401 if path == "cases" else 404)
