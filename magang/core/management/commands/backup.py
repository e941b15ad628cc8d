"""``manage.py backup``: the database and the private files in one checked archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from magang.core.backup import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = "Back up the database and the private file store into one tar archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Directory for the archive (default: MAGANG_BACKUP_DIR or var/backups).",
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="Afterwards delete archives in the directory older than this many days.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["output"] or Path(settings.MAGANG_BACKUP_DIR)
        try:
            archive, manifest = backup_create(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"{archive}: {manifest.engine}, {len(manifest.tables)} tables, {rows} rows, "
            f"{len(manifest.files)} files"
        )
        if options["keep_days"] is not None:
            for old in backup_prune(directory, keep_days=options["keep_days"]):
                self.stdout.write(f"removed {old}")
