from django.contrib import admin

from .models import Internship


@admin.register(Internship)
class InternshipAdmin(admin.ModelAdmin[Internship]):
    list_display = ("application", "prefecture", "trade", "departed_on", "ended_on", "end_reason")
    list_filter = ("end_reason", "prefecture")
    raw_id_fields = ("application", "host_company", "supervising_organisation")
    date_hierarchy = "departed_on"
