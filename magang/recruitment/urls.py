from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
]
