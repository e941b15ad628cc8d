from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from magang.reference.models import Province

from .conftest import MakeInternship

pytestmark = pytest.mark.django_db

PAGE = "/stats/"
CSV = "/stats/summary.csv"


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_it_keeps_the_page_name_the_base_template_links_to() -> None:
    assert reverse("stats:public") == PAGE
    assert reverse("stats:summary_csv") == CSV


def test_it_renders_the_page_with_no_data(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "No intern had departed by this date." in content, content[:3000]
    assert '<svg class="chart"' in content
    assert 'class="table-scroll"' in content


def test_it_shows_headline_figures_chart_and_tables(
    client: Client, make_internship: MakeInternship
) -> None:
    for _ in range(6):
        make_internship(date(2019, 6, 1))
    for _ in range(5):
        make_internship(date(2020, 6, 1), date(2023, 6, 1), province="33", prefecture="23")

    response = client.get(PAGE, {"as_of": "2023-12-31"})

    assert response.status_code == 200
    content = response.content.decode()
    assert '<div class="figure">11</div>' in content
    assert '<div class="figure">6</div>' in content
    assert content.count('<rect class="bar"') == 2
    assert "<title>2019: 6</title>" in content
    assert '<th scope="row">2019</th><td class="num">6</td>' in content
    assert "Jawa Tengah" in content
    assert "Aichi" in content
    assert "/api/v1/stats/summary?as_of=2023-12-31" in content
    assert "/stats/summary.csv?as_of=2023-12-31" in content


def test_it_shows_small_counts_as_fewer_than_five(
    client: Client, make_internship: MakeInternship
) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))
    make_internship(date(2019, 6, 1), province="33", prefecture="23")
    make_internship(date(2019, 6, 1), province="33", prefecture="23")

    content = client.get(PAGE, {"as_of": "2023-12-31"}).content.decode()

    jawa_tengah = content[content.index("Jawa Tengah") :]
    row = jawa_tengah[: jawa_tengah.index("</tr>")]
    assert row.count('<td class="num">&lt;5</td>') == 2
    assert '<td class="num">2</td>' not in content


def test_it_shows_a_form_error_for_an_impossible_date(client: Client) -> None:
    response = client.get(PAGE, {"as_of": "2024-02-30"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a real date as YYYY-MM-DD" in content
    assert 'aria-invalid="true"' in content
    assert 'value="2024-02-30"' in content


def test_it_shows_todays_figures_for_a_future_date(client: Client) -> None:
    response = client.get(PAGE, {"as_of": "2999-01-01"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Figures for future dates are not available; these are today's." in content


def test_it_shows_the_japanese_name_beside_the_english_one_in_japanese(
    client: Client, make_internship: MakeInternship
) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))

    japanese = client.get(PAGE, {"as_of": "2023-12-31"}, headers={"accept-language": "ja"})
    indonesian = client.get(PAGE, {"as_of": "2023-12-31"}, headers={"accept-language": "id"})

    assert '<td lang="ja">東京都</td>' in japanese.content.decode()
    assert "東京都" not in indonesian.content.decode()
    assert '<td lang="id">Tokyo</td>' in indonesian.content.decode()


def test_it_downloads_the_summary_as_csv_with_suppressed_cells(
    client: Client, make_internship: MakeInternship
) -> None:
    for _ in range(5):
        make_internship(date(2019, 6, 1))
    make_internship(date(2020, 6, 1), date(2021, 1, 1), province="33", prefecture="23")

    response = client.get(CSV, {"as_of": "2023-12-31"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="magang-statistics-2023-12-31.csv"' in response["Content-Disposition"]
    rows = csv_rows(response.content)
    header = ["as_of", "breakdown", "code", "name", "name_ja", "name_id", "departed", "in_japan"]
    # The newer columns (outcomes, round progress) come after the original ones.
    assert rows[0][:8] == header
    assert rows[0][8:] == ["completed", "early_return", "missing", "registered", "selected"]
    rest = [""] * 5
    assert rows[1] == ["2023-12-31", "total", "", "", "", "", "6", "5", *rest]
    assert ["2023-12-31", "year", "2020", "", "", "", "<5", "", *rest] in rows
    assert ["2023-12-31", "province", "33", "Jawa Tengah", "", "", "<5", "0", *rest] in rows
    assert ["2023-12-31", "prefecture", "23", "Aichi", "愛知県", "Aichi", "<5", "0", *rest] in rows
    assert ["2023-12-31", "outcome", "2020", "", "", "", "<5", "0", "<5", "0", "0", "", ""] in rows


def test_it_escapes_formula_cells_in_the_csv(
    client: Client, make_internship: MakeInternship
) -> None:
    Province.objects.filter(code="32").update(name='=HYPERLINK("http://evil")')
    make_internship(date(2019, 6, 1))

    rows = csv_rows(client.get(CSV, {"as_of": "2023-12-31"}).content)

    [province] = [row for row in rows if row[1] == "province"]
    assert province[3] == '\'=HYPERLINK("http://evil")'


def test_it_refuses_an_invalid_date_for_the_csv_with_a_400(client: Client) -> None:
    response = client.get(CSV, {"as_of": "2024-02-30"})
    assert response.status_code == 400
    assert "Enter a real date as YYYY-MM-DD" in response.content.decode()


def test_it_downloads_an_empty_summary_for_today(client: Client) -> None:
    rows = csv_rows(client.get(CSV).content)
    assert rows[1][1:8] == ["total", "", "", "", "", "0", "0"]
