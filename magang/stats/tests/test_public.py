"""The public page's newer parts: trades, outcomes, rounds, maps, XLSX and PDF downloads."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from magang.stats.models import Refresh

from .conftest import MakeInternship

pytestmark = pytest.mark.django_db

PAGE = reverse("stats:public")


@pytest.fixture
def seven(make_internship: MakeInternship) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))
    make_internship(date(2020, 6, 1), date(2021, 1, 1), province="33", prefecture="23")
    make_internship(date(2020, 6, 1), date(2021, 1, 1), province="33", prefecture="23")


def test_it_shows_trades_outcomes_rounds_and_freshness(client: Client, seven: None) -> None:
    content = client.get(PAGE, {"as_of": "2023-12-31"}).content.decode()
    assert "Percussion well drilling" in content
    assert "Outcomes per departure year" in content
    assert "TITP 1993" in content
    assert "Figures as of" in content
    outcomes = content[content.index("How the stays of each departure year") :]
    row_2020 = outcomes[outcomes.index('<th scope="row">2020</th>') :]
    row_2020 = row_2020[: row_2020.index("</tr>")]
    assert row_2020.count("&lt;5") == 2  # departed and completed
    assert '<td class="num">2</td>' not in content


def test_it_sends_the_browser_only_published_figures(client: Client, seven: None) -> None:
    response = client.get(PAGE, {"as_of": "2023-12-31"})
    data = response.context["chart_data"]
    # Jawa Tengah: two departed (suppressed), none left in Japan (zero is published).
    assert data["provinces"]["33"] == {
        "name": "Jawa Tengah",
        "departed": "<5",
        "in_japan": "0",
        "value": 0,
    }
    assert data["provinces"]["32"]["value"] == 5
    outcomes = {s["key"]: s["values"] for s in data["outcomes"]["series"]}
    assert data["outcomes"]["years"] == [2019, 2020]
    assert outcomes["completed"] == [0, None]  # 2 completed in 2020: suppressed
    content = response.content.decode()
    assert "/static/vendor/chartjs/chart.umd.min.js" in content
    assert "/static/vendor/boundaries/indonesia-provinces.geojson" in content
    assert 'id="stats-data"' in content


def test_it_says_when_figures_were_never_computed(client: Client) -> None:
    assert not Refresh.objects.exists()
    content = client.get(PAGE).content.decode()
    assert "The figures have not been computed yet" in content


def test_it_downloads_xlsx_with_numbers_and_suppressed_labels(client: Client, seven: None) -> None:
    response = client.get(reverse("stats:summary_xlsx"), {"as_of": "2023-12-31"})
    assert response.status_code == 200
    assert 'filename="magang-statistics-2023-12-31.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:8] == (
        "as_of",
        "breakdown",
        "code",
        "name",
        "name_ja",
        "name_id",
        "departed",
        "in_japan",
    )
    assert rows[1][1] == "total" and rows[1][6] == 7 and rows[1][7] == 5
    [jateng] = [r for r in rows if r[1] == "province" and r[2] == "33"]
    assert jateng[6] == "<5"
    assert 2 not in jateng


def test_it_makes_a_printable_pdf_for_the_chosen_date(client: Client, seven: None) -> None:
    response = client.get(reverse("stats:summary_pdf"), {"as_of": "2023-12-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="magang-statistics-2023-12-31.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["stats:summary_xlsx", "stats:summary_pdf"])
def test_it_refuses_an_invalid_date_for_downloads(client: Client, name: str) -> None:
    response = client.get(reverse(name), {"as_of": "2024-02-30"})
    assert response.status_code == 400


def test_it_ships_small_map_files_with_codes() -> None:
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "static" / "vendor" / "boundaries"
    for name, count in (("indonesia-provinces", 33), ("japan-prefectures", 47)):
        path = root / f"{name}.geojson"
        assert path.stat().st_size < 400_000
        features = json.loads(path.read_text("utf-8"))["features"]
        assert len(features) == count
        assert all(f["properties"]["code"] for f in features)
