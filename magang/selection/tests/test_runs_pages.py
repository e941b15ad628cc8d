"""The ranking pages through the client: who may read, who may act, the two-person flow,
the public results by registration number, seat promotion and objections."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang.selection.models import Objection, RankingRun

from .test_runs import complete, second_central

pytestmark = pytest.mark.django_db

NOBODY = ("officer_jabar", "officer_jateng", "trainer", "partner", "host", "candidate", "outsider")
READERS = ("central", "leadership", "admin")


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})  # pages negotiate; Indonesian by default
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def ranked(selection: Any, tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    complete(selection, {0: 90, 1: 80, 2: 70, 3: 95, 4: 85, 5: 75})
    return selection


def code(selection: Any) -> str:
    return str(selection.plan.round.code)


def test_readers_see_the_plan_and_runs_and_nobody_else(ranked: Any, cast: Any) -> None:
    round_code = code(ranked)
    client_for(cast.central).post(reverse("selection:run_create", args=[round_code]))
    pages = [
        reverse("selection:plan_list"),
        reverse("selection:run_list", args=[round_code]),
        reverse("selection:run_detail", args=[round_code, 1]),
        reverse("selection:objection_list"),
    ]
    for url in pages:
        for name in READERS:
            assert client_for(getattr(cast, name)).get(url).status_code == 200, (url, name)
        for name in NOBODY:
            assert client_for(getattr(cast, name)).get(url).status_code == 403, (url, name)
        assert client_for(None).get(url).status_code == 302


def test_only_the_central_team_acts(ranked: Any, cast: Any) -> None:
    round_code = code(ranked)
    create = reverse("selection:run_create", args=[round_code])
    for name in ("leadership", "admin", "officer_jabar", "candidate"):
        assert client_for(getattr(cast, name)).post(create).status_code == 403
    assert not RankingRun.objects.exists()
    response = client_for(cast.central).post(create, follow=True)
    assert response.status_code == 200
    run = RankingRun.objects.get()
    assert "Run 1 is ready for review." in response.content.decode()
    for action in ("run_propose", "run_approve", "run_publish"):
        url = reverse(f"selection:{action}", args=[round_code, run.number])
        for name in ("leadership", "admin", "officer_jabar"):
            assert client_for(getattr(cast, name)).post(url).status_code == 403
    assert (
        client_for(cast.central)
        .get(reverse("selection:run_propose", args=[round_code, 1]))
        .status_code
        == 405
    )


def test_the_two_person_flow_through_the_pages(ranked: Any, cast: Any) -> None:
    round_code = code(ranked)
    first = client_for(cast.central)
    first.post(reverse("selection:run_create", args=[round_code]))
    first.post(reverse("selection:run_propose", args=[round_code, 1]))
    page = first.get(reverse("selection:run_detail", args=[round_code, 1])).content.decode()
    assert "Another member of the central team must approve this run." in page
    refused = first.post(reverse("selection:run_approve", args=[round_code, 1]), follow=True)
    assert "another member of the central team must approve it" in refused.content.decode()
    second = client_for(second_central(cast, None))
    second.post(reverse("selection:run_approve", args=[round_code, 1]))
    second.post(reverse("selection:run_publish", args=[round_code, 1]))
    run = RankingRun.objects.get()
    assert run.state == "final" and run.published_digest


def test_missing_results_are_reported_on_the_page(selection: Any, cast: Any) -> None:
    selection.record(selection.jabar[0], "admin", True)
    response = client_for(cast.central).post(
        reverse("selection:run_create", args=[code(selection)]), follow=True
    )
    assert "still lack a result the ranking needs" in response.content.decode()
    assert not RankingRun.objects.exists()


@pytest.fixture
def published(ranked: Any, cast: Any) -> Any:
    round_code = code(ranked)
    client_for(cast.central).post(reverse("selection:run_create", args=[round_code]))
    client_for(cast.central).post(reverse("selection:run_propose", args=[round_code, 1]))
    second = client_for(second_central(cast, None))
    second.post(reverse("selection:run_approve", args=[round_code, 1]))
    second.post(reverse("selection:run_publish", args=[round_code, 1]))
    return ranked


def test_public_results_by_registration_number_with_the_digest(published: Any) -> None:
    round_code, anyone = code(published), Client()
    assert anyone.get(reverse("selection:public_index")).status_code == 200
    url = reverse("selection:public_results", args=[round_code])
    number = published.jateng[2].registration_number
    page = anyone.get(url, {"number": number.lower()}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and "Not selected" in text
    assert published.jateng[2].candidate.full_name not in text
    assert anyone.get(url, {"number": "NOPE"}).status_code == 404
    download = anyone.get(reverse("selection:public_list", args=[round_code]))
    run = RankingRun.objects.get()
    assert hashlib.sha256(download.content).hexdigest() == run.published_digest
    assert run.published_digest in text


def test_unpublished_results_are_not_public(ranked: Any, cast: Any) -> None:
    round_code = code(ranked)
    client_for(cast.central).post(reverse("selection:run_create", args=[round_code]))
    for name in ("public_results", "public_list"):
        assert Client().get(reverse(f"selection:{name}", args=[round_code])).status_code == 404


def test_a_seat_left_promotes_the_reserve(published: Any, cast: Any) -> None:
    leaving = published.jateng[0]
    url = reverse("selection:seat_vacate", args=[leaving.pk])
    for name in ("leadership", "admin", "officer_jateng", "candidate"):
        assert client_for(getattr(cast, name)).get(url).status_code == 403
    central = client_for(cast.central)
    assert central.get(url).status_code == 200
    assert central.post(url, {"to": "withdrawn", "reason": ""}).status_code == 400
    response = central.post(url, {"to": "withdrawn", "reason": "Moved abroad"}, follow=True)
    reserve = published.jateng[1]
    assert f"{reserve.registration_number} was promoted" in response.content.decode()
    # Nobody selected any more: the page is not found.
    assert central.get(url).status_code == 404


def test_objections_from_the_candidate_to_the_central_team(published: Any, cast: Any) -> None:
    mine, theirs = published.jabar[0], published.jabar[1]
    candidate = client_for(cast.candidate)
    assert candidate.get(reverse("selection:objection_file", args=[theirs.pk])).status_code == 404
    assert (
        client_for(cast.outsider)
        .get(reverse("selection:objection_file", args=[mine.pk]))
        .status_code
        == 404
    )
    url = reverse("selection:objection_file", args=[mine.pk])
    assert candidate.post(url, {"reason": "short"}).status_code == 400
    candidate.post(url, {"reason": "My maths sheet had 16 correct answers, not 14."})
    objection = Objection.objects.get()
    review = reverse("selection:objection_review", args=[objection.pk])
    assert client_for(cast.leadership).get(review).status_code == 200
    assert (
        client_for(cast.leadership).post(review, {"upheld": "1", "decision": "x"}).status_code
        == 403
    )
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(review).status_code == 403
    client_for(cast.central).post(
        review, {"upheld": "0", "decision": "The sheet was checked by two people: 14 correct."}
    )
    page = candidate.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dismissed" in page and "14 correct" in page
