"""Access-matrix rows for selection (format: ``magang/tests/access.py``)."""

from django.utils import timezone

from magang import factories as f
from magang.recruitment.journey import Status
from magang.recruitment.services.imports import import_store
from magang.selection.models import Objection, RankingRun, RunState, StageResult
from magang.selection.services import plan_create
from magang.tests.access import ALL, NATIONWIDE, SIGNED_IN, Entry, Literal
from magang.tests.world import SENTINELS, World, xlsx_upload

CENTRAL = frozenset({"central"})
OFFICER_A = frozenset({"officer_a"}) | NATIONWIDE
OFFICER_A_WRITES = frozenset({"officer_a", "central", "admin"})
OFFICERS = frozenset({"officer_a", "officer_b"})
# No seat was given in the world's round, so even the central team finds nothing to vacate:
# these rows prove the refusals only.
NO_SEAT = (404,)
OWNER = frozenset({"candidate"})
ROUND = {"round_code": "round.code"}
RUN = {"round_code": "round.code", "number": "run.number"}


def build(world: World) -> None:
    world.add(
        "application_sel_a", f.ApplicationFactory(site=world.site_a, status=Status.IN_SELECTION)
    )
    plan = world.add("plan", plan_create(round_=world.round, by=None, reserves_per_unit=1))
    stages = {stage.key: stage for stage in plan.stages.all()}
    world.add("stage_site", next(s for s in stages.values() if s.recorded_by == "site"))
    world.add("stage_medical", stages["medical"])
    world.add("stage_interview", stages["interview"])
    world.add(
        "result_medical_a",
        StageResult.objects.create(
            application=world.application_a, stage=stages["medical"], passed=False,
            note=SENTINELS["medical"],
        ),
    )  # fmt: skip
    run = world.add(
        "run",
        RankingRun.objects.create(
            plan=plan, number=1, state=RunState.DRAFT, rules_version="access",
            input_digest="0" * 64, result_digest="0" * 64, created_at=timezone.now(),
        ),
    )  # fmt: skip
    for name in ("result_upload_preview", "result_upload_commit"):
        stored = import_store(
            upload=xlsx_upload(), size=None, user=world.users["officer_a"], site=world.site_a,
            file_name="results.xlsx",
        )  # fmt: skip
        world.add(name, Literal(stored.token))
    world.add(
        "objection_a",
        Objection.objects.create(application=world.application_a, run=run, reason="Recount"),
    )


ENTRIES = [
    Entry("selection:application_results", {"pk": "application_a"}, allowed=OFFICER_A),
    Entry("selection:funnel", ROUND, allowed=NATIONWIDE | OFFICERS),
    Entry("selection:grid_index", allowed=NATIONWIDE | OFFICERS),
    Entry("selection:grid", {"stage": "stage_site", "site": "site_a"}, allowed=OFFICER_A),
    Entry("selection:grid_row",
          {"stage": "stage_site", "site": "site_a", "application": "application_sel_a"},
          method="POST", allowed=OFFICER_A_WRITES),
    Entry("selection:import_upload", {"stage": "stage_site", "site": "site_a"},
          allowed=OFFICER_A_WRITES),
    Entry("selection:import_template", {"stage": "stage_site", "site": "site_a"},
          allowed=OFFICER_A),
    Entry("selection:import_preview", {"stage": "stage_site", "token": "result_upload_preview"},
          allowed={"officer_a"}),
    Entry("selection:import_commit", {"stage": "stage_site", "token": "result_upload_commit"},
          method="POST", allowed={"officer_a"}),
    Entry("selection:my_selection", allowed=SIGNED_IN),
    Entry("selection:objection_file", {"pk": "application_a"}, allowed=OWNER),
    Entry("selection:objection_list", allowed=NATIONWIDE),
    Entry("selection:objection_review", {"pk": "objection_a"}, allowed=NATIONWIDE),
    Entry("selection:plan_copy", ROUND, method="POST", allowed={"admin"}),
    Entry("selection:plan_list", allowed=NATIONWIDE),
    Entry("selection:public_index", allowed=ALL),
    Entry("selection:public_list", ROUND, allowed=ALL, allowed_status=(404,),
          note="(round not yet published)"),
    Entry("selection:public_results", ROUND, allowed=ALL, allowed_status=(404,),
          note="(round not yet published)"),
    Entry("selection:run_approve", RUN, method="POST", allowed=CENTRAL),
    Entry("selection:run_create", ROUND, method="POST", allowed=CENTRAL),
    Entry("selection:run_detail", RUN, allowed=NATIONWIDE),
    Entry("selection:run_list", ROUND, allowed=NATIONWIDE),
    Entry("selection:run_propose", RUN, method="POST", allowed=CENTRAL),
    Entry("selection:run_publish", RUN, method="POST", allowed=CENTRAL),
    Entry("selection:seat_vacate", {"pk": "application_a"}, allowed=CENTRAL,
          allowed_status=NO_SEAT),
    Entry("GET /api/v1/selection/rounds/{round_code}/funnel", ROUND,
          allowed=NATIONWIDE | OFFICERS),
    Entry("GET /api/v1/selection/me/selection", allowed=SIGNED_IN),
    Entry("GET /api/v1/selection/applications/{application_id}/results",
          {"application_id": "application_a"}, allowed=OFFICER_A),
    Entry("PUT /api/v1/selection/applications/{application_id}/results/{stage_key}",
          {"application_id": "application_sel_a", "stage_key": "stage_site.key"},
          allowed=OFFICER_A_WRITES),
    Entry("GET /api/v1/selection/rounds/{round_code}/runs", ROUND, allowed=NATIONWIDE),
    Entry("POST /api/v1/selection/rounds/{round_code}/runs", ROUND, allowed=CENTRAL),
    Entry("GET /api/v1/selection/rounds/{round_code}/runs/{number}", RUN, allowed=NATIONWIDE),
    Entry("GET /api/v1/selection/rounds/{round_code}/runs/{number}/placements", RUN,
          allowed=NATIONWIDE),
    Entry("POST /api/v1/selection/rounds/{round_code}/runs/{number}/propose", RUN,
          allowed=CENTRAL),
    Entry("POST /api/v1/selection/rounds/{round_code}/runs/{number}/approve", RUN,
          allowed=CENTRAL),
    Entry("POST /api/v1/selection/rounds/{round_code}/runs/{number}/publish", RUN,
          allowed=CENTRAL),
    Entry("GET /api/v1/selection/public/{round_code}/results/{registration_number}",
          {"round_code": "round.code", "registration_number": "application_a.registration_number"},
          allowed=ALL, allowed_status=(200, 404)),
    Entry("POST /api/v1/selection/applications/{application_id}/vacate",
          {"application_id": "application_a"}, allowed=CENTRAL, allowed_status=NO_SEAT),
    Entry("POST /api/v1/selection/me/applications/{application_id}/objections",
          {"application_id": "application_a"}, allowed=OWNER),
    Entry("GET /api/v1/selection/me/applications/{application_id}/objections",
          {"application_id": "application_a"}, allowed=OWNER),
    Entry("GET /api/v1/selection/objections", allowed=NATIONWIDE),
    Entry("POST /api/v1/selection/objections/{objection_id}/decision",
          {"objection_id": "objection_a"}, allowed=CENTRAL),
]  # fmt: skip
