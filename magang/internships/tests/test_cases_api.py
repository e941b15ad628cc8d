"""The cases API: the same scopes and rules as the pages (401 without a login, 403 for
roles without cases, 404 for someone else's case), health details withheld from partners,
the workflow, uploads checked by content, and statistics as aggregates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from magang.internships.models import Case

from .cases_fixtures import (  # noqa: F401
    client_for,
    file_case,
    interns_fixture,
    png,
    private_media_fixture,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/internships"


def post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_intern_files_and_reads_their_case(cast: Any, interns: Any) -> None:
    client = client_for(cast.candidate)
    created = post(
        client,
        f"{BASE}/cases",
        {
            "internship_id": interns.jabar.pk,
            "category": "debt_or_fees",
            "severity": "medium",
            "description": "The broker asks for another 50,000 yen.",
            "health_details": "Cannot sleep.",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["filed_as"], body["status"], body["health_details"]) == (
        "intern",
        "open",
        "Cannot sleep.",
    )
    listing = client.get(f"{BASE}/cases?status=all").json()
    assert [c["id"] for c in listing["items"]] == [body["id"]]


def test_filing_for_someone_elses_internship_is_not_found(cast: Any, interns: Any) -> None:
    data = {
        "internship_id": interns.jateng.pk,
        "category": "wages",
        "severity": "low",
        "description": "x",
    }
    assert post(client_for(cast.candidate), f"{BASE}/cases", data).status_code == 404
    assert post(client_for(cast.officer_jabar), f"{BASE}/cases", data).status_code == 404
    assert post(client_for(cast.host_other), f"{BASE}/cases", data).status_code == 403
    assert not Case.objects.exists()
    bad = post(client_for(cast.officer_jateng), f"{BASE}/cases", {**data, "category": "x"})
    assert bad.status_code == 422
    assert not Case.objects.exists()


def test_the_api_is_scoped_like_the_pages(cast: Any, interns: Any) -> None:
    case = file_case(interns.jabar, cast.candidate, category="health", kind="incident",
                     health_details="Fever.", share_with_partner=True)  # fmt: skip
    url = f"{BASE}/cases/{case.pk}"
    assert Client().get(url).status_code == 401
    for reader in (cast.candidate, cast.officer_jabar, cast.central, cast.leadership):
        assert client_for(reader).get(url).status_code == 200
    assert client_for(cast.officer_jateng).get(url).status_code == 404
    for refused in (cast.host, cast.host_other, cast.trainer, cast.outsider):
        assert client_for(refused).get(url).status_code == 403
        assert client_for(refused).get(f"{BASE}/cases").status_code == 403
    seen = client_for(cast.partner).get(url).json()
    assert (seen["description"], seen["health_details"], seen["about_host_company"]) == (
        None,
        None,
        None,
    )
    assert client_for(cast.officer_jabar).get(url).json()["health_details"] == "Fever."


def test_the_workflow_through_the_api(cast: Any, interns: Any) -> None:
    case = file_case(interns.jabar, cast.candidate)
    officer, intern = client_for(cast.officer_jabar), client_for(cast.candidate)
    url = f"{BASE}/cases/{case.pk}"
    assert post(intern, f"{url}/assign", {"assignee_id": cast.officer_jabar.pk}).status_code == 403
    assigned = post(officer, f"{url}/assign", {"assignee_id": cast.officer_jabar.pk})
    assert assigned.json()["status"] == "in_progress"
    assert post(officer, f"{url}/transition", {"action": "resolve"}).status_code == 422
    assert (
        post(officer, f"{url}/transition", {"action": "resolve", "text": "Paid."}).status_code
        == 200
    )
    assert post(officer, f"{url}/transition", {"action": "confirm"}).status_code == 403
    closed = post(intern, f"{url}/transition", {"action": "confirm"}).json()
    assert (closed["status"], closed["confirmed_by_intern"]) == ("closed", True)
    note = post(intern, f"{url}/notes", {"text": "Thank you.", "audience": "officials"})
    assert note.status_code == 422
    assert post(intern, f"{url}/notes", {"text": "Thank you."}).status_code == 201
    assert post(intern, f"{url}/sharing", {"share_with_partner": True}).status_code == 200
    assert client_for(cast.partner).get(url).status_code == 200
    severity = post(officer, f"{url}/severity", {"severity": "high", "reason": "Recurring."})
    assert severity.status_code == 200


def test_attachments_are_checked_by_content(cast: Any, interns: Any, private_media: None) -> None:
    case = file_case(interns.jabar, cast.candidate)
    client = client_for(cast.candidate)
    url = f"{BASE}/cases/{case.pk}/attachments"
    bad = client.post(url, {"file": SimpleUploadedFile("x.png", b"GIF89a...")})
    assert bad.status_code == 422
    ok = client.post(url, {"file": SimpleUploadedFile("x.png", png())})
    assert ok.status_code == 201
    (attachment,) = ok.json()["attachments"]
    download = client.get(attachment["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")


def test_statistics_are_aggregates_only(cast: Any, interns: Any) -> None:
    file_case(interns.jabar, cast.candidate)
    rows = client_for(cast.central).get(f"{BASE}/cases/statistics").json()
    assert {r["category"]: r["filed"] for r in rows}["wages"] == 1
    assert set(rows[0]) == {
        "category", "label", "filed", "open", "resolved", "escalated",
        "mean_hours_to_resolution",
    }  # fmt: skip
    assert client_for(cast.host).get(f"{BASE}/cases/statistics").status_code == 403
    assert client_for(cast.candidate).get(f"{BASE}/cases/statistics").status_code == 403
