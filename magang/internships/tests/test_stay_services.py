"""The stay's services: journey, ended_on/end_reason, placements, stages, monitoring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from magang import factories as f
from magang.accounts.models import Organisation
from magang.internships.models import (
    DutyStatus,
    EndReason,
    ExamType,
    ExcellentStanding,
    HostPlacement,
    Internship,
    MonitoringDuty,
    Stage,
    StayEvent,
    StayRules,
)
from magang.internships.services import monitoring
from magang.internships.services import stay as services
from magang.recruitment.models import JourneyEvent, RecruitmentRound

from .stay_fixtures import Stay, stay_fixture  # noqa: F401

D = dt.date
pytestmark = pytest.mark.django_db


def arrive(s: Stay, internship: Internship | None = None) -> Internship:
    return services.internship_arrive(
        internship=internship or s.jabar,
        arrived_on=D(2022, 3, 2),
        centre="IM Japan Chiba",
        by=s.cast.partner,
    )


def status(internship: Internship) -> str:
    internship.application.refresh_from_db()
    return internship.application.status


def test_it_records_arrival_with_stage_one_collective_training_and_duties(stay: Stay) -> None:
    i = arrive(stay)
    assert status(i) == "in_japan"
    assert i.stage is not None and i.stage.number == 1 and i.stage_started_on == D(2022, 3, 2)
    assert i.collective_training_until == D(2022, 4, 1)
    duties = {d.kind: d for d in MonitoringDuty.objects.filter(internship=i)}
    assert duties["visit"].due_on == D(2022, 4, 2) and duties["audit"].due_on == D(2022, 6, 2)
    assert duties["visit"].overdue_from == D(2022, 4, 9)
    assert HostPlacement.objects.get(internship=i).host_company == stay.cast.host_company
    assert StayEvent.objects.get(internship=i).kind == "arrival"


def test_stage_two_is_refused_without_the_exam_and_nothing_changes(stay: Stay) -> None:
    i = arrive(stay)
    with pytest.raises(ValidationError, match="Basic grade skills test"):
        services.internship_next_stage(internship=i, on=D(2023, 3, 2), by=stay.cast.partner)
    i.refresh_from_db()
    assert i.stage is not None and i.stage.number == 1


def test_the_full_titp_route_to_stage_three(stay: Stay) -> None:
    i = arrive(stay)
    basic = ExamType.objects.get(code="titp-basic")
    grade3 = ExamType.objects.get(code="titp-grade3")
    services.exam_record(
        internship=i,
        exam_type=basic,
        taken_on=D(2023, 1, 20),
        result="passed",
        by=stay.cast.partner,
    )
    services.internship_next_stage(internship=i, on=D(2023, 3, 2), by=stay.cast.partner)
    services.exam_record(
        internship=i,
        exam_type=grade3,
        taken_on=D(2024, 12, 1),
        result="passed",
        by=stay.cast.partner,
    )
    services.home_leave_record(
        internship=i, left_on=D(2025, 1, 20), returned_on=D(2025, 2, 25), by=stay.cast.partner
    )
    with pytest.raises(ValidationError) as refused:
        services.internship_next_stage(internship=i, on=D(2025, 3, 2), by=stay.cast.partner)
    assert "excellent" in " ".join(refused.value.messages)
    for org in (stay.cast.imjapan, stay.cast.host_company):
        ExcellentStanding.objects.create(organisation=org, granted_on=D(2024, 1, 1))
    i = services.internship_next_stage(internship=i, on=D(2025, 3, 2), by=stay.cast.partner)
    assert i.stage is not None and i.stage.number == 3


def test_transfer_keeps_the_history_and_moves_the_duties(stay: Stay) -> None:
    i = arrive(stay)
    i = services.internship_transfer(
        internship=i,
        to_company=stay.cast.host_company_other,
        on=D(2022, 9, 1),
        reason="company_closure",
        note="Factory closed",
        by=stay.cast.partner,
    )
    assert status(i) == "in_japan"
    assert i.host_company == stay.cast.host_company_other and i.prefecture.code == "23"
    placements = list(HostPlacement.objects.filter(internship=i))
    assert [(p.host_company.name, p.ended_on) for p in placements] == [
        ("Sendai Seiko", D(2022, 9, 1)),
        ("Nagoya Kogyo", None),
    ]
    assert set(
        MonitoringDuty.objects.filter(internship=i, status="open").values_list(
            "host_company", flat=True
        )
    ) == {stay.cast.host_company_other.pk}
    assert (
        JourneyEvent.objects.filter(
            application=i.application, to_status="in_japan", from_status="in_japan"
        ).count()
        == 1
    )


def test_own_wish_transfer_follows_the_programme_rules(stay: Stay) -> None:
    i = arrive(stay)
    with pytest.raises(ValidationError, match="no transfer at the intern's own wish"):
        services.internship_transfer(
            internship=i,
            to_company=stay.cast.host_company_other,
            on=D(2023, 9, 1),
            reason="own_wish",
            by=stay.cast.partner,
        )
    assert HostPlacement.objects.filter(internship=i).count() == 1


def test_a_transfer_needs_a_host_company(stay: Stay) -> None:
    i = arrive(stay)
    with pytest.raises(ValidationError, match="active host company"):
        services.internship_transfer(
            internship=i,
            to_company=stay.cast.imjapan,
            on=D(2022, 9, 1),
            reason="other",
            by=stay.cast.partner,
        )


def test_early_return_ends_the_stay_for_the_statistics(stay: Stay) -> None:
    i = arrive(stay)
    i = services.internship_early_return(
        internship=i, on=D(2022, 10, 1), reason="health", by=stay.cast.partner
    )
    assert status(i) == "early_return"
    assert (i.ended_on, i.end_reason, i.early_return_reason) == (
        D(2022, 10, 1),
        EndReason.EARLY_RETURN,
        "health",
    )
    assert not MonitoringDuty.objects.filter(internship=i, status="open").exists()


def test_an_unknown_early_return_reason_is_refused(stay: Stay) -> None:
    i = arrive(stay)
    with pytest.raises(ValidationError, match="reason"):
        services.internship_early_return(
            internship=i, on=D(2022, 10, 1), reason="bored", by=stay.cast.partner
        )
    assert status(i) == "in_japan"


def test_missing_then_found_again_then_completed(stay: Stay) -> None:
    i = arrive(stay)
    i = services.internship_missing(internship=i, on=D(2022, 7, 1), by=stay.cast.host)
    assert (status(i), i.ended_on, i.end_reason) == ("missing", D(2022, 7, 1), "missing")
    assert not MonitoringDuty.objects.filter(internship=i, status="open").exists()
    i = services.internship_found(internship=i, on=D(2022, 8, 15), by=stay.cast.partner)
    assert (status(i), i.ended_on, i.end_reason) == ("in_japan", None, "")
    visit = MonitoringDuty.objects.get(internship=i, status="open", kind="visit")
    assert visit.due_on == D(2022, 9, 2)
    i = services.internship_complete(internship=i, on=D(2025, 3, 1), by=stay.cast.partner)
    assert (status(i), i.end_reason) == ("completed", EndReason.COMPLETED)
    with pytest.raises(ValidationError, match="status"):
        services.internship_missing(internship=i, on=D(2025, 3, 2), by=stay.cast.host)


def test_recording_a_visit_schedules_the_next(stay: Stay) -> None:
    i = arrive(stay)
    visit = MonitoringDuty.objects.get(internship=i, kind="visit", status="open")
    monitoring.duty_record(duty=visit, done_on=D(2022, 4, 3), note="All well", by=stay.cast.partner)
    visit.refresh_from_db()
    assert visit.status == DutyStatus.DONE
    nxt = MonitoringDuty.objects.get(internship=i, kind="visit", status="open")
    assert (nxt.sequence, nxt.due_on) == (2, D(2022, 5, 2))
    with pytest.raises(ValidationError, match="already closed"):
        monitoring.duty_record(duty=visit, done_on=D(2022, 4, 4), by=stay.cast.partner)


def test_exams_are_corrected_not_duplicated(stay: Stay) -> None:
    i = arrive(stay)
    basic = ExamType.objects.get(code="titp-basic")
    for result in ("failed", "passed"):
        services.exam_record(
            internship=i,
            exam_type=basic,
            taken_on=D(2023, 1, 20),
            result=result,
            by=stay.cast.partner,
        )
    assert list(i.exams.values_list("result", flat=True)) == ["passed"]


def test_dates_before_departure_are_refused(stay: Stay) -> None:
    with pytest.raises(ValidationError, match="before departure"):
        services.internship_arrive(internship=stay.jabar, arrived_on=D(2022, 2, 1), by=None)
    assert status(stay.jabar) == "departed"


def test_esd_is_new_rows_not_new_code(stay: Stay) -> None:
    """Japan's 2027 Employment for Skill Development: 3 years aiming at SSW level, Japanese A1
    before work and A2 to move on, transfers at the intern's own wish after a year."""
    esd = f.ProgrammeFactory(
        code="esd",
        name="Employment for Skill Development",
        duration_months=36,
        max_duration_months=36,
        valid_from=D(2027, 4, 1),
    )
    StayRules.objects.create(
        programme=esd, own_wish_transfer_after_months=12, visits_for_months=6, audit_every_months=6
    )
    a2 = ExamType.objects.create(code="jp-a2", name="Japanese A2")
    skills = ExamType.objects.create(code="esd-skills", name="ESD skills test")
    Stage.objects.create(
        programme=esd, number=1, code="esd-1", name="ESD years 1-3", duration_months=36
    )
    ssw = Stage.objects.create(
        programme=esd,
        number=2,
        code="esd-ssw",
        name="Move to SSW",
        duration_months=60,
        early_entry_days=60,
    )
    ssw.required_exams.set([a2, skills])
    round_ = RecruitmentRound.objects.create(
        programme=esd,
        code="esd-2022",
        name="ESD",
        year=2022,
        opens_on=D(2022, 1, 1),
        closes_on=D(2022, 2, 1),
        reference_date=D(2022, 1, 1),
    )
    app = stay.jabar.application
    app.round = round_
    app.save(update_fields=["round"])
    i = arrive(stay)
    assert i.stage == Stage.objects.get(code="esd-1")
    assert MonitoringDuty.objects.get(internship=i, kind="audit").due_on == D(2022, 9, 2)
    i = services.internship_transfer(
        internship=i,
        to_company=stay.cast.host_company_other,
        on=D(2023, 3, 2),
        reason="own_wish",
        by=stay.cast.partner,
    )
    services.exam_record(
        internship=i, exam_type=a2, taken_on=D(2024, 6, 1), result="passed", by=stay.cast.partner
    )
    with pytest.raises(ValidationError, match="ESD skills test"):
        services.internship_next_stage(internship=i, on=D(2025, 1, 10), by=stay.cast.partner)
    services.exam_record(
        internship=i,
        exam_type=skills,
        taken_on=D(2024, 12, 1),
        result="passed",
        by=stay.cast.partner,
    )
    i = services.internship_next_stage(internship=i, on=D(2025, 1, 10), by=stay.cast.partner)
    assert i.stage is not None and i.stage.code == "esd-ssw"
    i = services.internship_complete(internship=i, on=D(2026, 6, 1), by=stay.cast.partner)
    assert status(i) == "completed"


def test_unknown_company_kind_is_not_a_host(stay: Stay) -> None:
    union = f.OrganisationFactory(kind=Organisation.Kind.UNION, name="Union")
    i = arrive(stay)
    with pytest.raises(ValidationError):
        services.internship_transfer(
            internship=i, to_company=union, on=D(2022, 9, 1), reason="other", by=stay.cast.partner
        )
