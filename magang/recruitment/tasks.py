"""Recruitment's background work: telling candidates that their application moved."""

from __future__ import annotations

from celery import shared_task

from .notifications import notify_status_change, notify_status_changes

# A bulk move's e-mails travel in tasks of at most this many events: few messages on the
# broker, and a worker that dies loses (and retries) only one chunk.
EVENTS_PER_TASK = 250


@shared_task(name="magang.recruitment.tasks.notify_status_change")
def notify_status_change_task(*, event_id: int) -> None:
    notify_status_change(event_id=event_id)


@shared_task(name="magang.recruitment.tasks.notify_status_changes")
def notify_status_changes_task(*, event_ids: list[int]) -> None:
    notify_status_changes(event_ids=event_ids)
