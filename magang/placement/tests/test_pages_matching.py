"""The committee's match pages and API: who may read and act, the run, a change with a
reason, finalisation; the candidate's own result."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from magang.placement.matching import stable_match
from magang.placement.models import Match, MatchRun
from magang.placement.services.matching import match_inputs

from .test_match_service import ranked  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
NOBODY = ("officer_jabar", "trainer", "partner", "host", "candidate", "outsider")
READERS = ("central", "leadership", "admin")


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def test_only_the_committee_reads_and_the_central_team_acts(ranked: Any, cast: Any) -> None:  # noqa: F811
    central = client_for(cast.central)
    orders = [o.pk for o in ranked.orders]
    for name in ("leadership", "admin", "partner"):
        assert (
            client_for(getattr(cast, name))
            .post(reverse("placement:match_create"), {"orders": orders})
            .status_code
            == 403
        )
    response = central.post(reverse("placement:match_create"), {"orders": orders}, follow=True)
    run = MatchRun.objects.get()
    assert "its 2 slots went to candidates it ranked higher" in response.content.decode()
    for url in (reverse("placement:match_list"), reverse("placement:match_detail", args=[run.pk])):
        for name in READERS:
            assert client_for(getattr(cast, name)).get(url).status_code == 200
        for name in NOBODY:
            assert client_for(getattr(cast, name)).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302
    page = client_for(cast.leadership).get(reverse("placement:match_detail", args=[run.pk]))
    assert b"Finalise" not in page.content


def test_change_and_finalise_through_the_pages(ranked: Any, cast: Any) -> None:  # noqa: F811
    central = client_for(cast.central)
    central.post(reverse("placement:match_create"), {"orders": [o.pk for o in ranked.orders]})
    run = MatchRun.objects.get()
    moved = Match.objects.get(run=run, application=ranked.by_number[2])
    url = reverse("placement:match_change", args=[run.pk, moved.pk])
    refused = central.post(url, {"job_order": "", "reason": ""}, follow=True)
    assert "Give the reason" in refused.content.decode()
    central.post(url, {"job_order": "", "reason": "Withdrew consent"})
    moved.refresh_from_db()
    assert moved.job_order is None and moved.change_reason == "Withdrew consent"
    central.post(reverse("placement:match_finalise", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == "final"
    mine = client_for(cast.candidate).get(reverse("placement:my_match"))
    own = "Matched to SS-2027-01 (Sendai Seiko), your 1st choice"
    assert mine.status_code == 200 and own in mine.content.decode()
    assert client_for(cast.outsider).get(reverse("placement:my_match")).status_code == 200
    assert own not in client_for(cast.outsider).get(reverse("placement:my_match")).content.decode()


def test_the_api_keeps_the_same_rules(ranked: Any, cast: Any) -> None:  # noqa: F811
    def post(client: Client, url: str, data: Any) -> Any:
        return client.post(url, json.dumps(data), content_type="application/json")

    base = "/api/v1/placement/matching/runs"
    refs = [o.reference for o in ranked.orders]
    assert Client().get(base).status_code == 401
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(base).status_code == 403
    assert post(client_for(cast.leadership), base, {"job_orders": refs}).status_code == 403
    assert (
        post(client_for(cast.central), base, {"job_orders": refs, "state": "final"}).status_code
        == 422
    )
    made = post(client_for(cast.central), base, {"job_orders": refs})
    assert made.status_code == 201 and made.json()["statistics"]["matched"] == 3
    run_id = made.json()["id"]
    results = client_for(cast.leadership).get(f"{base}/{run_id}/results").json()["items"]
    assert len(results) == 5
    number = ranked.by_number[3].registration_number
    change = client_for(cast.central).put(
        f"{base}/{run_id}/results/{number}",
        json.dumps({"job_order": refs[0], "reason": "Committee"}),
        content_type="application/json",
    )
    assert change.status_code == 422 and "no free slot" in change.json()["detail"]
    final = post(client_for(cast.central), f"{base}/{run_id}/finalise", {})
    assert final.status_code == 200 and final.json()["state"] == "final"
    me = client_for(ranked.by_number[0].candidate.user).get("/api/v1/placement/me/match")
    assert me.status_code == 200 and me.json()[0]["job_order"] == refs[0]


def test_pages_and_api_show_the_pure_functions_explanations(ranked: Any, cast: Any) -> None:  # noqa: F811
    """What the committee's page, the API and the candidate's page show of each result is
    exactly ``explain``'s text on the same inputs, in the reader's language; a manual change
    shows the committee's reason."""
    expected = stable_match(
        *match_inputs(ranked.orders)[:3], job_names=match_inputs(ranked.orders)[3]
    )
    central = client_for(cast.central)
    central.post(reverse("placement:match_create"), {"orders": [o.pk for o in ranked.orders]})
    run = MatchRun.objects.get()
    detail = reverse("placement:match_detail", args=[run.pk])
    english = central.get(detail).content.decode()
    indonesian = Client(headers={"accept-language": "id"})
    indonesian.force_login(cast.central)
    bahasa = indonesian.get(detail).content.decode()
    api = central.get(f"/api/v1/placement/matching/runs/{run.pk}/results").json()["items"]
    by_number = {item["registration_number"]: item for item in api}
    for application in ranked.graduates:
        en, id_ = (expected.explain(application.pk, lang) for lang in ("en", "id"))
        assert escape(en) in english and escape(id_) in bahasa
        item = by_number[application.registration_number]
        assert (item["explanation_en"], item["explanation_id"]) == (en, id_)
    first = ranked.by_number[0]
    assert by_number[first.registration_number]["choice"] == 1
    moved = Match.objects.get(run=run, application=ranked.by_number[2])
    central.post(
        reverse("placement:match_change", args=[run.pk, moved.pk]),
        {"job_order": "", "reason": "Withdrew consent"},
    )
    assert "Changed by the committee to -: Withdrew consent" in central.get(detail).content.decode()
    central.post(reverse("placement:match_finalise", args=[run.pk]))
    mine = client_for(first.candidate.user).get(reverse("placement:my_match")).content.decode()
    assert escape(expected.explain(first.pk, "en")) in mine
    api_mine = client_for(first.candidate.user).get("/api/v1/placement/me/match").json()
    assert api_mine[0]["explanation_id"] == expected.explain(first.pk, "id")
