"""Administrators keep the curricula here: a curriculum is shared by every centre, so no
centre's staff change it. Next year's is a copy (the "copy for next year" page), edited
here: its modules (pass marks on 0..100, weights of at least 0) and its readiness and
alert rules, checked by the same pure rules that apply them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from . import alerts, readiness
from .models import Cohort, Curriculum, Module


class ModuleForm(forms.ModelForm[Module]):
    class Meta:
        model = Module
        fields = (
            "order", "key", "name_en", "name_id", "category", "planned_hours", "pass_mark",
            "weight",
        )  # fmt: skip

    def clean_pass_mark(self) -> Decimal:
        mark: Decimal = self.cleaned_data["pass_mark"]
        if not 0 <= mark <= 100:
            raise ValidationError(_("A pass mark lies between 0 and 100."))
        return mark

    def clean_weight(self) -> Decimal:
        weight: Decimal = self.cleaned_data["weight"]
        if weight < 0:
            raise ValidationError(_("A weight is 0 or more."))
        return weight


class ModuleInline(admin.TabularInline[Module, Curriculum]):
    model = Module
    form = ModuleForm
    extra = 0


class CurriculumForm(forms.ModelForm[Curriculum]):
    class Meta:
        model = Curriculum
        fields = ("programme", "code", "name", "year", "readiness_rules", "alert_rules")

    def clean_readiness_rules(self) -> Any:
        return _rules(self.cleaned_data["readiness_rules"], readiness.ReadinessRules.from_dict)

    def clean_alert_rules(self) -> Any:
        return _rules(self.cleaned_data["alert_rules"], alerts.AlertRules.from_dict)


def _rules(rules: Any, read: Callable[[Mapping[str, object]], object]) -> Any:
    """The rules as stored, once the pure module that applies them can read them."""
    if not isinstance(rules, dict):
        raise ValidationError(_("Rules are a JSON object: each rule's name and its value."))
    try:
        read(rules)
    except readiness.InvalidRules as exc:
        raise ValidationError(list(exc.problems)) from exc
    return rules


@admin.register(Curriculum)
class CurriculumAdmin(admin.ModelAdmin[Curriculum]):
    form = CurriculumForm
    list_display = ("code", "name", "year", "programme", "copied_from")
    list_filter = ("year",)
    search_fields = ("code", "name")
    inlines = (ModuleInline,)
    readonly_fields = ("copied_from", "copy_link")

    @admin.display(description=_("Next year"))
    def copy_link(self, obj: Curriculum) -> SafeString | str:
        if obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("training:curriculum_copy", args=[obj.pk]),
            _("Copy this curriculum for next year"),
        )


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin[Cohort]):
    """Cohorts are set up here; their classes, trainees and timetable live on the training
    pages, where the centre's staff keep them."""

    list_display = ("code", "name", "centre", "stage", "starts_on", "ends_on", "capacity")
    list_filter = ("stage", "centre")
    search_fields = ("code", "name")
    fields = (
        "centre", "round", "curriculum", "code", "name", "stage", "starts_on", "ends_on",
        "capacity",
    )  # fmt: skip
