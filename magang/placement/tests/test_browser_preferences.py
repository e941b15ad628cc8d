"""Through the browser on a phone, in Indonesian: a graduate follows the home page to the job
orders, ranks two of them and sees the ranking saved."""

from __future__ import annotations

from typing import Any

import pytest

from magang.placement.models import Preference

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


def test_a_graduate_ranks_two_job_orders_on_a_phone(page: Any, placement: Any) -> None:
    from playwright.sync_api import expect

    ss, nk = placement.orders
    _log_in(page, "candidate")
    page.locator("#home-preferences a[href='/placement/preferences/']").click()
    page.wait_for_url("**/placement/preferences/")
    expect(page.locator(f"[data-reference='{ss.reference}']")).to_contain_text("宮城県")
    page.select_option(f"#rank-{nk.pk}", "1")
    page.select_option(f"#rank-{ss.pk}", "2")
    page.locator("#preference-form button[type=submit]").click()
    page.wait_for_url("**/placement/preferences/")
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("#my-ranking li")).to_have_count(2)
    expect(page.locator("#my-ranking li").first).to_contain_text(nk.reference)
    expect(page.locator("#my-ranking li").nth(1)).to_contain_text(ss.reference)
    expect(page.locator(f"#rank-{nk.pk}")).to_have_value("1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert list(
        Preference.objects.order_by("rank").values_list("job_order__reference", flat=True)
    ) == [nk.reference, ss.reference]
