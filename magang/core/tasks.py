"""Background tasks every app uses: enqueueing after commit, and periodic commands."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.core.management import call_command
from django.db import transaction

logger = logging.getLogger(__name__)

# The management commands the beat may run (config/celery.py); nothing else.
PERIODIC_COMMANDS = frozenset({"stats_refresh", "cases_escalate", "purge_personal_data", "backup"})


def enqueue_on_commit(task: Task[Any, Any], **kwargs: Any) -> None:
    """Send ``task`` to the workers once the current transaction commits; never if it rolls
    back. If the broker cannot be reached the work runs here instead, so a decision that has
    committed is never left without its follow-up."""

    def send() -> None:
        try:
            task.apply_async(kwargs=kwargs, retry=False)
        except Exception:  # any broker outage: kombu raises several kinds
            logger.exception("Broker unavailable; running %s in the request", task.name)
            task.apply(kwargs=kwargs)

    transaction.on_commit(send)


@shared_task(name="magang.core.tasks.run_command")
def run_command(name: str, **options: Any) -> None:
    if name not in PERIODIC_COMMANDS:
        raise ValueError(f"{name} is not a periodic command.")
    call_command(name, **options)
