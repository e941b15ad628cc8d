"""The candidate's status page, document uploads and document files, and who may see them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty
from PIL import Image

from magang import factories as f
from magang.recruitment import services
from magang.recruitment.eligibility import RuleSet
from magang.recruitment.models import Document, DocumentType, private_storage

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Iterator[None]:
    """Uploaded files go to a temporary directory, not var/."""
    settings.MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture
def application(cast):
    """cast.candidate's application, in a round that asks for the KTP and a photograph."""
    application = cast.application_jabar
    application.round.required_documents.set(DocumentType.objects.filter(code__in=["ktp", "photo"]))
    return application


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x9286] = "taken at home"  # UserComment
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(client, application, code: str, content: bytes, name: str) -> Any:
    return client.post(
        reverse("recruitment:my_documents", args=[application.pk]),
        {"document_type": code, "file": SimpleUploadedFile(name, content)},
        **EN,
    )


def stored(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def ktp() -> DocumentType:
    return DocumentType.objects.get(code="ktp")


# ---------------------------------------------------------------------------------------
# Uploads


def test_it_uploads_a_png_and_a_pdf_and_shows_them(cast, client, application) -> None:
    client.force_login(cast.candidate)
    response = upload(client, application, "photo", png(), "me.png")
    assert response.status_code == 302
    assert response["Location"] == reverse("recruitment:my_documents", args=[application.pk])
    response = upload(client, application, "ktp", PDF, "ktp.pdf")
    assert response.status_code == 302
    photo = Document.objects.get(application=application, document_type__code="photo")
    card = Document.objects.get(application=application, document_type__code="ktp")
    assert photo.content_type == "image/png"
    assert card.content_type == "application/pdf"
    assert stored(card) == PDF
    assert photo.uploaded_by == cast.candidate
    assert "me.png" not in photo.file.name
    page = client.get(response["Location"], **EN).content.decode()
    assert "Identity card (KTP) uploaded" in page
    assert page.count("Awaiting verification") == 2
    assert reverse("recruitment:document_file", args=[card.pk]) in page
    application.refresh_from_db()
    assert application.documents_state == "complete"
    status = client.get(reverse("recruitment:my_application", args=[application.pk]), **EN)
    assert "Still missing" not in status.content.decode()


def test_it_names_documents_in_the_readers_language(cast, client, application) -> None:
    client.force_login(cast.candidate)
    content = client.get(reverse("recruitment:my_documents", args=[application.pk])).content
    assert "Kartu Tanda Penduduk (KTP)" in content.decode()
    assert 'accept="image/*,application/pdf"' in content.decode()
    english = client.get(reverse("recruitment:my_documents", args=[application.pk]), **EN)
    assert "Identity card (KTP)" in english.content.decode()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "ktp.pdf"),
        (b"<html><script>alert(1)</script></html>", "ktp.png"),
        (b"PK\x03\x04" + b"\x00" * 100, "ktp.jpg"),
    ],
)
def test_it_refuses_a_file_that_is_not_pdf_jpeg_or_png_whatever_its_name(
    cast, client, application, content, name
) -> None:
    client.force_login(cast.candidate)
    response = upload(client, application, "ktp", content, name)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Upload a PDF, JPEG or PNG file. This file is none of them" in page
    # The message sits in the KTP row.
    row = page.split('id="document-ktp"')[1].split("</section>")[0]
    assert 'id="errors-ktp"' in row
    assert not Document.objects.exists()


def test_it_takes_a_pdf_named_jpg_as_a_pdf(cast, client, application) -> None:
    client.force_login(cast.candidate)
    assert upload(client, application, "ktp", PDF, "scan.jpg").status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.file.name.endswith(".pdf")


def test_it_refuses_an_oversized_file(cast, client, application, settings) -> None:
    settings.MAGANG_MAX_UPLOAD_BYTES = 1024
    client.force_login(cast.candidate)
    response = upload(client, application, "ktp", PDF + b"%" * 2000 + b"\n%%EOF", "big.pdf")
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not Document.objects.exists()


def test_it_strips_exif_from_a_jpeg(cast, client, application) -> None:
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()  # the test file really carries EXIF
    client.force_login(cast.candidate)
    assert upload(client, application, "photo", original, "IMG_0001.JPG").status_code == 302
    document = Document.objects.get()
    data = stored(document)
    assert document.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(data)).getexif()
    assert b"PhoneMaker" not in data and b"Exif" not in data


def test_it_replaces_a_rejected_document_and_shows_the_reason(cast, client, application) -> None:
    client.force_login(cast.candidate)
    upload(client, application, "ktp", PDF, "ktp.pdf")
    document = Document.objects.get()
    services.document_review(
        document=document, accept=False, reason="The scan is blurred.", by=cast.officer_jabar
    )
    status = client.get(reverse("recruitment:my_application", args=[application.pk]), **EN)
    assert "The scan is blurred." in status.content.decode()
    documents = client.get(reverse("recruitment:my_documents", args=[application.pk]), **EN)
    assert "The scan is blurred." in documents.content.decode()
    assert upload(client, application, "ktp", png(), "again.png").status_code == 302
    document.refresh_from_db()
    assert (document.status, document.rejection_reason) == ("pending", "")
    assert document.content_type == "image/png"


def test_it_stops_uploads_once_the_application_has_moved_on(cast, client, application) -> None:
    services.application_advance(application=application, to="eligible", by=cast.officer_jabar)
    services.application_advance(application=application, to="in_selection", by=cast.central)
    client.force_login(cast.candidate)
    page = client.get(reverse("recruitment:my_documents", args=[application.pk]), **EN)
    assert "Documents can no longer be changed" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    response = upload(client, application, "ktp", PDF, "ktp.pdf")
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_it_refuses_a_document_type_the_round_does_not_ask_for(cast, client, application) -> None:
    client.force_login(cast.candidate)
    response = upload(client, application, "skck", PDF, "skck.pdf")
    assert response.status_code == 400
    assert not Document.objects.exists()


# ---------------------------------------------------------------------------------------
# Status page


def test_it_explains_the_status_eligibility_and_journey(cast, client, application) -> None:
    rules = RuleSet(
        reference_date=application.round.reference_date,
        allowed_sexes=frozenset({"M"}),
        min_age_years=18,
        max_age_years=26,
        min_education="sma",
        min_height_cm={"M": 158},
    )
    application.round.eligibility_rules = rules.to_dict()
    application.round.save()
    application.height_cm = 150
    application.education = "sma"
    application.warnings = ["The birth date in the NIK differs from the form (officer only)."]
    application.eligibility = services.registration.verdict_as_dict(
        services.registration.application_eligibility(application=application)
    )
    application.save()
    client.force_login(cast.candidate)
    url = reverse("recruitment:my_application", args=[application.pk])
    content = client.get(url, **EN).content.decode()
    assert application.registration_number in content
    assert "Registered" in content and "Upload every required document" in content
    assert "Identity card (KTP)" in content and "Photograph" in content
    assert "Height is 150 cm; the minimum for men is 158 cm." in content
    assert "officer only" not in content  # warnings are for officers
    indonesian = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Tinggi badan 150 cm" in indonesian
    assert "Kartu Tanda Penduduk (KTP)" in indonesian


def test_it_shows_the_journey_with_its_reasons(cast, client, application) -> None:
    services.application_advance(
        application=application,
        to="ineligible",
        by=cast.officer_jabar,
        reason="Tinggi badan 150 cm; batas minimal untuk laki-laki 158 cm.",
    )
    client.force_login(cast.candidate)
    content = client.get(
        reverse("recruitment:my_application", args=[application.pk]), **EN
    ).content.decode()
    journey = content.split('id="application-journey"')[1]
    assert "Ineligible" in journey and "Tinggi badan 150 cm" in journey
    assert "contact your selection site" in content
    assert cast.officer_jabar.username not in content
    assert "Upload or replace documents" not in content


# ---------------------------------------------------------------------------------------
# Who may see what


@pytest.fixture
def document(cast, application) -> Document:
    return services.document_upload(
        application=application,
        document_type=ktp(),
        upload=io.BytesIO(PDF),
        size=len(PDF),
        by=cast.candidate,
    )


@pytest.fixture
def another_candidate(cast):
    user = f.UserFactory(username="another@example.com")
    f.ApplicationFactory(site=cast.site_jabar, candidate=f.CandidateFactory(user=user))
    return user


def _pages(application, document) -> list[str]:
    return [
        reverse("recruitment:my_application", args=[application.pk]),
        reverse("recruitment:my_documents", args=[application.pk]),
        reverse("recruitment:document_file", args=[document.pk]),
    ]


@pytest.mark.parametrize(
    "who", ["another_candidate", "officer_jateng", "outsider", "trainer", "partner", "host"]
)
def test_it_hides_a_candidates_pages_and_files_from_others(
    cast, client, application, document, another_candidate, who
) -> None:
    user = another_candidate if who == "another_candidate" else getattr(cast, who)
    client.force_login(user)
    for url in _pages(application, document):
        response = client.get(url)
        assert response.status_code == 404, url
        assert application.registration_number.encode() not in response.content
        assert PDF not in response.content
    response = upload(client, application, "ktp", png(), "ktp.png")
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.content_type == "application/pdf"


@pytest.mark.parametrize("who", ["officer_jabar", "central", "admin"])
def test_it_keeps_staff_on_the_officer_pages_but_lets_them_download(
    cast, client, application, document, who
) -> None:
    client.force_login(getattr(cast, who))
    status, documents, file_url = _pages(application, document)
    assert client.get(status).status_code == 404
    assert client.get(documents).status_code == 404
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_it_sends_anonymous_visitors_to_login(cast, client, application, document) -> None:
    for url in _pages(application, document):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = upload(client, application, "ktp", png(), "ktp.png")
    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_it_serves_the_candidate_their_file_privately(cast, client, application, document) -> None:
    client.force_login(cast.candidate)
    response = client.get(reverse("recruitment:document_file", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ktp-{application.registration_number}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_it_answers_a_missing_document_like_someone_elses(cast, client, document) -> None:
    client.force_login(cast.officer_jateng)
    not_yours = client.get(reverse("recruitment:document_file", args=[document.pk]))
    missing = client.get(reverse("recruitment:document_file", args=[999_999]))
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.content == missing.content
