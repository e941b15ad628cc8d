"""``manage.py restore ARCHIVE``: restore a backup into an empty target and check it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from magang.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and file directory, then recount "
        "every table and rehash every file against the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--media-root", type=Path, required=True)
        parser.add_argument("--database-url", help="An empty PostgreSQL database.")
        parser.add_argument("--sqlite-path", type=Path, help="A new SQLite file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                options["archive"],
                media_root=options["media_root"],
                database_url=options["database_url"],
                sqlite_path=options["sqlite_path"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"Restore check failed: {len(report.problems)} differences.")
        self.stdout.write(
            f"Restored and checked: {report.tables} tables, {report.rows} rows, "
            f"{report.files} files."
        )
