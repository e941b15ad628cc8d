from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "magang.selection"
    label = "selection"
    verbose_name = "Selection"
