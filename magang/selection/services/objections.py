"""Objections to the automated selection decision (UU PDP): the candidate files one with a
reason; a person of the central team reviews it and records the outcome and why."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.recruitment.models import Application

from ..models import Objection, ObjectionState, RankingRun, RunState


def published_run(application: Application) -> RankingRun | None:
    return RankingRun.objects.filter(
        plan__round_id=application.round_id, state=RunState.FINAL, published_at__isnull=False
    ).first()


@transaction.atomic
def objection_file(*, application: Application, by: User, reason: str) -> Objection:
    """The candidate objects to their published result. One open objection at a time."""
    if application.candidate.user_id != by.pk:
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError(_("Explain your objection in a few words (at least 10 characters)."))
    run = published_run(application)
    if run is None:
        raise ValidationError(_("The selection result is not published yet."))
    try:
        with transaction.atomic():
            objection = Objection.objects.create(application=application, run=run, reason=reason)
    except IntegrityError as exc:
        raise ValidationError(
            _("You already have an objection awaiting review."), code="duplicate"
        ) from exc
    audit_record(actor=by, action="selection.objection_file", obj=objection)
    return objection


@transaction.atomic
def objection_review(*, objection: Objection, by: User, upheld: bool, decision: str) -> Objection:
    """A person decides: upheld or dismissed, always with the reason the candidate reads."""
    if not scope_for(by).has_role(Role.CENTRAL_TEAM):
        raise PermissionDenied
    decision = decision.strip()
    if not decision:
        raise ValidationError(_("Write the decision and its reason for the candidate."))
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.state != ObjectionState.OPEN:
        raise ValidationError(_("This objection was already decided."))
    locked.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
    locked.reviewed_by, locked.reviewed_at, locked.decision = by, timezone.now(), decision
    locked.save()
    audit_record(
        actor=by,
        action="selection.objection_review",
        obj=locked,
        changes={"state": locked.state},
        reason=decision,
    )
    return locked
