"""Apply the retention periods (docs/security.md, "Personal data")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from magang.recruitment.services.privacy import retention_due, retention_purge


class Command(BaseCommand):
    help = (
        "Delete registrations never submitted after MAGANG_RETAIN_UNSUBMITTED_MONTHS and "
        "erase people whose every application ended without success more than "
        "MAGANG_RETAIN_UNSUCCESSFUL_MONTHS ago. Run daily; safe to interrupt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count what is due.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            f"Periods: unsubmitted {settings.MAGANG_RETAIN_UNSUBMITTED_MONTHS} months, "
            f"unsuccessful {settings.MAGANG_RETAIN_UNSUCCESSFUL_MONTHS} months."
        )
        if options["dry_run"]:
            due_drafts, due_people = retention_due()
            self.stdout.write(f"Due: {due_drafts.count()} drafts, {due_people.count()} people.")
            return
        drafts_removed, people = retention_purge(progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Deleted {drafts_removed} drafts; erased {people} people.")
        )
