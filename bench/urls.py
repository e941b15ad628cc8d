"""URLs for page benchmarks: the project's own, and an empty page on the base layout, the
floor every page pays (middleware, session and user, the navigation, the layout itself)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import URLPattern, URLResolver, path

from config.urls import urlpatterns as project

EMPTY = engines["django"].from_string('{% extends "base.html" %}')


def empty(request: HttpRequest) -> HttpResponse:
    return HttpResponse(EMPTY.render({}, request))


urlpatterns: list[URLPattern | URLResolver] = [path("bench/empty/", empty), *project]
