"""Admin for cases: administrators edit the target times by severity (data); cases are read
there without their description or health details, and change only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Case, CaseTarget


@admin.register(CaseTarget)
class CaseTargetAdmin(admin.ModelAdmin[CaseTarget]):
    list_display = ("severity", "resolve_within_hours")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ("id", "category", "severity", "status", "filed_as", "filed_at", "due_at")
    list_filter = ("status", "category", "severity", "filed_as")
    date_hierarchy = "filed_at"
    fields = (
        "internship", "kind", "category", "severity", "status", "filed_as", "filed_at",
        "due_at", "escalated_at", "assigned_to", "share_with_partner", "resolved_at",
        "closed_at", "confirmed_by_intern",
    )  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
