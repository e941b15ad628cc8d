from django.apps import AppConfig


class InternshipsConfig(AppConfig):
    name = "magang.internships"
    label = "internships"
    verbose_name = "Internships"

    def ready(self) -> None:
        from . import (
            cases_home,  # noqa: F401  (cases and alumni sections)
            home,  # noqa: F401  (registers the home page sections)
        )
