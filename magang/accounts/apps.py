from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "magang.accounts"
    label = "accounts"
    verbose_name = "Accounts"
