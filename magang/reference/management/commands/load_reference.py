"""``manage.py load_reference``: load or refresh every reference table."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from magang.reference.selectors import dataset_list
from magang.reference.services import reference_load_all


class Command(BaseCommand):
    help = "Load Indonesian regions, Japanese prefectures and OTIT trades (skips what is current)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Compare every row even if the version is loaded."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = reference_load_all(force=bool(options["force"]))
        versions = {dataset.key: dataset.version for dataset in dataset_list()}
        for key, count in rows.items():
            self.stdout.write(f"{key}: {versions.get(key, '?')}, {count} rows")
