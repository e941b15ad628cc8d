"""The bulk import under the demo history: tens of thousands of people, one INSERT per batch.

Rows are written in batches (``executemany``; ``COPY`` on PostgreSQL) with ids the importer
allocates itself, so it needs no model instances and no round trip to learn the ids. Every
column a record does not name is filled from the model (its default, ``None``, or the import
time for timestamps), so a field added later with a default or ``null=True`` needs no change
here; one without either stops the import with a clear message.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from magang.core.crypto import seal
from magang.internships.models import Internship
from magang.recruitment.journey import Status
from magang.recruitment.models import (
    Application,
    Candidate,
    DocumentsState,
    JourneyEvent,
    Source,
)
from magang.recruitment.services import HistoryStep, history_events

from .people import Person
from .timelines import Step

BATCH = 20_000  # journey events per write


@dataclass(frozen=True, slots=True)
class Placement:
    """Where and in what an intern went, and how the stay ended."""

    host_company_id: int
    prefecture_id: int
    trade_id: int
    departed_on: dt.date
    ended_on: dt.date | None
    end_reason: str


@dataclass(slots=True)
class Record:
    """One application to import: a new person or a returning candidate, and its history."""

    round_id: int
    round_year: int
    site_id: int
    steps: list[Step]
    person: Person | None = None
    candidate_id: int | None = None
    placement: Placement | None = None
    reason: str = ""  # why the last move happened


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ImproperlyConfigured(f"{model._meta.label}.{name} is not a column.")
    return field


def _column(field: models.Field[Any, Any]) -> str:
    if field.column is None:
        raise ImproperlyConfigured(f"{field} has no column.")
    return field.column


class Table:
    """Buffered INSERTs into one model's table, with ids allocated here."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], *, now: dt.datetime):
        meta = model._meta
        ops = connection.ops
        given = [_concrete(model, name) for name in fields]
        filled: list[tuple[str, Any]] = []
        for field in meta.concrete_fields:
            if field.primary_key or field in given:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = now
            elif field.has_default() or field.null or (field.blank and field.empty_strings_allowed):
                value = field.get_default()  # the default, else None or ""
            else:
                raise ImproperlyConfigured(
                    f"The demo import does not fill {meta.label}.{field.name}: give it a value."
                )
            filled.append((_column(field), field.get_db_prep_save(value, connection)))
        if meta.pk is None:
            raise ImproperlyConfigured(f"{meta.label} has no primary key.")
        columns = [_column(meta.pk), *map(_column, given), *(c for c, _ in filled)]
        self.constants = tuple(value for _, value in filled)
        table, names = ops.quote_name(meta.db_table), ", ".join(map(ops.quote_name, columns))
        self.insert = (
            f"INSERT INTO {table} ({names}) "  # noqa: S608  (names from the model)
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        self.copy = f"COPY {table} ({names}) FROM STDIN"
        last = model._default_manager.aggregate(last=models.Max("pk"))["last"]
        self.next_id = (last or 0) + 1
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values, *self.constants))
        return pk

    def flush(self) -> None:
        """Write the buffered rows: COPY on PostgreSQL, one prepared INSERT run per row
        elsewhere (SQLite runs that fastest)."""
        rows, self.rows = self.rows, []
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert, rows)


class Importer:
    """Writes records as candidates, applications, journey events and internships."""

    def __init__(self, *, current_year: int) -> None:
        self.current_year = current_year
        ops = connection.ops
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.date = ops.adapt_datefield_value
        self.datetime = ops.adapt_datetimefield_value
        self.candidates = Table(
            Candidate,
            ("created_at", "nik", "nik_index", "full_name", "sex", "birth_date",
             "birth_place", "province", "regency", "phone"),
            now=self.now,
        )  # fmt: skip
        self.applications = Table(
            Application,
            ("created_at", "updated_at", "candidate", "round", "site", "registration_number",
             "status", "status_changed_at", "submitted_at", "source", "documents_state"),
            now=self.now,
        )  # fmt: skip
        self.events = Table(
            JourneyEvent,
            ("application", "from_status", "to_status", "recorded_at", "effective_on", "reason"),
            now=self.now,
        )
        self.internships = Table(
            Internship,
            ("created_at", "application", "supervising_organisation", "host_company",
             "prefecture", "trade", "departed_on", "ended_on", "end_reason"),
            now=self.now,
        )  # fmt: skip
        self.recorded_at = self.datetime(self.now)
        self.templates: dict[tuple[Status, ...], list[tuple[str, str, int]]] = {}
        self.sequence: Counter[int] = Counter()

    def at(self, day: dt.date) -> Any:
        return self.datetime(dt.datetime.combine(day, dt.time(9), tzinfo=self.tz))

    def add(
        self,
        record: Record,
        *,
        province_ids: dict[str, int],
        regency_ids: dict[str, int],
        supervising_organisation_id: int,
    ) -> int:
        """Write one record; returns its application's id (and sets its candidate id)."""
        (_, first_on), (last_status, last_on) = record.steps[0], record.steps[-1]
        registered_at = self.at(first_on)
        person = record.person
        if person is not None:
            record.candidate_id = self.candidates.add(
                registered_at, *seal(person.nik, purpose="nik"), person.full_name, person.sex,
                self.date(person.birth_date), person.birth_place,
                province_ids[person.province_code], regency_ids.get(person.regency_code),
                person.phone,
            )  # fmt: skip
        self.sequence[record.site_id] += 1
        number = f"{record.round_year}-{record.site_id:04d}-{self.sequence[record.site_id]:06d}"
        changed_at = self.at(last_on)
        # Past rounds are history; this year's applicants registered online. Anyone past
        # registration had every document verified.
        source = Source.HISTORY if record.round_year < self.current_year else Source.ONLINE
        documents = (
            DocumentsState.INCOMPLETE
            if last_status == Status.REGISTERED
            else DocumentsState.VERIFIED
        )
        application_id = self.applications.add(
            registered_at, changed_at, record.candidate_id, record.round_id, record.site_id,
            number, last_status.value, changed_at, registered_at, source.value, documents.value,
        )  # fmt: skip
        template = self._template(application_id, record.steps)
        for index, (from_status, to_status, step) in enumerate(template):
            reason = record.reason if index == len(template) - 1 else ""
            self.events.add(
                application_id, from_status, to_status, self.recorded_at,
                self.date(record.steps[step][1]), reason,
            )  # fmt: skip
        placement = record.placement
        if placement is not None:
            self.internships.add(
                self.at(placement.departed_on), application_id, supervising_organisation_id,
                placement.host_company_id, placement.prefecture_id, placement.trade_id,
                self.date(placement.departed_on),
                None if placement.ended_on is None else self.date(placement.ended_on),
                placement.end_reason,
            )  # fmt: skip
        if len(self.events.rows) >= BATCH:
            self.flush()
        return application_id

    def flush(self) -> None:
        """Write what is buffered, parents first."""
        for table in (self.candidates, self.applications, self.events, self.internships):
            table.flush()

    MARK = dt.date(2000, 1, 1)

    def _template(self, application_id: int, steps: list[Step]) -> list[tuple[str, str, int]]:
        """The walk ``history_events`` makes of these statuses: (from, to, step index) each.

        ``history_events`` is the authority on how a history becomes a valid walk of the
        journey graph. It is asked once per sequence of statuses (a few dozen in the demo),
        with marker dates that tell which step each event belongs to, and its answer is
        replayed with every application's own dates: building 700,000 model instances would
        take most of the demo's time.
        """
        key = tuple(status for status, _ in steps)
        template = self.templates.get(key)
        if template is None:
            probe = [
                HistoryStep(status, self.MARK + dt.timedelta(days=index))
                for index, status in enumerate(key)
            ]
            events = history_events(
                application=Application(pk=application_id), steps=probe, recorded_at=self.now
            )
            template = [
                (event.from_status, event.to_status, (event.effective_on - self.MARK).days)
                for event in events
            ]
            self.templates[key] = template
        return template

    def finish(self) -> None:
        """Write what is buffered and move the id sequences past the ids used here."""
        self.flush()
        models_ = [Candidate, Application, JourneyEvent, Internship]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(sql)
