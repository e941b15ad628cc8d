"""Field-level rules, proven on a fully populated person: partners and host companies never
receive health details, discipline notes or private contact details, in any page, export or
API response they can reach; API input schemas cannot set status, versions or scores."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from magang.internships.tests.access_matrix import GRIEVANCE, UNSHARED
from magang.placement.models import JobOrder
from magang.recruitment.models import Application
from magang.selection.models import StageResult

from .conftest import client_as, load_matrix
from .requests import openapi_schema, readable, request
from .world import SENTINELS, World

ENTRIES, _ = load_matrix()
READS = [entry for entry in ENTRIES if entry.method == "GET"]

# Fields no API input may carry: who did it, when, the workflow state and derived results are
# set by services, never by the caller. (A version sent back is an expectation the service
# compares, not an assignment, so it is not listed.)
FORBIDDEN_INPUTS = {
    "status", "state", "recorded_by", "created_by", "changed_by", "approved_by",
    "proposed_by", "reviewed_by", "uploaded_by", "created_at", "updated_at", "total", "rank",
    "registration_number_assigned", "is_active", "is_staff", "is_superuser", "role",
}  # fmt: skip
# Where one of those names means something else: the attendance mark a trainer records.
ALLOWED_INPUTS = {"POST /api/v1/training/sessions/{session_id}/roll-call": {"status"}}


def leaks(world: World, role: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in READS:
        response = request(world, entry, role)
        if response.status_code != 200:
            continue
        text = readable(response)
        kinds = [kind for kind, value in SENTINELS.items() if value in text]
        if kinds:
            found[entry.id] = kinds
    return found


@pytest.mark.parametrize("role", ["partner_a", "host_a"])
def test_partners_and_hosts_never_receive_private_details(
    role: str, world: World, db: None
) -> None:
    assert leaks(world, role) == {}


def test_the_private_details_are_there_for_those_who_may_read_them(world: World, db: None) -> None:
    """So the test above is not passing only because nothing shows the values at all."""
    central = client_as(world, "central")
    results = central.get(f"/selection/applications/{world.application_a.pk}/results/")
    assert SENTINELS["medical"] in results.content.decode()
    detail = central.get(f"/recruitment/applications/{world.application_a.pk}/")
    assert SENTINELS["address"] in detail.content.decode()
    trainer = client_as(world, "trainer_a")
    discipline = trainer.get(f"/training/cohorts/{world.cohort_a.pk}/discipline/")
    assert SENTINELS["discipline"] in discipline.content.decode()


# Cases (grievances and incidents, magang/internships/cases_access.py): a host company never
# receives a case about itself, nor health details; a partner never a case the intern did not
# share. Checked on every page and API read, and on the answers of the internships' writes.
CASE_TEXT_REFUSED = {
    "partner_a": {"unshared": UNSHARED},
    "partner_b": {"grievance": GRIEVANCE, "unshared": UNSHARED},
    "host_a": {"grievance": GRIEVANCE, "unshared": UNSHARED, "medical": SENTINELS["medical"]},
    "host_b": {"grievance": GRIEVANCE, "unshared": UNSHARED, "medical": SENTINELS["medical"]},
}
INTERNSHIP_WRITES = [
    entry
    for entry in ENTRIES
    if entry.method != "GET"
    and ("/api/v1/internships/" in entry.target or entry.target.startswith("internships:"))
]


@pytest.mark.parametrize("role", sorted(CASE_TEXT_REFUSED))
def test_cases_reach_neither_the_host_company_nor_a_partner_the_intern_did_not_allow(
    role: str, world: World, db: None
) -> None:
    refused = CASE_TEXT_REFUSED[role]
    found: dict[str, list[str]] = {}
    for entry in [*READS, *INTERNSHIP_WRITES]:
        response = request(world, entry, role)
        if response.status_code >= 300:
            continue
        text = readable(response)
        kinds = [kind for kind, value in refused.items() if value in text]
        if kinds:
            found[entry.id] = kinds
    assert found == {}


def test_the_case_texts_are_there_for_those_who_may_read_them(world: World, db: None) -> None:
    """So the test above is not passing only because nothing shows the texts at all."""
    shared, unshared, health = world.case_a.pk, world.case_unshared.pk, world.case_health.pk
    partner = client_as(world, "partner_a")
    assert GRIEVANCE in partner.get(f"/internships/cases/{shared}/").content.decode()
    assert GRIEVANCE in partner.get(f"/api/v1/internships/cases/{shared}").content.decode()
    assert partner.get(f"/internships/cases/{health}/").status_code == 200
    intern = client_as(world, "candidate")
    assert UNSHARED in intern.get(f"/internships/cases/{unshared}/").content.decode()
    officer = client_as(world, "officer_a")
    assert UNSHARED in officer.get(f"/api/v1/internships/cases/{unshared}").content.decode()
    central = client_as(world, "central")
    assert SENTINELS["medical"] in central.get(f"/internships/cases/{health}/").content.decode()
    api = central.get(f"/api/v1/internships/cases/{health}").content.decode()
    assert SENTINELS["medical"] in api


def test_no_api_input_schema_accepts_a_field_set_by_the_system() -> None:
    schema = openapi_schema()
    components = schema["components"]["schemas"]

    def names(node: Any) -> set[str]:
        if isinstance(node, dict):
            if "$ref" in node:
                return names(components[node["$ref"].rsplit("/", 1)[1]])
            found = set(node.get("properties", {}))
            for value in node.values():
                found |= names(value)
            return found
        if isinstance(node, list):
            return set().union(*(names(item) for item in node)) if node else set()
        return set()

    offending = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {})
            fields = set().union(*(names(c["schema"]) for c in body.values())) if body else set()
            key = f"{method.upper()} {path}"
            bad = fields & FORBIDDEN_INPUTS - ALLOWED_INPUTS.get(key, set())
            if bad:
                offending[key] = sorted(bad)
    assert offending == {}


def test_extra_fields_in_a_job_order_update_change_nothing_they_name(
    world: World, db: None
) -> None:
    order = world.job_order_a
    body = {
        "reference": order.reference, "trade": order.trade.code,
        "prefecture": order.prefecture.code, "slots": 2, "planned_start": "2027-07-01",
        # none of these may be set by a partner
        "state": "cancelled", "host_company_id": world.host_org_b.pk,
        "supervising_organisation_id": world.partner_org_b.pk, "created_by": 1,
    }  # fmt: skip
    response = client_as(world, "partner_a").put(
        f"/api/v1/placement/orders/{order.pk}", body, content_type="application/json"
    )
    assert response.status_code < 500
    order = JobOrder.objects.get(pk=order.pk)
    assert (order.state, order.host_company_id, order.supervising_organisation_id) == (
        "open", world.host_org_a.pk, world.partner_org_a.pk,
    )  # fmt: skip


def test_a_candidate_cannot_set_their_own_status_through_preferences(
    world: World, db: None
) -> None:
    before = Application.objects.get(pk=world.application_a.pk).status
    response = client_as(world, "candidate").put(
        "/api/v1/placement/me/preferences",
        {"job_order_ids": [world.job_order_a.pk], "status": "matched", "application_id": 1},
        content_type="application/json",
    )
    assert response.status_code < 500
    assert Application.objects.get(pk=world.application_a.pk).status == before


def test_a_result_takes_its_pass_and_version_from_the_rules_not_the_caller(
    world: World, db: None
) -> None:
    Application.objects.filter(pk=world.application_a.pk).update(status="in_selection")
    stage = world.stage_interview
    response = client_as(world, "central").put(
        f"/api/v1/selection/applications/{world.application_a.pk}/results/{stage.key}",
        {"value": "10", "expected_version": 0, "passed": True, "version": 99, "score": 100},
        content_type="application/json",
    )
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:  # the schema refuses extra fields outright
        assert not StageResult.objects.filter(application=world.application_a, stage=stage)
        return
    result = StageResult.objects.get(application=world.application_a, stage=stage)
    assert (result.score, result.passed, result.version) == (Decimal(10), False, 1)
