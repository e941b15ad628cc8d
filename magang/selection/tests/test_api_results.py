"""The selection results API: the funnel, my selection, an application's results, and
recording one result; each refused to the wrong role and outside the caller's region."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from magang.recruitment.models import Application
from magang.selection.models import Placement, RankingRun, Stage, StageResult, StageResultChange

from .conftest import PASSING

pytestmark = pytest.mark.django_db

API = "/api/v1/selection"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OTHERS = ["trainer", "partner", "host", "candidate", "outsider"]


def _put(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.put(url, data, content_type="application/json", **EN)


def _result_url(application: Application, key: str) -> str:
    return f"{API}/applications/{application.pk}/results/{key}"


def _funnel_url(cast: Any) -> str:
    return f"{API}/rounds/{cast.site_jabar.round.code}/funnel"


def test_it_answers_401_to_anonymous_callers_everywhere(
    cast: Any, client: Any, selection: Any
) -> None:
    application = selection.jabar[0]
    for url in (
        _funnel_url(cast),
        f"{API}/me/selection",
        f"{API}/applications/{application.pk}/results",
    ):
        assert client.get(url, **EN).status_code == 401, url
    response = _put(
        client, _result_url(application, "admin"), {"value": True, "expected_version": 0}
    )
    assert response.status_code == 401
    assert not StageResult.objects.exists()


# --- The funnel


@pytest.mark.parametrize(
    ("who", "sites"),
    [
        ("central", ["Bandung", "Semarang"]),
        ("leadership", ["Bandung", "Semarang"]),
        ("admin", ["Bandung", "Semarang"]),
        ("officer_jabar", ["Bandung"]),
        ("officer_jateng", ["Semarang"]),
    ],
)
def test_it_gives_the_funnel_within_scope(
    cast: Any, client: Any, selection: Any, who: str, sites: list[str]
) -> None:
    selection.record(selection.jabar[0], "admin", True)
    selection.record(selection.jateng[0], "admin", False)
    client.force_login(getattr(cast, who))
    response = client.get(_funnel_url(cast), **EN)
    assert response.status_code == 200
    data = response.json()
    assert [row["site_name"] for row in data["sites"]] == sites
    assert [s["key"] for s in data["stages"]][:2] == ["admin", "maths"]
    total = data["total"]
    assert total["registered"] == 3 * len(sites)
    admin = total["stages"][0]
    assert admin["reached"] == 3 * len(sites)
    assert admin["passed"] + admin["failed"] == len(sites)
    assert total["ranked_selected"] is None


@pytest.mark.parametrize("who", OTHERS)
def test_it_refuses_the_funnel_to_other_roles(
    cast: Any, client: Any, selection: Any, who: str
) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(_funnel_url(cast), **EN).status_code == 403


def test_it_answers_404_for_another_regions_site_in_the_funnel(
    cast: Any, client: Any, selection: Any
) -> None:
    client.force_login(cast.officer_jateng)
    response = client.get(f"{_funnel_url(cast)}?site={cast.site_jabar.pk}", **EN)
    assert response.status_code == 404
    assert b"Bandung" not in response.content
    own = client.get(f"{_funnel_url(cast)}?site={cast.site_jateng.pk}", **EN)
    assert own.status_code == 200
    assert [row["site_name"] for row in own.json()["sites"]] == ["Semarang"]
    assert client.get(f"{API}/rounds/nope/funnel", **EN).status_code == 404


# --- My selection


def test_it_gives_the_candidate_only_their_own_selection(
    cast: Any, client: Any, selection: Any
) -> None:
    selection.record(cast.application_jabar, "admin", True)
    selection.record(cast.application_jabar, "maths", Decimal("15.5"))
    selection.record(selection.jabar[1], "admin", True)
    client.force_login(cast.candidate)
    response = client.get(f"{API}/me/selection", **EN)
    assert response.status_code == 200
    (mine,) = response.json()
    assert mine["application_id"] == cast.application_jabar.pk
    assert mine["published"] is False and mine["outcome"] is None
    maths = mine["stages"][1]
    assert maths == {
        "key": "maths",
        "name": "maths test",
        "state": "passed",
        "text": "15.5 of 20 (passed)",
        "passed": True,
        "score": "15.50",
        "measurements": None,
        "masked": False,
    }
    assert mine["stages"][2]["state"] == "pending"


def test_it_gives_the_published_result_with_its_explanation(
    cast: Any, client: Any, selection: Any
) -> None:
    run = RankingRun.objects.create(
        plan=selection.plan,
        number=1,
        state="final",
        rules_version="test",
        input_digest="0" * 64,
        result_digest="0" * 64,
        created_at=timezone.now(),
        published_at=timezone.now(),
    )
    Placement.objects.create(
        run=run,
        application=cast.application_jabar,
        unit_key="32",
        outcome="reserve",
        rank_in_unit=3,
        reserve_number=1,
        explanation_en="Reserve 1 of Jawa Barat.",
        explanation_id="Cadangan 1 Jawa Barat.",
    )
    client.force_login(cast.candidate)
    (mine,) = client.get(f"{API}/me/selection", **EN).json()
    assert (mine["outcome"], mine["reserve_number"]) == ("reserve", 1)
    assert mine["explanation"] == "Reserve 1 of Jawa Barat."
    (mine,) = client.get(f"{API}/me/selection", HTTP_ACCEPT_LANGUAGE="id").json()
    assert mine["explanation"] == "Cadangan 1 Jawa Barat."


@pytest.mark.parametrize("who", ["officer_jabar", "central", "outsider"])
def test_it_lists_no_selection_as_own_for_others(
    cast: Any, client: Any, selection: Any, who: str
) -> None:
    client.force_login(getattr(cast, who))
    response = client.get(f"{API}/me/selection", **EN)
    assert response.status_code == 200
    assert response.json() == []


# --- An application's results


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_jabar", 200),
        ("central", 200),
        ("leadership", 200),
        ("admin", 200),
        ("officer_jateng", 404),
        *((who, 403) for who in OTHERS),
    ],
)
def test_it_gives_an_applications_results_only_within_scope(
    cast: Any, client: Any, selection: Any, who: str, expected: int
) -> None:
    client.force_login(getattr(cast, who))
    response = client.get(f"{API}/applications/{selection.jabar[1].pk}/results", **EN)
    assert response.status_code == expected
    if expected != 200:
        assert selection.jabar[1].registration_number.encode() not in response.content


def test_it_masks_medical_detail_for_everyone_but_the_central_team(
    cast: Any, client: Any, selection: Any
) -> None:
    Stage.objects.filter(pk=selection.stages["medical"].pk).update(
        kind="score", min_score=0, max_score=100, pass_mark=50
    )
    selection.stages["medical"].refresh_from_db()
    application = selection.jabar[1]
    for key in list(PASSING)[:5]:
        selection.record(application, key, PASSING[key])
    selection.record(application, "medical", Decimal("72.25"), note="Mild anaemia")
    selection.record(application, "medical", Decimal("33.5"), reason="Clinic sent corrected values")
    url = f"{API}/applications/{application.pk}/results"

    def medical(who: str) -> dict[str, Any]:
        client.force_login(getattr(cast, who))
        data = client.get(url, **EN).json()
        return next(s for s in data["stages"] if s["key"] == "medical")

    for who in ("officer_jabar", "leadership", "admin"):
        masked = medical(who)
        assert masked["masked"] is True
        assert masked["text"] == "failed" and masked["score"] is None and masked["note"] == ""
        assert [(c["old"], c["new"], c["reason"]) for c in masked["changes"]] == [
            ("passed", "failed", None)
        ]
        assert "72.25" not in str(masked) and "33.5" not in str(masked)
    shown = medical("central")
    assert shown["masked"] is False
    assert (shown["score"], shown["note"]) == ("33.50", "Mild anaemia")
    assert shown["changes"][0]["reason"] == "Clinic sent corrected values"


# --- Recording one result


def test_it_records_a_result_and_derives_passed(cast: Any, client: Any, selection: Any) -> None:
    client.force_login(cast.officer_jabar)
    application = selection.jabar[1]
    response = _put(client, _result_url(application, "maths"), {"value": 13, "expected_version": 0})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["passed"], data["version"], data["score"]) == (False, 1, "13.00")
    result = StageResult.objects.get(application=application, stage__key="maths")
    assert result.recorded_by == cast.officer_jabar and result.passed is False

    change = _put(
        client,
        _result_url(application, "maths"),
        {"value": "14,5", "expected_version": 1, "reason": "Marked twice"},
    )
    assert change.status_code == 200
    assert (change.json()["passed"], change.json()["version"]) == (True, 2)
    assert change.json()["changes"][0]["reason"] == "Marked twice"
    assert StageResultChange.objects.count() == 1


def test_it_records_measurements(cast: Any, client: Any, selection: Any) -> None:
    client.force_login(cast.officer_jabar)
    response = _put(
        client,
        _result_url(selection.jabar[1], "body"),
        {"value": {"height": 157.5, "weight": "55"}, "expected_version": 0},
    )
    assert response.status_code == 200
    assert response.json()["passed"] is False
    assert response.json()["measurements"] == {"height": "157.50", "weight": "55.00"}


def test_it_refuses_a_stale_version_with_409_and_the_current_result(
    cast: Any, client: Any, selection: Any
) -> None:
    application = selection.jabar[1]
    selection.record(application, "maths", Decimal(16))
    client.force_login(cast.officer_jabar)
    response = _put(client, _result_url(application, "maths"), {"value": 9, "expected_version": 0})
    assert response.status_code == 409
    assert response.json()["current"]["score"] == "16.00"
    assert response.json()["current"]["version"] == 1
    assert "16 of 20 (passed)" in response.json()["detail"]
    gone = _put(client, _result_url(application, "admin"), {"value": 1, "expected_version": 3})
    assert gone.status_code == 409 and gone.json()["current"] is None
    assert StageResult.objects.get(stage__key="maths").score == Decimal(16)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"value": 21, "expected_version": 0}, "outside the range 0 to 20"),
        ({"value": "abc", "expected_version": 0}, "is not a number"),
        ({"value": "1e30", "expected_version": 0}, "far too large"),
        ({"value": {"x": 1}, "expected_version": 0}, "is not a number"),
    ],
)
def test_it_refuses_a_bad_value_with_400_and_the_messages(
    cast: Any, client: Any, selection: Any, payload: dict[str, Any], message: str
) -> None:
    client.force_login(cast.officer_jabar)
    response = _put(client, _result_url(selection.jabar[1], "maths"), payload)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not StageResult.objects.exists()


def test_it_needs_a_reason_to_change_a_result(cast: Any, client: Any, selection: Any) -> None:
    selection.record(selection.jabar[1], "maths", Decimal(16))
    client.force_login(cast.central)
    response = _put(
        client, _result_url(selection.jabar[1], "maths"), {"value": 10, "expected_version": 1}
    )
    assert response.status_code == 400
    assert "give a reason" in response.json()["detail"]
    assert response.json()["messages"]


def test_it_refuses_an_application_not_in_selection(cast: Any, client: Any, selection: Any) -> None:
    Application.objects.filter(pk=selection.jabar[1].pk).update(status="withdrawn")
    client.force_login(cast.officer_jabar)
    response = _put(
        client, _result_url(selection.jabar[1], "admin"), {"value": 1, "expected_version": 0}
    )
    assert response.status_code == 400
    assert "Withdrawn" in response.json()["detail"]


@pytest.mark.parametrize(
    ("who", "key", "expected"),
    [
        ("officer_jabar", "admin", 200),
        ("central", "admin", 200),
        ("admin", "admin", 200),
        ("central", "interview", 200),
        ("officer_jabar", "interview", 403),
        ("leadership", "admin", 403),
        ("officer_jateng", "admin", 404),
        *((who, "admin", 403) for who in OTHERS),
    ],
)
def test_it_lets_only_those_who_may_record_a_stage_record_it(
    cast: Any, client: Any, selection: Any, who: str, key: str, expected: int
) -> None:
    client.force_login(getattr(cast, who))
    value = PASSING[key]
    response = _put(
        client,
        _result_url(selection.jabar[1], key),
        {"value": str(value) if not isinstance(value, bool) else value, "expected_version": 0},
    )
    assert response.status_code == expected
    assert StageResult.objects.exists() is (expected == 200)


def test_it_answers_404_for_an_unknown_stage(cast: Any, client: Any, selection: Any) -> None:
    client.force_login(cast.central)
    response = _put(
        client, _result_url(selection.jabar[1], "karate"), {"value": 1, "expected_version": 0}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("field", ["passed", "version", "status", "recorded_by", "application"])
def test_it_refuses_fields_the_caller_may_not_set(
    cast: Any, client: Any, selection: Any, field: str
) -> None:
    client.force_login(cast.central)
    payload = {"value": 5, "expected_version": 0, field: True}
    response = _put(client, _result_url(selection.jabar[1], "maths"), payload)
    assert response.status_code == 422
    assert not StageResult.objects.exists()
    assert Application.objects.get(pk=selection.jabar[1].pk).status == "in_selection"


def test_it_needs_the_expected_version(cast: Any, client: Any, selection: Any) -> None:
    client.force_login(cast.central)
    response = _put(client, _result_url(selection.jabar[1], "maths"), {"value": 5})
    assert response.status_code == 422
    assert not StageResult.objects.exists()


def test_it_needs_the_csrf_token_for_session_writes(cast: Any, selection: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.central)
    response = _put(
        client, _result_url(selection.jabar[1], "admin"), {"value": 1, "expected_version": 0}
    )
    assert response.status_code == 403
    assert not StageResult.objects.exists()


def test_it_lists_the_endpoints_in_the_openapi_schema(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    expected = {
        "/api/v1/selection/rounds/{round_code}/funnel": "get",
        "/api/v1/selection/me/selection": "get",
        "/api/v1/selection/applications/{application_id}/results": "get",
        "/api/v1/selection/applications/{application_id}/results/{stage_key}": "put",
    }
    for path, method in expected.items():
        assert method in paths[path], path
    result_in = schema["components"]["schemas"]["ResultIn"]
    assert set(result_in["properties"]) == {"value", "expected_version", "reason", "note"}
    assert result_in["additionalProperties"] is False
