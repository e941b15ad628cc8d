from django.urls import path

from . import dashboards, views

app_name = "stats"

urlpatterns = [
    path("", views.public, name="public"),
    path("summary.csv", views.summary_csv, name="summary_csv"),
    path("summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("summary.pdf", views.summary_pdf_download, name="summary_pdf"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("dashboard/funnel/", dashboards.funnel, name="funnel"),
    path("dashboard/rates/", dashboards.rates, name="rates"),
    path("dashboard/applications/", dashboards.application_list, name="drill_applications"),
    path("dashboard/internships/", dashboards.internship_list, name="drill_internships"),
]
