"""E-mail to candidates when their application moves. Sent after the transaction commits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Application, JourneyEvent

logger = logging.getLogger(__name__)


def notify_status_change(*, event_id: int) -> None:
    event = (
        JourneyEvent.objects.select_related(
            "application__candidate__user", "application__round", "application__site"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    application: Application = event.application
    candidate = application.candidate
    address = candidate.email or (candidate.user.email if candidate.user else "")
    if not address:
        return
    language = (candidate.user.preferred_language if candidate.user else "") or "id"
    with translation.override(language):
        context = {"application": application, "event": event, "candidate": candidate}
        subject = render_to_string("recruitment/email/status_subject.txt", context).strip()
        body = render_to_string("recruitment/email/status_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except OSError:
        # A mail outage must not undo a committed decision; the status page still shows it.
        logger.exception("Could not e-mail application %s", application.pk)
