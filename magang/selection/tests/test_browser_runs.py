"""Through the browser: one central-team member runs and proposes the ranking, another
approves and publishes it, and a candidate on a phone finds the result by registration
number and checks the digest."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.urls import reverse

from magang.selection.models import RankingRun

from .test_runs import complete, second_central

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


def _log_out(page: Any) -> None:
    page.context.clear_cookies()


def test_two_people_finalise_and_the_public_checks_the_result(
    page: Any, selection: Any, cast: Any, tmp_path: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    complete(selection, {0: 90, 1: 80, 2: 70, 3: 95, 4: 85, 5: 75})
    second_central(cast, None)
    round_code = selection.plan.round.code

    _log_in(page, "central")
    page.goto(page.base_url + reverse("selection:run_list", args=[round_code]))
    page.locator("form[action$='/runs/'] button").click()
    page.wait_for_url("**/runs/1/")
    page.locator("form[action$='/propose/'] button").click()
    expect(page.locator("form[action$='/approve/']")).to_have_count(0)
    _log_out(page)

    _log_in(page, "central.two")
    page.goto(page.base_url + reverse("selection:run_detail", args=[round_code, 1]))
    page.locator("form[action$='/approve/'] button").click()
    page.locator("form[action$='/publish/'] button").click()
    expect(page.locator("code.digest").first).to_be_visible()
    run = RankingRun.objects.get()
    assert run.state == "final" and run.published_digest
    _log_out(page)

    number = selection.jateng[2].registration_number
    page.goto(page.base_url + reverse("selection:public_results", args=[round_code]))
    page.fill("#id_number", number.lower())
    page.locator("main form button").click()
    expect(page.locator("[aria-live=polite]")).to_contain_text(number)
    expect(page.locator("[aria-live=polite]")).to_contain_text("Tidak terpilih")
    expect(page.locator("main")).to_contain_text(run.published_digest)
    with page.expect_download() as caught:
        page.locator("a[href$='list.csv']").click()
    content = open(caught.value.path(), "rb").read()  # noqa: SIM115
    assert hashlib.sha256(content).hexdigest() == run.published_digest
