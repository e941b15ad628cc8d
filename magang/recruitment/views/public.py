"""Candidate pages: open rounds, registration, documents, status."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
