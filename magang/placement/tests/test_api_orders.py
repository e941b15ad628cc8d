"""The placement API: job orders, a candidate's own preferences, shortlists, interviews and
the company's ranking; the same scopes and refusals as the pages, no mass assignment."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from magang.placement.models import Candidacy, JobOrder, Preference
from magang.placement.services.candidacies import preferences_set

from .conftest import order_data
from .test_pages_orders import NATIONWIDE, NOBODY, client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/placement"


def send(client: Client, method: str, url: str, data: Any = None) -> Any:
    call = getattr(client, method)
    return call(url, json.dumps(data if data is not None else {}), content_type="application/json")


def order_json(reference: str, **extra: Any) -> dict[str, Any]:
    return {
        "reference": reference,
        "trade": "6-1-1",
        "prefecture": "04",
        "slots": 1,
        "planned_start": "2027-07-01",
        **extra,
    }


def test_job_orders_are_listed_and_read_within_scope(placement: Any, cast: Any) -> None:
    url = f"{BASE}/orders"
    assert Client().get(url).status_code == 401
    for name in (*NATIONWIDE, "partner"):
        listed = client_for(getattr(cast, name)).get(url)
        assert listed.status_code == 200, name
        assert {o["reference"] for o in listed.json()["items"]} == {"SS-2027-01", "NK-2027-01"}
    host = client_for(cast.host).get(url).json()["items"]
    assert [o["reference"] for o in host] == ["SS-2027-01"]
    assert host[0]["host_company"] == "Sendai Seiko" and host[0]["trade"]["code"] == "6-1-1"
    assert host[0]["prefecture"]["name_ja"] == "宮城県" and host[0]["state"] == "open"
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    filtered = client_for(cast.central).get(url, {"prefecture": "04", "state": "open"}).json()
    assert [o["reference"] for o in filtered["items"]] == ["SS-2027-01", "NK-2027-01"] or [
        o["reference"] for o in filtered["items"]
    ] == ["NK-2027-01", "SS-2027-01"]
    assert client_for(cast.central).get(url, {"state": "matched"}).json()["count"] == 0
    ss = placement.orders[0]
    detail = client_for(cast.host).get(f"{url}/{ss.pk}")
    assert detail.status_code == 200
    assert (
        detail.json()["figures"]["year_ordered"] == 2 and detail.json()["figures"]["year_cap"] == 6
    )
    assert client_for(cast.host_other).get(f"{url}/{ss.pk}").status_code == 404
    assert client_for(cast.leadership).get(f"{url}/{ss.pk}").status_code == 200
    assert client_for(cast.officer_jabar).get(f"{url}/{ss.pk}").status_code == 403
    assert Client().get(f"{url}/{ss.pk}").status_code == 401


def test_job_orders_are_sent_and_changed_by_their_senders(placement: Any, cast: Any) -> None:
    url = f"{BASE}/orders"
    made = send(
        client_for(cast.host),
        "post",
        url,
        order_json("SS-2027-05", host_company_id=cast.host_company.pk),
    )
    assert made.status_code == 201 and made.json()["reference"] == "SS-2027-05"
    order = JobOrder.objects.get(reference="SS-2027-05")
    assert order.created_by == cast.host
    over = send(
        client_for(cast.partner),
        "post",
        url,
        order_json("SS-2027-06", host_company_id=cast.host_company.pk, slots=4),
    )
    assert over.status_code == 422
    assert over.json()["detail"] == (
        "Over the intake cap: 80 staff allow 6 interns a year; 3 already ordered for 2027 + 4 "
        "asked = 7, 1 too many."
    )
    foreign = send(
        client_for(cast.host_other),
        "post",
        url,
        order_json("X-1", host_company_id=cast.host_company.pk),
    )
    assert foreign.status_code == 422
    for name in ("leadership", "admin", *NOBODY):
        refused = send(
            client_for(getattr(cast, name)),
            "post",
            url,
            order_json("X-2", host_company_id=cast.host_company.pk),
        )
        assert refused.status_code == 403, name
    assert send(Client(), "post", url, order_json("X-3")).status_code == 401
    extra = send(
        client_for(cast.host),
        "post",
        url,
        order_json("X-4", host_company_id=cast.host_company.pk, state="matched"),
    )
    assert extra.status_code == 422
    unknown = send(
        client_for(cast.host),
        "post",
        url,
        order_json("X-5", host_company_id=cast.host_company.pk, trade="9-9-9"),
    )
    assert unknown.status_code == 422 and "9-9-9" in unknown.json()["detail"]
    assert not JobOrder.objects.filter(reference__startswith="X-").exists()

    change = f"{url}/{order.pk}"
    changed = send(client_for(cast.partner), "put", change, order_json("SS-2027-05", slots=2))
    assert changed.status_code == 200 and changed.json()["slots"] == 2
    assert (
        send(client_for(cast.host_other), "put", change, order_json("SS-2027-05")).status_code
        == 404
    )
    for name in ("leadership", "admin"):
        assert (
            send(
                client_for(getattr(cast, name)), "put", change, order_json("SS-2027-05")
            ).status_code
            == 403
        )
    for name in NOBODY:
        assert (
            send(
                client_for(getattr(cast, name)), "put", change, order_json("SS-2027-05")
            ).status_code
            == 403
        )
    assert (
        send(
            client_for(cast.host), "put", change, order_json("SS-2027-05", host_company_id=1)
        ).status_code
        == 422
    )
    JobOrder.objects.filter(pk=order.pk).update(state="cancelled")
    closed = send(client_for(cast.host), "put", change, order_json("SS-2027-05", slots=1))
    assert closed.status_code == 422
    order.refresh_from_db()
    assert order.slots == 2


def test_a_candidate_reads_and_sets_only_their_own_preferences(placement: Any, cast: Any) -> None:
    from magang.placement.services.orders import job_order_save

    tall = job_order_save(
        host_company=cast.host_company_other,
        data=order_data("NK-2027-09", min_height_cm=170),
        by=cast.partner,
    )
    url = f"{BASE}/me/preferences"
    assert Client().get(url).status_code == 401
    for name in (*NATIONWIDE, "partner", "host", "officer_jabar", "trainer", "outsider"):
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
        assert (
            send(client_for(getattr(cast, name)), "put", url, {"job_order_ids": []}).status_code
            == 403
        )
    other = placement.graduates[1]
    preferences_set(application=other, job_orders=[placement.orders[0]], by=other.candidate.user)
    candidate = client_for(cast.candidate)
    mine = candidate.get(url).json()
    assert mine["may_rank"] and mine["ranked"] == [] and mine["max_preferences"] == 10
    assert mine["registration_number"] == placement.graduates[0].registration_number
    choices = {c["reference"]: c for c in mine["choices"]}
    assert choices["SS-2027-01"]["eligible"] and not choices["NK-2027-09"]["eligible"]
    assert (
        choices["NK-2027-09"]["unmet"][0]["text_en"] == "Height 168 cm; at least 170 cm is asked."
    )
    ss, nk = placement.orders
    saved = send(candidate, "put", url, {"job_order_ids": [nk.pk, ss.pk]})
    assert saved.status_code == 200
    assert [(r["rank"], r["reference"]) for r in saved.json()["ranked"]] == [
        (1, "NK-2027-01"),
        (2, "SS-2027-01"),
    ]
    refused = send(candidate, "put", url, {"job_order_ids": [tall.pk]})
    assert refused.status_code == 422 and "at least 170 cm" in refused.json()["detail"]
    assert send(candidate, "put", url, {"job_order_ids": [ss.pk, ss.pk]}).status_code == 422
    assert send(candidate, "put", url, {"job_order_ids": [999999]}).status_code == 422
    assert send(candidate, "put", url, {"job_order_ids": [], "rank": 1}).status_code == 422
    assert list(
        Preference.objects.filter(application=placement.graduates[0]).values_list(
            "rank", "job_order"
        )
    ) == [(1, nk.pk), (2, ss.pk)]
    assert Preference.objects.filter(application=other).count() == 1


def test_shortlists_interviews_and_ranking_in_the_api(placement: Any, cast: Any) -> None:
    order = placement.orders[0]
    for graduate in placement.graduates:
        preferences_set(application=graduate, job_orders=[order], by=graduate.candidate.user)
    url = f"{BASE}/orders/{order.pk}/shortlist"
    for name in ("leadership", "admin", *NOBODY):
        assert send(client_for(getattr(cast, name)), "post", url).status_code == 403, name
    assert send(client_for(cast.host_other), "post", url).status_code == 404
    assert send(Client(), "post", url).status_code == 401
    proposed = send(client_for(cast.partner), "post", url)
    assert proposed.status_code == 200 and proposed.json()["added"] == 5
    for name in (*NATIONWIDE, "partner", "host"):
        assert len(client_for(getattr(cast, name)).get(url).json()) == 5, name
    assert client_for(cast.host_other).get(url).status_code == 404
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name

    people = list(
        Candidacy.objects.filter(job_order=order).order_by("application__registration_number")
    )
    for index, candidacy in enumerate(people):
        answer = send(
            client_for(cast.host),
            "put",
            f"{url}/{candidacy.pk}/interview",
            {
                "interviewed_on": "2027-02-01",
                "interviewer": "Sato",
                "result": "passed" if index < 2 else "failed",
            },
        )
        assert answer.status_code == 200 and answer.json()["interviewer"] == "Sato"
    first = f"{url}/{people[0].pk}/interview"
    assert (
        send(
            client_for(cast.host), "put", first, {"interviewed_on": "2027-02-01", "result": "maybe"}
        ).status_code
        == 422
    )
    for name in ("leadership", "admin", *NOBODY):
        assert (
            send(
                client_for(getattr(cast, name)),
                "put",
                first,
                {"interviewed_on": "2027-02-01", "result": "failed"},
            ).status_code
            == 403
        )
    assert (
        send(
            client_for(cast.host_other),
            "put",
            first,
            {"interviewed_on": "2027-02-01", "result": "failed"},
        ).status_code
        == 404
    )
    assert (
        send(
            client_for(cast.host),
            "put",
            f"{url}/999999/interview",
            {"interviewed_on": "2027-02-01", "result": "failed"},
        ).status_code
        == 404
    )

    ranking = f"{BASE}/orders/{order.pk}/ranking"
    numbers = [p.application.registration_number for p in people]
    refused = send(client_for(cast.host), "put", ranking, {"registration_numbers": [numbers[3]]})
    assert refused.status_code == 422 and "Only candidates who passed" in refused.json()["detail"]
    stranger = send(
        client_for(cast.host),
        "put",
        ranking,
        {"registration_numbers": [cast.application_jateng.registration_number]},
    )
    assert stranger.status_code == 422
    saved = send(
        client_for(cast.host), "put", ranking, {"registration_numbers": [numbers[1], numbers[0]]}
    )
    assert saved.status_code == 200
    assert [(c["registration_number"], c["company_rank"]) for c in saved.json()[:2]] == [
        (numbers[1], 1),
        (numbers[0], 2),
    ]
    for name in ("leadership", "admin", *NOBODY):
        assert (
            send(
                client_for(getattr(cast, name)), "put", ranking, {"registration_numbers": []}
            ).status_code
            == 403
        )
    assert (
        send(client_for(cast.host_other), "put", ranking, {"registration_numbers": []}).status_code
        == 404
    )
    assert Candidacy.objects.filter(job_order=order, company_rank__isnull=False).count() == 2


def test_the_schema_documents_the_placement_endpoints(cast: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/placement/orders",
        "/api/v1/placement/orders/{order_id}",
        "/api/v1/placement/me/preferences",
        "/api/v1/placement/orders/{order_id}/shortlist",
        "/api/v1/placement/orders/{order_id}/shortlist/{candidacy_id}/interview",
        "/api/v1/placement/orders/{order_id}/ranking",
    ):
        assert path in paths, path
