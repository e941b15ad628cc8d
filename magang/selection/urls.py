from django.urls import URLPattern

from .views import grid, imports, objections, people, public, runs

app_name = "selection"

urlpatterns: list[URLPattern] = [
    *public.urlpatterns,
    *people.urlpatterns,
    *grid.urlpatterns,
    *imports.urlpatterns,
    *runs.urlpatterns,
    *objections.urlpatterns,
]
