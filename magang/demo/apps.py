from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "magang.demo"
    label = "demo"
    verbose_name = "Demo data"
