"""Through the browser, with two-step verification on: an officer logs in for the first
time, sets up the authenticator app from the QR page (the test plays the app, computing the
code from the key shown), keeps the recovery codes, logs out, and logs in again with a
recovery code; an enrolled partner logs in with a code. No page breaks the Content Security
Policy on the way."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from magang.accounts import two_factor
from magang.accounts.models import TwoFactorDevice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _watch_csp(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def _password_step(page: Any, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main button[type=submit]").click()


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_first_login_sets_up_the_app_and_a_recovery_code_works_later(page: Any, cast: Any) -> None:
    from playwright.sync_api import expect

    violations = _watch_csp(page)
    _password_step(page, "officer.jabar")
    page.wait_for_url("**/accounts/2fa/setup/**")
    expect(page.locator("#two-factor-qr svg")).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    assert secret == TwoFactorDevice.objects.get(user=cast.officer_jabar).secret

    page.fill("#id_code", two_factor.code_at(secret, two_factor.current_step()))
    page.locator("#two-factor-enrol button[type=submit]").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    recovery = page.locator("#recovery-codes li code").first.inner_text()
    page.locator("#recovery-continue").click()
    page.wait_for_url("**/accounts/home/")
    expect(page.locator("#home-sites")).to_be_visible()

    page.locator("label.menu-button").click()  # the phone's menu holds the log-out button
    page.locator("header form.inline button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/home/" not in url)
    _password_step(page, "officer.jabar")
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.fill("#id_code", recovery)
    page.locator("#two-factor-verify button[type=submit]").click()
    page.wait_for_url("**/accounts/home/")
    expect(page.locator("#home-sites")).to_be_visible()
    assert two_factor.recovery_codes_left(cast.officer_jabar) == 9
    assert violations == []


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_an_enrolled_partner_logs_in_with_a_code(page: Any, cast: Any) -> None:
    from playwright.sync_api import expect

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TwoFactorDevice.objects.create(user=cast.partner, secret=secret, confirmed_at=timezone.now())
    violations = _watch_csp(page)
    _password_step(page, "partner")
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.fill("#id_code", two_factor.code_at(secret, two_factor.current_step()))
    page.locator("#two-factor-verify button[type=submit]").click()
    page.wait_for_url("**/accounts/home/")
    expect(page.locator("#home-partner")).to_be_visible()
    assert violations == []
