from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "magang.recruitment"
    label = "recruitment"
    verbose_name = "Recruitment"

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers the home page sections)
