from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "magang.stats"
    label = "stats"
    verbose_name = "Statistics"
