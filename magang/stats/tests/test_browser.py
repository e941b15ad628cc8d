"""The public statistics page in a real browser: maps and charts drawn from local files only,
small cells never drawn as a size, and no sideways scrolling on a phone."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest

from conftest import PHONE

from .conftest import MakeInternship

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_draws_maps_and_charts_from_local_files(
    page: Any, make_internship: MakeInternship
) -> None:
    for _ in range(6):
        make_internship(date(2019, 6, 1), province="32", prefecture="13")
    make_internship(date(2020, 6, 1), date(2021, 1, 1), province="33", prefecture="23")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(page.base_url + "/stats/?as_of=2023-12-31")
    page.wait_for_selector("figure.map svg path")

    provinces = page.locator('figure[data-map="provinces"] svg path')
    prefectures = page.locator('figure[data-map="prefectures"] svg path')
    assert provinces.count() == 33
    assert prefectures.count() == 47
    # Jawa Tengah has one intern who departed and is back: published as "<5" and 0.
    titles = page.eval_on_selector_all(
        'figure[data-map="provinces"] svg path title', "els => els.map(e => e.textContent)"
    )
    assert any(t.startswith("Jawa Tengah") and "<5" in t for t in titles)
    assert page.locator("#outcomes-chart").is_visible()
    assert requests and all(url.startswith(page.base_url) for url in requests)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if os.environ.get("MAGANG_STATS_SCREENSHOT"):
        page.screenshot(path=os.environ["MAGANG_STATS_SCREENSHOT"], full_page=True)
