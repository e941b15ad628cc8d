"""Administrators edit a round's selection plan here: stages (as data, checked by the ranking's
own rules on save) and quotas. A plan whose ranking is final can no longer change.
Results, runs and placements are read-only: they change only through the services."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from . import ranking
from .models import (
    Objection,
    Quota,
    RankingRun,
    RunState,
    SelectionPlan,
    Stage,
    StageResult,
)


class StageForm(forms.ModelForm[Stage]):
    class Meta:
        model = Stage
        fields = (
            "order", "key", "name_en", "name_id", "kind", "eliminating", "recorded_by",
            "is_medical", "min_score", "max_score", "pass_mark", "weight", "measures",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        stage = Stage(**{name: data.get(name) for name in self.Meta.fields if name in data})
        stage.weight = data.get("weight") or 0
        stage.measures = data.get("measures") or []
        try:
            stage.ranking_stage()
        except ranking.InvalidInput as exc:
            raise ValidationError(list(exc.problems)) from exc
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValidationError(f"A measurement is incomplete: {exc}.") from exc
        return data


class StageInline(admin.TabularInline[Stage, SelectionPlan]):
    model = Stage
    form = StageForm
    extra = 0


class QuotaInline(admin.TabularInline[Quota, SelectionPlan]):
    model = Quota
    extra = 0


def _final(plan: SelectionPlan | None) -> bool:
    return plan is not None and plan.runs.filter(state=RunState.FINAL).exists()


@admin.register(SelectionPlan)
class SelectionPlanAdmin(admin.ModelAdmin[SelectionPlan]):
    list_display = ("round", "unit_kind", "reserves_per_unit", "redistribution", "copied_from")
    inlines = (StageInline, QuotaInline)
    readonly_fields = ("copied_from",)

    def has_change_permission(self, request: HttpRequest, obj: SelectionPlan | None = None) -> bool:
        return not _final(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: SelectionPlan | None = None) -> bool:
        return (
            obj is not None
            and not obj.runs.exists()
            and super().has_delete_permission(request, obj)
        )


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RankingRun)
class RankingRunAdmin(ReadOnlyAdmin):
    list_display = ("plan", "number", "state", "created_at", "published_at")
    list_filter = ("state",)


@admin.register(StageResult)
class StageResultAdmin(ReadOnlyAdmin):
    list_display = ("application", "stage", "passed", "version")
    list_filter = ("stage__plan",)
    raw_id_fields = ("application",)
    # Values stay out of the admin: medical ones are visible only to the central team.
    fields = ("application", "stage", "passed", "version", "recorded_by")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("application", "state", "created_at", "reviewed_at")
    list_filter = ("state",)
