"""Access-matrix rows for placement (format: ``magang/tests/access.py``)."""

import datetime as dt
from pathlib import Path

from django.conf import settings

from magang import factories as f
from magang.placement.models import (
    Candidacy,
    DepartureBatch,
    DepartureFile,
    JobOrder,
    Match,
    MatchRun,
    Preference,
)
from magang.placement.services.imports import order_upload_store
from magang.recruitment.journey import Status
from magang.tests.access import NATIONWIDE, SIGNED_IN, Entry, Literal
from magang.tests.world import SENTINELS, World, xlsx_upload

CENTRAL = frozenset({"central"})
ORDER_READERS = frozenset({"partner_a", "host_a"}) | NATIONWIDE
ORDER_EDITORS = frozenset({"partner_a", "host_a", "central"})
PARTNERS_AND_HOSTS = frozenset({"partner_a", "partner_b", "host_a", "host_b"})
IMPORTERS = frozenset({"partner_a", "partner_b", "central"})
CANDIDATES = frozenset({"candidate", "candidate_other"})
REFERENCE = "job_order_a.reference"
# The CV embeds a system font; without it the page says so with a 503 (see conftest.needs_font).
CV_STATUS = (200,) if Path(settings.MAGANG_PDF_FONT).is_file() else (200, 503)
OWNER = frozenset({"candidate"})
ORDER = {"pk": "job_order_a"}
API_ORDER = {"order_id": "job_order_a"}
RUN = {"run_id": "match_run"}


def new_order(world: World) -> dict[str, object]:
    return {
        "reference": "SS-2027-99", "trade": "6-1-1", "prefecture": "04", "slots": 1,
        "planned_start": "2027-07-01", "host_company_id": world.host_org_a.pk,
    }  # fmt: skip


def build(world: World) -> None:
    order = world.add(
        "job_order_a",
        JobOrder.objects.create(
            host_company=world.host_org_a, supervising_organisation=world.partner_org_a,
            round=world.round, reference="SS-2027-01", trade=f.trade(),
            prefecture=f.prefecture("04"), slots=2, planned_start=dt.date(2027, 7, 1),
        ),
    )  # fmt: skip
    world.add(
        "candidacy_a", Candidacy.objects.create(job_order=order, application=world.application_a)
    )
    Preference.objects.create(application=world.application_a, job_order=order, rank=1)
    run = world.add(
        "match_run", MatchRun.objects.create(input_digest="0" * 64, created_at=world.now)
    )
    world.add(
        "match_a",
        Match.objects.create(
            run=run, application=world.application_a, job_order=order, preference_rank=1,
        ),
    )  # fmt: skip
    matched = world.add(
        "application_a2",
        f.ApplicationFactory(
            site=world.site_a, status=Status.MATCHED,
            candidate=f.CandidateFactory(
                address=SENTINELS["address"], phone=SENTINELS["phone"], email=SENTINELS["email"]
            ),
        ),
    )  # fmt: skip
    world.add(
        "departure_file_a", DepartureFile.objects.create(application=matched, job_order=order)
    )
    for name in ("order_upload_preview", "order_upload_commit"):
        stored = order_upload_store(
            upload=xlsx_upload(), size=None, user=world.users["partner_a"], file_name="o.xlsx"
        )
        world.add(name, Literal(stored.token))
    world.add(
        "batch", DepartureBatch.objects.create(departs_on=dt.date(2027, 7, 1), flight="GA 874")
    )


ENTRIES = [
    Entry("placement:order_list", allowed=ORDER_READERS, shows=REFERENCE),
    Entry("placement:order_create", allowed=PARTNERS_AND_HOSTS | CENTRAL),
    Entry("placement:order_detail", ORDER, allowed=ORDER_READERS),
    Entry("placement:order_edit", ORDER, allowed=ORDER_EDITORS),
    Entry("placement:company_detail", {"pk": "host_org_a"}, allowed=ORDER_READERS),
    Entry("placement:company_trades", {"pk": "host_org_a"}, method="POST",
          allowed={"partner_a", "central"}),
    Entry("placement:shortlist", ORDER, allowed=ORDER_READERS),
    Entry("placement:shortlist_propose", ORDER, method="POST", allowed=ORDER_EDITORS),
    Entry("placement:interview", {"pk": "job_order_a", "candidacy": "candidacy_a"},
          method="POST", allowed=ORDER_EDITORS),
    Entry("placement:company_ranking", ORDER, method="POST", allowed=ORDER_EDITORS),
    Entry("placement:cv", {"application_id": "application_a"}, allowed=ORDER_READERS,
          allowed_status=CV_STATUS),
    Entry("placement:import_upload", allowed=IMPORTERS),
    Entry("placement:import_template", allowed=IMPORTERS),
    Entry("placement:import_preview", {"token": "order_upload_preview"}, allowed={"partner_a"}),
    Entry("placement:import_commit", {"token": "order_upload_commit"}, method="POST",
          allowed={"partner_a"}),
    Entry("placement:my_preferences", allowed=CANDIDATES),
    Entry("placement:my_match", allowed=SIGNED_IN),
    Entry("placement:match_list", allowed=NATIONWIDE),
    Entry("placement:match_create", method="POST", allowed=CENTRAL),
    Entry("placement:match_detail", {"pk": "match_run"}, allowed=NATIONWIDE),
    Entry("placement:match_change", {"pk": "match_run", "match": "match_a"}, method="POST",
          allowed=CENTRAL),
    Entry("placement:match_finalise", {"pk": "match_run"}, method="POST", allowed=CENTRAL),
    Entry("placement:departure_file_list", allowed=ORDER_READERS,
          shows="application_a2.registration_number"),
    Entry("placement:departure_file_detail", {"pk": "departure_file_a"}, allowed=ORDER_READERS),
    Entry("placement:batch_list", allowed=NATIONWIDE | PARTNERS_AND_HOSTS),
    Entry("placement:batch_detail", {"pk": "batch"}, allowed=NATIONWIDE),
    Entry("placement:batch_add", {"pk": "batch"}, method="POST", allowed=CENTRAL),
    Entry("placement:batch_depart", {"pk": "batch"}, method="POST", allowed=CENTRAL),
    Entry("placement:batch_manifest", {"pk": "batch"}, allowed=NATIONWIDE),
    Entry("GET /api/v1/placement/orders", allowed=ORDER_READERS, shows=REFERENCE),
    # Another partner or host naming host company A is told it may not (422, nothing made).
    Entry("POST /api/v1/placement/orders", allowed=ORDER_EDITORS, refused_with=(422,),
          data=new_order),
    Entry("GET /api/v1/placement/orders/{order_id}", API_ORDER, allowed=ORDER_READERS),
    Entry("PUT /api/v1/placement/orders/{order_id}", API_ORDER, allowed=ORDER_EDITORS),
    Entry("GET /api/v1/placement/orders/{order_id}/shortlist", API_ORDER,
          allowed=ORDER_READERS),
    Entry("POST /api/v1/placement/orders/{order_id}/shortlist", API_ORDER,
          allowed=ORDER_EDITORS),
    Entry("PUT /api/v1/placement/orders/{order_id}/shortlist/{candidacy_id}/interview",
          {"order_id": "job_order_a", "candidacy_id": "candidacy_a"}, allowed=ORDER_EDITORS),
    Entry("PUT /api/v1/placement/orders/{order_id}/ranking", API_ORDER, allowed=ORDER_EDITORS),
    Entry("GET /api/v1/placement/me/preferences", allowed=CANDIDATES),
    Entry("PUT /api/v1/placement/me/preferences", allowed=CANDIDATES),
    Entry("GET /api/v1/placement/matching/runs", allowed=NATIONWIDE),
    Entry("POST /api/v1/placement/matching/runs", allowed=CENTRAL,
          data=lambda w: {"job_orders": [w.job_order_a.reference]}),
    Entry("GET /api/v1/placement/matching/runs/{run_id}", RUN, allowed=NATIONWIDE),
    Entry("GET /api/v1/placement/matching/runs/{run_id}/results", RUN, allowed=NATIONWIDE),
    Entry("PUT /api/v1/placement/matching/runs/{run_id}/results/{registration_number}",
          {"run_id": "match_run", "registration_number": "application_a.registration_number"},
          allowed=CENTRAL, data=lambda w: {"job_order": None, "reason": "Committee"}),
    Entry("POST /api/v1/placement/matching/runs/{run_id}/finalise", RUN, allowed=CENTRAL),
    Entry("GET /api/v1/placement/me/match", allowed=SIGNED_IN),
    Entry("GET /api/v1/placement/departure/files", allowed=ORDER_READERS,
          shows="application_a2.registration_number"),
    Entry("GET /api/v1/placement/departure/files/{file_id}", {"file_id": "departure_file_a"},
          allowed=ORDER_READERS),
    Entry("PATCH /api/v1/placement/departure/files/{file_id}", {"file_id": "departure_file_a"},
          allowed=CENTRAL),
    Entry("GET /api/v1/placement/departure/batches", allowed=NATIONWIDE | PARTNERS_AND_HOSTS),
    Entry("POST /api/v1/placement/departure/batches", allowed=CENTRAL),
    Entry("GET /api/v1/placement/departure/batches/{batch_id}", {"batch_id": "batch"},
          allowed=NATIONWIDE),
    Entry("POST /api/v1/placement/departure/batches/{batch_id}/members", {"batch_id": "batch"},
          allowed=CENTRAL, data=lambda w: {"files": [w.departure_file_a.pk]}),
    Entry("POST /api/v1/placement/departure/batches/{batch_id}/depart", {"batch_id": "batch"},
          allowed=CENTRAL),
    Entry("GET /api/v1/placement/applications/{application_id}/cv",
          {"application_id": "application_a"}, allowed=ORDER_READERS, allowed_status=CV_STATUS),
]  # fmt: skip
