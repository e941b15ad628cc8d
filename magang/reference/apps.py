from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "magang.reference"
    label = "reference"
    verbose_name = "Reference data"
