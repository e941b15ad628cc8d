"""Submitting a registration: the NIK's conflicts, the candidate created or updated, their
consent and their application, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.core.crypto import blind_indexes
from magang.core.services import audit_record

from ...journey import Status
from ...models import (
    Application,
    Candidate,
    Consent,
    DocumentsState,
    RegistrationDraft,
    SelectionSite,
    Source,
)
from ...names import to_katakana
from .checking import RegionIndex, RegistrationData, registration_check
from .eligibility import DEPARTED_STATUSES, application_eligibility, verdict_as_dict

if TYPE_CHECKING:
    from magang.accounts.models import User


CONSENT_PURPOSE = "recruitment"
CONSENT_NOTICE_VERSION = "2026-1"


def _history_warnings(earlier: Iterable[Application]) -> list[str]:
    return [
        _("Earlier application %(number)s in %(round)s ended as: %(status)s.")
        % {"number": a.registration_number, "round": a.round.name, "status": a.get_status_display()}
        for a in earlier
    ]


def _applications_of(candidate: Candidate | None) -> list[Application]:
    """Every application of the person so far, oldest round first (none for a new person)."""
    if candidate is None:
        return []
    return list(
        candidate.applications.select_related("round", "site").order_by("round__year", "pk")
    )


def _registrants(
    *, user: User, nik: str, lock: bool = False
) -> tuple[Candidate | None, Candidate | None]:
    """In one query: the person with this NIK, and the account's own person when it holds
    another NIK. ``lock`` locks them until the transaction ends."""
    indexes = blind_indexes(nik, purpose="nik")
    rows = Candidate.objects.filter(Q(nik_index__in=indexes) | Q(user_id=user.pk))
    if lock:
        rows = rows.select_for_update()
    with_nik = own = None
    for row in rows:
        if row.nik_index in indexes:
            with_nik = row
        else:
            own = row
    return with_nik, own


@transaction.atomic
def registration_submit(
    *, user: User, site: SelectionSite, data: RegistrationData, today: dt.date | None = None
) -> Application:
    """Create (or reuse) the candidate and their application for the site's round.

    Raises ValidationError with field errors and writes nothing when anything is wrong.
    Every row is read once, and each is written once: a constant number of queries,
    whatever the number of candidates, applications or regions.
    """
    from .. import application_insert

    today = today or timezone.localdate()
    if site.registration_deadline < today:
        raise ValidationError(
            _("Registration at %(site)s closed on %(date)s.")
            % {"site": site.name, "date": site.registration_deadline.isoformat()}
        )
    regions = RegionIndex.for_registration(data)
    checked = registration_check(data=data, regions=regions, today=today)
    if not checked.ok:
        raise ValidationError(checked.errors)
    clean = checked.data
    candidate, own = _registrants(user=user, nik=clean.nik, lock=True)
    earlier = _applications_of(candidate)
    problem = _nik_conflict(user=user, site=site, candidate=candidate, own=own, earlier=earlier)
    if problem is not None:
        raise problem
    warnings = list(checked.warnings)
    if candidate is not None:
        if candidate.user_id is None:
            warnings.append(
                _(
                    "This NIK was known from an earlier application without an "
                    "account; check the KTP against the person."
                )
            )
        _candidate_update(candidate, clean, user, regions)
    else:
        candidate = _candidate_new(clean, user, regions)
    Consent.objects.create(
        candidate=candidate,
        purpose=CONSENT_PURPOSE,
        notice_version=CONSENT_NOTICE_VERSION,
        given_at=timezone.now(),
    )
    application = Application(
        candidate=candidate,
        round=site.round,
        site=site,
        source=Source.ONLINE,
        submitted_at=timezone.now(),
        education=clean.education,
        education_institution=clean.education_institution,
        graduation_year=clean.graduation_year,
        height_cm=clean.height_cm,
        weight_kg=clean.weight_kg,
        declarations=sorted(clean.declarations),
        warnings=warnings + _history_warnings(earlier),
        # Nothing is uploaded yet: the same answer as documents_state().
        documents_state=DocumentsState.INCOMPLETE
        if site.round.required_documents.exists()
        else DocumentsState.VERIFIED,
    )
    departed = {s.value for s in DEPARTED_STATUSES}
    application.eligibility = verdict_as_dict(
        application_eligibility(
            application=application,
            departed_before=any(a.status in departed for a in earlier),
        )
    )
    application_insert(application=application, by=user)
    RegistrationDraft.objects.filter(user=user, site=site).update(application=application)
    return application


def registration_nik_conflict(
    *, user: User, site: SelectionSite, nik: str
) -> ValidationError | None:
    """Why this NIK cannot register in the site's round from this account, or None.

    Asked by the wizard's first step (so the candidate hears it at once) and again by
    ``registration_submit``; another account's registration number is never revealed.
    """
    candidate, own = _registrants(user=user, nik=nik)
    return _nik_conflict(user=user, site=site, candidate=candidate, own=own)


def _nik_conflict(
    *,
    user: User,
    site: SelectionSite,
    candidate: Candidate | None,
    own: Candidate | None,
    earlier: Iterable[Application] | None = None,
) -> ValidationError | None:
    """``registration_nik_conflict`` on the rows already read (``earlier``: the candidate's
    applications, asked of the database when not given)."""
    from .. import DuplicateApplication

    if own is not None:
        return ValidationError(
            {
                "nik": [
                    _(
                        "Your account is already registered with NIK %(nik)s. One account is "
                        "for one person: use that NIK, or create another account for someone "
                        "else."
                    )
                    % {"nik": own.nik}
                ]
            }
        )
    if candidate is None:
        return None
    if candidate.user_id not in (None, user.pk):
        return ValidationError(
            {
                "nik": [
                    _(
                        "This NIK is registered to another account. Please contact your "
                        "selection site to prove your identity."
                    )
                ]
            }
        )
    if earlier is None:
        existing = (
            candidate.applications.filter(round_id=site.round_id)
            .exclude(status=Status.WITHDRAWN.value)
            .select_related("site")
            .first()
        )
    else:
        existing = next(
            (
                a
                for a in earlier
                if a.round_id == site.round_id and a.status != Status.WITHDRAWN.value
            ),
            None,
        )
    if existing is None:
        return None
    if candidate.user_id is None:
        return ValidationError({"nik": [unlinked_application_message(existing)]})
    return DuplicateApplication(existing)


def unlinked_application_message(existing: Application) -> str:
    """For a NIK registered on paper (no account): say where, never the registration number,
    since knowing a NIK must not be enough to learn someone's results."""
    return _(
        "This NIK already has an application in this round at %(site)s, registered without an "
        "online account. Please contact that selection site to link it to your account."
    ) % {"site": existing.site.name}


def _candidate_new(data: RegistrationData, user: User, regions: RegionIndex) -> Candidate:
    candidate = Candidate(
        user=user,
        nik=data.nik,
        full_name=data.full_name,
        family_name=data.family_name,
        name_katakana=to_katakana(" ".join(filter(None, [data.full_name, data.family_name]))),
        sex=data.sex,
        birth_date=data.birth_date,
        birth_place=data.birth_place,
        province_id=regions.provinces[data.province_code],
        regency_id=regions.regencies[data.regency_code][0] if data.regency_code else None,
        address=data.address,
        phone=data.phone,
        email=data.email or user.email,
    )
    # The account has no person yet and the regions were just read (registration_submit):
    # validating them again would only repeat their queries.
    candidate.full_clean(exclude=["user", "province", "regency"], validate_constraints=False)
    candidate.save()
    audit_record(actor=user, action="candidate.create", obj=candidate, changes={"nik": "(set)"})
    return candidate


def _candidate_update(
    candidate: Candidate, data: RegistrationData, user: User, regions: RegionIndex
) -> None:
    """A returning person: contact details may have changed; identity fields stay."""
    changes = {}
    for name in ("phone", "email", "address", "birth_place"):
        new = getattr(data, name)
        if new and getattr(candidate, name) != new:
            changes[name] = "(changed)"
            setattr(candidate, name, new)
    if candidate.user_id is None:
        candidate.user = user
        changes["user"] = str(user.pk)
    candidate.province_id = regions.provinces[data.province_code]
    candidate.regency_id = regions.regencies[data.regency_code][0] if data.regency_code else None
    candidate.save()
    audit_record(actor=user, action="candidate.update", obj=candidate, changes=changes)
