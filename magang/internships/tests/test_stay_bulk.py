"""Partner status batches in bulk (issue 7): the bulk path leaves exactly the state, events and
audit rows the one-by-one path leaves, gives the same per-item results, and its number of
queries does not grow with the number of items."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast
from magang import factories as f
from magang.core.models import AuditEntry
from magang.internships.models import (
    HomeLeave,
    HostPlacement,
    Internship,
    MonitoringDuty,
    StayEvent,
)
from magang.internships.services import partner
from magang.internships.services import stay as services
from magang.recruitment.journey import Status
from magang.recruitment.models import JourneyEvent

from .stay_fixtures import DEPARTED, Stay, stay_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
D = dt.date
ON = D(2024, 1, 10)


def interns(cast: Cast, n: int, *, arrive: bool = True) -> list[Internship]:
    made = []
    for _ in range(n):
        app = f.ApplicationFactory(site=cast.site_jabar, status=Status.DEPARTED.value)
        internship = Internship.objects.create(
            application=app,
            supervising_organisation=cast.imjapan,
            host_company=cast.host_company,
            prefecture=cast.host_company.prefecture,
            trade=f.trade(),
            departed_on=DEPARTED,
        )
        if arrive:
            services.internship_arrive(
                internship=internship, arrived_on=D(2022, 3, 2), by=cast.central
            )
        made.append(internship)
    return made


def plan(cast: Cast, group: list[Internship], waiting: Internship) -> list[dict[str, Any]]:
    """One of each action the bulk path takes, refusals of each check, and items that go
    one by one (an arrival, an intern named twice)."""
    n = [i.application.registration_number for i in group]
    other = cast.host_company_other.pk
    return [
        {"registration_number": n[0], "action": "transfer", "effective_on": ON,
         "reason": "company_closure", "host_company_id": other, "note": "closing"},
        {"registration_number": n[1], "action": "early_return", "effective_on": ON,
         "reason": "health", "note": "ill"},
        {"registration_number": n[2], "action": "missing", "effective_on": ON, "note": "gone"},
        {"registration_number": n[3], "action": "completed", "effective_on": ON},
        {"registration_number": n[4], "action": "home_leave", "effective_on": D(2023, 5, 1),
         "returned_on": D(2023, 6, 10)},
        # refusals
        {"registration_number": n[5], "action": "transfer", "effective_on": ON,
         "reason": "company_closure", "host_company_id": cast.host_company.pk},
        {"registration_number": n[6], "action": "early_return", "effective_on": ON,
         "reason": "boredom"},
        {"registration_number": n[7], "action": "missing", "effective_on": D(2020, 1, 1)},
        {"registration_number": n[8], "action": "home_leave", "effective_on": D(2023, 5, 1),
         "returned_on": D(2023, 4, 1)},
        {"registration_number": "NOPE-1", "action": "completed", "effective_on": ON},
        {"registration_number": n[9], "action": "transfer", "effective_on": ON,
         "reason": "company_closure"},
        # not possible from "departed": the journey refuses it
        {"registration_number": waiting.application.registration_number,
         "action": "completed", "effective_on": ON},
        # one by one: named twice, and an action outside the bulk path
        {"registration_number": n[10], "action": "missing", "effective_on": ON},
        {"registration_number": n[10], "action": "found", "effective_on": ON},
        {"registration_number": n[11], "action": "next_stage", "effective_on": ON},
    ]  # fmt: skip


def state(internship: Internship) -> dict[str, Any]:
    """Everything a status change writes for one intern, without ids that differ between
    two interns treated alike."""
    i = Internship.objects.select_related("application").get(pk=internship.pk)
    number = i.application.registration_number

    def audits(obj_type: str, pk: int) -> list[tuple[Any, ...]]:
        return [
            (a.action, a.changes, a.reason, a.object_repr.replace(number, "N"), a.actor_id)
            for a in AuditEntry.objects.filter(object_type=obj_type, object_id=str(pk)).order_by(
                "id"
            )
        ]

    return {
        "status": i.application.status,
        "internship": (
            i.ended_on,
            i.end_reason,
            i.early_return_reason,
            i.host_company_id,
            i.prefecture_id,
            i.stage_id,
        ),
        "placements": list(
            HostPlacement.objects.filter(internship=i)
            .order_by("started_on", "id")
            .values_list("host_company_id", "prefecture_id", "started_on", "ended_on", "end_reason")
        ),
        "duties": list(
            MonitoringDuty.objects.filter(internship=i)
            .order_by("kind", "sequence")
            .values_list("kind", "sequence", "status", "host_company_id", "due_on")
        ),
        "stay_events": [
            (
                e.kind,
                e.effective_on,
                e.reason,
                e.note,
                e.host_company_id,
                e.stage_id,
                e.actor_id,
                e.source,
                e.journey_event.to_status if e.journey_event else None,
            )
            for e in StayEvent.objects.filter(internship=i).order_by("id")
        ],
        "journey": list(
            JourneyEvent.objects.filter(application_id=i.application_id)
            .order_by("id")
            .values_list("from_status", "to_status", "reason", "effective_on", "actor_id")
        ),
        "home_leaves": list(
            HomeLeave.objects.filter(internship=i).values_list("left_on", "returned_on")
        ),
        "audit": audits("internships.internship", i.pk)
        + audits("recruitment.application", i.application_id),
    }


def run(cast: Cast, items: list[dict[str, Any]], *, bulk: bool, key: str) -> dict[str, Any]:
    numbers = [i["registration_number"] for i in items]
    applier = partner.Applier(cast.partner, numbers)
    applier.prefetch_companies(items)
    outcome = partner.batch_run(
        user=cast.partner,
        key=key,
        endpoint="status",
        payload={"items": [json.dumps(i, default=str) for i in items]},
        items=items,
        apply=applier.status,
        apply_all=applier.status_all if bulk else None,
    )
    return outcome.body


def test_bulk_and_one_by_one_leave_the_same_state_events_and_results(stay: Stay) -> None:
    cast = stay.cast
    one_by_one, in_bulk = interns(cast, 12), interns(cast, 12)
    waiting_a, waiting_b = interns(cast, 1, arrive=False)[0], interns(cast, 1, arrive=False)[0]
    before = [state(i) for i in one_by_one]
    assert before == [state(i) for i in in_bulk]

    first = run(cast, plan(cast, one_by_one, waiting_a), bulk=False, key="a")
    second = run(cast, plan(cast, in_bulk, waiting_b), bulk=True, key="b")

    def results(body: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (r["index"], r["ok"], r.get("status"), r.get("error"), "internship_id" in r)
            for r in body["results"]
        ]

    assert results(first) == results(second)
    assert (first["applied"], first["failed"]) == (second["applied"], second["failed"]) == (7, 8)
    for a, b in zip([*one_by_one, waiting_a], [*in_bulk, waiting_b], strict=True):
        assert state(a) == state(b)
    # the bulk path did change things, and explained every refusal
    assert [state(i)["status"] for i in in_bulk[:4]] == [
        "in_japan",
        "early_return",
        "missing",
        "completed",
    ]
    errors = [r["error"] for r in second["results"] if not r["ok"]]
    assert all(errors) and len(errors) == 8
    assert any("already at this company" in e for e in errors)
    assert any("Not possible while the intern's status is 'departed'" in e for e in errors)


def test_a_refused_bulk_item_writes_nothing(stay: Stay) -> None:
    cast = stay.cast
    (one,) = interns(cast, 1)
    before = state(one)
    items = [
        {
            "registration_number": one.application.registration_number,
            "action": "missing",
            "effective_on": D(2021, 1, 1),
        }
    ]
    body = run(cast, items, bulk=True, key="r")
    assert body["results"][0]["ok"] is False
    assert state(one) == before


def _batch_queries(cast: Cast, group: list[Internship], key: str) -> list[str]:
    other = cast.host_company_other.pk
    actions = ["transfer", "early_return", "missing", "completed", "home_leave"]
    items = []
    for n, internship in enumerate(group):
        action = actions[n % len(actions)]
        item: dict[str, Any] = {
            "registration_number": internship.application.registration_number,
            "action": action,
            "effective_on": ON.isoformat(),
        }
        if action == "transfer":
            item.update(reason="company_closure", host_company_id=other)
        elif action == "early_return":
            item["reason"] = "family"
        elif action == "home_leave":
            item.update(effective_on="2023-05-01", returned_on="2023-06-10")
        items.append(item)
    client = Client(headers={"accept-language": "en"})
    client.force_login(cast.partner)
    client.get("/api/v1/internships/?limit=1")  # session and scope warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            "/api/v1/internships/batches/status",
            json.dumps({"items": items}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
    assert response.status_code == 200, response.content
    assert response.json()["failed"] == 0, response.json()
    return [q["sql"] for q in ctx.captured_queries]


def test_a_batchs_queries_do_not_grow_with_its_items(stay: Stay) -> None:
    cast = stay.cast
    small = _batch_queries(cast, interns(cast, 5), "q-5")
    large = _batch_queries(cast, interns(cast, 20), "q-20")
    assert len(large) == len(small), "\n".join(q[:160] for q in large)
    assert len(large) <= 40


def test_bulk_journey_moves_check_each_move_in_order(stay: Stay) -> None:
    from magang.recruitment.journey import InvalidTransition
    from magang.recruitment.services import AdvanceMove, applications_advance_bulk

    cast = stay.cast
    a, b = interns(cast, 2)
    moves = [
        AdvanceMove(a.application_id, Status.MISSING, "gone", ON),
        AdvanceMove(a.application_id, Status.IN_JAPAN, "found", ON),
        AdvanceMove(b.application_id, Status.REGISTERED, "back to the start", ON),
    ]
    done = applications_advance_bulk(moves=moves, by=cast.central)
    assert [type(x) for x in done] == [JourneyEvent, JourneyEvent, InvalidTransition]
    assert list(
        JourneyEvent.objects.filter(application_id=a.application_id)
        .order_by("id")
        .values_list("from_status", "to_status")
    )[-2:] == [("in_japan", "missing"), ("missing", "in_japan")]
    assert state(b)["status"] == "in_japan"
    assert not JourneyEvent.objects.filter(application_id=b.application_id, reason__contains="back")
    assert (
        AuditEntry.objects.filter(
            action="application.advance", object_id=str(a.application_id)
        ).count()
        == 3
    )  # the arrival and the two moves
