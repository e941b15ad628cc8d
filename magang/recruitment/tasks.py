"""Recruitment's background work: telling candidates that their application moved."""

from __future__ import annotations

from celery import shared_task

from .notifications import notify_status_change


@shared_task(name="magang.recruitment.tasks.notify_status_change")
def notify_status_change_task(*, event_id: int) -> None:
    notify_status_change(event_id=event_id)
