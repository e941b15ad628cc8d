"""Ranking runs: load a round's inputs, rank them with ``ranking.rank``, store what was decided
with both explanations, then propose, approve (a second person) and publish.

A run is reproducible: it keeps the digest of its inputs and its rules version, and approval
recomputes the digest from the database, so a result changed after the run cannot slip into
a final decision unseen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, FloatField, Func, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.core.bulk import BulkTable
from magang.core.services import audit_record
from magang.recruitment.journey import Status
from magang.recruitment.models import Application, JourneyEvent

from .. import ranking
from ..models import (
    Outcome,
    Placement,
    RankingRun,
    RunState,
    SelectionPlan,
    StageKind,
    StageResult,
    UnitKind,
)

RANKED = Status.IN_SELECTION.value
# A run's outcome -> the application's status when the run becomes final.
STATUS_FOR = {
    Outcome.SELECTED: Status.SELECTED.value,
    Outcome.RESERVE: Status.RESERVE.value,
    Outcome.NOT_SELECTED: Status.NOT_SELECTED.value,
    Outcome.ELIMINATED: Status.NOT_SELECTED.value,
}


def _require_central(user: Any) -> None:
    if not scope_for(user).has_role(Role.CENTRAL_TEAM):
        raise PermissionDenied


@dataclass(frozen=True)
class RunInputs:
    """Everything ``ranking.rank`` reads, loaded from the database."""

    applications: ranking.Applications
    plan: ranking.StagePlan
    rules: ranking.RankingRules
    units: dict[str, int]
    unit_names: dict[str, str]

    def digest(self) -> str:
        return ranking.digest(
            applications=self.applications, plan=self.plan, units=self.units, rules=self.rules
        )


class EpochMicroseconds(Func):
    """A timestamp as whole microseconds since 1970-01-01 UTC, computed by the database, so
    a million rows need no datetime objects in Python."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: whole seconds from julianday,
        # microseconds from the text.
        sql, params = compiler.compile(self.source_expressions[0])
        template = (
            "(CAST(ROUND((julianday(substr({x}, 1, 19)) - 2440587.5) * 86400) AS INTEGER)"
            " * 1000000 + CAST(substr({x} || '.000000', 21, 6) AS INTEGER))"
        )
        return template.format(x=sql), (*params, *params)


def _fetch(queryset: Any) -> list[tuple[Any, ...]]:
    """Rows of a values_list queryset through the raw cursor (no per-row ORM work)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def run_inputs(plan: SelectionPlan) -> RunInputs:
    """The round's applications in selection, their results per plan column, and the quotas.

    Raises ValidationError when the plan is invalid or an application's unit has no quota.
    """
    try:
        stage_plan, rules = plan.ranking_plan(), plan.ranking_rules()
    except ranking.InvalidInput as exc:
        raise ValidationError(list(exc.problems)) from exc
    applications = Application.objects.filter(round_id=plan.round_id, status=RANKED)
    unit_field = "candidate__province__code" if plan.unit_kind == UnitKind.PROVINCE else "site_id"
    rows = _fetch(
        applications.order_by("pk").values_list(
            "pk",
            unit_field,
            "candidate__sex",
            EpochMicroseconds(Coalesce("submitted_at", "created_at")),
            "registration_number",
        )
    )
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    units = [str(r[1]) for r in rows]
    registered = np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows))
    quotas = {q.unit_key: (q.seats, q.name) for q in plan.quotas.all()}
    unknown = sorted(set(units) - set(quotas))
    if unknown:
        raise ValidationError(
            _("Applications come from units without a quota: %(units)s. Add their quotas.")
            % {"units": ", ".join(unknown)}
        )
    columns: dict[str, np.ndarray[Any, Any]] = {}
    for stage in plan.stages.all():
        # Only the stage: its results are this round's. Those of applications no longer in
        # selection are dropped below, which is cheaper than joining the applications.
        results = StageResult.objects.filter(stage=stage)
        if stage.kind == StageKind.MEASURE:
            wanted = [(f"{stage.key}.{m['key']}", m["key"]) for m in stage.measures]
            values: list[Cast | Case] = [
                Cast(KeyTextTransform(key, "measurements"), FloatField()) for _c, key in wanted
            ]
        else:
            wanted = [(stage.key, "")]
            values = [
                Cast("score", FloatField())
                if stage.kind == StageKind.SCORE
                else Case(When(passed=True, then=Value(1.0)), default=Value(0.0))
            ]
        found = np.array(
            _fetch(results.values_list("application_id", *values)), dtype=np.float64
        ).reshape(-1, len(wanted) + 1)  # None becomes NaN: no result
        owners = found[:, 0].astype(np.int64)
        rows_of = np.minimum(np.searchsorted(ids, owners), max(ids.size - 1, 0))
        ranked = ids[rows_of] == owners if ids.size else np.zeros(owners.size, dtype=bool)
        rows_of = rows_of[ranked]
        for index, (column, _key) in enumerate(wanted, start=1):
            array = np.full(ids.size, np.nan)
            array[rows_of] = found[ranked, index]
            columns[column] = array
    return RunInputs(
        applications=ranking.Applications.from_columns(
            ids=ids,
            units=units,
            sexes=[r[2] for r in rows],
            registered_at=registered,
            registration_numbers=[r[4] for r in rows],
            results=columns,
        ),
        plan=stage_plan,
        rules=rules,
        units={key: seats for key, (seats, _name) in quotas.items()},
        unit_names={key: name for key, (_seats, name) in quotas.items()},
    )


def _incomplete_message(exc: ranking.IncompleteResults) -> str:
    stages = ", ".join(f"{key} ({count:,})" for key, count in exc.missing.items())
    return _(
        "%(count)s application(s) still lack a result the ranking needs: %(stages)s. Record "
        "them, or run again counting a missing result as failing its stage."
    ) % {"count": f"{exc.count:,}", "stages": stages}


@transaction.atomic
def ranking_run(
    *, plan: SelectionPlan, by: User | None, allow_incomplete: bool = False
) -> RankingRun:
    """Rank the round now and store the run with every application's placement.

    Earlier draft or proposed runs of the plan are superseded. Refused once a run is final.
    """
    if by is not None:
        _require_central(by)
    plan = SelectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.runs.filter(state=RunState.FINAL).exists():
        raise ValidationError(_("This round's ranking is final; it cannot be run again."))
    inputs = run_inputs(plan)
    if not len(inputs.applications):
        raise ValidationError(_("No application of this round is in selection."))
    try:
        result = ranking.rank(
            applications=inputs.applications,
            plan=inputs.plan,
            units=inputs.units,
            rules=inputs.rules,
            unit_names=inputs.unit_names,
            allow_incomplete=allow_incomplete,
        )
    except ranking.IncompleteResults as exc:
        raise ValidationError(_incomplete_message(exc), code="incomplete") from exc
    except ranking.InvalidInput as exc:
        raise ValidationError(list(exc.problems)) from exc
    previous = plan.runs.order_by("-number").first()
    plan.runs.filter(state__in=[RunState.DRAFT, RunState.PROPOSED]).update(
        state=RunState.SUPERSEDED
    )
    run = RankingRun.objects.create(
        plan=plan,
        number=(previous.number if previous else 0) + 1,
        previous=previous,
        rules_version=ranking.RULES_VERSION,
        input_digest=result.input_digest,
        result_digest=result.digest(),
        allow_incomplete=allow_incomplete,
        counts={outcome.value: count for outcome, count in result.counts().items()},
        units=[
            {
                "key": s.key,
                "name": s.name,
                "seats": s.seats,
                "extra_seats": s.extra_seats,
                "qualified": s.qualified,
                "selected": s.selected,
                "reserves": s.reserves,
                "unused_seats": s.unused_seats,
            }
            for s in result.unit_summaries.values()
        ],
        created_by=by,
        created_at=timezone.now(),
    )
    _write_placements(run, result)
    audit_record(
        actor=by,
        action="selection.run",
        obj=run,
        changes={"input_digest": run.input_digest, "counts": run.counts},
    )
    return run


def _write_placements(run: RankingRun, result: ranking.RankingResult) -> None:
    columns = result.placement_columns()
    table = BulkTable(
        Placement,
        [
            "run", "application", "unit_key", "outcome", "eliminated_at", "total",
            "rank_in_unit", "reserve_number", "explanation_id", "explanation_en",
        ],
        now=run.created_at,
        ids=False,
    )  # fmt: skip
    rows = zip(
        [run.pk] * len(result),
        columns["application_id"],
        columns["unit"],
        columns["outcome"],
        (stage or "" for stage in columns["eliminated_at"]),
        columns["total"],
        columns["rank_in_unit"],
        columns["reserve_number"],
        result.explanations("id"),
        result.explanations("en"),
        strict=True,
    )
    table.write(list(rows))


@transaction.atomic
def run_propose(*, run: RankingRun, by: User) -> RankingRun:
    """The first of the two people: propose the latest draft run for approval."""
    _require_central(by)
    run = RankingRun.objects.select_for_update().get(pk=run.pk)
    if run.state != RunState.DRAFT:
        raise ValidationError(
            _("Only a draft run can be proposed; this one is %(state)s.")
            % {"state": run.get_state_display()}
        )
    run.state, run.proposed_by, run.proposed_at = RunState.PROPOSED, by, timezone.now()
    run.save(update_fields=["state", "proposed_by", "proposed_at"])
    audit_record(actor=by, action="selection.run_propose", obj=run)
    return run


@transaction.atomic
def run_approve(*, run: RankingRun, by: User) -> RankingRun:
    """The second person: approve a proposed run, which becomes final, and move every
    ranked application to selected, reserve or not selected in one transaction."""
    _require_central(by)
    run = RankingRun.objects.select_for_update().select_related("plan").get(pk=run.pk)
    if run.state != RunState.PROPOSED:
        raise ValidationError(
            _("Only a proposed run can be approved; this one is %(state)s.")
            % {"state": run.get_state_display()}
        )
    if run.proposed_by_id == by.pk:
        raise ValidationError(
            _("You proposed this run; another member of the central team must approve it."),
            code="same_person",
        )
    if run_inputs(run.plan).digest() != run.input_digest:
        raise ValidationError(
            _(
                "Results or applications changed since this run was made. Run the ranking "
                "again and propose the new run."
            ),
            code="stale_run",
        )
    now = timezone.now()
    run.state, run.approved_by, run.approved_at = RunState.FINAL, by, now
    run.save(update_fields=["state", "approved_by", "approved_at"])
    reason = _("Ranking run %(number)s approved") % {"number": run.number}
    _apply_statuses(run, by=by, at=now, reason=reason)
    audit_record(actor=by, action="selection.run_approve", obj=run, changes={"counts": run.counts})
    return run


def _apply_statuses(run: RankingRun, *, by: User, at: dt.datetime, reason: str) -> None:
    placements = Placement.objects.filter(run=run)
    events = BulkTable(
        JourneyEvent,
        [
            "application",
            "from_status",
            "to_status",
            "actor",
            "recorded_at",
            "effective_on",
            "reason",
        ],
        now=at,
    )
    today = timezone.localdate(at)
    for outcome, status in STATUS_FOR.items():
        chosen = placements.filter(outcome=outcome).values("application_id")
        moved = Application.objects.filter(pk__in=chosen, status=RANKED).update(
            status=status, status_changed_at=at, updated_at=at
        )
        ids = list(chosen.values_list("application_id", flat=True))
        if moved != len(ids):
            raise ValidationError(
                _("Some applications left selection meanwhile. Run the ranking again.")
            )
        rows = [
            (application_id, RANKED, status, by.pk, at, today, reason) for application_id in ids
        ]
        events.write([(pk, *row) for pk, row in zip(events.reserve(len(rows)), rows, strict=True)])


def published_list(run: RankingRun) -> bytes:
    """The public list of a final run: registration numbers only (no names, no NIK), sorted,
    as CSV. Its SHA-256 is published, so anyone can check a copy was not altered."""
    names = {unit["key"]: unit["name"] for unit in run.units}
    lines = ["registration_number,unit,outcome,eliminated_at,total,rank_in_unit,reserve_number"]
    rows = (
        Placement.objects.filter(run=run)
        .order_by("application__registration_number")
        .values_list(
            "application__registration_number", "unit_key", "outcome", "eliminated_at", "total",
            "rank_in_unit", "reserve_number",
        )
    )  # fmt: skip
    for number, unit, outcome, stage, total, rank, reserve in rows.iterator(chunk_size=10_000):
        shown = (
            ""
            if total is None
            else str(Decimal(repr(total)).quantize(Decimal("0.1"), ROUND_HALF_UP))
        )
        unit_name = names.get(unit, unit).replace('"', "'")
        lines.append(
            f'{number},"{unit_name}",{outcome},{stage},{shown},{rank or ""},{reserve or ""}'
        )
    return ("\n".join(lines) + "\n").encode()


def published_path(run: RankingRun) -> Path:
    return (
        Path(settings.MEDIA_ROOT)
        / "published"
        / f"selection-{run.plan.round.code}-{run.number}.csv"
    )


@transaction.atomic
def run_publish(*, run: RankingRun, by: User) -> RankingRun:
    """Publish a final run: the list by registration number and its SHA-256 digest."""
    _require_central(by)
    run = RankingRun.objects.select_for_update().select_related("plan__round").get(pk=run.pk)
    if run.state != RunState.FINAL:
        raise ValidationError(_("Only a final run can be published."))
    if run.published_at:
        raise ValidationError(_("This run is already published."))
    content = published_list(run)
    path = published_path(run)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    run.published_at = timezone.now()
    run.published_digest = hashlib.sha256(content).hexdigest()
    run.save(update_fields=["published_at", "published_digest"])
    audit_record(
        actor=by, action="selection.run_publish", obj=run, changes={"sha256": run.published_digest}
    )
    return run


def published_content(run: RankingRun) -> bytes:
    """The published list's bytes, rebuilt from the placements if the file is missing; always
    checked against the published digest."""
    path = published_path(run)
    content = path.read_bytes() if path.exists() else published_list(run)
    if hashlib.sha256(content).hexdigest() != run.published_digest:
        raise ValidationError(_("The published list does not match its digest."))
    return content


__all__ = [
    "RunInputs",
    "published_content",
    "published_list",
    "ranking_run",
    "run_approve",
    "run_inputs",
    "run_propose",
    "run_publish",
]
