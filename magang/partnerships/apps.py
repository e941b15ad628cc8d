from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "magang.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"
