from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.public, name="public"),
    path("summary.csv", views.summary_csv, name="summary_csv"),
]
