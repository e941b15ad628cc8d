from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "magang.training"
    label = "training"
    verbose_name = "Training"
