"""Stages, exams and temporary returns home of one internship: what the stage rules (the
pure ``magang.internships.stages``) need to know, the move to the next stage, exam results
and home leave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.journey import Status

from ... import stages as rules
from ...models import (
    Exam,
    ExamResult,
    ExamType,
    ExcellentStanding,
    HomeLeave,
    Internship,
    Source,
    Stage,
    StayEventKind,
)
from .helpers import _check_day, _event, _lock


def reason_text(reason: rules.Reason) -> str:
    return reason.text_id if (get_language() or "id").startswith("id") else reason.text_en


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
