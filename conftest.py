"""The fixed cast every test can use: one user per role, two of each where region matters.

alice-style naming: ``officer_jabar`` sees West Java's site, ``officer_jateng`` Central
Java's; ``outsider`` has an account and no role at all.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from magang import factories as f
from magang.accounts.models import Organisation, Role, User
from magang.recruitment.models import Application, SelectionSite

# Tests never assert on wall time; Hypothesis's default
# 200 ms deadline per example did, and failed on a busy machine.
hypothesis_settings.register_profile("magang", deadline=None)
hypothesis_settings.load_profile("magang")


@dataclass
class Cast:
    admin: User
    central: User
    leadership: User
    officer_jabar: User
    officer_jateng: User
    trainer: User
    partner: User
    host: User
    host_other: User
    candidate: User
    outsider: User
    site_jabar: SelectionSite
    site_jateng: SelectionSite
    application_jabar: Application
    application_jateng: Application
    imjapan: Organisation
    host_company: Organisation
    host_company_other: Organisation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service messages are read in English in tests; pages still negotiate per request."""
    with translation.override("en"):
        yield


@pytest.fixture
def cast(db: None) -> Cast:
    kemnaker = f.OrganisationFactory(kind=Organisation.Kind.MINISTRY_UNIT, name="Kemnaker")
    disnaker_jabar = f.OrganisationFactory(name="Disnaker Jawa Barat", province=f.province("32"))
    disnaker_jateng = f.OrganisationFactory(name="Disnaker Jawa Tengah", province=f.province("33"))
    bbpvp = f.OrganisationFactory(kind=Organisation.Kind.TRAINING_CENTRE, name="BBPVP Bekasi")
    imjapan = f.OrganisationFactory(
        kind=Organisation.Kind.SUPERVISING_ORGANISATION,
        name="IM Japan",
        prefecture=f.prefecture("13"),
    )
    host_company = f.OrganisationFactory(
        kind=Organisation.Kind.HOST_COMPANY,
        name="Sendai Seiko",
        parent=imjapan,
        prefecture=f.prefecture("04"),
        staff_count=80,
    )
    host_company_other = f.OrganisationFactory(
        kind=Organisation.Kind.HOST_COMPANY,
        name="Nagoya Kogyo",
        parent=imjapan,
        prefecture=f.prefecture("23"),
        staff_count=250,
    )
    round_ = f.RoundFactory(year=2026)
    site_jabar = f.SiteFactory(
        round=round_, organisation=disnaker_jabar, name="Bandung", province=f.province("32")
    )
    site_jateng = f.SiteFactory(
        round=round_, organisation=disnaker_jateng, name="Semarang", province=f.province("33")
    )
    candidate_user = f.UserFactory(username="candidate")
    application_jabar = f.ApplicationFactory(
        site=site_jabar, candidate=f.CandidateFactory(user=candidate_user)
    )
    application_jateng = f.ApplicationFactory(
        site=site_jateng, candidate=f.CandidateFactory(province=f.province("33"))
    )
    admin = f.member("admin", Role.ADMINISTRATOR, kemnaker, is_staff=True, is_superuser=True)
    return Cast(
        admin=admin,
        central=f.member("central", Role.CENTRAL_TEAM, kemnaker),
        leadership=f.member("leadership", Role.LEADERSHIP, kemnaker),
        officer_jabar=f.member("officer.jabar", Role.REGIONAL_OFFICER, disnaker_jabar),
        officer_jateng=f.member("officer.jateng", Role.REGIONAL_OFFICER, disnaker_jateng),
        trainer=f.member("trainer", Role.TRAINING_STAFF, bbpvp),
        partner=f.member("partner", Role.PARTNER, imjapan),
        host=f.member("host", Role.HOST_COMPANY, host_company),
        host_other=f.member("host.other", Role.HOST_COMPANY, host_company_other),
        candidate=candidate_user,
        outsider=f.UserFactory(username="outsider"),
        site_jabar=site_jabar,
        site_jateng=site_jateng,
        application_jabar=application_jabar,
        application_jateng=application_jateng,
        imjapan=imjapan,
        host_company=host_company,
        host_company_other=host_company_other,
    )


PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    return (
        os.environ.get("MAGANG_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    """Headless Debian Chromium through Playwright, phone-sized, Indonesian, on the live
    server. Skipped without Chromium unless MAGANG_REQUIRE_BROWSER is set (CI sets it)."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("MAGANG_REQUIRE_BROWSER"):
            pytest.fail("MAGANG_REQUIRE_BROWSER is set but no Chromium was found.")
        pytest.skip(
            "No Chromium on this machine (apt-get install chromium, or set MAGANG_CHROMIUM)."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            context = browser.new_context(viewport=PHONE, locale="id-ID")
            browser_page = context.new_page()
            browser_page.set_default_timeout(15_000)
            browser_page.base_url = live_server.url
            try:
                yield browser_page
            finally:
                context.close()
                browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
