"""``manage.py cases_escalate``: mark the open incidents and grievances past their target time
as escalated and e-mail their officers and the central team. Run it from cron (every 15
minutes is plenty) or the task queue; running it again escalates nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from magang.internships.services.cases import cases_escalate


class Command(BaseCommand):
    help = "Escalate open cases past their target time (once each) and notify the officers."

    def handle(self, *args: Any, **options: Any) -> None:
        count = cases_escalate()
        self.stdout.write(f"{count} case(s) escalated.")
