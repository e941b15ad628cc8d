from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "magang.core"
    label = "core"
    verbose_name = "Core"
