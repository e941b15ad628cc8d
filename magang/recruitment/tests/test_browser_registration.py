"""A candidate registers on a phone: account, every step, a document, the status page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils.functional import empty
from PIL import Image

from conftest import PHONE
from magang.recruitment.models import Application, Candidate, Document, private_storage
from magang.recruitment.tests.test_registration_pages import NIK, open_site

# serialized_rollback restores the rows data migrations created (document types) after
# this transactional test empties the tables, so later tests on the worker still see them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (20, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def _no_sideways_scrolling(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _next(page: Any, step: str) -> None:
    page.locator("main button[type=submit]").click()
    page.wait_for_selector(f"#step-{step}" if step != "review" else "#submit-registration")
    _no_sideways_scrolling(page)


def test_it_registers_a_candidate_on_a_phone(page: Any) -> None:
    from playwright.sync_api import expect

    site = open_site()
    page.goto(page.base_url + "/recruitment/")
    _no_sideways_scrolling(page)
    page.locator(f"a[href='/recruitment/signup/?site={site.pk}']").click()

    page.fill("#id_email", "Budi.Santoso@example.com")
    page.fill("#id_full_name", "Budi Santoso")
    page.fill("#id_password1", "a-long-enough-Passphrase-9")
    page.fill("#id_password2", "a-long-enough-Passphrase-9")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("#step-identity")
    _no_sideways_scrolling(page)

    assert page.input_value("#id_full_name") == "Budi Santoso"
    page.fill("#id_nik", "3216 0117 0503 0001")
    page.check("input[name=sex][value=M]")
    page.fill("#id_birth_date", "2003-05-17")
    page.fill("#id_birth_place", "Bekasi")
    _next(page, "contact")

    assert page.input_value("#id_email") == "budi.santoso@example.com"
    page.fill("#id_phone", "0812 3456 7890")
    _next(page, "address")

    # Choosing the province reloads the regency list through htmx.
    page.select_option("#id_province", "32")
    expect(page.locator("#id_regency option[value='33.09']")).to_have_count(0)
    page.select_option("#id_regency", "32.16")
    page.fill("#id_address", "Jl. Melati 5, Sukamaju")
    _next(page, "education")

    page.select_option("#id_education", "smk")
    page.fill("#id_education_institution", "SMK Negeri 2 Bekasi")
    page.fill("#id_graduation_year", "2021")
    _next(page, "body")

    page.fill("#id_height_cm", "166")
    page.fill("#id_weight_kg", "57.5")
    _next(page, "declarations")

    for box in page.locator("input[name=declarations]").all():
        box.check()
    _next(page, "consent")

    assert page.locator("#privacy-notice").is_visible()
    page.check("#id_agree")
    _next(page, "review")

    assert NIK in page.locator("#review-identity").inner_text()
    page.locator("#submit-registration").click()
    page.wait_for_selector("#registration-number")
    _no_sideways_scrolling(page)
    application = Application.objects.get(candidate__in=Candidate.objects.with_nik(NIK))
    assert page.locator(".regno").inner_text() == application.registration_number

    page.locator("#application-documents a.button").click()
    page.wait_for_selector("#document-ktp")
    _no_sideways_scrolling(page)
    page.set_input_files(
        "#file-ktp", files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.locator("#document-ktp button[type=submit]").click()
    page.wait_for_selector("#document-ktp a[href$='/file/']")
    assert Document.objects.filter(application=application, document_type__code="ktp").exists()

    page.locator(f"main a[href$='/my/{application.pk}/']").first.click()
    page.wait_for_selector("#registration-number")
    assert page.locator(".regno").inner_text() == application.registration_number
    missing = page.locator("#missing-documents").inner_text()
    assert "Pas foto" in missing  # the photograph is still missing, named in Indonesian
    assert "KTP" not in missing
