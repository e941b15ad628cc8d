"""E-mail to candidates when their application moves. Sent after the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from .models import Application, JourneyEvent

logger = logging.getLogger(__name__)


def notify_status_change(*, event_id: int) -> None:
    notify_status_changes(event_ids=[event_id])


def notify_status_changes(*, event_ids: Iterable[int]) -> int:
    """E-mail each event's candidate, in their language, over one mail connection; events
    that no longer exist and candidates without an address are skipped. Returns how many
    messages were sent."""
    events = JourneyEvent.objects.select_related(
        "application__candidate__user", "application__round", "application__site"
    ).filter(pk__in=list(event_ids))
    messages = [message for event in events.order_by("pk") if (message := _message(event))]
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return int(connection.send_messages(messages) or 0)
    except OSError:
        # A mail outage must not undo a committed decision; the status page still shows it.
        logger.exception("Could not e-mail %d status changes", len(messages))
        return 0


def _message(event: JourneyEvent) -> EmailMessage | None:
    application: Application = event.application
    candidate = application.candidate
    address = candidate.email or (candidate.user.email if candidate.user else "")
    if not address:
        return None
    language = (candidate.user.preferred_language if candidate.user else "") or "id"
    with translation.override(language):
        context = {"application": application, "event": event, "candidate": candidate}
        subject = render_to_string("recruitment/email/status_subject.txt", context).strip()
        body = render_to_string("recruitment/email/status_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
