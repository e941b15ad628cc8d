"""Departure: each matched intern's documents, batches, and the move to departed (which
starts the internship record)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.internships.models import Internship
from magang.recruitment.journey import Status
from magang.recruitment.services import application_advance

from ..checklist import Documents, Item, checklist
from ..models import BatchMember, DepartureBatch, DepartureFile

DOCUMENT_FIELDS = tuple(f.name for f in dataclasses.fields(Documents))


def _require_central(by: User | None) -> None:
    if by is not None and not scope_for(by).has_role(Role.CENTRAL_TEAM):
        raise PermissionDenied


def file_checklist(file: DepartureFile, *, departs_on: dt.date | None = None) -> list[Item]:
    """The file's checklist against the batch's date (or the job order's planned start) and
    the programme's standard stay."""
    docs = Documents(**{name: getattr(file, name) for name in DOCUMENT_FIELDS})
    member = getattr(file, "batch_member", None)
    day = departs_on or (member.batch.departs_on if member else file.job_order.planned_start)
    months = file.application.round.programme.duration_months
    return checklist(docs, departs_on=day, stay_months=months)


@transaction.atomic
def departure_file_update(
    *, file: DepartureFile, changes: dict[str, Any], by: User | None
) -> DepartureFile:
    """Record document numbers and dates (only the checklist's fields)."""
    _require_central(by)
    unknown = sorted(set(changes) - set(DOCUMENT_FIELDS))
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)})
    for name, value in changes.items():
        setattr(file, name, value.strip() if isinstance(value, str) else value)
    # The database's unique passport number answers below, with a message people understand.
    file.full_clean(exclude=["application", "job_order"], validate_constraints=False)
    try:
        with transaction.atomic():
            file.save()
    except IntegrityError as exc:
        raise ValidationError(_("Another intern has this passport number.")) from exc
    audit_record(
        actor=by, action="placement.departure_file", obj=file,
        changes={k: str(v) for k, v in changes.items() if k != "passport_number"},
    )  # fmt: skip
    return file


@transaction.atomic
def batch_create(
    *, departs_on: dt.date, flight: str, airport: str, arrives_at: str, by: User | None
) -> DepartureBatch:
    _require_central(by)
    if not flight.strip():
        raise ValidationError(_("Give the flight."))
    batch = DepartureBatch.objects.create(
        departs_on=departs_on, flight=flight.strip().upper(), airport=airport.strip(),
        arrives_at=arrives_at.strip(), created_by=by,
    )  # fmt: skip
    audit_record(actor=by, action="placement.batch_create", obj=batch)
    return batch


@transaction.atomic
def batch_add(*, batch: DepartureBatch, files: list[DepartureFile], by: User | None) -> int:
    """Put interns on a batch; refused for anyone whose checklist is not complete for its
    date, or who is already on a batch."""
    _require_central(by)
    # Read it again, locked: it may have left since the caller loaded it.
    batch = DepartureBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.departed_at is not None:
        raise ValidationError(_("This batch has left."))
    problems: list[str] = []
    for file in files:
        if BatchMember.objects.filter(departure_file=file).exists():
            problems.append(
                _("%(n)s is already on a batch.") % {"n": file.application.registration_number}
            )
            continue
        missing = [i.text_en for i in file_checklist(file, departs_on=batch.departs_on) if not i.ok]
        if missing:
            problems.append(f"{file.application.registration_number}: " + " ".join(missing))
    if problems:
        raise ValidationError(problems)
    BatchMember.objects.bulk_create(BatchMember(batch=batch, departure_file=f) for f in files)
    audit_record(actor=by, action="placement.batch_add", obj=batch, changes={"added": len(files)})
    return len(files)


@transaction.atomic
def batch_depart(*, batch: DepartureBatch, by: User | None) -> int:
    """The batch has left: every intern moves to departed through the journey, and their
    internship record starts (host company, prefecture, trade, supervising organisation)."""
    _require_central(by)
    batch = DepartureBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.departed_at is not None:
        raise ValidationError(_("This batch has already been recorded as departed."))
    members = list(
        BatchMember.objects.filter(batch=batch).select_related(
            "departure_file__application", "departure_file__job_order"
        )
    )
    if not members:
        raise ValidationError(_("The batch has nobody on it."))
    reason = _("Departed on %(flight)s, %(day)s") % {
        "flight": batch.flight,
        "day": batch.departs_on,
    }
    for member in members:
        application = member.departure_file.application
        order = member.departure_file.job_order
        application_advance(
            application=application, to=Status.DEPARTED, by=by, reason=reason,
            effective_on=batch.departs_on,
        )  # fmt: skip
        Internship.objects.create(
            application=application,
            supervising_organisation_id=order.supervising_organisation_id,
            host_company_id=order.host_company_id,
            prefecture_id=order.prefecture_id,
            trade_id=order.trade_id,
            departed_on=batch.departs_on,
        )
    batch.departed_at = timezone.now()
    batch.save(update_fields=["departed_at", "updated_at"])
    audit_record(
        actor=by, action="placement.batch_depart", obj=batch, changes={"interns": len(members)}
    )
    return len(members)
