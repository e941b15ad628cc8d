"""The web shell in a real browser: headless Chromium on a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_serves_the_shell_on_a_phone_and_switches_language(page: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    heading_id = page.locator("h1").inner_text()
    # The menu folds away on a phone; open it to reach the language switch.
    page.locator(".menu-button").click()
    page.select_option("#language-select", "en")
    page.locator(".language button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Technical intern programme to Japan"
    assert page.locator("h1").inner_text() != heading_id
    page.locator(".menu-button").click()
    page.select_option("#language-select", "ja")
    page.locator(".language button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"
    # Nothing is fetched from anywhere but this server.
    assert requests and all(url.startswith(page.base_url) for url in requests)
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_it_logs_an_officer_in_to_their_home(page: Any, cast: Any) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "officer.jabar")
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/home/")
    assert page.locator("#home-sites").is_visible()
    assert "Bandung" in page.locator("#home-sites").inner_text()
    page.locator(".menu-button").click()
    page.locator("nav a", has_text="Permohonan").click()  # "Applications" in Indonesian
    page.wait_for_url("**/recruitment/applications/")
    assert cast.application_jabar.registration_number in page.content()
    assert cast.application_jateng.registration_number not in page.content()
