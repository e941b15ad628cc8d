from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "magang.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers the home page sections)
