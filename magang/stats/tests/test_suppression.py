from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magang.stats.suppression import Cell, cell, is_suppressed, suppress

counts = st.integers(min_value=0, max_value=10**7)
minimums = st.integers(min_value=1, max_value=100)


@given(counts, minimums)
def test_it_hides_exactly_the_counts_from_one_to_below_the_minimum(
    count: int, minimum: int
) -> None:
    assert (suppress(count, minimum) is None) == (1 <= count < minimum)


@given(counts, minimums)
def test_it_publishes_any_count_it_does_not_hide_unchanged(count: int, minimum: int) -> None:
    shown = suppress(count, minimum)
    assert shown is None or shown == count


@given(minimums)
def test_it_never_hides_zero(minimum: int) -> None:
    assert suppress(0, minimum) == 0
    assert not cell(0, minimum).suppressed


@given(counts)
def test_it_hides_nothing_with_a_minimum_of_one(count: int) -> None:
    assert suppress(count, 1) == count


@given(st.data(), st.integers(min_value=2, max_value=100))
def test_it_makes_every_hidden_count_look_the_same(data: st.DataObject, minimum: int) -> None:
    a = data.draw(st.integers(min_value=1, max_value=minimum - 1))
    b = data.draw(st.integers(min_value=1, max_value=minimum - 1))
    assert cell(a, minimum) == cell(b, minimum)
    assert cell(a, minimum).label == f"<{minimum}"
    assert str(cell(a, minimum)) == f"<{minimum}"


@given(counts, minimums)
def test_it_labels_a_shown_cell_with_its_count(count: int, minimum: int) -> None:
    published = cell(count, minimum)
    if not published.suppressed:
        assert published.label == str(count)
        assert published == Cell(count=count, minimum=minimum)


@given(counts, counts, minimums)
def test_it_keeps_order_for_shown_counts(a: int, b: int, minimum: int) -> None:
    """Suppression is monotone: if a smaller count is shown, every larger one is too."""
    low, high = sorted((a, b))
    if low > 0 and not is_suppressed(low, minimum):
        assert not is_suppressed(high, minimum)


def test_it_refuses_negative_counts_and_minimums_below_one() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress(-1, 5)
    with pytest.raises(ValueError, match="at least 1"):
        suppress(3, 0)
