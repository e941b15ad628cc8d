from django.apps import AppConfig


class PlacementConfig(AppConfig):
    name = "magang.placement"
    label = "placement"
    verbose_name = "Placement"

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers the home page sections)
