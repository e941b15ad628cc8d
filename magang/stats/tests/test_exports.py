from __future__ import annotations

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from magang.stats.charts import nice_ceiling, year_bar_chart
from magang.stats.exports import FORMULA_PREFIXES, spreadsheet_safe
from magang.stats.suppression import cell
from magang.stats.templatetags.stats_cells import cell as cell_filter


@given(st.text())
def test_it_never_lets_a_csv_cell_start_like_a_formula(value: str) -> None:
    assert not spreadsheet_safe(value).startswith(FORMULA_PREFIXES)


@given(st.text())
def test_it_changes_a_csv_cell_only_by_a_leading_apostrophe(value: str) -> None:
    safe = spreadsheet_safe(value)
    assert safe in (value, f"'{value}")


def test_it_escapes_each_formula_prefix() -> None:
    assert spreadsheet_safe("=SUM(A1)") == "'=SUM(A1)"
    assert spreadsheet_safe("+62") == "'+62"
    assert spreadsheet_safe("-1") == "'-1"
    assert spreadsheet_safe("@cmd") == "'@cmd"
    assert spreadsheet_safe("Jawa Barat") == "Jawa Barat"
    assert spreadsheet_safe("<5") == "<5"


@given(st.integers(min_value=0, max_value=10**9))
def test_it_rounds_the_chart_scale_up_to_one_two_or_five(value: int) -> None:
    top = nice_ceiling(value)
    assert top >= max(value, 1)
    power = 10 ** (len(str(top)) - 1)
    assert top % power == 0
    assert top // power in (1, 2, 5)
    assert 2 * top <= 5 * max(value, 1)


@given(st.dictionaries(st.integers(1993, 2030), st.integers(0, 10**6), max_size=40))
def test_it_keeps_every_bar_inside_the_plot(counts: dict[int, int]) -> None:
    chart = year_bar_chart({year: cell(n, 5) for year, n in sorted(counts.items())})
    assert len(chart.bars) == len(counts)
    for bar in chart.bars:
        assert chart.left <= bar.x <= bar.x + bar.width <= chart.right + 0.01
        assert chart.top - 0.01 <= bar.y <= chart.bottom
        assert bar.height >= 0


def test_it_formats_page_counts_in_the_active_language() -> None:
    with translation.override("id"):
        assert cell_filter(cell(52440, 5)) == "52.440"
    with translation.override("ja"):
        assert cell_filter(cell(52440, 5)) == "52,440"
    assert cell_filter(cell(3, 5)) == "<5"
