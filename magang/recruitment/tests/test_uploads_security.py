"""Hostile uploads: polyglots, pixel bombs, wrong types and huge bodies are refused with a
sentence (page and API alike); what is kept is re-encoded and only ever served as an
attachment through the authorising view."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import pytest
from django.urls import reverse

from magang.recruitment.models import Document, DocumentType

from .test_documents_pages import (  # noqa: F401 - private_media is an autouse fixture
    EN,
    PDF,
    png,
    private_media,
    stored,
    upload,
)

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def own(cast: Any) -> Any:
    """The cast candidate's application, in a round that asks for a photograph."""
    application = cast.application_jabar
    application.round.required_documents.set(DocumentType.objects.filter(code="photo"))
    return application


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def pixel_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG of a few hundred bytes that claims ten billion pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def api_upload(client: Any, application: Any, content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/api/v1/recruitment/me/applications/{application.pk}/documents/photo",
        {"file": SimpleUploadedFile(name, content)},
        **EN,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + HTML, "could not be read"),
        (pixel_bomb(), "too large"),
        (HTML, "none of them"),
        (b"%PDF-1.4\n" + HTML, "incomplete or damaged"),
    ],
    ids=["png-header-then-html", "pixel-bomb", "html-named-png", "pdf-header-then-html"],
)
def test_hostile_files_are_refused_with_a_sentence_on_the_page_and_in_the_api(
    cast: Any, client: Any, own: Any, content: bytes, message: str
) -> None:
    client.force_login(cast.candidate)
    page = upload(client, own, "photo", content, "photo.png")
    assert page.status_code == 400
    assert message in page.content.decode()
    api = api_upload(client, own, content, "photo.png")
    assert api.status_code in (400, 422), api.content
    assert message in api.content.decode()
    assert not Document.objects.exists()


def test_html_hidden_after_a_real_image_is_not_kept(cast: Any, client: Any, own: Any) -> None:
    client.force_login(cast.candidate)
    response = upload(client, own, "photo", png() + HTML, "photo.png")
    assert response.status_code == 302
    document = Document.objects.get()
    assert b"<script" not in stored(document)
    served = client.get(reverse("recruitment:document_file", args=[document.pk]))
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Type"] == "image/png"


def test_a_huge_body_is_refused_before_it_is_kept(
    cast: Any, client: Any, own: Any, settings: Any
) -> None:
    settings.MAGANG_MAX_UPLOAD_BYTES = 64 * 1024
    client.force_login(cast.candidate)
    huge = PDF[:-6] + b"%" * (2 * 1024 * 1024) + b"\n%%EOF\n"
    page = upload(client, own, "photo", huge, "scan.pdf")
    assert page.status_code == 400
    assert "the limit is" in page.content.decode()
    api = api_upload(client, own, huge, "scan.pdf")
    assert api.status_code in (400, 413, 422)
    assert "limit" in api.content.decode()
    assert not Document.objects.exists()
