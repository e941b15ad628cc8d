"""Monitoring duties: scheduled from the programme's rules (``schedule.py``), recorded by the
supervising organisation, cancelled when the stay ends, resumed when a missing intern is found.
Only the next duty of each kind is open at a time; recording it opens the following one."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.journey import Status
from magang.recruitment.models import Programme

from .. import schedule
from ..models import DutyKind, DutyStatus, Internship, MonitoringDuty, Source, StayRules


def stay_rules(programme: Programme) -> StayRules:
    """The programme's rules, or the defaults (TITP's) when none are recorded."""
    found = StayRules.objects.filter(programme=programme).first()
    return found or StayRules(programme=programme)


def monitoring_rules(rules: StayRules) -> schedule.MonitoringRules:
    return schedule.MonitoringRules(
        visit_every_months=rules.visit_every_months,
        visits_for_months=rules.visits_for_months,
        audit_every_months=rules.audit_every_months,
        overdue_after_days=rules.overdue_after_days,
    )


def _open(
    internship: Internship, kind: str, sequence: int, due: dt.date, grace_days: int
) -> MonitoringDuty:
    return MonitoringDuty.objects.create(
        internship=internship,
        supervising_organisation_id=internship.supervising_organisation_id,
        host_company_id=internship.host_company_id,
        kind=kind,
        sequence=sequence,
        due_on=due,
        overdue_from=due + dt.timedelta(days=grace_days),
    )


def duties_schedule(
    *, internship: Internship, rules: StayRules, after: dt.date | None
) -> list[MonitoringDuty]:
    """Open the first duty of each kind (after ``after`` when a stay resumes)."""
    if internship.arrived_on is None:
        return []
    plan = monitoring_rules(rules)
    opened = []
    for kind in DutyKind.values:
        if MonitoringDuty.objects.filter(
            internship=internship, kind=kind, status=DutyStatus.OPEN
        ).exists():
            continue
        done = set(
            MonitoringDuty.objects.filter(internship=internship, kind=kind).values_list(
                "sequence", flat=True
            )
        )
        day = after or internship.arrived_on
        found = schedule.first_after(kind, day, arrived_on=internship.arrived_on, rules=plan)
        while found is not None and found[0] in done:
            found = schedule.first_after(
                kind, found[1], arrived_on=internship.arrived_on, rules=plan
            )
        if found is not None:
            opened.append(_open(internship, kind, found[0], found[1], plan.overdue_after_days))
    return opened


def duties_cancel(*, internship: Internship) -> int:
    return MonitoringDuty.objects.filter(internship=internship, status=DutyStatus.OPEN).update(
        status=DutyStatus.CANCELLED
    )


def duties_move(*, internship: Internship) -> int:
    """After a transfer the open duties are at the new host company."""
    return MonitoringDuty.objects.filter(internship=internship, status=DutyStatus.OPEN).update(
        host_company_id=internship.host_company_id
    )


@transaction.atomic
def duty_record(
    *,
    duty: MonitoringDuty,
    done_on: dt.date,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> MonitoringDuty:
    """The visit or audit took place: close it and open the next one the rules call for."""
    duty = (
        MonitoringDuty.objects.select_for_update(of=("self",))
        .select_related("internship__application__round__programme")
        .get(pk=duty.pk)
    )
    if duty.status != DutyStatus.OPEN:
        raise ValidationError(_("This duty is already closed."))
    internship = duty.internship
    if internship.application.status != Status.IN_JAPAN:
        raise ValidationError(_("Only an intern in Japan is monitored."))
    if internship.arrived_on is not None and done_on < internship.arrived_on:
        raise ValidationError(_("A visit or audit cannot be before arrival."))
    if done_on > timezone.localdate():
        raise ValidationError(_("A visit or audit cannot be recorded in advance."))
    duty.status = DutyStatus.DONE
    duty.done_on = done_on
    duty.done_by = by
    duty.note = note
    duty.source = source
    duty.full_clean()
    duty.save()
    plan = monitoring_rules(stay_rules(internship.application.round.programme))
    assert internship.arrived_on is not None  # noqa: S101 - a duty exists only after arrival
    due = schedule.due_on(
        duty.kind, duty.sequence + 1, arrived_on=internship.arrived_on, rules=plan
    )
    if due is not None:
        _open(internship, duty.kind, duty.sequence + 1, due, plan.overdue_after_days)
    audit_record(
        actor=by,
        action="internships.duty_record",
        obj=internship,
        changes={"kind": duty.kind, "sequence": duty.sequence, "done_on": str(done_on)},
        reason=note,
    )
    return duty
