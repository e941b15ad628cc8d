"""Admin for returns and alumni: administrators edit the grant schemes (amount and
conditions per programme and year) and job events; grants are read there and decided only
through the services (the central team's pages and API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import BusinessGrant, GrantScheme, JobEvent


@admin.register(GrantScheme)
class GrantSchemeAdmin(admin.ModelAdmin[GrantScheme]):
    list_display = ("programme", "year", "amount", "requires_completion", "min_months_in_japan")
    list_filter = ("programme",)


@admin.register(JobEvent)
class JobEventAdmin(admin.ModelAdmin[JobEvent]):
    list_display = ("title", "starts_at", "venue", "province", "capacity")
    raw_id_fields = ("created_by",)


@admin.register(BusinessGrant)
class BusinessGrantAdmin(admin.ModelAdmin[BusinessGrant]):
    list_display = ("return_record", "scheme", "amount", "status", "paid_on")
    list_filter = ("status", "scheme__year")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
