"""The medical check during training: only whether it was passed, and when. The clinic's
findings stay with the clinic."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record

from ..access import require_manage
from ..models import Enrolment, EnrolmentState


@transaction.atomic
def enrolment_medical_record(
    *, enrolment: Enrolment, passed: bool, on: dt.date, by: User | None
) -> Enrolment:
    """Record the medical check of a trainee in training: passed or not, and the day. A later
    check replaces an earlier one; the audit trail keeps both."""
    require_manage(by, enrolment.cohort)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    problems = []
    if locked.state != EnrolmentState.ACTIVE:
        problems.append(_("This trainee's training has already ended."))
    if on > timezone.localdate():
        problems.append(_("The date cannot be in the future."))
    if problems:
        raise ValidationError(problems)
    locked.medical_passed, locked.medical_checked_on = bool(passed), on
    locked.save(update_fields=["medical_passed", "medical_checked_on", "updated_at"])
    audit_record(
        actor=by,
        action="training.medical",
        obj=locked,
        changes={"passed": bool(passed), "on": on.isoformat()},
    )
    return locked
