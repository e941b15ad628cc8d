from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from pytest_django import Settings

from magang.stats.selectors import stats_today

from .conftest import MakeInternship

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/summary"


def test_it_returns_the_summary_shape(client: Client, make_internship: MakeInternship) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))
    make_internship(date(2020, 6, 1), date(2023, 6, 1), province="33", prefecture="23")

    response = client.get(URL, {"as_of": "2023-12-31"})

    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2023-12-31"
    assert body["minimum_cell"] == 5
    assert body["departed_total"] == 6
    assert body["departed_total_suppressed"] is False
    assert body["in_japan"] == 5
    assert body["in_japan_suppressed"] is False
    years = {row["year"]: row["departed"] for row in body["departures_by_year"]}
    assert list(years) == list(range(1993, 2024))
    assert years[2019] == {"count": 5, "suppressed": False}
    assert years[2020] == {"count": None, "suppressed": True}
    assert years[2021] == {"count": 0, "suppressed": False}
    assert body["by_province"] == [
        {
            "code": "32",
            "name": "Jawa Barat",
            "departed": {"count": 5, "suppressed": False},
            "in_japan": {"count": 5, "suppressed": False},
        },
        {
            "code": "33",
            "name": "Jawa Tengah",
            "departed": {"count": None, "suppressed": True},
            "in_japan": {"count": 0, "suppressed": False},
        },
    ]
    assert body["by_prefecture"][1] == {
        "code": "23",
        "name_en": "Aichi",
        "name_ja": "愛知県",
        "name_id": "Aichi",
        "departed": {"count": None, "suppressed": True},
        "in_japan": {"count": 0, "suppressed": False},
    }


def test_it_suppresses_small_totals_as_null(
    client: Client, make_internship: MakeInternship
) -> None:
    make_internship(date(2019, 6, 1))
    body = client.get(URL, {"as_of": "2023-12-31"}).json()
    assert body["departed_total"] is None
    assert body["departed_total_suppressed"] is True
    assert body["in_japan"] is None
    assert body["in_japan_suppressed"] is True


def test_it_applies_the_boundaries_of_the_as_of_date(
    client: Client, make_internship: MakeInternship, settings: Settings
) -> None:
    settings.MAGANG_STATS_MIN_CELL = 1
    make_internship(date(2020, 4, 1), date(2023, 4, 1))

    def totals(as_of: str) -> tuple[int, int]:
        body = client.get(URL, {"as_of": as_of}).json()
        return body["departed_total"], body["in_japan"]

    assert totals("2020-03-31") == (0, 0)
    assert totals("2020-04-01") == (1, 1)
    assert totals("2023-03-31") == (1, 1)
    assert totals("2023-04-01") == (1, 0)


def test_it_defaults_to_today_in_jakarta(client: Client) -> None:
    body = client.get(URL).json()
    assert body["as_of"] == stats_today().isoformat()
    assert body["departed_total"] == 0


def test_it_answers_a_date_after_today_with_todays_figures(client: Client) -> None:
    response = client.get(URL, {"as_of": "2999-01-01"})
    assert response.status_code == 200
    assert response.json()["as_of"] == stats_today().isoformat()


def test_it_answers_a_date_before_the_programme_with_zeros(client: Client) -> None:
    body = client.get(URL, {"as_of": "1985-05-05"}).json()
    assert body["as_of"] == "1985-05-05"
    assert (body["departed_total"], body["in_japan"]) == (0, 0)
    assert body["departures_by_year"] == []


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2024-02-30", "day value is outside expected range"),
        ("2023-13-01", "month value is outside expected range"),
        ("yesterday", "valid date"),
        ("2024-1-5", "valid date"),
        ("", "valid date"),
    ],
)
def test_it_refuses_an_invalid_date_with_a_clear_422(
    client: Client, as_of: str, message: str
) -> None:
    response = client.get(URL, {"as_of": as_of})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "as_of"]
    assert message in error["msg"]


def test_it_needs_no_login(client: Client) -> None:
    assert client.get(URL, {"as_of": "2023-12-31"}).status_code == 200


def test_it_lists_the_endpoint_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/stats/summary"]["get"]
    assert operation["tags"] == ["statistics"]
    assert "security" not in operation
    [parameter] = operation["parameters"]
    assert parameter["name"] == "as_of"
    assert parameter["in"] == "query"
    assert parameter["required"] is False
    response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response_schema == {"$ref": "#/components/schemas/SummaryOut"}
    properties = schema["components"]["schemas"]["SummaryOut"]["properties"]
    assert {"as_of", "departed_total", "in_japan", "departures_by_year"} <= set(properties)


def test_it_returns_trades_outcomes_and_freshness_suppressed(
    client: Client, make_internship: MakeInternship
) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))
    make_internship(date(2019, 6, 1), date(2020, 1, 1))

    body = client.get(URL, {"as_of": "2023-12-31"}).json()

    assert body["by_trade"][0]["code"] == "2-1-9"
    assert body["by_trade"][0]["departed"] == {"count": 6, "suppressed": False}
    [outcome] = body["outcomes_by_year"]
    assert outcome["year"] == 2019
    assert outcome["in_japan"] == {"count": 5, "suppressed": False}
    assert outcome["completed"] == {"count": None, "suppressed": True}
    assert outcome["early_return"] == {"count": 0, "suppressed": False}
    assert body["rounds"] == [
        {
            "code": "titp-1993",
            "name": "TITP 1993",
            "year": 1993,
            "registered": {"count": 6, "suppressed": False},
            "selected": {"count": 6, "suppressed": False},
        }
    ]
    assert body["data_as_of"] is not None
