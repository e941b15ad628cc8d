"""Shared set-up for the case and alumni tests: the cast's two interns in Japan (West Java's
with a candidate account, at Sendai Seiko under IM Japan; Central Java's at Nagoya Kogyo),
a tiny PNG, and private uploads in a temporary directory."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils.functional import empty
from PIL import Image

from magang import factories as f
from magang.accounts.models import User
from magang.internships.models import Case, Internship
from magang.internships.services import cases as services
from magang.recruitment.models import private_storage

EN = {"accept-language": "en"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 40)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class Interns:
    jabar: Internship  # cast.candidate's
    jateng: Internship


@pytest.fixture(name="private_media")
def private_media_fixture(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture(name="interns")
def interns_fixture(cast: Any) -> Interns:
    jabar = f.InternshipFactory(
        application=cast.application_jabar,
        supervising_organisation=cast.imjapan,
        host_company=cast.host_company,
    )
    jateng = f.InternshipFactory(
        application=cast.application_jateng,
        supervising_organisation=cast.imjapan,
        host_company=cast.host_company_other,
    )
    for application in (cast.application_jabar, cast.application_jateng):
        application.status = "in_japan"
        application.save(update_fields=["status"])
    return Interns(jabar=jabar, jateng=jateng)


def client_for(user: User | None) -> Client:
    client = Client(headers=EN)
    if user is not None:
        client.force_login(user)
    return client


def file_case(internship: Internship, by: User, **extra: Any) -> Case:
    fields: dict[str, Any] = {
        "kind": "grievance",
        "category": "wages",
        "severity": "medium",
        "description": "Overtime has not been paid for two months.",
    }
    fields.update(extra)
    return services.case_file(internship=internship, by=by, **fields)
