"""Erase one person on request (UU 27/2022 art. 8 and 16): docs/security.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from magang.accounts.models import User
from magang.recruitment.models import Application, Candidate
from magang.recruitment.services.privacy import purge_person


class Command(BaseCommand):
    help = "Erase a person from every table and the file store, keeping anonymous counts."

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--registration-number")
        who.add_argument("--nik")
        parser.add_argument("--reason", required=True, help="Why (e.g. the request's number).")
        parser.add_argument("--by", required=True, help="User name of the administrator.")

    def handle(self, *args: Any, **options: Any) -> None:
        by = User.objects.filter(username=options["by"], is_active=True).first()
        if by is None:
            raise CommandError(f"No active user {options['by']!r}.")
        if options["nik"]:
            candidate = Candidate.objects.with_nik(options["nik"]).first()
        else:
            application = (
                Application.objects.select_related("candidate")
                .filter(registration_number=options["registration_number"])
                .first()
            )
            candidate = application.candidate if application is not None else None
        if candidate is None:
            raise CommandError("Nobody found.")
        record = purge_person(candidate=candidate, by=by, reason=options["reason"])
        self.stdout.write(self.style.SUCCESS(f"Erased: {record.rows} ({record.files} files)."))
