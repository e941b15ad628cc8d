from django.apps import AppConfig


class PlacementConfig(AppConfig):
    name = "magang.placement"
    label = "placement"
    verbose_name = "Placement"
