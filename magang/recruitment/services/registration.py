"""Registration: checking what a candidate gives us, and turning it into an application.

The same checks serve the online wizard (step by step), the single submit, and the
spreadsheet import (``imports.py``), so a rule is written once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.core.crypto import blind_indexes
from magang.core.services import audit_record
from magang.reference.models import Province, Regency

from ..eligibility import Applicant, RuleSet, Verdict, evaluate
from ..journey import Status
from ..models import (
    Application,
    Candidate,
    Consent,
    DocumentsState,
    Education,
    RegistrationDraft,
    SelectionSite,
    Sex,
    Source,
)
from ..names import InvalidName, normalise_name, to_katakana
from ..nik import InvalidNik, ParsedNik, nik_warnings, parse_nik

if TYPE_CHECKING:
    from magang.accounts.models import User

_SEXES = frozenset(Sex.values)
_EDUCATION = frozenset(Education.values)

CONSENT_PURPOSE = "recruitment"
CONSENT_NOTICE_VERSION = "2026-1"

# Statuses that mean the person has already been to Japan in this programme.
DEPARTED_STATUSES = frozenset(
    {
        Status.DEPARTED,
        Status.IN_JAPAN,
        Status.COMPLETED,
        Status.EARLY_RETURN,
        Status.MISSING,
        Status.RETURNED,
    }
)


@dataclass(frozen=True)
class RegistrationData:
    """Everything a registration holds, already typed (forms and the importer build it)."""

    nik: str
    full_name: str
    sex: str
    birth_date: dt.date
    province_code: str
    regency_code: str = ""
    family_name: str = ""
    birth_place: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    education: str = ""
    education_institution: str = ""
    graduation_year: int | None = None
    height_cm: int | None = None
    weight_kg: Decimal | None = None
    declarations: frozenset[str] = frozenset()


@dataclass
class Checked:
    """The outcome of checking registration data: normalised values, errors and warnings."""

    data: RegistrationData
    parsed_nik: ParsedNik | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class RegionIndex:
    """Province and regency codes, loaded once for a whole import."""

    provinces: Mapping[str, int]
    regencies: Mapping[str, tuple[int, str]]  # code -> (id, province code)

    @classmethod
    def load(cls) -> RegionIndex:
        return cls(
            provinces=dict(Province.objects.values_list("code", "id")),
            regencies={
                code: (pk, province)
                for code, pk, province in Regency.objects.values_list(
                    "code", "id", "province__code"
                )
            },
        )

    @property
    def regency_codes(self) -> Container[str]:
        return self.regencies


def registration_check(
    *, data: RegistrationData, regions: RegionIndex | None = None, today: dt.date | None = None
) -> Checked:
    """Check and normalise one registration without touching the database's rows.

    Errors refuse; warnings are shown to the officer (a NIK whose birth date or sex differs
    from the form is a warning: NIKs are never reissued).
    """
    regions = regions or RegionIndex.load()
    today = today or timezone.localdate()
    checked = Checked(data=data)
    values: dict[str, Any] = {}

    try:
        checked.parsed_nik = parse_nik(data.nik, today=today, known_regencies=regions.regencies)
        values["nik"] = checked.parsed_nik.nik
    except InvalidNik as exc:
        checked.add_error("nik", str(exc))

    for name in ("full_name", "family_name"):
        raw = getattr(data, name)
        if not raw and name == "family_name":
            continue
        try:
            values[name] = normalise_name(raw)
        except InvalidName as exc:
            checked.add_error(name, str(exc))

    if data.sex not in _SEXES:
        checked.add_error("sex", _("Choose male or female."))
    if data.birth_date > today:
        checked.add_error("birth_date", _("The birth date is in the future."))
    elif data.birth_date < dt.date(today.year - 100, 1, 1):
        checked.add_error("birth_date", _("The birth date is more than 100 years ago."))

    if data.province_code not in regions.provinces:
        checked.add_error(
            "province_code", _("Unknown province code: %(code)s.") % {"code": data.province_code}
        )
    if data.regency_code:
        regency = regions.regencies.get(data.regency_code)
        if regency is None:
            checked.add_error(
                "regency_code",
                _("Unknown regency or city code: %(code)s.") % {"code": data.regency_code},
            )
        elif regency[1] != data.province_code:
            checked.add_error(
                "regency_code",
                _("Regency %(regency)s is not in province %(province)s.")
                % {"regency": data.regency_code, "province": data.province_code},
            )

    if data.education and data.education not in _EDUCATION:
        checked.add_error(
            "education", _("Unknown education level: %(value)s.") % {"value": data.education}
        )
    if data.height_cm is not None and not 100 <= data.height_cm <= 230:
        checked.add_error("height_cm", _("A height between 100 and 230 cm, please."))
    if data.weight_kg is not None and not Decimal(30) <= data.weight_kg <= Decimal(200):
        checked.add_error("weight_kg", _("A weight between 30 and 200 kg, please."))
    if data.graduation_year is not None and not 1950 <= data.graduation_year <= today.year:
        checked.add_error("graduation_year", _("The graduation year is not possible."))

    if checked.parsed_nik is not None and "sex" not in checked.errors:
        checked.warnings.extend(
            nik_warnings(checked.parsed_nik, birth_date=data.birth_date, sex=data.sex)
        )
    changed = {name: value for name, value in values.items() if getattr(data, name) != value}
    if changed:
        checked.data = replace(data, **changed)
    return checked


def round_rules(site: SelectionSite) -> RuleSet | None:
    rules = site.round.eligibility_rules
    return RuleSet.from_dict(rules) if rules else None


def has_departed_before(candidate: Candidate | None) -> bool:
    if candidate is None or candidate.pk is None:
        return False
    return candidate.applications.filter(status__in=[s.value for s in DEPARTED_STATUSES]).exists()


def application_eligibility(*, application: Application) -> Verdict | None:
    """Evaluate the round's rule set for this application (None when the round has none)."""
    rules = round_rules(application.site)
    if rules is None:
        return None
    candidate = application.candidate
    applicant = Applicant(
        birth_date=candidate.birth_date,
        sex=candidate.sex,
        education=application.education or "sd",
        height_cm=application.height_cm or 0,
        weight_kg=application.weight_kg or Decimal(0),
        declarations=frozenset(application.declarations),
        has_departed_before=candidate.applications.exclude(pk=application.pk)
        .filter(status__in=[s.value for s in DEPARTED_STATUSES])
        .exists(),
    )
    return evaluate(rules, applicant)


def verdict_as_dict(verdict: Verdict | None) -> dict[str, Any]:
    if verdict is None:
        return {}
    return {
        "eligible": verdict.eligible,
        "failures": [
            {"rule": f.rule, "id": f.message_id, "en": f.message_en} for f in verdict.failures
        ],
    }


def _history_warnings(candidate: Candidate, application: Application) -> list[str]:
    earlier = candidate.applications.exclude(pk=application.pk).select_related("round")
    return [
        _("Earlier application %(number)s in %(round)s ended as: %(status)s.")
        % {"number": a.registration_number, "round": a.round.name, "status": a.get_status_display()}
        for a in earlier.order_by("round__year")
    ]


@transaction.atomic
def registration_submit(
    *, user: User, site: SelectionSite, data: RegistrationData, today: dt.date | None = None
) -> Application:
    """Create (or reuse) the candidate and their application for the site's round.

    Raises ValidationError with field errors and writes nothing when anything is wrong.
    """
    from . import application_create

    today = today or timezone.localdate()
    if site.registration_deadline < today:
        raise ValidationError(
            _("Registration at %(site)s closed on %(date)s.")
            % {"site": site.name, "date": site.registration_deadline.isoformat()}
        )
    checked = registration_check(data=data, today=today)
    if not checked.ok:
        raise ValidationError(checked.errors)
    clean = checked.data
    candidate = Candidate.objects.select_for_update().with_nik(clean.nik).first()
    warnings = list(checked.warnings)
    problem = registration_nik_conflict(user=user, site=site, nik=clean.nik, candidate=candidate)
    if problem is not None:
        raise problem
    if candidate is not None:
        if candidate.user_id is None:
            warnings.append(
                _(
                    "This NIK was known from an earlier application without an "
                    "account; check the KTP against the person."
                )
            )
        _candidate_update(candidate, clean, user)
    else:
        candidate = _candidate_new(clean, user)
    Consent.objects.create(
        candidate=candidate,
        purpose=CONSENT_PURPOSE,
        notice_version=CONSENT_NOTICE_VERSION,
        given_at=timezone.now(),
    )
    application = application_create(candidate=candidate, site=site, by=user)
    application.source = Source.ONLINE
    application.submitted_at = timezone.now()
    application.education = clean.education
    application.education_institution = clean.education_institution
    application.graduation_year = clean.graduation_year
    application.height_cm = clean.height_cm
    application.weight_kg = clean.weight_kg
    application.declarations = sorted(clean.declarations)
    warnings.extend(_history_warnings(candidate, application))
    application.warnings = warnings
    application.eligibility = verdict_as_dict(application_eligibility(application=application))
    application.documents_state = documents_state(application)
    application.full_clean(validate_constraints=False)
    application.save()
    RegistrationDraft.objects.filter(user=user, site=site).update(application=application)
    return application


def registration_nik_conflict(
    *, user: User, site: SelectionSite, nik: str, candidate: Candidate | None = None
) -> ValidationError | None:
    """Why this NIK cannot register in the site's round from this account, or None.

    Asked by the wizard's first step (so the candidate hears it at once) and again by
    ``registration_submit``; another account's registration number is never revealed.
    """
    from . import DuplicateApplication

    own = (
        Candidate.objects.filter(user_id=user.pk)
        .exclude(nik_index__in=blind_indexes(nik, purpose="nik"))
        .first()
    )
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
        candidate = Candidate.objects.with_nik(nik).first()
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
    existing = (
        candidate.applications.filter(round_id=site.round_id)
        .exclude(status=Status.WITHDRAWN.value)
        .select_related("site")
        .first()
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


def _candidate_new(data: RegistrationData, user: User) -> Candidate:
    candidate = Candidate(
        user=user,
        nik=data.nik,
        full_name=data.full_name,
        family_name=data.family_name,
        name_katakana=to_katakana(" ".join(filter(None, [data.full_name, data.family_name]))),
        sex=data.sex,
        birth_date=data.birth_date,
        birth_place=data.birth_place,
        province=Province.objects.get(code=data.province_code),
        regency=Regency.objects.filter(code=data.regency_code).first()
        if data.regency_code
        else None,
        address=data.address,
        phone=data.phone,
        email=data.email or user.email,
    )
    candidate.full_clean(validate_constraints=False)
    candidate.save()
    audit_record(actor=user, action="candidate.create", obj=candidate, changes={"nik": "(set)"})
    return candidate


def _candidate_update(candidate: Candidate, data: RegistrationData, user: User) -> None:
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
    candidate.province = Province.objects.get(code=data.province_code)
    candidate.regency = (
        Regency.objects.filter(code=data.regency_code).first() if data.regency_code else None
    )
    candidate.save()
    audit_record(actor=user, action="candidate.update", obj=candidate, changes=changes)


def documents_state(application: Application) -> str:
    """Incomplete until every required document is uploaded; then by their review status."""
    required = set(application.round.required_documents.values_list("id", flat=True))
    if not required:
        return DocumentsState.VERIFIED  # the round asks for nothing to check
    documents = dict(application.documents.values_list("document_type_id", "status"))
    if not required <= set(documents):
        return DocumentsState.INCOMPLETE
    statuses = {documents[type_id] for type_id in required}
    if "rejected" in statuses:
        return DocumentsState.REJECTED
    if statuses == {"accepted"}:
        return DocumentsState.VERIFIED
    return DocumentsState.COMPLETE


def missing_documents(application: Application) -> list[Any]:
    uploaded = set(application.documents.values_list("document_type_id", flat=True))
    return [
        t for t in application.round.required_documents.order_by("order") if t.pk not in uploaded
    ]


def registration_draft_open(*, user: User, site: SelectionSite) -> RegistrationDraft:
    """The user's draft for this site, created empty on first visit."""
    draft, _created = RegistrationDraft.objects.get_or_create(user=user, site=site)
    return draft


def registration_draft_save(*, draft: RegistrationDraft, data: dict[str, Any], step: str) -> None:
    """Keep the answers so far. Only the candidate's own unfinished answers: no audit row
    until they submit (``registration_submit`` audits the result)."""
    draft.data = data
    draft.step = step
    draft.save(update_fields=["data", "step", "updated_at"])
