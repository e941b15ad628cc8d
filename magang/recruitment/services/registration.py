"""Registration: checking what a candidate gives us, and turning it into an application.

The same checks serve the online wizard (step by step), the single submit, and the
spreadsheet import (``imports.py``), so a rule is written once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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
    """Province and regency codes: every one, loaded once for a whole import, or only those
    one registration names."""

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

    @classmethod
    def only(cls, *, provinces: Iterable[str] = (), regencies: Iterable[str] = ()) -> RegionIndex:
        """The named codes that exist, and no others: one query, and a second only for a
        province none of the named regencies lies in."""
        wanted_provinces = {code for code in provinces if code}
        wanted_regencies = {code for code in regencies if code}
        rows = (
            list(
                Regency.objects.filter(code__in=wanted_regencies).values_list(
                    "code", "id", "province__code", "province_id"
                )
            )
            if wanted_regencies
            else []
        )
        found = {code: pk for _, _, code, pk in rows if code in wanted_provinces}
        if missing := wanted_provinces - found.keys():
            found.update(Province.objects.filter(code__in=missing).values_list("code", "id"))
        return cls(
            provinces=found,
            regencies={code: (pk, province) for code, pk, province, _ in rows},
        )

    @classmethod
    def for_registration(cls, data: RegistrationData) -> RegionIndex:
        """What ``registration_check`` needs for one registration: its province, its regency
        and its NIK's regency (usually all one row)."""
        return cls.only(
            provinces=[data.province_code],
            regencies=[data.regency_code, nik_regency_code(data.nik)],
        )

    @property
    def regency_codes(self) -> Container[str]:
        return self.regencies


def nik_regency_code(value: str) -> str:
    """The dotted regency code ("32.16") of what may be a NIK, "" when it does not hold 16
    digits. Only to know which regency to load: ``parse_nik`` decides whether it is a NIK
    (any NIK it accepts has exactly these digits)."""
    digits = "".join(ch for ch in value if ch in "0123456789")
    return f"{digits[0:2]}.{digits[2:4]}" if len(digits) == 16 else ""


def registration_check(
    *, data: RegistrationData, regions: RegionIndex | None = None, today: dt.date | None = None
) -> Checked:
    """Check and normalise one registration without touching the database's rows.

    Errors refuse; warnings are shown to the officer (a NIK whose birth date or sex differs
    from the form is a warning: NIKs are never reissued).
    """
    regions = regions or RegionIndex.for_registration(data)
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


def application_eligibility(
    *, application: Application, departed_before: bool | None = None
) -> Verdict | None:
    """Evaluate the round's rule set for this application (None when the round has none).
    ``departed_before``: whether the candidate's other applications went to Japan, when the
    caller already knows (asked of the database otherwise)."""
    rules = round_rules(application.site)
    if rules is None:
        return None
    candidate = application.candidate
    if departed_before is None:
        departed_before = (
            candidate.applications.exclude(pk=application.pk)
            .filter(status__in=[s.value for s in DEPARTED_STATUSES])
            .exists()
        )
    applicant = Applicant(
        birth_date=candidate.birth_date,
        sex=candidate.sex,
        education=application.education or "sd",
        height_cm=application.height_cm or 0,
        weight_kg=application.weight_kg or Decimal(0),
        declarations=frozenset(application.declarations),
        has_departed_before=departed_before,
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
    from . import application_insert

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
    from . import DuplicateApplication

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
