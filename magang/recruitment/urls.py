from django.urls import URLPattern

from .views import imports, officer, privacy, public

app_name = "recruitment"

urlpatterns: list[URLPattern] = [
    *public.urlpatterns,
    *officer.urlpatterns,
    *imports.urlpatterns,
    *privacy.urlpatterns,
]
