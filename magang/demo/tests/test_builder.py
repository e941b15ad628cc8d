"""Building a small demo in the database, and the command that runs it."""

from __future__ import annotations

import io
from collections import defaultdict
from itertools import pairwise

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from magang import factories as f
from magang.accounts.models import Membership, Organisation, Role, User
from magang.core.models import AuditEntry
from magang.demo.builder import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoRefused,
    DemoResult,
    demo_build,
)
from magang.demo.catalogue import CENTRAL_TRAINING_CENTRE
from magang.demo.models import DemoBuild
from magang.demo.plan import AS_OF, DEPARTED_BY
from magang.internships.models import Internship
from magang.recruitment.journey import INITIAL, Status, check_transition
from magang.recruitment.models import Application, Candidate, JourneyEvent
from magang.reference.services import reference_load_all
from magang.training.models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    BedAssignment,
    Category,
    Cohort,
    DisciplineRecord,
    Enrolment,
    EnrolmentState,
    Score,
    Session,
    TrainingStage,
    default_alert_rules,
    default_readiness_rules,
)
from magang.training.services.readiness import cohort_alerts, cohort_readiness

pytestmark = pytest.mark.django_db

# The live moves go through the services, which date them today.
TODAY = timezone.localdate()
SCALE = 0.01


@pytest.fixture
def small_demo() -> DemoResult:
    reference_load_all()
    return demo_build(scale=SCALE, today=TODAY)


def test_it_builds_one_account_per_role(small_demo: DemoResult) -> None:
    assert small_demo.built
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account.username, password=DEMO_PASSWORD)
        assert user is not None, account.username
        memberships = list(Membership.objects.filter(user=user))
        if account.role == Role.CANDIDATE:
            assert memberships == []
            candidate = Candidate.objects.get(user=user)
            application = candidate.applications.get()
            assert application.round.year == 2026
            assert application.site.province.code == "32"
        else:
            assert [(m.role, m.organisation.name) for m in memberships] == [
                (account.role, account.organisation)
            ]
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser


def test_it_builds_the_organisations(small_demo: DemoResult) -> None:
    kinds = Organisation.Kind
    hosts = Organisation.objects.filter(kind=kinds.HOST_COMPANY)
    assert 140 <= hosts.count() <= 160
    imjapan = Organisation.objects.get(kind=kinds.SUPERVISING_ORGANISATION)
    assert imjapan.prefecture is not None and imjapan.prefecture.code == "13"
    assert not hosts.exclude(parent=imjapan).exists()
    assert not hosts.filter(staff_count=None).exists()
    assert hosts.filter(prefecture__code="04").count() >= 10
    offices = Organisation.objects.filter(kind=kinds.REGIONAL_OFFICE)
    assert offices.count() >= 10
    assert {"32", "33"} <= set(offices.values_list("province__code", flat=True))
    for kind in (kinds.UNION, kinds.ACADEMIC_INSTITUTION, kinds.ALUMNI_ASSOCIATION):
        assert Organisation.objects.filter(kind=kind).count() == 1
    assert Organisation.objects.filter(kind=kinds.TRAINING_CENTRE, short_name="BBPVP Bekasi")


def test_it_hits_the_scaled_figures(small_demo: DemoResult) -> None:
    departed = Internship.objects.filter(departed_on__lte=DEPARTED_BY).count()
    in_japan = Internship.objects.filter(departed_on__lte=AS_OF).exclude(ended_on__lte=AS_OF)
    assert departed == round(52_440 * SCALE)
    assert in_japan.count() == round(6_365 * SCALE)
    assert small_demo.counts["in_japan_today"] > 0
    host = Organisation.objects.get(memberships__user__username="host")
    assert host.prefecture is not None and host.prefecture.code == "04"
    assert Internship.objects.filter(host_company=host, ended_on=None).exists()


def test_it_gives_every_application_a_valid_journey(small_demo: DemoResult) -> None:
    events = defaultdict(list)
    for event in JourneyEvent.objects.order_by("application_id", "recorded_at", "id"):
        events[event.application_id].append(event)
    applications = list(Application.objects.all())
    assert len(applications) == small_demo.counts["applications"]
    for application in applications:
        journey = events[application.pk]
        assert journey[0].from_status == "" and journey[0].to_status == INITIAL
        for before, after in pairwise(journey):
            assert after.from_status == before.to_status
            check_transition(after.from_status, after.to_status)
            assert before.effective_on <= after.effective_on
        assert journey[-1].to_status == application.status
    statuses = {application.status for application in applications}
    assert {"registered", "eligible", "in_selection", "in_training", "matched"} <= statuses
    assert {"in_japan", "returned", "early_return", "missing"} <= statuses


def test_it_matches_internships_to_their_applications(small_demo: DemoResult) -> None:
    expected = {"": "in_japan", "early_return": "early_return", "missing": "missing"}
    for internship in Internship.objects.select_related("application"):
        status = internship.application.status
        if internship.end_reason == "completed":
            assert status in ("completed", "returned")
        else:
            assert status == expected[internship.end_reason]


def test_it_records_actors_and_one_import_audit_row(small_demo: DemoResult) -> None:
    assert AuditEntry.objects.filter(action="demo.build").count() == 1
    assert AuditEntry.objects.filter(action="application.advance").exclude(actor=None).exists()
    assert JourneyEvent.objects.exclude(actor=None).exists()


def test_it_does_not_rebuild_an_existing_demo(small_demo: DemoResult) -> None:
    events = JourneyEvent.objects.count()
    again = demo_build(scale=SCALE, today=TODAY)
    assert not again.built
    assert again.counts == small_demo.counts
    assert DemoBuild.objects.count() == 1
    assert JourneyEvent.objects.count() == events


def test_it_rebuilds_the_same_demo_on_reset(small_demo: DemoResult) -> None:
    niks = set(Candidate.objects.values_list("nik", flat=True))
    again = demo_build(scale=SCALE, today=TODAY, reset=True)
    assert again.built
    assert DemoBuild.objects.count() == 1
    assert set(Candidate.objects.values_list("nik", flat=True)) == niks
    assert again.counts == small_demo.counts


def test_it_refuses_to_overwrite_data_that_is_not_the_demo() -> None:
    reference_load_all()
    f.UserFactory(username="someone")
    with pytest.raises(DemoRefused):
        demo_build(scale=SCALE, today=TODAY)
    assert User.objects.filter(username="someone").exists()


def test_it_prints_the_accounts_every_time() -> None:
    for _ in range(2):
        out = io.StringIO()
        call_command("demo", scale=SCALE, stdout=out)
        for account in DEMO_ACCOUNTS:
            assert account.username in out.getvalue()
        assert DEMO_PASSWORD in out.getvalue()
    assert "already exists" in out.getvalue()


@override_settings(MAGANG_ALLOW_DEMO=False)
def test_it_refuses_to_run_where_the_demo_is_not_allowed() -> None:
    with pytest.raises(CommandError, match="MAGANG_ALLOW_DEMO"):
        call_command("demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_it_plans_the_current_round_and_records_its_results(small_demo: DemoResult) -> None:
    from magang.demo.selection import COMPLETE_SITES
    from magang.selection.models import SelectionPlan, StageResult, StageResultChange
    from magang.selection.services import result_passes, result_value

    plan = SelectionPlan.objects.get(round__year=2026)
    assert plan.reserves_per_unit == 2
    assert plan.unit_kind == "site"
    seats = dict(plan.quotas.values_list("unit_key", "seats"))
    sites = set(Application.objects.filter(round=plan.round).values_list("site_id", flat=True))
    assert {str(pk) for pk in sites} <= set(seats)
    # Fewer seats than people in selection, so the ranking has to choose.
    in_selection = Application.objects.filter(round=plan.round, status="in_selection").count()
    assert 0 < sum(seats.values()) < in_selection / 5
    results = list(StageResult.objects.select_related("stage", "application__candidate"))
    assert len(results) == small_demo.counts["stage_results"] > 0
    for result in results:
        sex = result.application.candidate.sex
        assert result.passed == result_passes(result.stage, result_value(result), sex)
        assert result.application.status == "in_selection"
    assert any(r.stage.key == "medical" for r in results)
    last = {r.application_id: r for r in sorted(results, key=lambda r: r.stage.order)}
    for result in last.values():
        organiser = result.application.site.organisation.province
        if result.stage.key in ("medical", "japanese", "passport"):
            assert organiser is not None and organiser.code in COMPLETE_SITES
    mine = Application.objects.get(candidate__user__username="candidate")
    keys = set(StageResult.objects.filter(application=mine).values_list("stage__key", flat=True))
    assert keys == {"admin", "maths", "body", "endurance"}
    assert StageResultChange.objects.filter(result__application=mine).count() == 1
    assert (
        AuditEntry.objects.filter(
            action="selection.result_record", actor__username="officer.jabar"
        ).count()
        == 4
    )


def test_it_runs_a_stage_ii_cohort_at_the_central_centre(small_demo: DemoResult) -> None:
    cohort = Cohort.objects.select_related("centre", "curriculum").get()
    assert cohort.centre.name == CENTRAL_TRAINING_CENTRE.name
    assert cohort.stage == TrainingStage.CENTRAL
    assert cohort.starts_on <= TODAY <= cohort.ends_on
    curriculum = cohort.curriculum
    assert curriculum.readiness_rules == default_readiness_rules()
    assert curriculum.alert_rules == default_alert_rules()
    modules = list(curriculum.modules.all())
    assert {m.category for m in modules} == set(Category.values)
    (japanese,) = [m for m in modules if m.category == Category.JAPANESE]
    assert (japanese.weight, japanese.pass_mark) == (3, 60)
    assert all(m.planned_hours > 0 for m in modules)
    classes = list(cohort.classes.order_by("name"))
    assert classes[0].name == "A"
    assert classes[0].homeroom_trainer == User.objects.get(username="trainer")
    enrolments = list(Enrolment.objects.select_related("application", "training_class"))
    assert len(enrolments) == small_demo.counts["trainees_in_training"] > 0
    assert len(enrolments) <= cohort.capacity
    for enrolment in enrolments:
        assert enrolment.cohort_id == cohort.pk
        assert enrolment.state == EnrolmentState.ACTIVE
        assert enrolment.training_class is not None
        assert enrolment.training_class.cohort_id == cohort.pk
        assert enrolment.application.status == Status.IN_TRAINING
        assert enrolment.application.round_id == cohort.round_id
        assert cohort.starts_on <= enrolment.enrolled_on < TODAY
        checked = enrolment.medical_checked_on
        assert (enrolment.medical_passed is None) == (checked is None)
        assert checked is None or enrolment.enrolled_on <= checked < TODAY


def test_it_keeps_the_timetable_to_the_clash_and_roll_call_rules(small_demo: DemoResult) -> None:
    cohort = Cohort.objects.get()
    sessions = list(Session.objects.select_related("module").order_by("starts_at"))
    assert len(sessions) == small_demo.counts["training_sessions"] > 0
    busy: dict[tuple[str, object], list[Session]] = defaultdict(list)
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        assert cohort.starts_on <= day <= cohort.ends_on and day.weekday() < 5
        assert session.module.curriculum_id == cohort.curriculum_id
        assert (session.roll_taken_at is not None) == (day < TODAY)
        for key in (("trainer", session.trainer_id), ("room", session.room.lower())):
            for other in busy[key]:
                assert not (other.starts_at < session.ends_at and session.starts_at < other.ends_at)
            busy[key].append(session)
    # A roll call marks everyone in the class by then, once; nobody else, no other session.
    members = defaultdict(list)
    for enrolment in Enrolment.objects.all():
        members[enrolment.training_class_id].append(enrolment)
    marks = defaultdict(set)
    for mark in Attendance.objects.select_related("session"):
        marks[mark.session_id].add(mark.enrolment_id)
        assert mark.session.roll_taken_at is not None
        assert mark.status != AttendanceStatus.EXCUSED or mark.reason
        assert mark.recorded_at == mark.session.roll_taken_at <= timezone.now()
    assert sum(map(len, marks.values())) == small_demo.counts["attendance_marks"] > 0
    for session in sessions:
        if session.roll_taken_at is None:
            assert session.pk not in marks
            continue
        day = timezone.localtime(session.starts_at).date()
        expected = {e.pk for e in members[session.training_class_id] if e.enrolled_on <= day}
        assert marks[session.pk] == expected


def test_it_scores_held_assessments_within_their_scale(small_demo: DemoResult) -> None:
    cohort = Cohort.objects.get()
    assessments = list(Assessment.objects.filter(cohort=cohort).select_related("module"))
    assert {a.module.category for a in assessments} == set(Category.values)
    assert any(a.held_on > TODAY for a in assessments)  # still to come, not scored
    scores = list(Score.objects.select_related("assessment", "enrolment"))
    assert len(scores) == small_demo.counts["scores"] > 0
    for score in scores:
        assert 0 <= score.score <= score.assessment.max_score
        assert score.enrolment.enrolled_on <= score.assessment.held_on < TODAY
    below = [s for s in scores if s.score < s.assessment.module.pass_mark]
    assert below and len(below) < len(scores) / 2


def test_it_gives_every_trainee_a_bed_in_a_room_of_their_sex(small_demo: DemoResult) -> None:
    open_beds = BedAssignment.objects.filter(to_date__isnull=True).select_related(
        "bed__room__building", "enrolment__application__candidate", "enrolment__cohort"
    )
    by_enrolment = {a.enrolment_id: a for a in open_beds}
    active = Enrolment.objects.filter(state=EnrolmentState.ACTIVE)
    assert set(by_enrolment) == set(active.values_list("pk", flat=True))
    assert len(by_enrolment) == small_demo.counts["beds_assigned"]
    for assignment in by_enrolment.values():
        room, enrolment = assignment.bed.room, assignment.enrolment
        assert room.sex == enrolment.application.candidate.sex
        assert room.building.centre_id == enrolment.cohort.centre_id
        assert assignment.from_date == enrolment.enrolled_on
    assert len({a.bed_id for a in by_enrolment.values()}) == len(by_enrolment)


def test_it_shows_trainees_at_risk(small_demo: DemoResult) -> None:
    cohort = Cohort.objects.get()
    alerts = cohort_alerts(cohort=cohort)
    fired = {alert.rule for found in alerts.values() for alert in found}
    assert {"absences", "attendance", "demerits"} <= fired
    verdicts = cohort_readiness(cohort=cohort)
    assert set(verdicts) == set(alerts)
    records = list(DisciplineRecord.objects.select_related("enrolment"))
    assert len(records) == small_demo.counts["discipline_records"] > 0
    for record in records:
        assert 1 <= record.points <= 100 and record.description.strip()
        assert record.enrolment.enrolled_on <= record.occurred_on < TODAY
    assert AuditEntry.objects.filter(action="demo.training").count() == 1


def test_it_opens_job_orders_within_their_caps(small_demo: DemoResult) -> None:
    from magang.demo.catalogue import DEMO_HOST_COMPANY
    from magang.placement.intake import intake_cap
    from magang.placement.models import HostTrade, JobOrder

    partner = User.objects.get(username="partner")
    imjapan = Organisation.objects.get(kind=Organisation.Kind.SUPERVISING_ORGANISATION)
    orders = list(JobOrder.objects.select_related("host_company", "trade"))
    assert len(orders) == small_demo.counts["job_orders"] > 0
    assert sum(o.slots for o in orders) == small_demo.counts["job_order_slots"]
    trades = defaultdict(set)
    for host_trade in HostTrade.objects.all():
        trades[host_trade.host_company_id].add(host_trade.trade_id)
    hosts = Organisation.objects.filter(kind=Organisation.Kind.HOST_COMPANY)
    assert set(trades) == set(hosts.values_list("pk", flat=True))
    assert all(1 <= len(ids) <= 3 for ids in trades.values())
    ordered = defaultdict(int)
    for order in orders:
        host = order.host_company
        assert host.parent_id == order.supervising_organisation_id == imjapan.pk
        assert order.trade_id in trades[host.pk]
        assert order.prefecture_id == host.prefecture_id
        assert order.state == "open" and order.created_by == partner
        assert order.planned_start.year == 2027 and 4 <= order.planned_start.month <= 10
        assert order.interview_on is not None and order.interview_on < order.planned_start
        ordered[host.pk, order.planned_start.year] += order.slots
    for (host_id, _year), slots in ordered.items():
        staff = hosts.get(pk=host_id).staff_count
        assert staff is not None and slots <= intake_cap(staff)
    assert any(o.host_company.name == DEMO_HOST_COMPANY for o in orders)
    assert len({o.host_company_id for o in orders}) >= 2
    creations = AuditEntry.objects.filter(action="placement.job_order_create", actor=partner)
    assert creations.count() == len(orders)


def test_graduates_rank_only_open_orders_they_meet(small_demo: DemoResult) -> None:
    from magang.placement.eligibility import unmet
    from magang.placement.models import Preference
    from magang.placement.services.candidacies import MAX_PREFERENCES, facts_of, requirements_of

    preferences = list(
        Preference.objects.select_related("application__candidate", "job_order").order_by(
            "application_id", "rank"
        )
    )
    assert len(preferences) == small_demo.counts["job_preferences"] > 0
    ranks = defaultdict(list)
    for preference in preferences:
        application, order = preference.application, preference.job_order
        assert application.status == Status.GRADUATED
        assert order.state == "open"
        assert unmet(facts_of(application), requirements_of(order)) == ()
        ranks[application.pk].append(preference.rank)
    for listed in ranks.values():
        assert listed == list(range(1, len(listed) + 1))
        assert len(listed) <= min(5, MAX_PREFERENCES)
    # Those who rank had their height measured; the demo candidate (in selection) ranks nothing.
    graduates = Application.objects.filter(status=Status.GRADUATED)
    assert not graduates.filter(height_cm=None).exists()
    assert not graduates.filter(weight_kg=None).exists()
    mine = Application.objects.get(candidate__user__username="candidate")
    assert mine.status != Status.GRADUATED
    assert not Preference.objects.filter(application=mine).exists()
    assert AuditEntry.objects.filter(action="demo.placement_preferences").count() == 1


def test_companies_interview_and_rank_those_who_ranked_them(small_demo: DemoResult) -> None:
    from magang.placement.models import Candidacy, JobOrder, Preference
    from magang.placement.services.candidacies import SHORTLIST_FACTOR

    ranked = set(Preference.objects.values_list("application_id", "job_order_id"))
    candidacies = list(Candidacy.objects.select_related("job_order"))
    assert len(candidacies) == small_demo.counts["shortlisted"] > 0
    by_order = defaultdict(list)
    for candidacy in candidacies:
        assert (candidacy.application_id, candidacy.job_order_id) in ranked
        assert candidacy.interviewed_on == candidacy.job_order.interview_on
        assert candidacy.interviewed_on is not None and candidacy.interviewed_on < TODAY
        assert candidacy.result in ("passed", "failed", "absent")
        assert candidacy.interviewer.strip()
        assert (candidacy.company_rank is not None) == (candidacy.result == "passed")
        by_order[candidacy.job_order_id].append(candidacy)
    for order_id, shortlist in by_order.items():
        order = shortlist[0].job_order
        assert len(shortlist) <= order.slots * SHORTLIST_FACTOR, order_id
        company_ranks = sorted(c.company_rank for c in shortlist if c.company_rank is not None)
        assert company_ranks == list(range(1, len(company_ranks) + 1))
    assert (
        sum(c.company_rank is not None for c in candidacies) == small_demo.counts["company_ranks"]
    )
    # The rest interview after today (no results before the interview), or nobody ranked them.
    for order in JobOrder.objects.exclude(pk__in=by_order):
        assert order.interview_on is not None
        assert order.interview_on > TODAY or not Preference.objects.filter(job_order=order)
    assert AuditEntry.objects.filter(action="demo.placement_interviews").count() == 1


def test_a_match_run_over_the_open_orders_matches_within_slots(small_demo: DemoResult) -> None:
    from magang.placement.models import Candidacy, JobOrder, Match, Preference
    from magang.placement.services.matching import match_run

    orders = list(JobOrder.objects.filter(state="open"))
    run = match_run(orders=orders, by=User.objects.get(username="central"))
    assert run.statistics["matched"] > 0
    assert run.statistics["slots_filled"] == run.statistics["matched"]
    slots = {o.pk: o.slots for o in orders}
    filled = defaultdict(int)
    preferred = set(Preference.objects.values_list("application_id", "job_order_id"))
    acceptable = set(
        Candidacy.objects.filter(company_rank__isnull=False).values_list(
            "application_id", "job_order_id"
        )
    )
    for match in Match.objects.filter(run=run, job_order__isnull=False):
        filled[match.job_order_id] += 1
        pair = (match.application_id, match.job_order_id)
        assert pair in preferred and pair in acceptable
    assert sum(filled.values()) == run.statistics["matched"]
    assert all(count <= slots[order_id] for order_id, count in filled.items())
