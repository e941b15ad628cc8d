"""The access-matrix world: two of everything, so every role meets someone else's object.

Objects named ``*_a`` belong to the "A" side (site A, centre A, partner A, host A, candidate A);
the "B" roles hold the same roles elsewhere and must be refused on every A object. Apps add
their own objects with a ``build(world)`` function in their ``tests/access_matrix.py``
(called in dependency order after the core world below), stored with ``world.add``.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from magang import factories as f
from magang.accounts.models import Organisation, Role, User
from magang.recruitment.journey import Status

# Every role of the matrix, by the name entries use in ``allowed``.
ROLES = (
    "anonymous",
    "candidate",
    "candidate_other",
    "officer_a",
    "officer_b",
    "central",
    "trainer_a",
    "trainer_b",
    "partner_a",
    "partner_b",
    "host_a",
    "host_b",
    "leadership",
    "admin",
)

# Text that partners and host companies must never receive (field-level rules).
SENTINELS = {
    "medical": "MEDICAL-SENTINEL-asthma-7741",
    "discipline": "DISCIPLINE-SENTINEL-fight-5523",
    "address": "ADDRESS-SENTINEL-Jalan-Mawar-9",
    "phone": "0812SENTINEL99",
    "email": "sentinel.private@example.org",
}


class World:
    """A bag of named objects; ``world.users[role]`` is the user of each role (None for
    anonymous)."""

    def __init__(self) -> None:
        self.users: dict[str, User | None] = {}
        self._objects: dict[str, Any] = {}

    def add(self, name: str, obj: Any) -> Any:
        if name in self._objects:
            raise KeyError(f"{name!r} is already in the world")
        self._objects[name] = obj
        return obj

    def resolve(self, path: str) -> Any:
        """``"name"``: that object's pk (a ``Literal`` as it is); ``"name.attr.attr"``: the
        attribute."""
        name, *attrs = path.split(".")
        obj = getattr(self, name)
        if not attrs:
            return obj if not hasattr(obj, "pk") else obj.pk
        for attr in attrs:
            obj = getattr(obj, attr)
        return obj

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_objects"][name]
        except KeyError:
            raise AttributeError(name) from None


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def build_core(world: World) -> None:
    """Organisations, the cast of roles and candidate A's application (with a document)."""
    kemnaker = f.OrganisationFactory(kind=Organisation.Kind.MINISTRY_UNIT, name="Kemnaker")
    office_a = f.OrganisationFactory(name="Disnaker Jawa Barat", province=f.province("32"))
    office_b = f.OrganisationFactory(name="Disnaker Jawa Tengah", province=f.province("33"))
    centre_a = f.OrganisationFactory(kind=Organisation.Kind.TRAINING_CENTRE, name="BBPVP Bekasi")
    centre_b = f.OrganisationFactory(kind=Organisation.Kind.TRAINING_CENTRE, name="BPVP Semarang")
    partner_a = f.OrganisationFactory(
        kind=Organisation.Kind.SUPERVISING_ORGANISATION, name="IM Japan",
        prefecture=f.prefecture("13"),
    )  # fmt: skip
    partner_b = f.OrganisationFactory(
        kind=Organisation.Kind.SUPERVISING_ORGANISATION, name="Kyodo Kumiai",
        prefecture=f.prefecture("23"),
    )  # fmt: skip
    host_a = f.OrganisationFactory(
        kind=Organisation.Kind.HOST_COMPANY, name="Sendai Seiko", parent=partner_a,
        prefecture=f.prefecture("04"), staff_count=80,
    )  # fmt: skip
    host_b = f.OrganisationFactory(
        kind=Organisation.Kind.HOST_COMPANY, name="Nagoya Kogyo", parent=partner_b,
        prefecture=f.prefecture("23"), staff_count=250,
    )  # fmt: skip
    for name, org in (
        ("kemnaker", kemnaker), ("office_a", office_a), ("office_b", office_b),
        ("centre_a", centre_a), ("centre_b", centre_b), ("partner_org_a", partner_a),
        ("partner_org_b", partner_b), ("host_org_a", host_a), ("host_org_b", host_b),
    ):  # fmt: skip
        world.add(name, org)

    round_ = world.add("round", f.RoundFactory(year=2026))
    site_a = world.add(
        "site_a",
        f.SiteFactory(round=round_, organisation=office_a, name="Bandung", province=f.province()),
    )
    site_b = world.add(
        "site_b",
        f.SiteFactory(
            round=round_, organisation=office_b, name="Semarang", province=f.province("33")
        ),
    )
    world.users = {
        "anonymous": None,
        "candidate": f.UserFactory(username="candidate.a"),
        "candidate_other": f.UserFactory(username="candidate.b"),
        "officer_a": f.member("officer.a", Role.REGIONAL_OFFICER, office_a),
        "officer_b": f.member("officer.b", Role.REGIONAL_OFFICER, office_b),
        "central": f.member("central", Role.CENTRAL_TEAM, kemnaker),
        "trainer_a": f.member("trainer.a", Role.TRAINING_STAFF, centre_a),
        "trainer_b": f.member("trainer.b", Role.TRAINING_STAFF, centre_b),
        "partner_a": f.member("partner.a", Role.PARTNER, partner_a),
        "partner_b": f.member("partner.b", Role.PARTNER, partner_b),
        "host_a": f.member("host.a", Role.HOST_COMPANY, host_a),
        "host_b": f.member("host.b", Role.HOST_COMPANY, host_b),
        "leadership": f.member("leadership", Role.LEADERSHIP, kemnaker),
        "admin": f.member("admin", Role.ADMINISTRATOR, kemnaker, is_staff=True, is_superuser=True),
    }
    candidate_a = world.add(
        "candidate_a",
        f.CandidateFactory(
            user=world.users["candidate"],
            address=SENTINELS["address"],
            phone=SENTINELS["phone"],
            email=SENTINELS["email"],
        ),
    )
    world.add(
        "application_a",
        f.ApplicationFactory(
            site=site_a, candidate=candidate_a, status=Status.GRADUATED, height_cm=168
        ),
    )
    world.add(
        "application_b",
        f.ApplicationFactory(
            site=site_b,
            candidate=f.CandidateFactory(
                user=world.users["candidate_other"], province=f.province("33")
            ),
            status=Status.GRADUATED,
        ),
    )
    world.add("today", dt.date(2026, 12, 1))
    world.add("now", timezone.now())


def document_for(application: Any, *, by: Any) -> Any:
    from magang.recruitment.models import Document, DocumentType

    kind, _ = DocumentType.objects.get_or_create(
        code="photo", defaults={"name_en": "Photo", "name_id": "Foto", "name_ja": "写真"}
    )
    document = Document(
        application=application, document_type=kind, content_type="image/png",
        size=len(PNG), sha256="0" * 64, uploaded_by=by,
    )  # fmt: skip
    document.file.save(f"access-{application.pk}.png", ContentFile(PNG), save=False)
    document.save()
    return document


def xlsx_upload() -> io.BytesIO:
    """A valid (empty) workbook, for import uploads kept for a preview."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["registration_number"])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
