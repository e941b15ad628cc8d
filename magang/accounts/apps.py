from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "magang.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (connects the login, logout and deactivation signals)
