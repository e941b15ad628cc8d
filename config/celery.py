"""Background work: Celery with Redis as the broker.

Without ``CELERY_BROKER_URL`` (development, tests, the demo) tasks run at once in the process
that enqueues them, so nothing else needs starting. In production a worker and a beat run
beside gunicorn (docs/operations.md). Periodic jobs are in ``beat_schedule`` below.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("magang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Public and dashboard figures: rebuilt every two minutes, so never five minutes old.
    "stats-refresh": {
        "task": "magang.core.tasks.run_command",
        "schedule": crontab(minute="*/2"),
        "args": ("stats_refresh",),
    },
    # Grievances past their target time are escalated within the quarter hour.
    "cases-escalate": {
        "task": "magang.core.tasks.run_command",
        "schedule": crontab(minute="*/15"),
        "args": ("cases_escalate",),
    },
    # Retention purges under UU 27/2022, nightly.
    "retention-purge": {
        "task": "magang.core.tasks.run_command",
        "schedule": crontab(hour=2, minute=30),
        "args": ("purge_personal_data",),
    },
    # A nightly backup, keeping two weeks (copy them off the machine: docs/operations.md).
    "backup": {
        "task": "magang.core.tasks.run_command",
        "schedule": crontab(hour=1, minute=0),
        "args": ("backup",),
        "kwargs": {"keep_days": 14},
    },
}
