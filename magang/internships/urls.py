from django.urls import URLPattern

from .views import alumni, cases, stay

app_name = "internships"

urlpatterns: list[URLPattern] = [
    *stay.urlpatterns,
    *cases.urlpatterns,
    *alumni.urlpatterns,
]
