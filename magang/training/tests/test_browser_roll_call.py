"""A trainer takes the roll call on a tablet: one trainee late, one excused with a reason,
everyone else present as they are by default; one save, and the counts appear."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from magang.training.models import Attendance
from magang.training.services import session_save

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TABLET = {"width": 820, "height": 1180}
TZ = dt.timezone(dt.timedelta(hours=7))


def _log_in(page: Any, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/home/")


def test_a_trainer_takes_the_roll_call_on_a_tablet(page: Any, training: Any, cast: Any) -> None:
    from playwright.sync_api import expect

    session = session_save(
        training_class=training.klass, module=training.modules["japanese"], trainer=cast.trainer,
        room="R1", starts_at=dt.datetime(2026, 12, 8, 8, tzinfo=TZ),
        ends_at=dt.datetime(2026, 12, 8, 10, tzinfo=TZ), by=cast.trainer,
    )  # fmt: skip
    late, excused = training.enrolments[0].pk, training.enrolments[1].pk
    page.set_viewport_size(TABLET)
    _log_in(page, "trainer")
    page.goto(page.base_url + reverse("training:roll_call", args=[session.pk]))
    expect(page.locator("#not-taken")).to_be_visible()
    for enrolment in training.enrolments:
        expect(page.locator(f"input[name=status-{enrolment.pk}][value=present]")).to_be_checked()

    choice = page.locator(f"label:has(input[name=status-{late}][value=late])")
    box = choice.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44  # a finger's width
    choice.click()
    page.locator(f"label:has(input[name=status-{excused}][value=excused])").click()
    expect(page.locator(f"#reason-{excused}")).to_be_focused()  # asked for at once
    page.keyboard.type("Sakit, surat dokter")
    page.locator("button.roll-save").click()

    expect(page.locator("#count-present")).to_have_text("2")
    expect(page.locator("#count-late")).to_have_text("1")
    expect(page.locator("#count-excused")).to_have_text("1")
    expect(page.locator("#count-absent")).to_have_text("0")
    expect(page.locator(f"input[name=status-{late}][value=late]")).to_be_checked()
    marks = {a.enrolment_id: (a.status, a.reason) for a in Attendance.objects.all()}
    assert marks[late] == ("late", "")
    assert marks[excused] == ("excused", "Sakit, surat dokter")
    assert sorted(status for status, _ in marks.values()) == [
        "excused",
        "late",
        "present",
        "present",
    ]
