"""`manage.py import_registrations --site ID --user NAME FILE [--commit]`.

Prints the same preview as the import page; with ``--commit`` writes all rows or none through
the same service. The user must be allowed to import into the site, as on the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from magang.accounts.models import User
from magang.recruitment.services import imports as service


class Command(BaseCommand):
    help = "Check an XLSX file of registrations for a selection site, and import it with --commit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .xlsx file (see the import template).")
        parser.add_argument("--site", type=int, required=True, help="Selection site id.")
        parser.add_argument("--user", required=True, help="Username of the importing officer.")
        parser.add_argument(
            "--commit", action="store_true", help="Write the rows (all or none) after checking."
        )
        parser.add_argument(
            "--limit", type=int, default=200, help="Problems listed per kind (0: all)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        site = (
            service.importable_sites(user=user)
            .select_related("round")
            .filter(pk=options["site"])
            .first()
        )
        if site is None:
            raise CommandError(
                f"No selection site {options['site']} that {user.username} may import into."
            )
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            service.import_check_size(path.stat().st_size)
            service.import_check_xlsx(path)
            sheet = service.workbook_read(path)
        except service.ImportFileError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        sha256 = service.file_sha256(path)
        limit = options["limit"] or None
        report = service.import_preview(site=site, rows=sheet.rows, sha256=sha256)
        self.stdout.write(f"{path.name} -> {site.name} ({site.round.name})")
        for line in service.report_lines(report, limit=limit):
            self.stdout.write(line)
        if report.already_imported is not None:
            self.stdout.write(service.AlreadyImported(report.already_imported).messages[0])
            return
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s); nothing was imported.")
        if not options["commit"]:
            self.stdout.write("No errors. Run again with --commit to import.")
            return
        try:
            batch = service.registrations_import(
                site=site, rows=sheet.rows, by=user, file_name=path.name, sha256=sha256
            )
        except service.AlreadyImported as exc:
            self.stdout.write(exc.messages[0])
            return
        except service.ImportRefused as exc:
            for line in service.report_lines(exc.report, limit=limit):
                self.stdout.write(line)
            raise CommandError(str(exc.messages[0])) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {batch.created} new application(s), {batch.unchanged} unchanged "
                f"(batch {batch.pk})."
            )
        )
