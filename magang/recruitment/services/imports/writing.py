"""Writing a checked import: every row or none, in one transaction.

A site's list can hold 100,000 people. Django's ``bulk_create`` spends most of its time
turning each of millions of values into SQL one at a time (several times slower than this
on the benchmark, see docs/benchmarks.md), so the rows go in through one prepared INSERT per
batch (``executemany``; ``COPY`` on PostgreSQL), with ids reserved from the database's own
sequence first, which also links applications and events without reading anything back.
Dates go through the backend's adapters, JSON as the text Django itself would store, and
columns a row does not give get the model's default (``get_db_prep_save``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.core.bulk import BulkTable
from magang.core.crypto import seal
from magang.core.services import audit_record

from ...journey import INITIAL
from ...models import (
    Application,
    Candidate,
    DocumentsState,
    ImportBatch,
    JourneyEvent,
    SelectionSite,
    Source,
)
from ...names import to_katakana
from .. import registration_numbers_reserve
from ..registration import RegionIndex
from .checking import NEW, ImportRefused, RowResult, contact_changes, import_preview
from .reading import SheetRow, paused_gc
from .uploads import importable_sites

if TYPE_CHECKING:
    from magang.accounts.models import User

# Rows per executemany/COPY call.
# Imports at least this large refresh PostgreSQL's planner statistics afterwards.
ANALYZE_AFTER = 10_000


class AlreadyImported(ValidationError):
    """This very file was already imported for the site: nothing to do."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        super().__init__(
            _(
                "This file was already imported for %(site)s on %(when)s (%(created)s created, "
                "%(unchanged)s already present); nothing was changed."
            )
            % {
                "site": batch.site,
                "when": timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M"),
                "created": batch.created,
                "unchanged": batch.unchanged,
            },
            code="already_imported",
        )


class ImportConflict(ValidationError):
    """The database refused a row that passed the check (a registration at the same time)."""


@paused_gc()
@transaction.atomic
def registrations_import(
    *,
    site: SelectionSite,
    rows: Sequence[SheetRow],
    by: User,
    file_name: str,
    sha256: str,
    today: dt.date | None = None,
) -> ImportBatch:
    """Check every row again and write them all, or nothing.

    Creates the new candidates (people known from earlier rounds are reused and their
    contact details updated), one application per new row (source "import", status
    registered, the round's rules evaluated, warnings kept for the officer), its first
    journey event, the ``ImportBatch`` and one audit row for the batch. Rows already present
    in the round with the same data are counted as unchanged and left alone. No ``Consent``
    rows: the person signed a paper form, which the site keeps.

    Raises ``PermissionDenied`` when ``by`` may not import into the site,
    ``AlreadyImported`` when this file (by SHA-256) was imported for the site before, and
    ``ImportRefused`` (with the full report) when any row has an error.
    """
    if not importable_sites(user=by).filter(pk=site.pk).exists():
        raise PermissionDenied
    # One import per site at a time (on SQLite the whole write transaction is exclusive).
    site = SelectionSite.objects.select_for_update().select_related("round").get(pk=site.pk)
    done = ImportBatch.objects.filter(site=site, sha256=sha256).first()
    if done is not None:
        raise AlreadyImported(done)
    report = import_preview(site=site, rows=rows, today=today)
    if report.errors:
        raise ImportRefused(report)
    new = [result for result in report.results if result.status == NEW]
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                round=site.round,
                site=site,
                file_name=file_name[:200],
                sha256=sha256,
                rows=report.rows,
                created=len(new),
                unchanged=report.unchanged,
                imported_by=by,
            )
    except IntegrityError:
        # The same file committed at the same moment by someone else.
        raise AlreadyImported(ImportBatch.objects.get(site=site, sha256=sha256)) from None

    now = timezone.now()
    regions = RegionIndex.load()
    if connection.vendor == "postgresql":
        # Check foreign keys row by row as they arrive rather than queueing hundreds of
        # thousands of deferred checks for the commit: parents are written first, and a
        # violation surfaces here, inside the block that reports it.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        with transaction.atomic():
            candidate_ids = _write_candidates(new, regions, now)
            _write_applications(new, candidate_ids, site=site, by=by, file_name=file_name, now=now)
    except IntegrityError:
        # Checked a moment ago, so someone registered or imported the same people meanwhile.
        raise ImportConflict(
            _(
                "Some of these people were registered by someone else while the file was "
                "being imported; nothing was written. Upload the file again to see them."
            ),
            code="import_conflict",
        ) from None
    if connection.vendor == "postgresql" and len(new) >= ANALYZE_AFTER:
        # As after any bulk load: fresh statistics, so the next look-ups use the indexes
        # well instead of waiting for autovacuum.
        with connection.cursor() as cursor:
            for model in (Candidate, Application, JourneyEvent):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    audit_record(
        actor=by,
        action="applications.import",
        obj=batch,
        changes={
            "site": site.name,
            "round": site.round.code,
            "file": file_name[:200],
            "sha256": sha256,
            "rows": report.rows,
            "created": len(new),
            "unchanged": report.unchanged,
            "candidates_created": len(new) - report.reused,
            "candidates_reused": report.reused,
            "ineligible": report.ineligible,
        },
    )
    return batch


def _write_candidates(
    new: Sequence[RowResult], regions: RegionIndex, now: dt.datetime
) -> list[int]:
    """Create the people not seen before, update returning people's contact details, and
    return the candidate id of every row."""
    returning = {r.candidate_id: r for r in new if r.candidate_id is not None}
    table = BulkTable(
        Candidate,
        ("nik", "nik_index", "full_name", "family_name", "name_katakana", "sex", "birth_date",
         "birth_place", "province", "regency", "address", "phone", "email"),
        now=now,
    )  # fmt: skip
    reserved = iter(table.reserve(len(new) - len(returning)))
    date = connection.ops.adapt_datefield_value
    ids: list[int] = []
    rows = []
    for result in new:
        if result.candidate_id is not None:
            ids.append(result.candidate_id)
            continue
        data = result.data
        ids.append(next(reserved))
        rows.append((
            ids[-1], *seal(data.nik, purpose="nik"), data.full_name, data.family_name,
            _katakana(data.full_name, data.family_name), data.sex, date(data.birth_date),
            data.birth_place, regions.provinces[data.province_code],
            regions.regencies[data.regency_code][0] if data.regency_code else None,
            data.address, data.phone, data.email,
        ))  # fmt: skip
    table.write(rows)
    if returning:
        changed = []
        for candidate in Candidate.objects.filter(pk__in=list(returning)):
            stored = {name: getattr(candidate, name) for name in _CONTACT_FIELDS}
            changes = contact_changes(returning[candidate.pk].data, stored, regions)
            for name, value, _old in changes:
                setattr(candidate, _ATTRIBUTES.get(name, name), value)
            if changes:
                candidate.updated_at = now  # bulk_update does not touch auto_now fields
                changed.append(candidate)
        Candidate.objects.bulk_update(
            changed,
            ["birth_place", "address", "phone", "email", "province_id", "regency_id",
             "updated_at"],
            batch_size=1000,
        )  # fmt: skip
    return ids


_CONTACT_FIELDS = (
    "birth_place", "address", "phone", "email", "province_id", "regency_id",
)  # fmt: skip
_ATTRIBUTES = {"province_code": "province_id", "regency_code": "regency_id"}


def _write_applications(
    new: Sequence[RowResult],
    candidate_ids: Sequence[int],
    *,
    site: SelectionSite,
    by: User,
    file_name: str,
    now: dt.datetime,
) -> None:
    """One application per row, registered now, with its first journey event."""
    applications = BulkTable(
        Application,
        ("candidate", "round", "site", "registration_number", "status",
         "status_changed_at", "submitted_at", "source", "education", "education_institution",
         "graduation_year", "height_cm", "weight_kg", "declarations", "documents_state",
         "warnings", "eligibility"),
        now=now,
    )  # fmt: skip
    events = BulkTable(
        JourneyEvent,
        ("application", "from_status", "to_status", "actor", "recorded_at", "effective_on",
         "reason"),
        now=now,
    )  # fmt: skip
    ids = applications.reserve(len(new))
    event_ids = events.reserve(len(new))
    at = connection.ops.adapt_datetimefield_value(now)
    on = connection.ops.adapt_datefield_value(timezone.localdate(now))
    # JSON columns get the text Django would store (PostgreSQL parses it into jsonb); the
    # weight is already a Decimal with one decimal place, checked between 30 and 200.
    text = json.dumps
    # Same rule as documents_state(): nothing is uploaded yet, and a round that asks for no
    # documents has nothing to check.
    documents = (
        DocumentsState.INCOMPLETE.value
        if site.round.required_documents.exists()
        else DocumentsState.VERIFIED.value
    )
    reason = _("Registered at %(site)s (spreadsheet import %(file)s).") % {
        "site": site.name,
        "file": file_name[:100],
    }
    registered = INITIAL.value
    rows = []
    event_rows = []
    numbers = registration_numbers_reserve(site, len(new))
    for result, pk, event_pk, candidate_id, number in zip(
        new, ids, event_ids, candidate_ids, numbers, strict=True
    ):
        data = result.data
        rows.append((
            pk, candidate_id, site.round_id, site.pk, number, registered, at, at,
            Source.IMPORT.value, data.education, data.education_institution,
            data.graduation_year, data.height_cm, data.weight_kg,
            text(sorted(data.declarations)), documents, text(result.warnings + result.history),
            text(result.eligibility),
        ))  # fmt: skip
        event_rows.append((event_pk, pk, "", registered, by.pk, at, on, reason))
    applications.write(rows)
    events.write(event_rows)


@functools.lru_cache(maxsize=50_000)
def _katakana_word(word: str) -> str:
    return to_katakana(word)


def _katakana(full_name: str, family_name: str) -> str:
    # to_katakana renders word by word, so caching single words gives the same result:
    # a site's list repeats the same given names thousands of times.
    words = f"{full_name} {family_name}".split()
    return "・".join(kana for kana in map(_katakana_word, words) if kana)
