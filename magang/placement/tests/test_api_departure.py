"""The departure API: the same scopes and refusals as the pages, explicit inputs (no mass
assignment), the checklist in every file, batches that refuse incomplete files with the
reasons, departure, and the CV as a PDF."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from magang.internships.models import Internship
from magang.placement.models import BatchMember, DepartureBatch, DepartureFile
from magang.placement.services.departure import batch_add
from magang.recruitment.journey import Status
from magang.recruitment.models import Application

from .conftest import needs_font
from .test_departure_services import Departure, build_departure, new_batch
from .test_pages_departure import NOBODY, client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/placement"


@pytest.fixture
def departure(placement: Any) -> Departure:
    return build_departure(placement)


def send(client: Client, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def test_files_are_read_in_scope(departure: Departure, cast: Any) -> None:
    url = f"{BASE}/departure/files"
    assert Client().get(url).status_code == 401
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name

    def listed(user: Any, **query: Any) -> set[str]:
        response = client_for(user).get(url, query)
        assert response.status_code == 200
        return {row["registration_number"] for row in response.json()["items"]}

    every = {f.application.registration_number for f in departure.files}
    other = {departure.other.application.registration_number}
    for name in ("central", "leadership", "admin", "partner"):
        assert listed(getattr(cast, name)) == every, name
    assert listed(cast.host) == every - other
    assert listed(cast.host_other) == other
    assert listed(cast.central, not_ready="true") == {
        departure.not_ready.application.registration_number
    }
    row = client_for(cast.central).get(url, {"not_ready": "true"}).json()["items"][0]
    assert row["ready"] is False and row["checked_against"] == "2027-07-01"
    assert row["warnings"] == [
        {"key": "visa", "ok": False, "text_id": "Visa: belum ada nomor dan tanggal.",
         "text_en": "Visa: number and date missing."}
    ]  # fmt: skip
    assert row["prefecture"]["name_ja"] == "宮城県"


def test_a_file_in_detail_with_its_checklist(departure: Departure, cast: Any) -> None:
    url = f"{BASE}/departure/files/{departure.ready[0].pk}"
    assert Client().get(url).status_code == 401
    detail = client_for(cast.host).get(url)
    assert detail.status_code == 200
    body = detail.json()
    assert body["passport_number"] == "C1000001" and body["ready"] is True
    assert [item["key"] for item in body["checklist"]] == [
        "passport", "training_plan", "coe", "visa", "medical"
    ]  # fmt: skip
    assert client_for(cast.host_other).get(url).status_code == 404
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    assert client_for(cast.central).get(f"{BASE}/departure/files/999999").status_code == 404


def test_only_the_central_team_changes_a_file(departure: Departure, cast: Any) -> None:
    file = departure.not_ready
    url = f"{BASE}/departure/files/{file.pk}"
    change = {"visa_number": "V-2027-0003", "visa_issued_on": "2027-06-02"}
    assert send(Client(), "patch", url, change).status_code == 401
    for name in ("leadership", "admin", "partner", "host", *NOBODY):
        assert send(client_for(getattr(cast, name)), "patch", url, change).status_code == 403
    assert send(client_for(cast.host_other), "patch", url, change).status_code == 404
    assert DepartureFile.objects.get(pk=file.pk).visa_number == ""

    central = client_for(cast.central)
    # Fields outside the checklist are refused, not ignored.
    for forged in ({"job_order_id": departure.order_other.pk}, {"application": 1},
                   {"passport_pages": 0}):  # fmt: skip
        assert send(central, "patch", url, {**change, **forged}).status_code == 422
    assert DepartureFile.objects.get(pk=file.pk).visa_number == ""
    changed = send(central, "patch", url, change)
    assert changed.status_code == 200
    assert changed.json()["ready"] is True and changed.json()["visa_number"] == "V-2027-0003"
    # Null clears a number; the untouched fields stay.
    cleared = send(central, "patch", url, {"coe_number": None})
    assert cleared.json()["coe_number"] == "" and cleared.json()["visa_number"] == "V-2027-0003"
    assert cleared.json()["warnings"][0]["key"] == "coe"
    duplicate = send(central, "patch", url, {"passport_number": "C1000001"})
    assert duplicate.status_code == 422
    assert duplicate.json()["detail"] == "Another intern has this passport number."


def test_batches_are_created_and_read_by_the_right_people(departure: Departure, cast: Any) -> None:
    url = f"{BASE}/departure/batches"
    new = {"departs_on": "2027-06-25", "flight": "ga 874", "arrives_at": "Narita (NRT)"}
    assert send(Client(), "post", url, new).status_code == 401
    for name in ("leadership", "admin", "partner", "host", *NOBODY):
        assert send(client_for(getattr(cast, name)), "post", url, new).status_code == 403
    assert send(client_for(cast.central), "post", url, {**new, "departed_at": "2027-06-25T10:00"}
                ).status_code == 422  # fmt: skip
    assert send(client_for(cast.central), "post", url, {**new, "flight": " "}).status_code == 422
    assert not DepartureBatch.objects.exists()
    created = send(client_for(cast.central), "post", url, new)
    assert created.status_code == 201
    body = created.json()
    assert (body["flight"], body["airport"], body["interns"]) == (
        "GA 874",
        "Soekarno-Hatta (CGK)",
        0,
    )

    batch = DepartureBatch.objects.get()
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    for name in ("central", "leadership", "admin", "partner", "host"):
        listed = client_for(getattr(cast, name)).get(url)
        assert listed.status_code == 200
        assert [b["interns"] for b in listed.json()["items"]] == [2], name
    assert client_for(cast.host_other).get(url).json()["items"] == []
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403
    detail = f"{url}/{batch.pk}"
    assert len(client_for(cast.host).get(detail).json()["members"]) == 2
    assert client_for(cast.host_other).get(detail).status_code == 404
    assert Client().get(detail).status_code == 401


def test_adding_interns_refuses_incomplete_files_with_the_reasons(
    departure: Departure, cast: Any
) -> None:
    batch = new_batch(cast)
    url = f"{BASE}/departure/batches/{batch.pk}/members"
    files = {"files": [departure.ready[0].pk, departure.not_ready.pk]}
    assert send(Client(), "post", url, files).status_code == 401
    for name in ("leadership", "admin", "partner", "host", *NOBODY):
        assert send(client_for(getattr(cast, name)), "post", url, files).status_code == 403
    central = client_for(cast.central)
    refused = send(central, "post", url, files)
    assert refused.status_code == 422
    number = departure.not_ready.application.registration_number
    assert refused.json() == {
        "detail": "Nobody was added.",
        "reasons": [f"{number}: Visa: number and date missing."],
    }
    unknown = send(central, "post", url, {"files": [999999]})
    assert unknown.status_code == 422 and "999999" in unknown.json()["detail"]
    assert send(central, "post", url, {"files": []}).status_code == 422
    assert not BatchMember.objects.exists()
    added = send(central, "post", url, {"files": [f.pk for f in departure.ready]})
    assert added.status_code == 200
    assert {m["id"] for m in added.json()["members"]} == {f.pk for f in departure.ready}
    assert (
        send(central, "post", f"{BASE}/departure/batches/999999/members", files).status_code == 404
    )


def test_recording_departure(departure: Departure, cast: Any) -> None:
    batch = new_batch(cast)
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    url = f"{BASE}/departure/batches/{batch.pk}/depart"
    assert send(Client(), "post", url, {"confirm": True}).status_code == 401
    for name in ("leadership", "admin", "partner", "host", *NOBODY):
        response = send(client_for(getattr(cast, name)), "post", url, {"confirm": True})
        assert response.status_code == 403, name
    central = client_for(cast.central)
    assert send(central, "post", url, {"confirm": False}).status_code == 422
    assert send(central, "post", url, {}).status_code == 422
    assert not Internship.objects.exists()
    departed = send(central, "post", url, {"confirm": True})
    assert departed.status_code == 200
    assert departed.json()["departed_at"] is not None
    assert all(m["departed"] for m in departed.json()["members"])
    for file in departure.ready:
        assert Application.objects.get(pk=file.application_id).status == Status.DEPARTED
    assert Internship.objects.count() == 2
    again = send(central, "post", url, {"confirm": True})
    assert again.status_code == 422
    assert again.json()["detail"] == "This batch has already been recorded as departed."


def test_a_journey_refusal_is_a_conflict(departure: Departure, cast: Any) -> None:
    batch = new_batch(cast, dt.date(2027, 6, 20))
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    Application.objects.filter(pk=departure.ready[1].application_id).update(status=Status.WITHDRAWN)
    url = f"{BASE}/departure/batches/{batch.pk}/depart"
    assert send(client_for(cast.central), "post", url, {"confirm": True}).status_code == 409
    assert not Internship.objects.exists()


@needs_font
def test_the_cv_in_the_api(departure: Departure, cast: Any) -> None:
    url = f"{BASE}/applications/{departure.ready[0].application_id}/cv"
    assert Client().get(url).status_code == 401
    for name in ("central", "leadership", "admin", "partner", "host"):
        response = client_for(getattr(cast, name)).get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith('attachment; filename="cv-')
    assert client_for(cast.host_other).get(url).status_code == 404
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name


def test_the_schema_lists_the_departure_endpoints(cast: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/placement/departure/files",
        "/api/v1/placement/departure/files/{file_id}",
        "/api/v1/placement/departure/batches",
        "/api/v1/placement/departure/batches/{batch_id}",
        "/api/v1/placement/departure/batches/{batch_id}/members",
        "/api/v1/placement/departure/batches/{batch_id}/depart",
        "/api/v1/placement/applications/{application_id}/cv",
    ):
        assert path in paths, path
    cv = paths["/api/v1/placement/applications/{application_id}/cv"]["get"]
    assert "application/pdf" in cv["responses"]["200"]["content"]
