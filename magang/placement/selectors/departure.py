"""Departure as a user sees it: the departure files (each with its checklist), the batches,
the interns a batch may still take, the manifest, and whose curriculum vitae a user may
download. The central team, leadership and administrators see every file; a partner or a
host company only the files of its own job orders, and of a batch only those interns. The
central team alone records documents and batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for
from magang.recruitment.journey import Status
from magang.recruitment.models import Application

from ..access import READER_ROLES, job_order_scope
from ..checklist import Item
from ..models import (
    BatchMember,
    Candidacy,
    DepartureBatch,
    DepartureFile,
    JobOrder,
    Match,
    MatchState,
)
from ..services.departure import file_checklist

DEPARTURE_READERS = READER_ROLES
FILE_RELATED = (
    "application__candidate",
    "application__round__programme",
    "job_order__host_company",
    "job_order__prefecture",
    "job_order__trade",
    "batch_member__batch",
)


def may_record_departure(user: Any) -> bool:
    return scope_for(user).has_role(Role.CENTRAL_TEAM)


# --- Files ------------------------------------------------------------------------------


def departure_file_scope(*, user: Any) -> QuerySet[DepartureFile]:
    scope = scope_for(user)
    if not scope.has_role(*DEPARTURE_READERS):
        return DepartureFile.objects.none()
    if scope.is_nationwide:
        return DepartureFile.objects.all()
    return DepartureFile.objects.filter(job_order__in=job_order_scope(user=user))


def access_departure_file(*, user: Any, pk: int, write: bool = False) -> DepartureFile:
    """One file the user sees (404 otherwise, whether it exists or not); ``write`` also
    asks for the central team (403)."""
    file = departure_file_scope(user=user).select_related(*FILE_RELATED).filter(pk=pk).first()
    if file is None:
        raise Http404("No such departure file.")
    if write and not may_record_departure(user):
        raise PermissionDenied
    return file


@dataclass(frozen=True)
class FileRow:
    file: DepartureFile
    items: list[Item]

    @property
    def ready(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def warnings(self) -> list[Item]:
        return [item for item in self.items if not item.ok]

    @property
    def batch(self) -> DepartureBatch | None:
        member = getattr(self.file, "batch_member", None)
        return member.batch if member is not None else None

    @property
    def departed(self) -> bool:
        batch = self.batch
        return batch is not None and batch.departed_at is not None

    @property
    def checked_against(self) -> dt.date:
        """The date the passport's expiry is measured from: the batch's, else the planned
        start of the job order."""
        batch = self.batch
        return batch.departs_on if batch is not None else self.file.job_order.planned_start


def file_row(file: DepartureFile, *, departs_on: dt.date | None = None) -> FileRow:
    return FileRow(file=file, items=file_checklist(file, departs_on=departs_on))


@dataclass(frozen=True)
class FileFilters:
    """The list's filters, from the query string; unknown values are ignored."""

    not_ready: bool = False
    search: str = ""  # a registration number or part of a name
    job_order: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> FileFilters:
        order = str(query.get("job_order") or "").strip()
        return cls(
            not_ready=str(query.get("not_ready") or "") in ("1", "true", "on"),
            search=str(query.get("q") or "").strip()[:60],
            job_order=int(order) if order.isdigit() else None,
        )


def departure_file_rows(*, user: Any, filters: FileFilters | None = None) -> list[FileRow]:
    """The files the user sees with their checklists, by planned start and registration
    number. "Not ready" keeps the files with a warning whose intern has not left."""
    filters = filters or FileFilters()
    files = departure_file_scope(user=user).select_related(*FILE_RELATED)
    if filters.search:
        files = files.filter(
            Q(application__registration_number__icontains=filters.search)
            | Q(application__candidate__full_name__icontains=filters.search)
        )
    if filters.job_order is not None:
        files = files.filter(job_order_id=filters.job_order)
    rows = [
        file_row(file)
        for file in files.order_by("job_order__planned_start", "application__registration_number")
    ]
    if filters.not_ready:
        rows = [row for row in rows if not row.ready and not row.departed]
    return rows


# --- Batches ----------------------------------------------------------------------------


def batch_scope(*, user: Any) -> QuerySet[DepartureBatch]:
    """Every batch for nationwide readers; for a partner or a host company, the batches
    with at least one of its interns."""
    scope = scope_for(user)
    if not scope.has_role(*DEPARTURE_READERS):
        return DepartureBatch.objects.none()
    if scope.is_nationwide:
        return DepartureBatch.objects.all()
    mine = BatchMember.objects.filter(
        batch=OuterRef("pk"), departure_file__in=departure_file_scope(user=user)
    )
    return DepartureBatch.objects.filter(Exists(mine))


def access_batch(*, user: Any, pk: int, write: bool = False) -> DepartureBatch:
    batch = batch_scope(user=user).select_related("created_by").filter(pk=pk).first()
    if batch is None:
        raise Http404("No such departure batch.")
    if write and not may_record_departure(user):
        raise PermissionDenied
    return batch


def batch_list(*, user: Any) -> QuerySet[DepartureBatch]:
    """The batches the user sees, latest departure first, each with ``interns``: how many
    of the user's interns are on it (all of them for nationwide readers)."""
    files = departure_file_scope(user=user)
    counted = (
        Count("members")
        if scope_for(user).is_nationwide
        else Count("members", filter=Q(members__departure_file__in=files))
    )
    return batch_scope(user=user).annotate(interns=counted).order_by("-departs_on", "flight")


def batch_members(*, batch: DepartureBatch, user: Any) -> list[FileRow]:
    """The interns on a batch whom the user sees, with their checklists for its date."""
    files = (
        departure_file_scope(user=user)
        .filter(batch_member__batch=batch)
        .select_related(*FILE_RELATED)
        .order_by("application__registration_number")
    )
    return [file_row(file, departs_on=batch.departs_on) for file in files]


@dataclass(frozen=True)
class BatchCandidates:
    """Matched interns on no batch yet: those complete for the batch's date (offered) and
    the others with what they lack."""

    ready: list[FileRow]
    not_ready: list[FileRow]


def batch_candidates(*, batch: DepartureBatch) -> BatchCandidates:
    files = (
        DepartureFile.objects.filter(batch_member__isnull=True, application__status=Status.MATCHED)
        .select_related(*FILE_RELATED)
        .order_by("job_order__planned_start", "application__registration_number")
    )
    rows = [file_row(file, departs_on=batch.departs_on) for file in files]
    return BatchCandidates(
        ready=[row for row in rows if row.ready],
        not_ready=[row for row in rows if not row.ready],
    )


@dataclass(frozen=True)
class ManifestRow:
    """One line of the printed manifest: identity and destination only, no health data."""

    registration_number: str
    name: str
    name_katakana: str
    passport_number: str
    host_company: str
    prefecture: str  # English and Japanese, "Miyagi 宮城県"


def batch_manifest(*, batch: DepartureBatch, user: Any) -> list[ManifestRow]:
    return [
        ManifestRow(
            registration_number=row.file.application.registration_number,
            name=row.file.application.candidate.full_name,
            name_katakana=row.file.application.candidate.name_katakana,
            passport_number=row.file.passport_number,
            host_company=row.file.job_order.host_company.name,
            prefecture=(
                f"{row.file.job_order.prefecture.name_en} {row.file.job_order.prefecture.name_ja}"
            ),
        )
        for row in batch_members(batch=batch, user=user)
    ]


# --- Curriculum vitae -------------------------------------------------------------------


def _related_orders(application: Application, orders: QuerySet[JobOrder]) -> list[JobOrder]:
    """The job orders (among ``orders``) an application is placed, matched or shortlisted
    for, in that order of precedence."""
    found: list[JobOrder] = []
    placed = DepartureFile.objects.filter(application=application, job_order__in=orders)
    matched = Match.objects.filter(
        application=application, run__state=MatchState.FINAL, job_order__in=orders
    ).order_by("-run__finalised_at")
    shortlisted = Candidacy.objects.filter(application=application, job_order__in=orders)
    for rows in (placed, matched, shortlisted):
        for row in rows.select_related("job_order__trade", "job_order__prefecture"):
            if row.job_order is not None and row.job_order not in found:
                found.append(row.job_order)
    return found


def access_cv(*, user: Any, application_id: int) -> tuple[Application, JobOrder | None]:
    """The application whose curriculum vitae the user may read, with the job order it is
    for. Nationwide readers: any application. A partner or a host company: an application
    placed, matched (in a final run) or shortlisted to one of its job orders. Otherwise 404,
    whether it exists or not."""
    scope = scope_for(user)
    application = (
        Application.objects.select_related("candidate", "round").filter(pk=application_id).first()
        if scope.has_role(*DEPARTURE_READERS)
        else None
    )
    if application is None:
        raise Http404("No such application.")
    orders = job_order_scope(user=user)
    related = _related_orders(application, orders)
    if not scope.is_nationwide and not related:
        raise Http404("No such application.")
    return application, (related[0] if related else None)
