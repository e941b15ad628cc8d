"""After the stay: recording the return (and the journey's move to ``returned``), the business
capital grant (eligible -> approved -> paid, or refused with a reason), alumni profiles and
surveys, and job events with Japanese firms in Indonesia.

Who may do what: officers of the intern's selection site, the central team and
administrators record returns; only the central team decides and pays grants; the alumnus
edits their own profile and answers surveys (officers may record an answer given by phone);
the central team, regional officers and partners create job events; alumni register interest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.recruitment.journey import Status
from magang.recruitment.models import Application, Candidate
from magang.recruitment.services import application_advance
from magang.recruitment.services.documents import SUFFIX
from magang.reference.models import Province

from ..alumni_access import (
    EVENT_ORGANISER_ROLES,
    may_manage_alumnus,
)
from ..models import (
    AlumniProfile,
    AlumniSurvey,
    BusinessGrant,
    Employment,
    EndReason,
    GrantScheme,
    GrantStatus,
    IncomeBand,
    Internship,
    JobEvent,
    JobEventInterest,
    ReturnRecord,
)
from .cases import Upload, checked


@dataclass(frozen=True)
class GrantCheck:
    """Whether a return meets its scheme's conditions, with every unmet one said."""

    scheme: GrantScheme | None
    reasons: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return self.scheme is not None and not self.reasons


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def grant_check(*, record: ReturnRecord, today: dt.date | None = None) -> GrantCheck:
    """The grant scheme of the intern's programme for the year of return, and any condition
    the return does not meet."""
    internship = record.internship
    programme_id = internship.application.round.programme_id
    scheme = GrantScheme.objects.filter(
        programme_id=programme_id, year=record.returned_on.year
    ).first()
    if scheme is None:
        return GrantCheck(
            scheme=None,
            reasons=(
                _("No business capital grant is set for this programme in %(year)s.")
                % {"year": record.returned_on.year},
            ),
        )
    reasons: list[str] = []
    if scheme.requires_completion and internship.end_reason != EndReason.COMPLETED:
        reasons.append(_("The grant is for interns who completed the programme."))
    if scheme.requires_certificate and not record.has_certificate:
        reasons.append(_("The completion certificate is missing."))
    end = internship.ended_on or record.returned_on
    months = _months_between(internship.departed_on, end)
    if months < scheme.min_months_in_japan:
        reasons.append(
            _("%(months)s months in Japan; the grant needs at least %(min)s.")
            % {"months": months, "min": scheme.min_months_in_japan}
        )
    if scheme.apply_within_months is not None:
        since = _months_between(record.returned_on, today or timezone.localdate())
        if since > scheme.apply_within_months:
            reasons.append(
                _("The grant is given within %(n)s months of the return.")
                % {"n": scheme.apply_within_months}
            )
    return GrantCheck(scheme=scheme, reasons=tuple(reasons))


def _require_official(by: User, internship: Internship) -> None:
    if not may_manage_alumnus(by, internship):
        raise PermissionDenied


def _require_central(by: User) -> None:
    if not scope_for(by).has_role(Role.CENTRAL_TEAM):
        raise PermissionDenied


def profile_ensure(candidate: Candidate) -> AlumniProfile:
    profile, _created = AlumniProfile.objects.get_or_create(
        candidate=candidate, defaults={"province_id": candidate.province_id}
    )
    return profile


@transaction.atomic
def return_record(
    *,
    internship: Internship,
    returned_on: dt.date,
    by: User,
    certificate_number: str = "",
    certificate: Upload | None = None,
) -> ReturnRecord:
    """Record the return home of an intern whose stay ended (completed or early return): the
    date, the completion certificate (a number, a file or both), the journey's move to
    ``returned``, the alumni profile and, when the year's scheme allows, an eligible grant."""
    _require_official(by, internship)
    content = checked(certificate) if certificate is not None else None
    locked = Internship.objects.select_for_update().get(pk=internship.pk)
    errors: dict[str, list[str]] = {}
    if locked.ended_on is None or locked.end_reason not in (
        EndReason.COMPLETED,
        EndReason.EARLY_RETURN,
    ):
        errors.setdefault("internship", []).append(
            _("Record the end of the stay (completed or early return) first.")
        )
    elif returned_on < locked.ended_on:
        errors.setdefault("returned_on", []).append(
            _("The return cannot be before the end of the stay (%(date)s).")
            % {"date": locked.ended_on.isoformat()}
        )
    if returned_on > timezone.localdate():
        errors.setdefault("returned_on", []).append(_("The date cannot be in the future."))
    if ReturnRecord.objects.filter(internship=locked).exists():
        errors.setdefault("internship", []).append(_("The return is already recorded."))
    if errors:
        raise ValidationError(errors)
    record = ReturnRecord(
        internship=locked,
        returned_on=returned_on,
        certificate_number=certificate_number.strip(),
        recorded_by=by,
    )
    if content is not None:
        data, content_type = content
        record.certificate_content_type = content_type
        record.certificate_sha256 = hashlib.sha256(data).hexdigest()
        record.certificate_file.save(
            f"certificate{SUFFIX[content_type]}", ContentFile(data), save=False
        )
    record.full_clean()
    record.save()
    application = Application.objects.select_for_update().get(pk=locked.application_id)
    if application.status in (Status.COMPLETED, Status.EARLY_RETURN):
        application_advance(
            application=application,
            to=Status.RETURNED,
            by=by,
            reason=_("Returned home on %(date)s.") % {"date": returned_on.isoformat()},
            effective_on=returned_on,
        )
    profile_ensure(application.candidate)
    check = grant_check(record=record)
    if check.eligible and check.scheme is not None:
        BusinessGrant.objects.create(
            return_record=record, scheme=check.scheme, amount=check.scheme.amount
        )
    audit_record(
        actor=by,
        action="internships.return_record",
        obj=record,
        changes={
            "returned_on": returned_on.isoformat(),
            "certificate": record.has_certificate,
            "grant_eligible": check.eligible,
        },
    )
    return record


@transaction.atomic
def grant_open(*, record: ReturnRecord, by: User) -> BusinessGrant:
    """Check the return again (a certificate added later, a scheme set later) and open the
    grant as eligible; refused with every unmet condition otherwise."""
    _require_central(by)
    locked = ReturnRecord.objects.select_for_update().get(pk=record.pk)
    if BusinessGrant.objects.filter(return_record=locked).exists():
        raise ValidationError(_("This return already has a grant."))
    check = grant_check(record=locked)
    if not check.eligible or check.scheme is None:
        raise ValidationError(list(check.reasons))
    grant = BusinessGrant.objects.create(
        return_record=locked, scheme=check.scheme, amount=check.scheme.amount
    )
    audit_record(actor=by, action="internships.grant_open", obj=grant, changes={})
    return grant


def _grant_locked(grant: BusinessGrant, allowed: tuple[str, ...]) -> BusinessGrant:
    locked = BusinessGrant.objects.select_for_update().get(pk=grant.pk)
    if locked.status not in allowed:
        raise ValidationError(
            _("The grant is %(status)s; this is not possible now.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def grant_approve(*, grant: BusinessGrant, by: User) -> BusinessGrant:
    _require_central(by)
    locked = _grant_locked(grant, (GrantStatus.ELIGIBLE,))
    locked.status = GrantStatus.APPROVED
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.full_clean()
    locked.save()
    audit_record(
        actor=by,
        action="internships.grant_approve",
        obj=locked,
        changes={"status": [GrantStatus.ELIGIBLE, GrantStatus.APPROVED]},
    )
    return locked


@transaction.atomic
def grant_pay(*, grant: BusinessGrant, by: User, paid_on: dt.date, reference: str) -> BusinessGrant:
    """Record the payment of an approved grant (its date and the bank reference)."""
    _require_central(by)
    reference = reference.strip()
    errors: dict[str, list[str]] = {}
    if not reference:
        errors["payment_reference"] = [_("Give the payment reference.")]
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    locked = _grant_locked(grant, (GrantStatus.APPROVED,))
    if locked.approved_at is not None and paid_on < timezone.localdate(locked.approved_at):
        raise ValidationError({"paid_on": [_("A grant is paid after its approval.")]})
    locked.status = GrantStatus.PAID
    locked.paid_by = by
    locked.paid_on = paid_on
    locked.payment_reference = reference
    locked.full_clean()
    locked.save()
    audit_record(
        actor=by,
        action="internships.grant_pay",
        obj=locked,
        changes={"status": [GrantStatus.APPROVED, GrantStatus.PAID], "paid_on": str(paid_on)},
    )
    return locked


@transaction.atomic
def grant_refuse(*, grant: BusinessGrant, by: User, reason: str) -> BusinessGrant:
    """Refuse an eligible or approved grant, saying why (the alumnus reads the reason)."""
    _require_central(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the grant is refused.")]})
    locked = _grant_locked(grant, (GrantStatus.ELIGIBLE, GrantStatus.APPROVED))
    before = locked.status
    locked.status = GrantStatus.REFUSED
    locked.refused_by = by
    locked.refused_at = timezone.now()
    locked.refusal_reason = reason
    locked.full_clean()
    locked.save()
    audit_record(
        actor=by,
        action="internships.grant_refuse",
        obj=locked,
        changes={"status": [before, GrantStatus.REFUSED]},
        reason=reason,
    )
    return locked


def _own_profile(profile: AlumniProfile, by: User) -> bool:
    return profile.candidate.user_id is not None and profile.candidate.user_id == by.pk


@transaction.atomic
def alumni_profile_update(
    *,
    profile: AlumniProfile,
    by: User,
    headline: str,
    province: Province | None,
    directory_consent: bool,
    directory_contact: str = "",
) -> AlumniProfile:
    """The alumnus edits their profile and decides whether the directory lists them."""
    if not _own_profile(profile, by):
        raise PermissionDenied
    locked = AlumniProfile.objects.select_for_update().get(pk=profile.pk)
    before = locked.directory_consent
    locked.headline = headline.strip()
    locked.province = province
    locked.directory_contact = directory_contact.strip() if directory_consent else ""
    if directory_consent and not before:
        locked.directory_consent_at = timezone.now()
    if not directory_consent:
        locked.directory_consent_at = None
    locked.directory_consent = directory_consent
    locked.full_clean()
    locked.save()
    audit_record(
        actor=by,
        action="internships.alumni_profile",
        obj=locked,
        changes={"directory_consent": [before, directory_consent]},
    )
    return locked


@transaction.atomic
def alumni_survey_record(
    *,
    profile: AlumniProfile,
    by: User,
    employment: str,
    income_band: str,
    business_started: bool = False,
    business_sector: str = "",
    back_in_japan_ssw: bool = False,
    ssw_field: str = "",
    comments: str = "",
    answered_on: dt.date | None = None,
) -> AlumniSurvey:
    """One follow-up answer, by the alumnus or by an officer who asked them."""
    internship = (
        Internship.objects.filter(application__candidate_id=profile.candidate_id)
        .select_related("application__site")
        .order_by("-departed_on")
        .first()
    )
    if not _own_profile(profile, by) and (
        internship is None or not may_manage_alumnus(by, internship)
    ):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if employment not in Employment.values:
        errors["employment"] = [_("Choose one of the options.")]
    if income_band not in IncomeBand.values:
        errors["income_band"] = [_("Choose one of the options.")]
    if back_in_japan_ssw and not ssw_field.strip():
        errors["ssw_field"] = [_("Name the Specified Skilled Worker field.")]
    if errors:
        raise ValidationError(errors)
    survey = AlumniSurvey(
        profile=profile,
        answered_on=answered_on or timezone.localdate(),
        employment=employment,
        income_band=income_band,
        business_started=business_started,
        business_sector=business_sector.strip() if business_started else "",
        back_in_japan_ssw=back_in_japan_ssw,
        ssw_field=ssw_field.strip() if back_in_japan_ssw else "",
        comments=comments.strip(),
        recorded_by=by,
    )
    survey.full_clean()
    survey.save()
    audit_record(
        actor=by,
        action="internships.alumni_survey",
        obj=survey,
        changes={"employment": employment, "business_started": business_started},
    )
    return survey


@transaction.atomic
def job_event_create(
    *,
    by: User,
    title: str,
    venue: str,
    province: Province,
    starts_at: dt.datetime,
    companies: str = "",
    description: str = "",
    capacity: int | None = None,
) -> JobEvent:
    """A job fair with Japanese firms in Indonesia, created by the central team, a regional
    officer or a partner."""
    if not scope_for(by).has_role(*EVENT_ORGANISER_ROLES):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = [_("The event must be in the future.")]
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("At least one place.")]
    if errors:
        raise ValidationError(errors)
    event = JobEvent(
        title=title.strip(),
        venue=venue.strip(),
        province=province,
        starts_at=starts_at,
        companies=companies.strip(),
        description=description.strip(),
        capacity=capacity,
        created_by=by,
    )
    event.full_clean()
    event.save()
    audit_record(actor=by, action="internships.job_event_create", obj=event, changes={})
    return event


@transaction.atomic
def job_event_register(*, event: JobEvent, profile: AlumniProfile, by: User) -> JobEventInterest:
    """The alumnus registers interest in an upcoming event (once; within its places)."""
    if not _own_profile(profile, by):
        raise PermissionDenied
    locked = JobEvent.objects.select_for_update().get(pk=event.pk)
    if locked.starts_at <= timezone.now():
        raise ValidationError(_("This event has already started."))
    if JobEventInterest.objects.filter(event=locked, profile=profile).exists():
        raise ValidationError(_("You have already registered for this event."))
    if locked.capacity is not None and locked.interests.count() >= locked.capacity:
        raise ValidationError(_("This event is full."))
    try:
        with transaction.atomic():
            interest = JobEventInterest.objects.create(
                event=locked, profile=profile, registered_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ValidationError(_("You have already registered for this event.")) from exc
    audit_record(actor=by, action="internships.job_event_register", obj=locked, changes={})
    return interest
