"""Writes for recruitment: candidates, applications and the one way an application moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.core.services import audit_record
from magang.core.tasks import enqueue_on_commit
from magang.reference.models import Province, Regency

from ..journey import CLOSED, INITIAL, InvalidTransition, Status, check_transition, path_to
from ..models import Application, Candidate, JourneyEvent, SelectionSite
from ..tasks import EVENTS_PER_TASK, notify_status_change_task, notify_status_changes_task

if TYPE_CHECKING:
    from magang.accounts.models import User


class DuplicateNik(ValidationError):
    """The NIK already belongs to another candidate."""


class DuplicateApplication(ValidationError):
    """The candidate already has an open application in this round."""

    def __init__(self, existing: Application) -> None:
        self.existing = existing
        super().__init__(
            _(
                "This candidate already has an open application in this round: "
                "registration number %(number)s (status: %(status)s)."
            )
            % {"number": existing.registration_number, "status": existing.get_status_display()},
            code="duplicate_application",
        )


def _region(province_code: str, regency_code: str | None) -> tuple[Province, Regency | None]:
    try:
        province = Province.objects.get(code=province_code)
    except Province.DoesNotExist:
        raise ValidationError(
            {"province": _("Unknown province code: %(code)s.") % {"code": province_code}}
        ) from None
    regency = None
    if regency_code:
        try:
            regency = Regency.objects.get(code=regency_code)
        except Regency.DoesNotExist:
            raise ValidationError(
                {"regency": _("Unknown regency or city code: %(code)s.") % {"code": regency_code}}
            ) from None
        if regency.province_id != province.pk:
            raise ValidationError(
                {
                    "regency": _("%(regency)s is not in %(province)s.")
                    % {"regency": regency.name, "province": province.name}
                }
            )
    return province, regency


@transaction.atomic
def candidate_create(
    *,
    nik: str,
    full_name: str,
    sex: str,
    birth_date: dt.date,
    province_code: str,
    regency_code: str | None = None,
    family_name: str = "",
    birth_place: str = "",
    phone: str = "",
    email: str = "",
    user: User | None = None,
    by: User | None = None,
) -> Candidate:
    """Create a person. A NIK that already exists is refused with a clear message."""
    province, regency = _region(province_code, regency_code)
    existing = Candidate.objects.with_nik(nik).first()
    if existing is not None:
        raise DuplicateNik(
            {"nik": _("This NIK is already registered (candidate %(id)s).") % {"id": existing.pk}},
            code="duplicate_nik",
        )
    candidate = Candidate(
        nik=nik,
        full_name=full_name,
        family_name=family_name,
        sex=sex,
        birth_date=birth_date,
        birth_place=birth_place,
        province=province,
        regency=regency,
        phone=phone,
        email=email,
        user=user,
    )
    candidate.full_clean()
    candidate.save()
    audit_record(actor=by, action="candidate.create", obj=candidate, changes={"nik": "(set)"})
    return candidate


def registration_numbers_reserve(site: SelectionSite, count: int) -> list[str]:
    """The next ``count`` numbers of a site: year, site and a sequence within the site, e.g.
    ``2026-0012-000345``, continuing after the highest number the site has given.

    The site's row stays locked until the caller's transaction ends, so two registrations
    at one site at the same moment queue here instead of taking the same number (registrations
    at different sites never wait for each other).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Registration numbers are reserved inside a transaction.")
    SelectionSite.objects.select_for_update().filter(pk=site.pk).values_list("pk").get()
    prefix = f"{site.round.year}-{site.pk:04d}-"
    # Only a number with this prefix can collide with the next ones, and the numbers are of
    # one width, so the highest is the last in the unique index on registration_number: one
    # index probe under the lock, however many the site has given (counting the site's
    # applications grew with them).
    highest = (
        Application.objects.filter(registration_number__startswith=prefix)
        .order_by("-registration_number")
        .values_list("registration_number", flat=True)
        .first()
    ) or ""
    tail = highest[len(prefix) :]
    used = int(tail) if tail.isdigit() else 0
    return [f"{prefix}{used + i:06d}" for i in range(1, count + 1)]


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    site: SelectionSite,
    by: User | None = None,
    registration_number: str | None = None,
) -> Application:
    """Register a candidate for a round at one of its selection sites."""
    round_ = site.round
    existing = (
        Application.objects.select_for_update()
        .filter(candidate=candidate, round=round_)
        .exclude(status__in=[s.value for s in CLOSED])
        .first()
    )
    if existing is not None:
        raise DuplicateApplication(existing)
    application = Application(
        candidate=candidate, round=round_, site=site, registration_number=registration_number or ""
    )
    return application_insert(application=application, by=by)


def application_insert(*, application: Application, by: User | None) -> Application:
    """Save a new application the caller has built (candidate, round, site, and whatever else
    it already knows, such as what the candidate declared) as registered: its registration
    number unless it has one, the journey's first event, the audit row, and the e-mail after
    commit.

    Runs inside the caller's transaction, which has ruled out an open application of the
    candidate in the round (``application_create`` asks the database; ``registration_submit``
    reads the candidate's applications with the candidate's row locked). The database's
    constraint still refuses a duplicate, reported like the check.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An application is inserted inside a transaction.")
    candidate, round_, site = application.candidate, application.round, application.site
    now = timezone.now()
    reserved = not application.registration_number
    if reserved:
        application.registration_number = registration_numbers_reserve(site, 1)[0]
    application.status = INITIAL.value
    application.status_changed_at = now
    # Candidate, round and site are saved rows the caller holds, and a reserved number is
    # unique under the site's lock: validating them again would only repeat their queries.
    exclude = ["candidate", "round", "site", *(["registration_number"] if reserved else [])]
    application.full_clean(exclude=exclude, validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        # A concurrent registration won the race: report it like application_create's check.
        other = (
            Application.objects.filter(candidate=candidate, round=round_)
            .exclude(status__in=[s.value for s in CLOSED])
            .first()
        )
        if other is not None:
            raise DuplicateApplication(other) from exc
        raise
    registered = JourneyEvent.objects.create(
        application=application,
        from_status="",
        to_status=INITIAL.value,
        actor=by,
        recorded_at=now,
        effective_on=timezone.localdate(now),
        reason=_("Registered at %(site)s.") % {"site": site.name},
    )
    # The candidate gets their registration number by e-mail as well as on screen.
    enqueue_on_commit(notify_status_change_task, event_id=registered.pk)
    audit_record(
        actor=by,
        action="application.create",
        obj=application,
        changes={"round": round_.code, "site": site.name, "status": INITIAL.value},
    )
    return application


@transaction.atomic
def application_advance(
    *,
    application: Application,
    to: Status | str,
    by: User | None,
    reason: str = "",
    effective_on: dt.date | None = None,
) -> JourneyEvent:
    """Move an application to ``to`` if the journey graph allows it.

    Locks the row, checks the transition against the current database state (not the
    caller's possibly stale copy), and writes the status, the JourneyEvent and the audit
    row in one transaction. Raises ``InvalidTransition`` otherwise and writes nothing.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    target = check_transition(locked.status, to)
    now = timezone.now()
    previous = locked.status
    locked.status = target.value
    locked.status_changed_at = now
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    event = JourneyEvent.objects.create(
        application=locked,
        from_status=previous,
        to_status=target.value,
        actor=by,
        recorded_at=now,
        effective_on=effective_on or timezone.localdate(now),
        reason=reason,
    )
    enqueue_on_commit(notify_status_change_task, event_id=event.pk)
    audit_record(
        actor=by,
        action="application.advance",
        obj=locked,
        changes={"status": [previous, target.value]},
        reason=reason,
    )
    application.status = locked.status
    application.status_changed_at = locked.status_changed_at
    return event


@dataclass(frozen=True)
class AdvanceMove:
    """One move for ``applications_advance_bulk``."""

    application_id: int
    to: Status | str
    reason: str = ""
    effective_on: dt.date | None = None


@transaction.atomic
def applications_advance_bulk(
    *, moves: Sequence[AdvanceMove], by: User | None
) -> list[JourneyEvent | InvalidTransition]:
    """``application_advance`` for many applications in a constant number of queries.

    Locks every application named (one query, in id order), checks each move against the
    graph in order (a second move of the same application starts from the first's status),
    and writes the statuses, JourneyEvents and audit rows in bulk; every event's notification
    is enqueued for after commit, in chunks of ``EVENTS_PER_TASK`` (the same e-mails as one by
    one). Returns, for each move in order, its event or
    the ``InvalidTransition`` that refused it (a refused move writes nothing)."""
    from magang.core.models import AuditEntry

    if not moves:
        return []
    locked = {
        a.pk: a
        for a in Application.objects.select_for_update()
        .filter(pk__in={m.application_id for m in moves})
        .order_by("pk")
    }
    now = timezone.now()
    outcome: list[JourneyEvent | InvalidTransition] = []
    events: list[JourneyEvent] = []
    audits: list[AuditEntry] = []
    changed: dict[int, Application] = {}
    for move in moves:
        application = locked.get(move.application_id)
        if application is None:
            raise Application.DoesNotExist(f"No application {move.application_id}.")
        try:
            target = check_transition(application.status, move.to)
        except InvalidTransition as exc:
            outcome.append(exc)
            continue
        previous = application.status
        application.status = target.value
        application.status_changed_at = now
        application.updated_at = now
        changed[application.pk] = application
        event = JourneyEvent(
            application=application,
            from_status=previous,
            to_status=target.value,
            actor=by,
            recorded_at=now,
            effective_on=move.effective_on or timezone.localdate(now),
            reason=move.reason,
        )
        events.append(event)
        outcome.append(event)
        audits.append(
            AuditEntry(
                actor_id=by.pk if by is not None else None,
                action="application.advance",
                object_type=application._meta.label_lower,
                object_id=str(application.pk),
                object_repr=str(application)[:200],
                changes={"status": [previous, target.value]},
                reason=move.reason,
            )
        )
    if changed:
        Application.objects.bulk_update(
            list(changed.values()), ["status", "status_changed_at", "updated_at"]
        )
        JourneyEvent.objects.bulk_create(events)
        AuditEntry.objects.bulk_create(audits)
        ids = [event.pk for event in events]
        for start in range(0, len(ids), EVENTS_PER_TASK):
            chunk = ids[start : start + EVENTS_PER_TASK]
            enqueue_on_commit(notify_status_changes_task, event_ids=chunk)
    return outcome


@dataclass(frozen=True)
class HistoryStep:
    """One dated status for a historical record imported in bulk."""

    status: Status
    on: dt.date


def history_events(
    *, application: Application, steps: Sequence[HistoryStep], recorded_at: dt.datetime
) -> list[JourneyEvent]:
    """Build (unsaved) JourneyEvents for a history, checking every step against the graph.

    Missing intermediate statuses are filled in on the date of the next known step, so the
    stored history is always a valid walk of the graph.
    """
    events = [
        JourneyEvent(
            application=application,
            from_status="",
            to_status=INITIAL.value,
            recorded_at=recorded_at,
            effective_on=steps[0].on if steps else recorded_at.date(),
            reason="",
        )
    ]
    current = INITIAL
    for step in steps:
        try:
            walk = [check_transition(current, step.status)]
        except InvalidTransition:
            walk = path_to(step.status, start=current)
        for status in walk:
            events.append(
                JourneyEvent(
                    application=application,
                    from_status=current.value,
                    to_status=status.value,
                    recorded_at=recorded_at,
                    effective_on=step.on,
                    reason="",
                )
            )
            current = status
    return events


from .documents import (  # noqa: E402  (these build on the journey service above)
    application_verify,
    document_review,
    document_upload,
)
from .registration import (  # noqa: E402
    RegistrationData,
    documents_state,
    missing_documents,
    registration_check,
    registration_draft_open,
    registration_draft_save,
    registration_submit,
)

__all__ = [
    "AdvanceMove",
    "DuplicateApplication",
    "DuplicateNik",
    "HistoryStep",
    "RegistrationData",
    "application_advance",
    "application_create",
    "application_insert",
    "application_verify",
    "applications_advance_bulk",
    "candidate_create",
    "document_review",
    "document_upload",
    "documents_state",
    "history_events",
    "missing_documents",
    "registration_check",
    "registration_draft_open",
    "registration_draft_save",
    "registration_submit",
]
