"""Sealing and re-sealing whole columns in batches: the data migrations that encrypt rows
written before encryption existed, and ``manage.py rotate_field_keys``.

Works on raw rows (no model instances), so it runs inside migrations and on millions of
rows. Each batch is one transaction; a batch that fails leaves earlier batches done and the
run can start again (rows already under the current keys are skipped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from . import crypto
from .fields import EncryptedCharField, EncryptedJSONField

BATCH = 2_000


@dataclass(frozen=True)
class SealedColumn:
    """One encrypted column, with its blind index column if it has one."""

    table: str
    column: str
    purpose: str
    index_column: str = ""
    pk: str = "id"

    @property
    def label(self) -> str:
        return f"{self.table}.{self.column}"


def sealed_columns() -> list[SealedColumn]:
    """Every encrypted column of every installed model, found by its field type, so a new
    encrypted field is rotated without anyone listing it."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if isinstance(field, EncryptedCharField | EncryptedJSONField):
                index = ""
                if isinstance(field, EncryptedCharField) and field.index_field:
                    index = getattr(meta.get_field(field.index_field), "column", "") or ""
                pk_column = meta.pk.column if meta.pk is not None else "id"
                found.append(
                    SealedColumn(meta.db_table, field.column or field.name, field.purpose,
                                 index, pk_column)
                )  # fmt: skip
    return sorted(found, key=lambda c: c.label)


def _rows(column: SealedColumn, after: Any, limit: int) -> list[tuple[Any, ...]]:
    q = connection.ops.quote_name
    selected = [q(column.pk), q(column.column)]
    if column.index_column:
        selected.append(q(column.index_column))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT {', '.join(selected)} FROM {q(column.table)} "  # noqa: S608
        f"WHERE {q(column.pk)} > %s ORDER BY {q(column.pk)} LIMIT %s{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, limit])
        return list(cursor.fetchall())


def reseal(
    column: SealedColumn,
    *,
    after: int = 0,
    batch: int = BATCH,
    progress: Callable[[SealedColumn, int, int], None] | None = None,
) -> int:
    """Seal every value of ``column`` under the current field key and index it under the
    current index key, batch by batch (each atomic). Returns how many rows changed.
    ``progress(column, last_pk, changed_so_far)`` is called after each batch: the last pk is
    where ``after`` resumes."""
    field_kid, index_kid = crypto.current_key_ids()
    q = connection.ops.quote_name
    sets = [f"{q(column.column)} = %s"]
    if column.index_column:
        sets.append(f"{q(column.index_column)} = %s")
    update = f"UPDATE {q(column.table)} SET {', '.join(sets)} WHERE {q(column.pk)} = %s"  # noqa: S608
    changed = 0
    last: object = after
    while True:
        with transaction.atomic():
            rows = _rows(column, last, batch)
            if not rows:
                break
            updates = list(_changes(column, rows, field_kid, index_kid))
            if updates:
                with connection.cursor() as cursor:
                    cursor.executemany(update, updates)
            changed += len(updates)
            last = rows[-1][0]
        if progress is not None:
            progress(column, int(str(last)), changed)
    return changed


def _changes(
    column: SealedColumn, rows: list[tuple[Any, ...]], field_kid: str, index_kid: str
) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        pk, stored = row[0], row[1]
        if stored is None:
            continue
        text = str(stored)
        resealed = text != "" and crypto.key_id(text) != field_kid
        reindexed = False
        if column.index_column:
            stored_index = str(row[2] or "")
            if text == "":
                reindexed = stored_index != ""
            else:
                reindexed = crypto.index_key_id(stored_index) != index_kid
        if not (resealed or reindexed):
            continue
        plain = crypto.decrypt(text, purpose=column.purpose)
        sealed = crypto.encrypt(plain, purpose=column.purpose) if resealed else text
        if column.index_column:
            yield sealed, crypto.blind_index(plain, purpose=column.purpose), pk
        else:
            yield sealed, pk


def seal_in_migration(*columns: SealedColumn) -> Callable[..., None]:
    """A ``RunPython`` function sealing the named columns (written out in the migration, so
    later models cannot change what an old migration does)."""

    def run(apps: object, schema_editor: object) -> None:
        for column in columns:
            reseal(column)

    return run


def unseal_in_migration(*columns: SealedColumn) -> Callable[..., None]:
    """The reverse: write the plain values back (unapplying the migration)."""

    def run(apps: object, schema_editor: object) -> None:
        q = connection.ops.quote_name
        for column in columns:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {q(column.pk)}, {q(column.column)} FROM {q(column.table)}")  # noqa: S608
                rows = cursor.fetchall()
                plain = [
                    (crypto.decrypt(str(v), purpose=column.purpose), pk)
                    for pk, v in rows
                    if v is not None
                ]
                table, value, pk = q(column.table), q(column.column), q(column.pk)
                cursor.executemany(
                    f"UPDATE {table} SET {value} = %s WHERE {pk} = %s",  # noqa: S608
                    plain,
                )

    return run
