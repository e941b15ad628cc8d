"""What leads to a match: candidates rank the job orders they are eligible for; each job
order gets a shortlist, interviews, and the company's ranking of those who passed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.journey import Status
from magang.recruitment.models import Application
from magang.training.models import Enrolment

from ..access import may_edit_orders_of
from ..eligibility import CandidateFacts, Requirements, unmet
from ..models import Candidacy, InterviewResult, JobOrder, JobOrderState, Preference

MAX_PREFERENCES = 10
# Graduates, and trainees close to graduation, rank job orders.
MAY_RANK = (Status.GRADUATED, Status.IN_TRAINING)
SHORTLIST_FACTOR = 3


def japanese_levels(application_ids: Iterable[int]) -> dict[int, str]:
    """Each application's latest certified Japanese level, in one query."""
    levels: dict[int, str] = {}
    for application_id, level in (
        Enrolment.objects.filter(application_id__in=list(application_ids))
        .exclude(japanese_level="")
        .order_by("application_id", "enrolled_on")
        .values_list("application_id", "japanese_level")
    ):
        levels[application_id] = level  # the latest enrolment wins
    return levels


def facts_of(application: Application, *, level: str | None = None) -> CandidateFacts:
    """What eligibility reads of a candidate; give ``level`` (from ``japanese_levels``) when
    checking many, to spare a query each."""
    if level is None:
        level = japanese_levels([application.pk]).get(application.pk, "")
    return CandidateFacts(
        sex=application.candidate.sex,
        birth_date=application.candidate.birth_date,
        height_cm=application.height_cm,
        japanese_level=level,
    )


def requirements_of(order: JobOrder) -> Requirements:
    return Requirements(
        planned_start=order.planned_start,
        sex=order.sex,
        min_age=order.min_age,
        max_age=order.max_age,
        min_height_cm=order.min_height_cm,
        japanese_level=order.japanese_level,
    )


@transaction.atomic
def preferences_set(
    *, application: Application, job_orders: Sequence[JobOrder], by: User
) -> list[Preference]:
    """Replace the candidate's ranking (first = most wanted): open job orders they meet the
    requirements of, at most ten, no repeats."""
    if application.candidate.user_id != by.pk:
        raise PermissionDenied
    if application.status not in MAY_RANK:
        raise ValidationError(_("Graduates and trainees rank job orders."))
    problems: list[str] = []
    ids = [o.pk for o in job_orders]
    if len(set(ids)) != len(ids):
        problems.append(_("A job order appears twice."))
    if len(ids) > MAX_PREFERENCES:
        problems.append(_("Rank at most %(n)s job orders.") % {"n": MAX_PREFERENCES})
    facts = facts_of(application)
    for order in job_orders:
        if order.state != JobOrderState.OPEN:
            problems.append(_("%(ref)s is no longer open.") % {"ref": order.reference})
        for reason in unmet(facts, requirements_of(order)):
            problems.append(f"{order.reference}: {reason.text_en}")
    if problems:
        raise ValidationError(problems)
    Preference.objects.filter(application=application).delete()
    created = Preference.objects.bulk_create(
        Preference(application=application, job_order=order, rank=rank)
        for rank, order in enumerate(job_orders, start=1)
    )
    audit_record(
        actor=by, action="placement.preferences", obj=application,
        changes={"job_orders": [o.reference for o in job_orders]},
    )  # fmt: skip
    return created


def _require_editor(by: User | None, order: JobOrder) -> None:
    if by is not None and not may_edit_orders_of(
        by, host_company_id=order.host_company_id, supervising_id=order.supervising_organisation_id
    ):
        raise PermissionDenied


@transaction.atomic
def shortlist_propose(
    *, order: JobOrder, by: User | None, factor: int = SHORTLIST_FACTOR
) -> list[Candidacy]:
    """Add up to ``factor`` times the slots from the eligible candidates who ranked this job
    order: those who ranked it higher first, then by registration number. Candidates already
    on the list stay; nobody is removed."""
    _require_editor(by, order)
    wanted = order.slots * factor
    present = set(
        Candidacy.objects.filter(job_order=order).values_list("application_id", flat=True)
    )
    requirements = requirements_of(order)
    added: list[Candidacy] = []
    preferences = list(
        Preference.objects.filter(job_order=order, application__status__in=MAY_RANK)
        .select_related("application__candidate")
        .order_by("rank", "application__registration_number")
    )
    levels = japanese_levels(p.application_id for p in preferences)
    for preference in preferences:
        if len(present) + len(added) >= wanted:
            break
        application = preference.application
        facts = facts_of(application, level=levels.get(application.pk, ""))
        if application.pk in present or unmet(facts, requirements):
            continue
        added.append(Candidacy(job_order=order, application=application))
    Candidacy.objects.bulk_create(added)
    audit_record(actor=by, action="placement.shortlist", obj=order, changes={"added": len(added)})
    return added


@transaction.atomic
def interview_record(
    *,
    candidacy: Candidacy,
    on: dt.date,
    interviewer: str,
    result: str,
    notes: str,
    by: User | None,
) -> Candidacy:
    _require_editor(by, candidacy.job_order)
    if result not in InterviewResult.values:
        raise ValidationError(_("Choose the interview's result."))
    candidacy.interviewed_on, candidacy.interviewer = on, interviewer.strip()
    candidacy.result, candidacy.notes = result, notes.strip()
    if result != InterviewResult.PASSED:
        candidacy.company_rank = None
    candidacy.save()
    audit_record(actor=by, action="placement.interview", obj=candidacy, changes={"result": result})
    return candidacy


@transaction.atomic
def company_ranking_set(
    *, order: JobOrder, applications: Sequence[Application], by: User | None
) -> None:
    """The company's order of preference among those who passed its interview (first = most
    wanted); those left out are not acceptable to it."""
    _require_editor(by, order)
    passed = {
        c.application_id: c
        for c in Candidacy.objects.select_for_update().filter(
            job_order=order, result=InterviewResult.PASSED
        )
    }
    ids = [a.pk for a in applications]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("A candidate appears twice."))
    strangers = [a.registration_number for a in applications if a.pk not in passed]
    if strangers:
        raise ValidationError(
            _("Only candidates who passed the interview can be ranked: %(numbers)s.")
            % {"numbers": ", ".join(strangers)}
        )
    Candidacy.objects.filter(job_order=order).update(company_rank=None)
    for rank, pk in enumerate(ids, start=1):
        passed[pk].company_rank = rank
    Candidacy.objects.bulk_update([passed[pk] for pk in ids], ["company_rank"])
    audit_record(
        actor=by, action="placement.company_ranking", obj=order, changes={"ranked": len(ids)}
    )
