"""Agreements in the admin, read-only: they are recorded and changed on the partnership pages
through the services (rules, audit rows), and their documents are streamed only by the
authorising view, never by a storage URL."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Agreement, AgreementDocument


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentInline(ReadOnly, admin.TabularInline[AgreementDocument, Agreement]):
    model = AgreementDocument
    fields = ("title", "size", "sha256", "uploaded_by", "created_at")
    readonly_fields = fields
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(ReadOnly, admin.ModelAdmin[Agreement]):
    list_display = ("title", "kind", "status", "prefecture", "signed_on", "is_public")
    list_filter = ("status", "kind", "is_public")
    search_fields = ("title", "reference")
    inlines = (DocumentInline,)
