"""Writing many rows of one table fast, without model instances: imports, ranking runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models

WRITE_BATCH = 10_000


def _column(field: Any) -> str:
    if not isinstance(field, models.Field) or field.column is None:
        raise ImproperlyConfigured(f"{field} is not a column.")
    return field.column


class BulkTable:
    """Rows for one model's table: ids reserved from the database, then written in batches
    (``COPY`` on PostgreSQL, ``executemany`` elsewhere).

    ``fields`` name the values each row gives after its id; every other column is filled
    from the model: the write time for timestamps, else its default. With ``ids=False`` rows
    start with their first field and the database numbers them (nobody needs the ids).
    """

    def __init__(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        *,
        now: dt.datetime,
        ids: bool = True,
    ):
        meta = model._meta
        ops = connection.ops
        given = [meta.get_field(name) for name in fields]
        filled: list[tuple[str, Any]] = []
        for field in meta.concrete_fields:
            if field.primary_key or field in given:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = now
            elif field.has_default() or field.null or (field.blank and field.empty_strings_allowed):
                value = field.get_default()
            else:
                raise ImproperlyConfigured(f"Bulk writing does not fill {meta.label}.{field.name}.")
            filled.append((_column(field), field.get_db_prep_save(value, connection)))
        if meta.pk is None:
            raise ImproperlyConfigured(f"{meta.label} has no primary key.")
        columns = [
            *([_column(meta.pk)] if ids else []),
            *map(_column, given),
            *(c for c, _ in filled),
        ]
        self.constants = tuple(value for _, value in filled)
        self.table = meta.db_table
        names = ", ".join(map(ops.quote_name, columns))
        quoted = ops.quote_name(self.table)
        self.insert = f"INSERT INTO {quoted} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        self.copy = f"COPY {quoted} ({names}) FROM STDIN"

    def reserve(self, count: int) -> list[int]:
        """``count`` new ids, taken from the table's own sequence so nobody else gets them."""
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return sorted(row[0] for row in cursor.fetchall())
            if connection.vendor == "sqlite":
                # The write transaction holds SQLite's only write lock, so these stay ours;
                # AUTOINCREMENT's counter follows the highest id inserted.
                cursor.execute(
                    f"SELECT MAX(id) FROM {connection.ops.quote_name(self.table)}"  # noqa: S608
                )
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                found = cursor.fetchone()
                start = max(highest, found[0] if found else 0) + 1
                return list(range(start, start + count))
        raise ImproperlyConfigured(f"Bulk writing does not support {connection.vendor}.")

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Write ``rows``, each starting with its reserved id (unless ``ids=False``)."""
        constants = self.constants
        for start in range(0, len(rows), WRITE_BATCH):
            batch = rows[start : start + WRITE_BATCH]
            self._write([(*row, *constants) for row in batch] if constants else list(batch))

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The driver's own cursor: Django's wrapper turns its errors into Django's.
                with connection.wrap_database_errors, cursor.cursor.copy(self.copy) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert, rows)
