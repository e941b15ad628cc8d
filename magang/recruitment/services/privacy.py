"""Personal data rights (UU 27/2022): logging reads of medical results and disclosures to
partners, the person's own export, correction requests, erasure and retention.

What belongs to a person, and how each table forgets them, is ``core.privacy`` (found by
foreign keys, so new tables are covered; each app's ``privacy.py`` declares what it keeps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Membership, Organisation, Role, User
from magang.accounts.scopes import scope_for
from magang.core import privacy
from magang.core.models import AuditEntry
from magang.core.services import audit_record

from ..journey import Status
from ..models import (
    Application,
    Candidate,
    Consent,
    CorrectionRequest,
    ErasureRecord,
    PersonalDataAccess,
    RegistrationDraft,
)
from ..selectors import site_scope

if TYPE_CHECKING:
    from collections.abc import Callable

# The legal basis recorded with every disclosure to a Japanese partner: the candidate's
# consent to the programme's processing (given at registration, notice version stored with
# it) and the performance of the placement they applied for; the transfer abroad rests on
# the Indonesia-Japan programme arrangement (UU 27/2022 art. 20(2)(a)-(b) and art. 56).
PARTNER_LEGAL_BASIS = (
    "UU 27/2022 art. 20(2)(a) consent (notice {notice}) and (b) placement agreement; "
    "transfer abroad art. 56 (Indonesia-Japan TITP arrangement)"
)


# --- Reads and disclosures -------------------------------------------------------------


def medical_read_log(*, actor: Any, candidate_ids: Iterable[int], what: str) -> int:
    """Record that ``actor`` was shown the medical results of these people (never the
    values). Called by every page and endpoint that shows them; one row per person."""
    ids = sorted(set(candidate_ids))
    if not ids:
        return 0
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(
            actor_id=actor_id,
            candidate_id=pk,
            kind=PersonalDataAccess.Kind.MEDICAL_READ,
            what=what[:80],
        )
        for pk in ids
    )
    return len(ids)


def partner_legal_basis(candidate_id: int) -> str:
    notice = (
        Consent.objects.filter(candidate_id=candidate_id, withdrawn_at__isnull=True)
        .order_by("-given_at")
        .values_list("notice_version", flat=True)
        .first()
    )
    return PARTNER_LEGAL_BASIS.format(notice=f"v{notice}" if notice else "on file")


def partner_export_log(
    *,
    actor: Any,
    candidate_ids: Iterable[int],
    what: str,
    recipient: Organisation | None,
) -> int:
    """Record one disclosure per person to ``recipient`` (the organisation that receives
    the CV or list: the reader's own, or the job order's host company) with its legal
    basis."""
    ids = sorted(set(candidate_ids))
    if not ids:
        return 0
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    notices = dict(
        Consent.objects.filter(candidate_id__in=ids, withdrawn_at__isnull=True)
        .values_list("candidate_id")
        .annotate(latest=Max("notice_version"))
    )
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(
            actor_id=actor_id,
            candidate_id=pk,
            kind=PersonalDataAccess.Kind.PARTNER_EXPORT,
            what=what[:80],
            recipient=recipient,
            recipient_name=(recipient.name if recipient is not None else "")[:200],
            legal_basis=PARTNER_LEGAL_BASIS.format(
                notice=f"v{notices[pk]}" if pk in notices else "on file"
            ),
        )
        for pk in ids
    )
    return len(ids)


# --- The person's own export -------------------------------------------------------------


def _roots(candidate: Candidate, *, with_account: bool) -> dict[type[models.Model], set[Any]]:
    roots: dict[type[models.Model], set[Any]] = {Candidate: {candidate.pk}}
    if with_account and candidate.user_id is not None:
        roots[User] = {candidate.user_id}
    return roots


def _row(model: type[models.Model], row: models.Model) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.pk}
    for field in privacy.exportable_fields(model):
        value = field.value_from_object(row)
        if isinstance(field, models.FileField):
            value = str(value) if value else ""
        out[field.attname] = value
    return out


def person_export(*, candidate: Candidate, by: Any) -> dict[str, Any]:
    """Everything the system holds about the person, table by table, and its processing
    trail (audit entries about their records, reads of their medical results, disclosures
    to partners). Credentials are left out. JSON-ready with ``DjangoJSONEncoder``."""
    found = privacy.footprint(_roots(candidate, with_account=True))
    records: dict[str, list[dict[str, Any]]] = {}
    trail: list[dict[str, Any]] = []
    for model in sorted(found.rows, key=lambda m: m._meta.label):
        pks = found.rows[model]
        if not pks:
            continue
        rows = model._default_manager.filter(pk__in=pks).order_by("pk")
        records[model._meta.label] = [_row(model, row) for row in rows]
        entries = AuditEntry.objects.filter(
            object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in pks]
        ).order_by("at", "id")
        trail.extend(
            {
                "at": entry.at,
                "action": entry.action,
                "by": entry.actor_id,
                "record": f"{model._meta.label}#{entry.object_id}",
                "changes": entry.changes,
                "reason": entry.reason,
            }
            for entry in entries
        )
    accesses = [
        {
            "at": access.at,
            "kind": access.kind,
            "what": access.what,
            "by": access.actor_id,
            "recipient": access.recipient_name,
            "legal_basis": access.legal_basis,
        }
        for access in candidate.data_accesses.order_by("at", "id")
    ]
    with transaction.atomic():
        audit_record(actor=by, action="privacy.export", obj=candidate)
    trail.sort(key=lambda item: item["at"])
    return {
        "generated_at": timezone.now(),
        "about": _(
            "All personal data Magang holds about you, table by table, and how it was "
            "processed. Ids refer to other rows of this file or to staff accounts."
        ),
        "records": records,
        "processing": trail,
        "reads_and_disclosures": accesses,
    }


def person_export_json(*, candidate: Candidate, by: Any) -> str:
    import json

    return json.dumps(
        person_export(candidate=candidate, by=by),
        cls=DjangoJSONEncoder,
        indent=2,
        ensure_ascii=False,
    )


# --- Corrections ---------------------------------------------------------------------------

CORRECTABLE = {
    CorrectionRequest.Field.FULL_NAME: "full_name",
    CorrectionRequest.Field.FAMILY_NAME: "family_name",
    CorrectionRequest.Field.BIRTH_DATE: "birth_date",
    CorrectionRequest.Field.BIRTH_PLACE: "birth_place",
    CorrectionRequest.Field.ADDRESS: "address",
    CorrectionRequest.Field.PHONE: "phone",
    CorrectionRequest.Field.EMAIL: "email",
}
CORRECTION_DECIDERS = (Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.ADMINISTRATOR)


@transaction.atomic
def correction_request_file(
    *, candidate: Candidate, field: str, proposed: str, explanation: str, by: User
) -> CorrectionRequest:
    """A candidate asks for a correction; it goes to the officers of their latest site."""
    latest = candidate.applications.order_by("-created_at", "-id").first()
    if latest is None:
        raise ValidationError(
            _("You have no application yet: your answers can still be changed while you register.")
        )
    request = CorrectionRequest(
        candidate=candidate,
        site_id=latest.site_id,
        field=field,
        proposed=proposed.strip(),
        explanation=explanation.strip(),
    )
    request.full_clean()
    request.save()
    audit_record(actor=by, action="privacy.correction_request", obj=request)
    return request


def correction_queue(*, user: Any) -> models.QuerySet[CorrectionRequest]:
    """Requests the user may decide: of their own sites (the central team: all)."""
    if not scope_for(user).has_role(*CORRECTION_DECIDERS):
        return CorrectionRequest.objects.none()
    return CorrectionRequest.objects.filter(site__in=site_scope(user=user)).select_related(
        "candidate", "site"
    )


@transaction.atomic
def correction_request_decide(
    *, request: CorrectionRequest, accept: bool, response: str, by: User
) -> CorrectionRequest:
    """Accept (the value is written to the candidate record, audited) or refuse with a
    reason the candidate reads. Decided requests are final."""
    locked = correction_queue(user=by).select_for_update().filter(pk=request.pk).first()
    if locked is None:
        raise PermissionDenied
    if locked.state != CorrectionRequest.State.OPEN:
        raise ValidationError(_("This request has already been decided."))
    candidate = Candidate.objects.select_for_update().get(pk=locked.candidate_id)
    if accept:
        name = CORRECTABLE.get(CorrectionRequest.Field(locked.field))
        if name is None:
            message = _(
                "This request is not about a field that can be written here: correct the "
                "record where it lives and refuse or close it with an answer."
            )
            raise ValidationError(message)
        field: Any = Candidate._meta.get_field(name)
        try:
            value = field.to_python(locked.proposed)
        except ValidationError as exc:
            raise ValidationError({"proposed": exc.messages}) from None
        old = getattr(candidate, name)
        setattr(candidate, name, value)
        candidate.full_clean(validate_constraints=False)
        candidate.save(update_fields=[name, "updated_at"])
        audit_record(
            actor=by,
            action="candidate.correct",
            obj=candidate,
            changes={name: {"from": str(old), "to": str(value)}},
            reason=f"correction request {locked.pk}",
        )
        locked.state = CorrectionRequest.State.DONE
    else:
        locked.state = CorrectionRequest.State.REFUSED
    locked.response = response.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save()
    audit_record(
        actor=by, action="privacy.correction_decide", obj=locked, changes={"state": locked.state}
    )
    return locked


# --- Erasure and retention -------------------------------------------------------------------


def _account_may_go(user_id: int) -> bool:
    """A candidate's own account goes with them; an account that also holds a staff role
    stays (only unlinked)."""
    return not Membership.objects.filter(user_id=user_id).exclude(role=Role.CANDIDATE).exists()


def _apply(rule: privacy.Rule, row: models.Model) -> list[str]:
    names = []
    for name, value in rule.values.items():
        resolved = value(row) if callable(value) else value
        field: Any = row._meta.get_field(name)
        setattr(row, field.attname if field.is_relation else name, resolved)
        names.append(name)
        if hasattr(field, "index_field") and field.index_field:  # a sealed value's index
            names.append(field.index_field)
    return list(dict.fromkeys(names))


@transaction.atomic
def purge_person(
    *, candidate: Candidate, by: User | None, reason: str, trigger: str = "request"
) -> ErasureRecord:
    """Erase a person from every table and the file store (see ``core.privacy`` and
    docs/security.md): rows kept for statistics are overwritten to be anonymous, the rest
    is deleted, audit entries about their records lose their text, files go after commit."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    with_account = candidate.user_id is not None and _account_may_go(candidate.user_id)
    found = privacy.footprint(_roots(candidate, with_account=with_account))
    counts: dict[str, dict[str, int]] = {}
    for (model, name), pks in found.detach.items():
        model._default_manager.filter(pk__in=pks).update(**{name: None})
    order = found.models_in_order()
    deleted = {m for m in order if not privacy.rule_for(m).keep}
    files: list[tuple[Any, str]] = []
    for model in order:
        rule = privacy.rule_for(model)
        pks = found.rows[model]
        if not rule.keep:
            continue
        # A kept row pointing at a deleted one lets go of it (or the database refuses).
        loose = [
            f for f in privacy._foreign_keys(model) if privacy._target(f) in deleted and f.null
        ]
        for row in model._default_manager.filter(pk__in=pks):
            names = _apply(rule, row)
            for f in loose:
                if getattr(row, f.attname) in found.rows[privacy._target(f)]:
                    setattr(row, f.attname, None)
                    names.append(f.name)
            if names:
                row.save(update_fields=names)
        counts[model._meta.label] = {"anonymised": len(pks)}
    for model in reversed(order):
        if model not in deleted:
            continue
        pks = found.rows[model]
        rows = model._base_manager.filter(pk__in=pks)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                for name in rows.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    if name:
                        files.append((field.storage, name))
        rows.delete()
        counts[model._meta.label] = {"deleted": len(pks)}
    _scrub_trails(found)
    record = ErasureRecord.objects.create(
        by=by,
        trigger=trigger,
        reason=reason,
        candidate_ref=candidate.pk,
        rows=counts,
        files=len(files),
    )
    audit_record(actor=by, action="privacy.erase", obj=record, reason=reason)

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return record


def _scrub_trails(found: privacy.Footprint) -> None:
    """Audit and admin log entries about the person's rows keep who did what and when, and
    lose what was shown or changed."""
    for model, pks in found.rows.items():
        ids = [str(pk) for pk in pks]
        if not ids:
            continue
        AuditEntry.objects.filter(object_type=model._meta.label_lower, object_id__in=ids).update(
            object_repr="", changes={}, reason=""
        )
        if model._meta.auto_created:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        LogEntry.objects.filter(content_type=content_type, object_id__in=ids).update(
            object_repr="", change_message=""
        )


# --- Retention -----------------------------------------------------------------------------

# Applications that ended without the person going anywhere.
UNSUCCESSFUL = frozenset({Status.INELIGIBLE, Status.NOT_SELECTED, Status.WITHDRAWN})


def _months_ago(today: dt.date, months: int) -> dt.datetime:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return timezone.make_aware(dt.datetime(year, month + 1, day))


def retention_due(
    *, today: dt.date | None = None
) -> tuple[models.QuerySet[RegistrationDraft], models.QuerySet[Candidate]]:
    """What the retention periods say must go now: unfinished registrations untouched for
    ``MAGANG_RETAIN_UNSUBMITTED_MONTHS``, and people whose every application ended without
    success (ineligible, not selected, withdrawn) longer than
    ``MAGANG_RETAIN_UNSUCCESSFUL_MONTHS`` ago. Anyone selected, trained or sent stays (their
    record is the programme's history)."""
    today = today or timezone.localdate()
    drafts = RegistrationDraft.objects.filter(
        application__isnull=True,
        updated_at__lt=_months_ago(today, settings.MAGANG_RETAIN_UNSUBMITTED_MONTHS),
    )
    cutoff = _months_ago(today, settings.MAGANG_RETAIN_UNSUCCESSFUL_MONTHS)
    successful = Application.objects.exclude(status__in=[s.value for s in UNSUCCESSFUL])
    recent = Application.objects.filter(status_changed_at__gte=cutoff)
    candidates = (
        Candidate.objects.filter(applications__isnull=False)
        .exclude(applications__in=successful)
        .exclude(applications__in=recent)
        .exclude(nik_index__startswith="erased:")
        .distinct()
    )
    return drafts, candidates


def retention_purge(
    *, today: dt.date | None = None, progress: Callable[[str], None] | None = None
) -> tuple[int, int]:
    """Apply the retention periods: delete stale drafts, erase each due person (one
    transaction each, so a long run can stop and start again). Returns (drafts, people)."""
    drafts, candidates = retention_due(today=today)
    with transaction.atomic():
        removed, _by_model = drafts.delete()
    people = 0
    for pk in candidates.values_list("pk", flat=True).iterator():
        purge_person(
            candidate=Candidate(pk=pk),
            by=None,
            reason=_("Retention period ended."),
            trigger=ErasureRecord.Trigger.RETENTION,
        )
        people += 1
        if progress is not None and people % 100 == 0:
            progress(f"{people} people erased")
    return removed, people
