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
from magang.demo.models import DemoBuild
from magang.demo.plan import AS_OF, DEPARTED_BY
from magang.internships.models import Internship
from magang.recruitment.journey import INITIAL, check_transition
from magang.recruitment.models import Application, Candidate, JourneyEvent
from magang.reference.services import reference_load_all

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
