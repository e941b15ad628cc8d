from django.urls import URLPattern

from .views import candidate, imports, officer, privacy, public, registration

app_name = "recruitment"

urlpatterns: list[URLPattern] = [
    *public.urlpatterns,
    *registration.urlpatterns,
    *candidate.urlpatterns,
    *officer.urlpatterns,
    *imports.urlpatterns,
    *privacy.urlpatterns,
]
