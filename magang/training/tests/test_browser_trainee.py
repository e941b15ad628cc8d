"""Through the browser on a phone, in Indonesian: the trainee logs in, follows the link on
the home page to their training and reads their attendance rate, readiness and grades."""

from __future__ import annotations

from typing import Any

import pytest

from .test_pages_trainee import record  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page: Any, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/home/")


def _fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.usefixtures("record")
def test_the_trainee_reads_attendance_grades_and_readiness_on_a_phone(page: Any) -> None:
    from playwright.sync_api import expect

    _log_in(page, "candidate")
    page.locator("#home-training a[href='/training/my/']").click()
    page.wait_for_url("**/training/my/")
    expect(page.locator("#my-attendance-rate")).to_contain_text("50,0%")
    expect(page.locator("#my-readiness")).to_contain_text("Kehadiran 50,0% di bawah batas 90%")
    expect(page.locator("#my-readiness")).to_contain_text("belum tercatat")
    expect(page.locator("#my-bed")).to_contain_text("Asrama Sakura")
    assert _fits_the_phone(page)

    page.locator(".my-training-nav a[href$='/grades/']").click()
    page.wait_for_url("**/grades/")
    expect(page.locator("#my-modules [data-module='japanese']")).to_contain_text("72,5")
    expect(page.locator("#my-scores")).to_contain_text("72,5")
    assert _fits_the_phone(page)

    page.locator(".my-training-nav a[href$='/attendance/']").click()
    page.wait_for_url("**/attendance/")
    expect(page.locator(".attendance-list li")).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("Secret of trainee two")
    assert _fits_the_phone(page)
