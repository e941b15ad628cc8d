"""The stay's API: scoped reads, partner batches with idempotency and per-item errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from magang.accounts.models import User
from magang.accounts.tokens import api_token_issue
from magang.internships.models import Exam, IdempotentRequest, Internship
from magang.internships.services import stay as services
from magang.recruitment.models import JourneyEvent

from .stay_fixtures import Stay, stay_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
D = dt.date
BASE = "/api/v1/internships"


def client(user: User | None) -> Client:
    c = Client(headers={"accept-language": "en"})
    if user is not None:
        c.force_login(user)
    return c


def post(c: Client, path: str, body: Any, key: str | None = "k-1", **headers: str) -> Any:
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return c.post(
        f"{BASE}{path}", json.dumps(body), content_type="application/json", **extra, **headers
    )


def arrived(s: Stay) -> None:
    for i in (s.jabar, s.jateng):
        services.internship_arrive(internship=i, arrived_on=D(2022, 3, 2), by=s.cast.central)


def numbers(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["registration_number"] for row in response.json()["items"]}


def test_reads_are_scoped_like_the_pages(stay: Stay) -> None:
    c = stay.cast
    jabar = stay.jabar.application.registration_number
    assert numbers(client(c.partner).get(f"{BASE}/")) == {
        jabar,
        stay.jateng.application.registration_number,
    }
    assert numbers(client(c.host).get(f"{BASE}/")) == {jabar}
    assert numbers(client(c.officer_jabar).get(f"{BASE}/")) == {jabar}
    assert client(c.trainer).get(f"{BASE}/").status_code == 403
    assert client(None).get(f"{BASE}/").status_code == 401
    assert client(c.host).get(f"{BASE}/{stay.jateng.pk}").status_code == 404
    assert client(c.host).get(f"{BASE}/{stay.jabar.pk}").status_code == 200


def test_a_status_batch_applies_good_items_and_reports_bad_ones(stay: Stay) -> None:
    arrived(stay)
    body = {
        "items": [
            {
                "registration_number": stay.jabar.application.registration_number,
                "action": "transfer",
                "effective_on": "2022-09-01",
                "reason": "company_closure",
                "host_company_id": stay.cast.host_company_other.pk,
            },
            {
                "registration_number": stay.jateng.application.registration_number,
                "action": "early_return",
                "effective_on": "2022-09-01",
                "reason": "bored",
            },
            {
                "registration_number": "T-99999999",
                "action": "completed",
                "effective_on": "2022-09-01",
            },
        ]
    }
    response = post(client(stay.cast.partner), "/batches/status", body)
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["applied"], report["failed"], report["replayed"]) == (1, 2, False)
    assert [r["ok"] for r in report["results"]] == [True, False, False]
    assert "reason" in report["results"][1]["error"]
    assert "No internship" in report["results"][2]["error"]
    stay.jateng.refresh_from_db()
    assert stay.jateng.ended_on is None


def test_a_retry_changes_nothing_twice_and_a_changed_body_is_refused(stay: Stay) -> None:
    arrived(stay)
    secret = api_token_issue(user=stay.cast.partner, name="IM Japan sync").secret
    api = Client(headers={"authorization": f"Bearer {secret}", "accept-language": "en"})
    body = {
        "items": [
            {
                "registration_number": stay.jabar.application.registration_number,
                "action": "missing",
                "effective_on": "2022-06-01",
            }
        ]
    }
    first = post(api, "/batches/status", body, key="retry-1")
    events = JourneyEvent.objects.count()
    again = post(api, "/batches/status", body, key="retry-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["results"] == first.json()["results"]
    assert JourneyEvent.objects.count() == events
    body["items"][0]["effective_on"] = "2022-06-02"
    refused = post(api, "/batches/status", body, key="retry-1")
    assert refused.status_code == 422
    assert IdempotentRequest.objects.count() == 1


def test_a_batch_needs_a_key_and_valid_items(stay: Stay) -> None:
    body = {
        "items": [
            {
                "registration_number": stay.jabar.application.registration_number,
                "action": "fly",
                "effective_on": "2022-06-01",
            }
        ]
    }
    assert post(client(stay.cast.partner), "/batches/status", body).status_code == 422
    body["items"][0]["action"] = "arrival"
    assert post(client(stay.cast.partner), "/batches/status", body, key=None).status_code == 400


def test_roles_and_scopes_in_batches(stay: Stay) -> None:
    arrived(stay)
    jateng = stay.jateng.application.registration_number
    body = {
        "items": [
            {"registration_number": jateng, "action": "missing", "effective_on": "2022-06-01"}
        ]
    }
    assert post(client(stay.cast.trainer), "/batches/status", body).status_code == 403
    report = post(client(stay.cast.host), "/batches/status", body).json()
    assert report["results"][0]["ok"] is False  # another company's intern: not found
    body["items"][0]["action"] = "completed"
    report = post(client(stay.cast.host_other), "/batches/status", body, key="k-2").json()
    assert "may not" in report["results"][0]["error"]
    assert Internship.objects.get(pk=stay.jateng.pk).ended_on is None


def test_an_exam_batch_records_results(stay: Stay) -> None:
    arrived(stay)
    body = {
        "items": [
            {
                "registration_number": stay.jabar.application.registration_number,
                "exam": "titp-basic",
                "taken_on": "2023-01-20",
                "result": "passed",
                "score": 88.5,
            },
            {
                "registration_number": stay.jateng.application.registration_number,
                "exam": "nope",
                "taken_on": "2023-01-20",
                "result": "passed",
            },
        ]
    }
    report = post(client(stay.cast.central), "/batches/exams", body).json()
    assert [r["ok"] for r in report["results"]] == [True, False]
    assert Exam.objects.get().score == 88.5


def test_the_schema_documents_the_batches() -> None:
    schema = client(None).get("/api/v1/openapi.json").json()
    post_ = schema["paths"][f"{BASE}/batches/status"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in post_["parameters"])
