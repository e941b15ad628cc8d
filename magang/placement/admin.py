"""Administrators read and correct job orders here, and keep the trades host companies train
in. A change is checked and saved by ``job_order_save`` (the intake cap, the company's
trades, the ranges), as on the pages; the state may be changed here too (e.g. cancelled).
Job orders are sent on the pages, by import or through the API, by someone who answers for
them, never added here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from .models import HostTrade, JobOrder
from .services.orders import JobOrderData, job_order_save

DATA_FIELDS = ("reference", "trade", "prefecture", "slots", "planned_start", "interview_on",
               "sex", "min_age", "max_age", "min_height_cm", "japanese_level", "notes")  # fmt: skip


def _data(cleaned: dict[str, Any]) -> JobOrderData:
    values: dict[str, Any] = {name: cleaned.get(name) for name in DATA_FIELDS}
    return JobOrderData(**values)


class JobOrderAdminForm(forms.ModelForm[JobOrder]):
    class Meta:
        model = JobOrder
        fields = (*DATA_FIELDS, "state")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors or self.instance.pk is None:
            return cleaned
        for name in ("sex", "japanese_level", "notes"):
            cleaned[name] = cleaned.get(name) or ""
        # The service's own checks, in a transaction rolled back: the save repeats them.
        try:
            with transaction.atomic():
                job_order_save(
                    host_company=self.instance.host_company, data=_data(cleaned), by=None,
                    order=JobOrder.objects.get(pk=self.instance.pk),
                )  # fmt: skip
                transaction.set_rollback(True)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned


@admin.register(JobOrder)
class JobOrderAdmin(admin.ModelAdmin[JobOrder]):
    form = JobOrderAdminForm
    list_display = ("reference", "host_company", "trade", "prefecture", "slots", "planned_start",
                    "state")  # fmt: skip
    list_filter = ("state", "prefecture", "trade__group")
    search_fields = ("reference", "host_company__name", "trade__code")
    autocomplete_fields = ("trade", "prefecture")
    date_hierarchy = "planned_start"

    # A job order stays with its host company (and its supervising organisation).
    readonly_fields = ("host_company", "supervising_organisation", "created_by", "created_at",
                       "updated_at")  # fmt: skip
    fields = (*DATA_FIELDS, "state", *readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: JobOrder, form: Any, change: bool) -> None:
        job_order_save(
            host_company=obj.host_company, data=_data(form.cleaned_data), by=None, order=obj
        )


@admin.register(HostTrade)
class HostTradeAdmin(admin.ModelAdmin[HostTrade]):
    list_display = ("host_company", "trade")
    list_filter = ("trade__group",)
    search_fields = ("host_company__name", "trade__code", "trade__name_en")
    autocomplete_fields = ("host_company", "trade")
