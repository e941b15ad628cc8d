"""Selection pages: people (filled in with the selection issue)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
