"""An officer types scores into the results grid with the keyboard only, and sees each row's
verdict come back from the server without the page reloading."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from magang.selection.models import StageResult

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


def test_an_officer_types_scores_and_sees_pass_or_fail_without_reloading(
    page: Any, selection: Any, cast: Any
) -> None:
    from playwright.sync_api import expect

    one, two, three = selection.jabar
    maths = selection.stages["maths"]
    _log_in(page, "officer.jabar")
    page.goto(page.base_url + reverse("selection:grid", args=[maths.pk, cast.site_jabar.pk]))
    page.evaluate("window.notReloaded = true")

    page.locator(f"#row-{one.pk} input[name=value]").click()
    page.keyboard.type("16")
    page.keyboard.press("Tab")  # leaving the row saves it
    expect(page.locator(f"#verdict-{one.pk}")).to_have_attribute("data-passed", "true")
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == (
        f"col-value name-{two.pk}"
    )

    page.keyboard.type("12,5")  # as Indonesians write it: the grid turns the comma into a point
    page.keyboard.press("Enter")  # Enter moves on like Tab
    expect(page.locator(f"#verdict-{two.pk}")).to_have_attribute("data-passed", "false")

    page.keyboard.type("25")
    page.keyboard.press("Enter")  # the last row: Enter saves it
    expect(page.locator(f"#row-{three.pk} [role=alert]")).to_contain_text("25")
    assert not StageResult.objects.filter(application=three, stage=maths).exists()

    # A correction asks for a reason in the row, then saves.
    page.locator(f"#row-{two.pk} input[name=value]").fill("15")
    page.keyboard.press("Tab")
    expect(page.locator(f"#reason-{two.pk}")).to_be_focused()
    page.keyboard.type("Lembar jawaban dinilai ulang")
    page.keyboard.press("Tab")
    expect(page.locator(f"#verdict-{two.pk}")).to_have_attribute("data-passed", "true")

    assert page.evaluate("window.notReloaded") is True
    scores = dict(StageResult.objects.filter(stage=maths).values_list("application_id", "score"))
    assert scores == {one.pk: Decimal(16), two.pk: Decimal(15)}
