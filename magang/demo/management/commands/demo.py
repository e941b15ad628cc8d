"""``manage.py demo [--reset]``: load reference data and build the demo programme history."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from magang.accounts.models import Role
from magang.demo.alumni import ALUMNI_ACCOUNTS
from magang.demo.builder import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoRefused,
    DemoResult,
    demo_build,
)
from magang.reference.services import reference_load_all


class Command(BaseCommand):
    help = (
        "Build the demo: a synthetic programme history since 1993 calibrated to the published "
        "figures, and one account per role. Does nothing if the demo already exists."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the database (all but reference data) and build the demo again.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Build a proportionally smaller history, e.g. 0.05 (default: 1, full size).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "MAGANG_ALLOW_DEMO", False):
            raise CommandError(
                "The demo writes synthetic people into this database and is disabled here "
                "(settings.MAGANG_ALLOW_DEMO is false)."
            )
        if not 0 < options["scale"] <= 1:
            raise CommandError("--scale must be more than 0 and at most 1.")
        started = time.perf_counter()
        loaded = reference_load_all()
        self.stdout.write(
            f"Reference data ready in {time.perf_counter() - started:.1f}s: "
            + ", ".join(f"{name} {count:,}" for name, count in loaded.items())
        )
        try:
            result = demo_build(reset=options["reset"], scale=options["scale"], stdout=self.stdout)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        self._report(result)

    def _report(self, result: DemoResult) -> None:
        if result.built:
            self.stdout.write(
                self.style.SUCCESS(f"Demo {result.version} built in {result.seconds:.1f}s.")
            )
        else:
            self.stdout.write(
                f"Demo {result.version} already exists (checked in {result.seconds:.2f}s); "
                "use --reset to build it again."
            )
        for key, value in result.counts.items():
            self.stdout.write(f"  {key.replace('_', ' '):<26} {value:>9,}")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        rows = [("username", "password", "role", "organisation", "sees")]
        rows += [
            (a.username, DEMO_PASSWORD, str(a.role), a.organisation or "-", a.sees)
            for a in DEMO_ACCOUNTS
        ]
        rows += [
            (username, DEMO_PASSWORD, str(Role.CANDIDATE), "-", sees)
            for username, sees in ALUMNI_ACCOUNTS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[-1]]))
