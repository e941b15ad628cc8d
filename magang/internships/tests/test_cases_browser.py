"""Through the browser on a phone: the intern reports a problem with the mobile form and
lands on the case page; nothing is wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

from magang.internships.models import Case

from .cases_fixtures import interns_fixture  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.usefixtures("interns")
def test_the_intern_reports_a_problem_on_a_phone(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "candidate")
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/home/")
    page.goto(page.base_url + "/internships/cases/my/")
    page.locator("#report-problem").click()
    page.wait_for_url("**/internships/cases/new/")
    assert _fits_the_phone(page)
    page.locator("input[name=category][value=housing]").check()
    page.locator("input[name=severity][value=high]").check()
    page.fill("#id_description", "Kamar asrama bocor saat hujan.")
    page.locator("input[name=share_with_partner]").check()
    page.locator("#case-form button[type=submit]").click()
    page.wait_for_url("**/internships/cases/*/")
    expect(page.locator("#case-description")).to_contain_text("Kamar asrama bocor")
    assert _fits_the_phone(page)
    case = Case.objects.get()
    assert (case.category, case.severity, case.share_with_partner) == ("housing", "high", True)
