from django.urls import URLPattern

from .views import cohorts, discipline, dormitory, grades, graduation, timetable, trainee

app_name = "training"

urlpatterns: list[URLPattern] = [
    *cohorts.urlpatterns,
    *timetable.urlpatterns,
    *grades.urlpatterns,
    *dormitory.urlpatterns,
    *discipline.urlpatterns,
    *graduation.urlpatterns,
    *trainee.urlpatterns,
]
