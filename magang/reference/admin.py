"""Admin views of the reference tables: read-only, since every row comes from a dated source.

A correction goes into the data file (with a new version), then ``manage.py load_reference``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from magang.reference.models import Dataset, Prefecture, Province, Regency, Trade


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ["key", "version", "source_date", "row_count", "loaded_at"]
    search_fields = ["key", "version", "source"]


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name"]


@admin.register(Prefecture)
class PrefectureAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_en", "name_ja", "name_id", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_en", "name_ja", "name_id"]


@admin.register(Trade)
class TradeAdmin(ReadOnlyAdmin):
    list_display = ["code", "group", "job_name_en", "name_en", "name_ja", "stage3_eligible"]
    list_filter = ["group", "stage3_eligible"]
    search_fields = [
        "code",
        "job_name_en",
        "job_name_ja",
        "job_name_id",
        "name_en",
        "name_ja",
        "name_id",
    ]
