from django.contrib import admin

from .models import (
    ExamType,
    ExcellentStanding,
    HostPlacement,
    Internship,
    MonitoringDuty,
    Stage,
    StayRules,
)


@admin.register(Internship)
class InternshipAdmin(admin.ModelAdmin[Internship]):
    list_display = ("application", "prefecture", "trade", "departed_on", "ended_on", "end_reason")
    list_filter = ("end_reason", "prefecture")
    raw_id_fields = ("application", "host_company", "supervising_organisation")
    date_hierarchy = "departed_on"
    # Status, stage, placements and the stay's end change only through the services.
    readonly_fields = (
        "stage",
        "stage_started_on",
        "ended_on",
        "end_reason",
        "early_return_reason",
        "host_company",
        "prefecture",
    )


class HostPlacementInline(admin.TabularInline[HostPlacement, Internship]):
    model = HostPlacement
    extra = 0
    can_delete = False
    readonly_fields = ("host_company", "prefecture", "started_on", "ended_on", "end_reason")


InternshipAdmin.inlines = [HostPlacementInline]


@admin.register(StayRules)
class StayRulesAdmin(admin.ModelAdmin[StayRules]):
    list_display = (
        "programme",
        "visit_every_months",
        "visits_for_months",
        "audit_every_months",
        "overdue_after_days",
    )


@admin.register(ExamType)
class ExamTypeAdmin(admin.ModelAdmin[ExamType]):
    list_display = ("code", "name", "name_ja")


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin[Stage]):
    list_display = ("programme", "number", "code", "name", "duration_months")
    list_filter = ("programme",)
    filter_horizontal = ("required_exams",)


@admin.register(ExcellentStanding)
class ExcellentStandingAdmin(admin.ModelAdmin[ExcellentStanding]):
    list_display = ("organisation", "granted_on", "expires_on", "reference")
    raw_id_fields = ("organisation",)


@admin.register(MonitoringDuty)
class MonitoringDutyAdmin(admin.ModelAdmin[MonitoringDuty]):
    list_display = ("internship", "kind", "sequence", "due_on", "status", "done_on")
    list_filter = ("kind", "status")
    raw_id_fields = ("internship", "supervising_organisation", "host_company", "done_by")


from . import alumni_admin, cases_admin  # noqa: E402, F401  (cases and alumni)
