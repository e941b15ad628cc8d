from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "magang.selection"
    label = "selection"
    verbose_name = "Selection"

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers the home page sections)
