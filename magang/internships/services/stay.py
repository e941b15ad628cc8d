"""Writes of the stay: arrival, stages, exams, temporary returns home, transfers, early
return, missing, found again, completion. Each is one transaction with its audit row; every
status change goes through the journey (``application_advance``), and ``Internship.ended_on``
/ ``end_reason`` follow the status so that statistics stay right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, User
from magang.core.services import audit_record
from magang.recruitment.journey import InvalidTransition, Status
from magang.recruitment.models import JourneyEvent
from magang.recruitment.services import application_advance
from magang.reference.models import Prefecture

from .. import stages as rules
from ..models import (
    DutyStatus,
    EarlyReturnReason,
    EndReason,
    Exam,
    ExamResult,
    ExamType,
    ExcellentStanding,
    HomeLeave,
    HostPlacement,
    Internship,
    MonitoringDuty,
    Source,
    Stage,
    StayEvent,
    StayEventKind,
    StayRules,
    TransferReason,
)
from . import monitoring
from .monitoring import stay_rules


def reason_text(reason: rules.Reason) -> str:
    return reason.text_id if (get_language() or "id").startswith("id") else reason.text_en


def _lock(internship: Internship) -> Internship:
    return (
        Internship.objects.select_for_update(of=("self",))
        .select_related("application__round__programme", "stage", "trade", "host_company")
        .get(pk=internship.pk)
    )


def _advance(
    internship: Internship, to: Status, *, by: User | None, reason: str, on: dt.date
) -> JourneyEvent:
    try:
        return application_advance(
            application=internship.application, to=to, by=by, reason=reason, effective_on=on
        )
    except InvalidTransition as exc:
        raise ValidationError(
            _("Not possible while the intern's status is '%(status)s'.")
            % {"status": exc.current.value}
        ) from exc


def _check_day(internship: Internship, on: dt.date, *, label: str) -> None:
    if on < internship.departed_on:
        raise ValidationError(
            _("%(what)s cannot be before departure (%(day)s).")
            % {"what": label, "day": internship.departed_on}
        )
    if on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": label})


def _event(
    internship: Internship,
    kind: StayEventKind,
    *,
    on: dt.date,
    by: User | None,
    source: str,
    journey: JourneyEvent | None = None,
    reason: str = "",
    note: str = "",
    stage: Stage | None = None,
    host_company: Organisation | None = None,
) -> StayEvent:
    return StayEvent.objects.create(
        internship=internship,
        kind=kind,
        effective_on=on,
        reason=reason,
        note=note,
        stage=stage,
        host_company=host_company,
        journey_event=journey,
        actor=by,
        source=source,
    )


def _open_placement(internship: Internship) -> HostPlacement | None:
    placement = HostPlacement.objects.filter(internship=internship, ended_on__isnull=True).first()
    if placement is None and internship.host_company_id is not None:
        placement = HostPlacement.objects.create(
            internship=internship,
            host_company_id=internship.host_company_id,
            prefecture_id=internship.prefecture_id,
            started_on=internship.arrived_on or internship.departed_on,
        )
    return placement


def _close_placement(
    internship: Internship, on: dt.date, reason: str = "", placement: HostPlacement | None = None
) -> None:
    placement = placement or _open_placement(internship)
    if placement is not None:
        placement.ended_on = max(on, placement.started_on)
        placement.end_reason = reason
        placement.save(update_fields=["ended_on", "end_reason"])


@transaction.atomic
def internship_arrive(
    *,
    internship: Internship,
    arrived_on: dt.date,
    centre: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    """The intern has landed: departed -> in Japan, the first stage of their programme
    starts, collective training is dated and the first monitoring duties are scheduled."""
    internship = _lock(internship)
    _check_day(internship, arrived_on, label=_("Arrival"))
    programme = internship.application.round.programme
    first = Stage.objects.filter(programme=programme).order_by("number").first()
    if first is None:
        raise ValidationError(
            _("The programme %(programme)s has no stages recorded.") % {"programme": programme}
        )
    journey = _advance(
        internship, Status.IN_JAPAN, by=by, reason=_("Arrived in Japan"), on=arrived_on
    )
    settings = stay_rules(programme)
    internship.arrived_on = arrived_on
    internship.collective_training_centre = centre
    internship.collective_training_until = arrived_on + dt.timedelta(
        days=settings.collective_training_days
    )
    internship.stage = first
    internship.stage_started_on = arrived_on
    internship.save(
        update_fields=[
            "arrived_on",
            "collective_training_centre",
            "collective_training_until",
            "stage",
            "stage_started_on",
            "updated_at",
        ]
    )
    _open_placement(internship)
    _event(
        internship,
        StayEventKind.ARRIVAL,
        on=arrived_on,
        by=by,
        source=source,
        journey=journey,
        stage=first,
    )
    monitoring.duties_schedule(internship=internship, rules=settings, after=None)
    audit_record(
        actor=by,
        action="internships.arrive",
        obj=internship,
        changes={"arrived_on": str(arrived_on), "stage": first.code},
    )
    return internship


def stage_facts(internship: Internship, on: dt.date) -> rules.StayFacts:
    """What the stage rules need to know about this intern on ``on`` (a handful of queries)."""
    passed = frozenset(
        Exam.objects.filter(
            internship=internship, result=ExamResult.PASSED, taken_on__lte=on
        ).values_list("exam_type__code", flat=True)
    )
    leaves = tuple(
        rules.Leave(left, back)
        for left, back in HomeLeave.objects.filter(internship=internship).values_list(
            "left_on", "returned_on"
        )
    )
    excellent = set(
        ExcellentStanding.objects.filter(
            organisation_id__in=[
                internship.supervising_organisation_id,
                internship.host_company_id,
            ],
            granted_on__lte=on,
        )
        .exclude(expires_on__lte=on)
        .values_list("organisation_id", flat=True)
    )
    assert internship.stage is not None and internship.stage_started_on is not None  # noqa: S101
    return rules.StayFacts(
        stage_number=internship.stage.number,
        stage_started_on=internship.stage_started_on,
        passed_exams=passed,
        trade_stage3_eligible=internship.trade.stage3_eligible,
        home_leaves=leaves,
        supervisor_excellent=internship.supervising_organisation_id in excellent,
        host_excellent=internship.host_company_id is not None
        and internship.host_company_id in excellent,
    )


def stage_rules_of(programme_id: int) -> tuple[list[rules.StageRule], dict[str, str]]:
    stages = Stage.objects.filter(programme_id=programme_id).prefetch_related("required_exams")
    exam_names = {e.code: e.name for e in ExamType.objects.all()}
    return [
        rules.StageRule(
            number=s.number,
            code=s.code,
            name=s.name,
            duration_months=s.duration_months,
            required_exams=tuple(e.code for e in s.required_exams.all()),
            requires_eligible_trade=s.requires_eligible_trade,
            min_home_leave_days=s.min_home_leave_days,
            requires_excellent_organisations=s.requires_excellent_organisations,
            early_entry_days=s.early_entry_days,
        )
        for s in stages
    ], exam_names


def next_stage_check(internship: Internship, on: dt.date) -> rules.Decision:
    if internship.stage is None or internship.stage_started_on is None:
        return rules.Decision(
            None,
            (
                rules.Reason(
                    "arrival",
                    "The intern's arrival has not been recorded yet.",
                    "Kedatangan pemagang belum dicatat.",
                ),
            ),
        )
    stage_list, exam_names = stage_rules_of(internship.stage.programme_id)
    return rules.check_next_stage(
        stages=stage_list, facts=stage_facts(internship, on), on=on, exam_names=exam_names
    )


@transaction.atomic
def internship_next_stage(
    *, internship: Internship, on: dt.date, by: User | None, source: str = Source.WEB
) -> Internship:
    """Move to the programme's next stage if its rules allow it on ``on``; otherwise refuse
    with every unmet rule in words."""
    internship = _lock(internship)
    if internship.application.status != Status.IN_JAPAN:
        raise ValidationError(_("Only an intern in Japan moves to the next stage."))
    _check_day(internship, on, label=_("The next stage"))
    decision = next_stage_check(internship, on)
    if not decision.allowed or decision.stage is None:
        raise ValidationError([reason_text(r) for r in decision.reasons])
    stage = Stage.objects.get(
        programme_id=internship.stage.programme_id,  # type: ignore[union-attr]
        number=decision.stage.number,
    )
    previous = internship.stage
    internship.stage = stage
    internship.stage_started_on = on
    internship.save(update_fields=["stage", "stage_started_on", "updated_at"])
    _event(internship, StayEventKind.STAGE, on=on, by=by, source=source, stage=stage)
    audit_record(
        actor=by,
        action="internships.next_stage",
        obj=internship,
        changes={"from": previous.code if previous else None, "to": stage.code},
    )
    return internship


@transaction.atomic
def exam_record(
    *,
    internship: Internship,
    exam_type: ExamType,
    taken_on: dt.date,
    result: str,
    score: Decimal | None = None,
    certificate_number: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Exam:
    """Record an exam result; the same exam on the same day is corrected, not duplicated."""
    internship = _lock(internship)
    if result not in ExamResult.values:
        raise ValidationError(_("Unknown exam result: %(result)s") % {"result": result})
    _check_day(internship, taken_on, label=_("The exam"))
    exam, created = Exam.objects.get_or_create(
        internship=internship,
        exam_type=exam_type,
        taken_on=taken_on,
        defaults={
            "result": result,
            "score": score,
            "certificate_number": certificate_number,
            "recorded_by": by,
            "source": source,
        },
    )
    before = {"result": exam.result, "score": str(exam.score)}
    if not created:
        exam.result, exam.score, exam.certificate_number = result, score, certificate_number
        exam.recorded_by, exam.source = by, source
    exam.full_clean()
    exam.save()
    audit_record(
        actor=by,
        action="internships.exam_record",
        obj=internship,
        changes={
            "exam": exam_type.code,
            "taken_on": str(taken_on),
            "result": result,
            "score": str(score),
            **({} if created else {"before": before}),
        },
    )
    return exam


@transaction.atomic
def home_leave_record(
    *,
    internship: Internship,
    left_on: dt.date,
    returned_on: dt.date | None,
    by: User | None,
) -> HomeLeave:
    """A temporary return home; recording the same departure again adds the return date."""
    internship = _lock(internship)
    _check_day(internship, left_on, label=_("The temporary return"))
    if returned_on is not None and returned_on <= left_on:
        raise ValidationError(_("The return to Japan must be after leaving."))
    leave, _created = HomeLeave.objects.get_or_create(internship=internship, left_on=left_on)
    leave.returned_on = returned_on
    leave.full_clean()
    leave.save()
    audit_record(
        actor=by,
        action="internships.home_leave",
        obj=internship,
        changes={"left_on": str(left_on), "returned_on": str(returned_on)},
    )
    return leave


def _transfer_check(
    internship: Internship,
    company: Organisation,
    *,
    reason: str,
    on: dt.date,
    placement: HostPlacement | None,
    settings: Callable[[], StayRules],
) -> None:
    """Whether the intern may move to ``company`` on ``on``: the rules of a transfer, one by
    one or in a batch. ``settings`` is asked for only when the rules need the programme's."""
    if reason not in TransferReason.values:
        raise ValidationError(_("Choose a reason for the transfer."))
    if company.kind != Organisation.Kind.HOST_COMPANY or not company.is_active:
        raise ValidationError(_("The new company must be an active host company."))
    if company.pk == internship.host_company_id:
        raise ValidationError(_("The intern is already at this company."))
    _check_day(internship, on, label=_("The transfer"))
    if reason == TransferReason.OWN_WISH:
        after = settings().own_wish_transfer_after_months
        start = internship.arrived_on or internship.departed_on
        if after is None:
            raise ValidationError(_("This programme allows no transfer at the intern's own wish."))
        if on < rules.add_months(start, after):
            raise ValidationError(
                _("A transfer at the intern's own wish is allowed from %(day)s.")
                % {"day": rules.add_months(start, after)}
            )
    if placement is not None and on < placement.started_on:
        raise ValidationError(
            _("The transfer cannot be before the current placement began (%(day)s).")
            % {"day": placement.started_on}
        )


def _early_return_check(reason: str) -> None:
    if reason not in EarlyReturnReason.values:
        raise ValidationError(_("Choose a reason for the early return."))


@transaction.atomic
def internship_transfer(
    *,
    internship: Internship,
    to_company: Organisation,
    on: dt.date,
    reason: str,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    """Move the intern to another host company (in Japan -> in Japan), keeping the old
    placement in the history."""
    internship = _lock(internship)
    current = _open_placement(internship)
    _transfer_check(
        internship,
        to_company,
        reason=reason,
        on=on,
        placement=current,
        settings=lambda: stay_rules(internship.application.round.programme),
    )
    journey = _advance(
        internship,
        Status.IN_JAPAN,
        by=by,
        on=on,
        reason=_("Transfer to %(company)s") % {"company": to_company},
    )
    _close_placement(internship, on, reason, current)
    HostPlacement.objects.create(
        internship=internship,
        host_company=to_company,
        prefecture_id=to_company.prefecture_id or internship.prefecture_id,
        started_on=on,
    )
    old = internship.host_company_id
    internship.host_company = to_company
    internship.prefecture_id = to_company.prefecture_id or internship.prefecture_id
    internship.save(update_fields=["host_company", "prefecture", "updated_at"])
    monitoring.duties_move(internship=internship)
    _event(
        internship,
        StayEventKind.TRANSFER,
        on=on,
        by=by,
        source=source,
        journey=journey,
        reason=reason,
        note=note,
        host_company=to_company,
    )
    audit_record(
        actor=by,
        action="internships.transfer",
        obj=internship,
        changes={"from": old, "to": to_company.pk, "reason": reason},
        reason=note,
    )
    return internship


def _end(
    internship: Internship,
    *,
    to: Status,
    end_reason: EndReason,
    kind: StayEventKind,
    on: dt.date,
    by: User | None,
    source: str,
    reason: str = "",
    note: str = "",
    journey_reason: str,
) -> Internship:
    _check_day(internship, on, label=_("The date"))
    journey = _advance(internship, to, by=by, reason=journey_reason, on=on)
    internship.ended_on = on
    internship.end_reason = end_reason
    if to == Status.EARLY_RETURN:
        internship.early_return_reason = reason
    # No full_clean(): it costs a query per foreign key and constraint, and partner batches
    # end hundreds of stays at once. The date is checked above; the database enforces the rest.
    internship.save(update_fields=["ended_on", "end_reason", "early_return_reason", "updated_at"])
    HostPlacement.objects.filter(internship=internship, ended_on__isnull=True).update(
        ended_on=Greatest(Value(on), F("started_on"))
    )
    monitoring.duties_cancel(internship=internship)
    _event(internship, kind, on=on, by=by, source=source, journey=journey, reason=reason, note=note)
    audit_record(
        actor=by,
        action=f"internships.{kind}",
        obj=internship,
        changes={"on": str(on), "reason": reason},
        reason=note,
    )
    return internship


@transaction.atomic
def internship_early_return(
    *,
    internship: Internship,
    on: dt.date,
    reason: str,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    internship = _lock(internship)
    _early_return_check(reason)
    return _end(
        internship,
        to=Status.EARLY_RETURN,
        end_reason=EndReason.EARLY_RETURN,
        kind=StayEventKind.EARLY_RETURN,
        on=on,
        by=by,
        source=source,
        reason=reason,
        note=note,
        journey_reason=_("Early return: %(reason)s") % {"reason": EarlyReturnReason(reason).label},
    )


@transaction.atomic
def internship_missing(
    *,
    internship: Internship,
    on: dt.date,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    """The host company's notification that training can no longer continue: the intern is
    missing from ``on``; monitoring stops until they are found."""
    internship = _lock(internship)
    return _end(
        internship,
        to=Status.MISSING,
        end_reason=EndReason.MISSING,
        kind=StayEventKind.MISSING,
        on=on,
        by=by,
        source=source,
        note=note,
        journey_reason=_("Host company notified that training can no longer continue"),
    )


@transaction.atomic
def internship_found(
    *,
    internship: Internship,
    on: dt.date,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    """A missing intern is found again and resumes training at their host company."""
    internship = _lock(internship)
    if internship.ended_on is not None and on < internship.ended_on:
        raise ValidationError(
            _("Found again cannot be before going missing (%(day)s).")
            % {"day": internship.ended_on}
        )
    _check_day(internship, on, label=_("The date"))
    journey = _advance(internship, Status.IN_JAPAN, by=by, reason=_("Found again"), on=on)
    internship.ended_on = None
    internship.end_reason = ""
    internship.save(update_fields=["ended_on", "end_reason", "updated_at"])
    if internship.host_company_id is not None:
        HostPlacement.objects.create(
            internship=internship,
            host_company_id=internship.host_company_id,
            prefecture_id=internship.prefecture_id,
            started_on=on,
        )
    monitoring.duties_schedule(
        internship=internship, rules=stay_rules(internship.application.round.programme), after=on
    )
    _event(internship, StayEventKind.FOUND, on=on, by=by, source=source, journey=journey, note=note)
    audit_record(
        actor=by, action="internships.found", obj=internship, changes={"on": str(on)}, reason=note
    )
    return internship


@transaction.atomic
def internship_complete(
    *,
    internship: Internship,
    on: dt.date,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    internship = _lock(internship)
    return _end(
        internship,
        to=Status.COMPLETED,
        end_reason=EndReason.COMPLETED,
        kind=StayEventKind.COMPLETED,
        on=on,
        by=by,
        source=source,
        note=note,
        journey_reason=_("Internship completed"),
    )


# --- Many stays at once (partner batches) ------------------------------------------------------


def refused(outcome: Sequence[object]) -> set[int]:
    return {i for i, o in enumerate(outcome) if isinstance(o, ValidationError)}


BULK_KINDS = ("transfer", "early_return", "missing", "completed", "home_leave")


@dataclass(frozen=True)
class StayChange:
    """One change for ``stay_changes_bulk``: ``kind`` is one of ``BULK_KINDS``; ``on`` is the
    effective day (the day of leaving for a temporary return home)."""

    internship: Internship
    kind: str
    on: dt.date
    reason: str = ""
    note: str = ""
    to_company: Organisation | None = None
    returned_on: dt.date | None = None


_ENDS = {
    "early_return": (Status.EARLY_RETURN, EndReason.EARLY_RETURN, StayEventKind.EARLY_RETURN),
    "missing": (Status.MISSING, EndReason.MISSING, StayEventKind.MISSING),
    "completed": (Status.COMPLETED, EndReason.COMPLETED, StayEventKind.COMPLETED),
}


def _bulk_check(
    change: StayChange,
    internship: Internship,
    placement: HostPlacement | None,
    settings: StayRules,
) -> tuple[Status | None, str]:
    """The checks of the one-by-one service for ``change`` (the same functions, in the same
    order), without writing; returns the journey move it needs (status, reason)."""
    on = change.on
    if change.kind == "transfer":
        company = change.to_company
        assert company is not None  # noqa: S101 - the caller refuses a transfer without one
        _transfer_check(
            internship,
            company,
            reason=change.reason,
            on=on,
            placement=placement,
            settings=lambda: settings,
        )
        return Status.IN_JAPAN, _("Transfer to %(company)s") % {"company": company}
    if change.kind == "home_leave":
        _check_day(internship, on, label=_("The temporary return"))
        if change.returned_on is not None and change.returned_on <= on:
            raise ValidationError(_("The return to Japan must be after leaving."))
        return None, ""
    if change.kind == "early_return":
        _early_return_check(change.reason)
        _check_day(internship, on, label=_("The date"))
        label = EarlyReturnReason(change.reason).label
        return Status.EARLY_RETURN, _("Early return: %(reason)s") % {"reason": label}
    if change.kind == "missing":
        _check_day(internship, on, label=_("The date"))
        return Status.MISSING, _("Host company notified that training can no longer continue")
    if change.kind == "completed":
        _check_day(internship, on, label=_("The date"))
        return Status.COMPLETED, _("Internship completed")
    raise ValidationError(_("Unknown action: %(action)s") % {"action": change.kind})


@transaction.atomic
def stay_changes_bulk(
    *, changes: Sequence[StayChange], by: User | None, source: str = Source.WEB
) -> list[Internship | ValidationError]:
    """Transfers, early returns, missing, completions and temporary returns home for many
    interns (each at most once) with the same checks, messages and rows as the one-by-one
    services (``internship_transfer``, ``internship_early_return``, ``internship_missing``,
    ``internship_complete``, ``home_leave_record``), in a number of queries that does not
    grow with the number of changes: everything is read in a few queries, checked in Python
    and written in bulk. Returns, per change in order, the changed internship or the error
    that refused it (a refused change writes nothing)."""
    from magang.core.models import AuditEntry
    from magang.recruitment.services import AdvanceMove, applications_advance_bulk

    if not changes:
        return []
    ids = [c.internship.pk for c in changes]
    if len(set(ids)) != len(ids):
        raise ValueError("stay_changes_bulk takes each internship at most once.")
    locked = {
        i.pk: i
        for i in Internship.objects.select_for_update(of=("self",))
        .select_related("application__round__programme", "host_company", "prefecture")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    transfers = [c.internship.pk for c in changes if c.kind == "transfer"]
    placements = {
        p.internship_id: p
        for p in HostPlacement.objects.filter(internship_id__in=transfers, ended_on__isnull=True)
    }
    programmes = {locked[pk].application.round.programme_id for pk in transfers if pk in locked}
    settings_of = {s.programme_id: s for s in StayRules.objects.filter(programme_id__in=programmes)}
    leaves_wanted = [(c.internship.pk, c.on) for c in changes if c.kind == "home_leave"]
    leaves = {
        (h.internship_id, h.left_on): h
        for h in HomeLeave.objects.filter(
            internship_id__in=[pk for pk, _day in leaves_wanted],
            left_on__in={day for _pk, day in leaves_wanted},
        )
    }

    outcome: list[Internship | ValidationError] = []
    moves: list[tuple[int, AdvanceMove]] = []
    for index, change in enumerate(changes):
        found = locked.get(change.internship.pk)
        if found is None:  # deleted since the caller read it
            outcome.append(ValidationError(_("This internship no longer exists.")))
            continue
        internship = found
        placement = placements.get(internship.pk)
        if placement is None and change.kind == "transfer" and internship.host_company_id:
            placement = HostPlacement(  # as _open_placement: the first one, saved below
                internship=internship,
                host_company_id=internship.host_company_id,
                prefecture_id=internship.prefecture_id,
                started_on=internship.arrived_on or internship.departed_on,
            )
            placements[internship.pk] = placement
        programme = internship.application.round.programme
        settings = settings_of.get(programme.pk) or StayRules(programme=programme)
        try:
            to, journey_reason = _bulk_check(change, internship, placement, settings)
        except ValidationError as exc:
            outcome.append(exc)
            continue
        outcome.append(internship)
        if to is not None:
            moves.append(
                (
                    index,
                    AdvanceMove(internship.application_id, to, journey_reason, change.on),
                )
            )
    advanced = applications_advance_bulk(moves=[m for _i, m in moves], by=by)
    journey: dict[int, JourneyEvent] = {}
    for (index, _move), result in zip(moves, advanced, strict=True):
        if isinstance(result, InvalidTransition):
            outcome[index] = ValidationError(
                _("Not possible while the intern's status is '%(status)s'.")
                % {"status": result.current.value}
            )
        else:
            journey[index] = result

    now = timezone.now()
    bad = refused(outcome)
    moving = {
        c.to_company.prefecture_id
        for i, c in enumerate(changes)
        if c.to_company is not None and c.to_company.prefecture_id and i not in bad
    }
    prefectures = Prefecture.objects.in_bulk(moving) if moving else {}
    updated: dict[str, list[Internship]] = {"transfer": [], "end": []}
    close: list[HostPlacement] = []
    create: list[HostPlacement] = []
    ended_on: dict[int, dt.date] = {}
    new_leaves: list[HomeLeave] = []
    old_leaves: list[HomeLeave] = []
    events: list[StayEvent] = []
    audits: list[AuditEntry] = []

    def audit(internship: Internship, action: str, changes: dict[str, Any], note: str) -> None:
        audits.append(
            AuditEntry(
                actor_id=by.pk if by is not None else None,
                action=action,
                object_type=internship._meta.label_lower,
                object_id=str(internship.pk),
                object_repr=str(internship)[:200],
                changes=changes,
                reason=note,
            )
        )

    for index, change in enumerate(changes):
        done = outcome[index]
        if not isinstance(done, Internship):
            continue
        internship = done
        on, event = change.on, journey.get(index)
        if change.kind == "home_leave":
            leave = leaves.get((internship.pk, on))
            if leave is None:
                new_leaves.append(
                    HomeLeave(internship=internship, left_on=on, returned_on=change.returned_on)
                )
            else:
                leave.returned_on, leave.updated_at = change.returned_on, now
                old_leaves.append(leave)
            audit(
                internship,
                "internships.home_leave",
                {"left_on": str(on), "returned_on": str(change.returned_on)},
                "",
            )
            continue
        internship.application.status = event.to_status if event else internship.application.status
        if change.kind == "transfer":
            company = change.to_company
            assert company is not None  # noqa: S101
            current = placements.get(internship.pk)
            if current is not None:
                current.ended_on = max(on, current.started_on)
                current.end_reason = change.reason
                (create if current.pk is None else close).append(current)
            create.append(
                HostPlacement(
                    internship=internship,
                    host_company=company,
                    prefecture_id=company.prefecture_id or internship.prefecture_id,
                    started_on=on,
                )
            )
            old = internship.host_company_id
            internship.host_company = company
            if company.prefecture_id:
                internship.prefecture = prefectures[company.prefecture_id]
            internship.updated_at = now
            updated["transfer"].append(internship)
            kind = StayEventKind.TRANSFER
            audit(
                internship,
                "internships.transfer",
                {"from": old, "to": company.pk, "reason": change.reason},
                change.note,
            )
        else:
            to, end_reason, kind = _ENDS[change.kind]
            internship.ended_on = on
            internship.end_reason = end_reason
            if to == Status.EARLY_RETURN:
                internship.early_return_reason = change.reason
            internship.updated_at = now
            updated["end"].append(internship)
            ended_on[internship.pk] = on
            audit(
                internship,
                f"internships.{kind}",
                {"on": str(on), "reason": change.reason},
                change.note,
            )
        events.append(
            StayEvent(
                internship=internship,
                kind=kind,
                effective_on=on,
                reason=change.reason,
                note=change.note,
                host_company=change.to_company if change.kind == "transfer" else None,
                journey_event=event,
                actor=by,
                source=source,
            )
        )

    if updated["end"]:
        Internship.objects.bulk_update(
            updated["end"], ["ended_on", "end_reason", "early_return_reason", "updated_at"]
        )
        HostPlacement.objects.filter(internship_id__in=ended_on, ended_on__isnull=True).update(
            ended_on=Greatest(
                Case(
                    *(When(internship_id=pk, then=Value(day)) for pk, day in ended_on.items()),
                    output_field=DateField(),
                ),
                F("started_on"),
            )
        )
        MonitoringDuty.objects.filter(internship_id__in=ended_on, status=DutyStatus.OPEN).update(
            status=DutyStatus.CANCELLED
        )
    if updated["transfer"]:
        if close:
            HostPlacement.objects.bulk_update(close, ["ended_on", "end_reason"])
        HostPlacement.objects.bulk_create(create)
        Internship.objects.bulk_update(
            updated["transfer"], ["host_company", "prefecture", "updated_at"]
        )
        moved = [i.pk for i in updated["transfer"]]
        MonitoringDuty.objects.filter(internship_id__in=moved, status=DutyStatus.OPEN).update(
            host_company_id=Subquery(
                Internship.objects.filter(pk=OuterRef("internship_id")).values("host_company_id")
            )
        )
    if old_leaves:
        HomeLeave.objects.bulk_update(old_leaves, ["returned_on", "updated_at"])
    if new_leaves:
        HomeLeave.objects.bulk_create(new_leaves)
    if events:
        StayEvent.objects.bulk_create(events)
    if audits:
        AuditEntry.objects.bulk_create(audits)
    return outcome
