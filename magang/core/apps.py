from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_legacy_alter_table(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite rebuilds a table to change it (create ``new__x``, copy, drop ``x``, rename).
    Since SQLite 3.26 the rename re-parses every trigger, and a trigger that names ``x``
    (the dormitory's, in training) fails while ``x`` is briefly missing. Legacy renaming
    leaves trigger text alone, which is right here: the table gets its old name back."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA legacy_alter_table = ON")


class CoreConfig(AppConfig):
    name = "magang.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        connection_created.connect(_sqlite_legacy_alter_table, dispatch_uid="magang-sqlite-alter")
        from . import checks  # noqa: F401  (registers the key checks)
