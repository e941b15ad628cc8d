from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from .eligibility import InvalidRules, RuleSet
from .models import Application, Candidate, JourneyEvent, Programme, RecruitmentRound, SelectionSite


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ("code", "name", "partner", "valid_from", "valid_until")


class RecruitmentRoundForm(forms.ModelForm[RecruitmentRound]):
    class Meta:
        model = RecruitmentRound
        fields = (
            "programme",
            "code",
            "name",
            "year",
            "track",
            "opens_on",
            "closes_on",
            "reference_date",
            "target",
            "required_documents",
            "eligibility_rules",
        )

    def clean_eligibility_rules(self) -> dict[str, object]:
        """The rule set is data, but it must be a valid rule set: every problem is listed."""
        data = self.cleaned_data.get("eligibility_rules") or {}
        if data:
            try:
                RuleSet.from_dict(data)
            except InvalidRules as exc:
                raise ValidationError(list(exc.problems)) from exc
            except ValueError as exc:
                raise ValidationError(str(exc)) from exc
        return dict(data)


@admin.register(RecruitmentRound)
class RecruitmentRoundAdmin(admin.ModelAdmin[RecruitmentRound]):
    form = RecruitmentRoundForm
    list_display = ("code", "name", "year", "track", "opens_on", "closes_on")
    list_filter = ("programme", "track")
    search_fields = ("code", "name")
    filter_horizontal = ("required_documents",)


@admin.register(SelectionSite)
class SelectionSiteAdmin(admin.ModelAdmin[SelectionSite]):
    list_display = ("name", "round", "organisation", "province", "registration_deadline")
    list_filter = ("round",)
    search_fields = ("name",)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin[Candidate]):
    list_display = ("full_name", "sex", "birth_date", "province")
    search_fields = ("full_name",)
    raw_id_fields = ("user",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Candidate], search_term: str
    ) -> tuple[QuerySet[Candidate], bool]:
        """Names as usual; a NIK exactly, through its blind index (the NIK is sealed)."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        nik = "".join(search_term.split())
        if nik.isdigit():
            found = found | queryset.with_nik(nik)  # type: ignore[attr-defined]
        return found, duplicates


class JourneyEventInline(admin.TabularInline[JourneyEvent, Application]):
    model = JourneyEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "recorded_at", "effective_on", "reason")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    """Status is read-only here: it moves only through the journey service."""

    list_display = ("registration_number", "candidate", "round", "site", "status")
    list_filter = ("status", "round")
    search_fields = ("=registration_number", "candidate__full_name")
    readonly_fields = ("status", "status_changed_at")
    raw_id_fields = ("candidate", "site")
    inlines = [JourneyEventInline]
