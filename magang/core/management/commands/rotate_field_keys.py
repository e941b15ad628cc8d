"""Re-seal NIK and passport numbers under the current keys (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from magang.core import crypto
from magang.core.sealing import BATCH, SealedColumn, reseal, sealed_columns


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column under the first key of MAGANG_FIELD_KEYS and "
        "re-index it under the first key of MAGANG_BLIND_INDEX_KEYS, in atomic batches. "
        "Safe to interrupt and run again: rows already on the current keys are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key",
            metavar="ID",
            help="Only print a fresh random key with this id, to put first in the setting.",
        )
        parser.add_argument("--batch", type=int, default=BATCH, help="Rows per transaction.")
        parser.add_argument("--column", help="Only this column, as table.column (see --list).")
        parser.add_argument(
            "--after", type=int, default=0, help="Resume after this primary key (with --column)."
        )
        parser.add_argument("--list", action="store_true", help="List the encrypted columns.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            if not options["new_key"].isalnum():
                raise CommandError("A key id is letters and digits only.")
            self.stdout.write(crypto.new_key_text(options["new_key"]))
            return
        columns = sealed_columns()
        if options["list"]:
            for column in columns:
                index = f" (index {column.index_column})" if column.index_column else ""
                self.stdout.write(f"{column.label}{index}")
            return
        if options["column"]:
            columns = [c for c in columns if c.label == options["column"]]
            if not columns:
                raise CommandError(f"No encrypted column {options['column']!r}; see --list.")
        elif options["after"]:
            raise CommandError("--after needs --column.")
        field_kid, index_kid = crypto.current_key_ids()
        self.stdout.write(f"Current keys: field {field_kid}, index {index_kid}.")
        for column in columns:
            changed = reseal(
                column, after=options["after"], batch=options["batch"], progress=self._progress
            )
            self.stdout.write(f"{column.label}: {changed} rows re-sealed.")
        self.stdout.write(self.style.SUCCESS("Done. Old keys may now be removed."))

    def _progress(self, column: SealedColumn, last_pk: int, changed: int) -> None:
        self.stdout.write(
            f"  {column.label}: up to id {last_pk}, {changed} changed "
            f"(resume: --column {column.label} --after {last_pk})"
        )
