"""Match runs: load the candidates' preferences and the companies' rankings for a set of job
orders, run the stable matching, store every candidate's result with the facts of its
explanation (``selectors.matching`` says them when they are read); allow a manual change with
a reason; finalise (journey to matched, departure files, notices)."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Membership, Role, User
from magang.accounts.scopes import scope_for
from magang.core.bulk import BulkTable
from magang.core.services import audit_record
from magang.core.tasks import enqueue_on_commit
from magang.recruitment.journey import Status
from magang.recruitment.services import application_advance
from magang.recruitment.services.imports.reading import paused_gc

from ..matching import stable_match
from ..matching_solve import Ints
from ..models import (
    Candidacy,
    DepartureFile,
    JobOrder,
    JobOrderState,
    Match,
    MatchRun,
    MatchState,
    Preference,
)
from ..selectors.matching import job_order_name
from ..tasks import tell_partners_task

# Only graduates are matched; trainees may rank early, and join a later run.
MATCHABLE = Status.GRADUATED


def _require_central(by: User | None) -> None:
    if by is not None and not scope_for(by).has_role(Role.CENTRAL_TEAM):
        raise PermissionDenied


def _pairs(queryset: Any, owner: str, other: str, rank: str) -> Ints:
    """The (owner, other) pairs of ``queryset``'s rows, ordered by owner and rank, as an
    array of shape (rows, 2). On PostgreSQL the database packs them into one bytea of 64-bit
    integers (16 bytes a row; a bytea holds up to 1 GB) that numpy reads whole, with no
    Python object per row; elsewhere through the raw cursor."""
    if connection.vendor != "postgresql":
        sql, params = (
            queryset.order_by(owner, rank).values_list(owner, other).query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    sql, params = queryset.order_by().values_list(owner, other, rank).query.sql_with_params()
    # The ORM's query, its values bound as parameters.
    packing = f"SELECT string_agg(int8send(q.o) || int8send(q.t), ''::bytea ORDER BY q.o, q.r) FROM ({sql}) AS q(o, t, r)"  # noqa: S608, E501
    with connection.cursor() as cursor:
        cursor.execute(packing, params)
        packed = cursor.fetchone()[0]
    return np.frombuffer(packed or b"", dtype=">i8").astype(np.int64).reshape(-1, 2)


def _grouped(rows: Ints) -> dict[int, list[int]]:
    """(key, value) rows sorted by key (and then by rank) as key -> values in that order."""
    if not rows.size:
        return {}
    keys, values = rows[:, 0], rows[:, 1].tolist()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]).tolist()
    ends = [*starts[1:], len(values)]
    return {
        key: values[start:end]
        for key, start, end in zip(keys[starts].tolist(), starts, ends, strict=True)
    }


def match_inputs(
    orders: Iterable[JobOrder],
) -> tuple[dict[int, list[int]], dict[int, list[int]], dict[int, int], dict[int, str]]:
    """(candidate_prefs, job_prefs, capacities, job_names) for ``stable_match``: graduates'
    preferences among these job orders, each company's ranking of those who passed its
    interview, and the slots. A handful of queries, whatever the size."""
    orders = list(orders)
    ids = [o.pk for o in orders]
    candidate_prefs = _grouped(
        _pairs(
            Preference.objects.filter(job_order_id__in=ids, application__status=MATCHABLE),
            "application_id",
            "job_order_id",
            "rank",
        )
    )
    job_prefs = _grouped(
        _pairs(
            Candidacy.objects.filter(job_order_id__in=ids, company_rank__isnull=False),
            "job_order_id",
            "application_id",
            "company_rank",
        )
    )
    capacities = {o.pk: o.slots for o in orders}
    names = {o.pk: job_order_name(o) for o in orders}
    return candidate_prefs, job_prefs, capacities, names


def _digest(
    candidate_prefs: dict[int, list[int]],
    job_prefs: dict[int, list[int]],
    capacities: dict[int, int],
) -> str:
    """SHA-256 of the inputs, independent of dict order: for each side the sorted keys, the
    length of each list and the lists in that order, as 64-bit integers."""
    hasher = hashlib.sha256()
    for name, lists in (
        ("candidates", candidate_prefs),
        ("jobs", job_prefs),
        ("capacities", {k: [v] for k, v in capacities.items()}),
    ):
        keys = sorted(lists)
        hasher.update(name.encode())
        hasher.update(np.asarray(keys, dtype=np.int64).tobytes())
        hasher.update(np.fromiter((len(lists[k]) for k in keys), np.int64, len(keys)).tobytes())
        hasher.update(
            np.fromiter(itertools.chain.from_iterable(lists[k] for k in keys), np.int64).tobytes()
        )
    return hasher.hexdigest()


@paused_gc()
@transaction.atomic
def match_run(*, orders: Iterable[JobOrder], by: User | None) -> MatchRun:
    """Match the open job orders given with the graduates who ranked them."""
    _require_central(by)
    orders = list(
        JobOrder.objects.select_for_update(of=("self",))
        .select_related("host_company")
        .filter(pk__in=[o.pk for o in orders])
    )
    if not orders:
        raise ValidationError(_("Choose the job orders to match."))
    closed = [o.reference for o in orders if o.state != JobOrderState.OPEN]
    if closed:
        raise ValidationError(
            _("These job orders are not open: %(refs)s.") % {"refs": ", ".join(sorted(closed))}
        )
    candidate_prefs, job_prefs, capacities, names = match_inputs(orders)
    matching = stable_match(candidate_prefs, job_prefs, capacities, job_names=names)
    stats = matching.statistics()
    run = MatchRun.objects.create(
        input_digest=_digest(candidate_prefs, job_prefs, capacities),
        statistics={
            "candidates": stats.candidates,
            "matched": stats.matched,
            "unmatched": stats.unmatched,
            "at_first_choice": stats.at_first_choice,
            "by_choice": {str(k): v for k, v in stats.by_choice.items()},
            "unmatched_by_reason": {str(k): v for k, v in stats.unmatched_by_reason.items()},
            "job_orders": stats.job_orders,
            "job_orders_full": stats.job_orders_full,
            "slots": stats.slots,
            "slots_filled": stats.slots_filled,
        },
        created_by=by,
        created_at=timezone.now(),
    )
    # The run's links to its job orders, and then its results, by bulk writes (no model
    # instance per row).
    links = BulkTable(
        MatchRun.job_orders.through, ["matchrun", "joborder"], now=run.created_at, ids=False
    )
    links.write([(run.pk, order.pk) for order in orders])
    columns = matching.columns()
    if connection.vendor == "postgresql":
        # Check the rows' foreign keys as they arrive rather than queue 500,000 checks for
        # the commit (the registration import does the same).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    table = BulkTable(
        Match,
        ["run", "application", "job_order", "preference_rank", "reasons"],
        now=run.created_at,
        ids=False,
    )
    table.write(
        list(
            zip(
                [run.pk] * len(columns["candidate"]),
                columns["candidate"],
                columns["job"],
                columns["choice"],
                matching.stored_reasons(),
                strict=True,
            )
        )
    )
    audit_record(actor=by, action="placement.match_run", obj=run, changes=run.statistics)
    return run


@transaction.atomic
def match_change(
    *, match: Match, job_order: JobOrder | None, reason: str, by: User | None
) -> Match:
    """A committee's manual change of one result, with the reason (audited). The new job
    order must be in the run and have a free slot."""
    _require_central(by)
    match = Match.objects.select_for_update().select_related("run").get(pk=match.pk)
    if match.run.state != MatchState.DRAFT:
        raise ValidationError(_("Only a draft run can be changed."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change."))
    if job_order is not None:
        if not match.run.job_orders.filter(pk=job_order.pk).exists():
            raise ValidationError(_("That job order is not part of this run."))
        # Lock the order: two changes into its last slot must not both count it free.
        JobOrder.objects.select_for_update().filter(pk=job_order.pk).values_list("pk").first()
        taken = Match.objects.filter(run=match.run, job_order=job_order).exclude(pk=match.pk)
        if taken.count() >= job_order.slots:
            raise ValidationError(
                _("%(ref)s has no free slot (%(slots)s of %(slots)s taken).")
                % {"ref": job_order.reference, "slots": job_order.slots}
            )
    before = match.job_order_id
    match.job_order = job_order
    match.preference_rank = (
        Preference.objects.filter(application_id=match.application_id, job_order=job_order)
        .values_list("rank", flat=True)
        .first()
        if job_order
        else None
    )
    match.changed_by, match.change_reason = by, reason.strip()
    match.save()
    audit_record(
        actor=by,
        action="placement.match_change",
        obj=match,
        changes={"job_order": [before, match.job_order_id]},
        reason=reason.strip(),
    )
    return match


@transaction.atomic
def match_finalise(*, run: MatchRun, by: User | None) -> MatchRun:
    """The run becomes final: every matched graduate moves to matched (journey, which tells
    the candidate), gets a departure file, and each job order is marked matched; the
    supervising organisations and host companies are told by e-mail after commit."""
    _require_central(by)
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.state != MatchState.DRAFT:
        raise ValidationError(_("Only a draft run can be finalised."))
    matches = list(
        Match.objects.filter(run=run, job_order__isnull=False).select_related(
            "application", "job_order"
        )
    )
    stale = [
        m.application.registration_number for m in matches if m.application.status != MATCHABLE
    ]
    if stale:
        raise ValidationError(
            _("No longer graduates waiting for a match: %(numbers)s. Run the matching again.")
            % {"numbers": ", ".join(sorted(stale))}
        )
    for match in matches:
        assert match.job_order is not None  # noqa: S101 - filtered above
        application_advance(
            application=match.application,
            to=Status.MATCHED,
            by=by,
            reason=_("Matched to job order %(ref)s") % {"ref": match.job_order.reference},
        )
        DepartureFile.objects.create(application=match.application, job_order=match.job_order)
    # Orders that got interns close; those that got none stay open for a later run.
    orders = list(run.job_orders.all())
    JobOrder.objects.filter(pk__in={m.job_order_id for m in matches}).update(
        state=JobOrderState.MATCHED
    )
    run.state, run.finalised_by, run.finalised_at = MatchState.FINAL, by, timezone.now()
    run.save(update_fields=["state", "finalised_by", "finalised_at"])
    MatchRun.objects.filter(state=MatchState.DRAFT, job_orders__in=orders).exclude(
        pk=run.pk
    ).update(state=MatchState.SUPERSEDED)
    audit_record(
        actor=by, action="placement.match_finalise", obj=run, changes={"matched": len(matches)}
    )
    enqueue_on_commit(tell_partners_task, run_id=run.pk)
    return run


def tell_partners(*, run_id: int) -> None:
    """One e-mail per job order to the people of its supervising organisation and host
    company, with how many interns were matched (names are in the system, not in mail)."""
    counts: dict[int, int] = defaultdict(int)
    for order_id in Match.objects.filter(run_id=run_id, job_order__isnull=False).values_list(
        "job_order_id", flat=True
    ):
        counts[order_id] += 1
    messages = []
    for order in JobOrder.objects.filter(pk__in=counts).select_related("host_company"):
        addresses = sorted(
            set(
                Membership.objects.filter(
                    organisation_id__in=[order.host_company_id, order.supervising_organisation_id],
                    is_active=True,
                )
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
        )
        if addresses:
            subject = f"Magang: {counts[order.pk]} intern(s) matched to {order.reference}"
            body = (
                f"The matching for job order {order.reference} ({order.host_company}) is final: "
                f"{counts[order.pk]} of {order.slots} slot(s) filled. See Magang for the list."
            )
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, addresses))
    with contextlib.suppress(OSError):  # the result stands; partners see it in Magang
        send_mass_mail(messages)
