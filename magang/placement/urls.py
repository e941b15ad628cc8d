"""Placement pages under /placement/: one view module per area, each with its own
``urlpatterns``; add an area by adding its module here."""

from django.urls import URLPattern

from .views import companies, departure, imports, matching, orders, preferences, shortlists

app_name = "placement"

urlpatterns: list[URLPattern] = [
    *orders.urlpatterns,
    *companies.urlpatterns,
    *imports.urlpatterns,
    *preferences.urlpatterns,
    *shortlists.urlpatterns,
    *matching.urlpatterns,
    *departure.urlpatterns,
]
