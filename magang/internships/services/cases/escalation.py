"""Escalation of open cases past their target time, and the e-mail to their officer or the
central team after the commit."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Role, User
from magang.core.services import audit_record

from ...models import OPEN_CASE_STATUSES, Audience, Case, CaseEvent

logger = logging.getLogger(__name__)


@transaction.atomic
def cases_escalate(*, now: dt.datetime | None = None, notify: bool = True) -> int:
    """Mark every open case past its target time as escalated (once), add the escalation to
    its timeline and e-mail its officer and the central team after the commit. Returns how
    many were escalated. Run by ``manage.py escalate_cases`` (cron or the task queue)."""
    now = now or timezone.now()
    overdue = list(
        Case.objects.select_for_update(skip_locked=True)
        .filter(status__in=OPEN_CASE_STATUSES, due_at__lt=now, escalated_at__isnull=True)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )
    if not overdue:
        return 0
    Case.objects.filter(pk__in=overdue).update(escalated_at=now, updated_at=now)
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, kind=CaseEvent.Kind.ESCALATED, at=now, audience=Audience.OFFICIALS)
        for pk in overdue
    )
    for pk in overdue:
        audit_record(
            actor=None,
            action="internships.case_escalate",
            obj=Case(pk=pk),
            changes={"escalated_at": now.isoformat()},
        )
    if notify:
        transaction.on_commit(partial(notify_escalations, case_ids=overdue))
    return len(overdue)


def notify_escalations(*, case_ids: list[int]) -> None:
    """E-mail the assigned officer (or, without one, the central team) about overdue cases.
    Sent after the commit; a mail outage does not undo the escalation, the page shows it."""
    central = list(
        User.objects.filter(
            memberships__role=Role.CENTRAL_TEAM,
            memberships__is_active=True,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    cases = Case.objects.filter(pk__in=case_ids).select_related("assigned_to")
    for case in cases:
        to = [case.assigned_to.email] if case.assigned_to and case.assigned_to.email else []
        recipients = sorted(set(to + central))
        if not recipients:
            continue
        subject = _("Case #%(id)s is past its target time") % {"id": case.pk}
        body = _(
            "Case #%(id)s (%(category)s, %(severity)s) was due on %(due)s and is still open."
        ) % {
            "id": case.pk,
            "category": case.get_category_display(),
            "severity": case.get_severity_display(),
            "due": timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M"),
        }
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError:
            logger.exception("Could not e-mail the escalation of case %s", case.pk)
