"""Training pages: discipline (filled in with the training issue)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
