"""The runs API: the same roles and refusals as the pages, no mass assignment."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from magang.selection.models import Objection, RankingRun

from .test_runs import complete, second_central
from .test_runs_pages import NOBODY, READERS, client_for, code

pytestmark = pytest.mark.django_db
BASE = "/api/v1/selection"


@pytest.fixture
def ranked(selection: Any, tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    complete(selection, {0: 90, 1: 80, 2: 70, 3: 95, 4: 85, 5: 75})
    return selection


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_runs_are_read_by_readers_and_made_by_the_central_team(ranked: Any, cast: Any) -> None:
    runs = f"{BASE}/rounds/{code(ranked)}/runs"
    assert Client().get(runs).status_code == 401
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(runs).status_code == 403
        assert post(client_for(getattr(cast, name)), runs).status_code == 403
    for name in ("leadership", "admin"):
        assert post(client_for(getattr(cast, name)), runs).status_code == 403
    assert not RankingRun.objects.exists()
    made = post(client_for(cast.central), runs)
    assert made.status_code == 201 and made.json()["counts"]["selected"] == 3
    for name in READERS:
        listed = client_for(getattr(cast, name)).get(runs)
        assert listed.status_code == 200 and listed.json()[0]["number"] == 1
    placements = client_for(cast.leadership).get(f"{runs}/1/placements", {"outcome": "reserve"})
    assert placements.status_code == 200
    assert {p["outcome"] for p in placements.json()["items"]} == {"reserve"}
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(f"{runs}/1/placements").status_code == 403


def test_no_mass_assignment_and_clear_refusals(ranked: Any, cast: Any) -> None:
    runs = f"{BASE}/rounds/{code(ranked)}/runs"
    central = client_for(cast.central)
    assert post(central, runs, {"state": "final"}).status_code == 422
    assert not RankingRun.objects.exists()
    post(central, runs)
    assert post(central, f"{runs}/1/approve").status_code == 422  # not proposed yet
    assert post(central, f"{runs}/1/propose").status_code == 200
    refused = post(central, f"{runs}/1/approve")
    assert refused.status_code == 422 and "another member" in refused.json()["detail"]
    approved = post(client_for(second_central(cast, None)), f"{runs}/1/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "final"
    assert post(central, f"{runs}/9/propose").status_code == 404


def test_public_results_objections_and_seats(ranked: Any, cast: Any) -> None:
    runs = f"{BASE}/rounds/{code(ranked)}/runs"
    central, second = client_for(cast.central), client_for(second_central(cast, None))
    post(central, runs)
    post(central, f"{runs}/1/propose")
    post(second, f"{runs}/1/approve")
    public = f"{BASE}/public/{code(ranked)}/results/{ranked.jateng[2].registration_number}"
    assert Client().get(public).status_code == 404  # not published yet
    published = post(second, f"{runs}/1/publish").json()
    answer = Client().get(public, {"lang": "en"})
    assert answer.status_code == 200
    assert answer.json()["outcome"] == "not_selected"
    assert answer.json()["published_digest"] == published["published_digest"]
    assert answer.json()["explanation"].startswith("Not selected")

    mine, theirs = ranked.jabar[0], ranked.jabar[1]
    candidate = client_for(cast.candidate)
    objections = f"{BASE}/me/applications/{mine.pk}/objections"
    assert (
        post(
            candidate, f"{BASE}/me/applications/{theirs.pk}/objections", {"reason": "x" * 20}
        ).status_code
        == 404
    )
    assert post(candidate, objections, {"reason": "x" * 20, "state": "upheld"}).status_code == 422
    filed = post(candidate, objections, {"reason": "My interview score was not recorded."})
    assert filed.status_code == 201
    objection = Objection.objects.get()
    decide = f"{BASE}/objections/{objection.pk}/decision"
    for name in ("leadership", "admin", "officer_jabar", "candidate"):
        assert (
            post(
                client_for(getattr(cast, name)), decide, {"upheld": True, "decision": "ok"}
            ).status_code
            == 403
        )
    decided = post(central, decide, {"upheld": False, "decision": "The score was recorded: 90."})
    assert decided.status_code == 200 and decided.json()["state"] == "dismissed"
    assert candidate.get(objections).json()[0]["decision"] == "The score was recorded: 90."

    vacate = f"{BASE}/applications/{ranked.jateng[0].pk}/vacate"
    for name in ("leadership", "officer_jateng", "candidate"):
        assert (
            post(
                client_for(getattr(cast, name)), vacate, {"to": "withdrawn", "reason": "x"}
            ).status_code
            == 403
        )
    assert post(central, vacate, {"to": "in_training", "reason": "x"}).status_code == 422
    moved = post(central, vacate, {"to": "withdrawn", "reason": "Family"})
    assert moved.status_code == 200
    assert moved.json()["promoted"] == ranked.jateng[1].registration_number
