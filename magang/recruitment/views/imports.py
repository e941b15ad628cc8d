"""Spreadsheet import of registrations for regional officers."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
