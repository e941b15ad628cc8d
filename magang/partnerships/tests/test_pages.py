"""Partnership pages through the client: who reads which agreements (a partner only those
naming it), who writes, documents as authorised downloads, a prefecture's page exact for
ministry roles and suppressed for everyone else, and the comparison for leadership."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import Cast
from magang import factories as f
from magang.accounts.models import Organisation
from magang.internships.models import EndReason
from magang.partnerships.models import Agreement, AgreementDocument, AgreementStatus

from .conftest import PDF_BYTES, MakeAgreement

pytestmark = pytest.mark.django_db

NOBODY = ("officer_jabar", "officer_jateng", "trainer", "candidate", "outsider")
MINISTRY = ("central", "leadership", "admin")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def agreements(
    cast: Cast, make_agreement: MakeAgreement, other_partner: Organisation
) -> dict[str, Agreement]:
    """Miyagi's public MoC with IM Japan; Aichi's non-public MoU with another partner; a
    draft naming IM Japan; a public LoI of Sendai Seiko (the cast's host company)."""
    return {
        "miyagi": make_agreement(is_public=True, organisations=[cast.imjapan]),
        "aichi": make_agreement(
            title="Aichi MoU", prefecture=f.prefecture("23"), organisations=[other_partner]
        ),
        "draft": make_agreement(
            title="Tokyo draft",
            status=AgreementStatus.DRAFT,
            prefecture=f.prefecture("13"),
            organisations=[cast.imjapan],
            signed_on=None,
            valid_from=None,
            valid_until=None,
        ),
        "host": make_agreement(
            title="Sendai Seiko LoI",
            kind="loi",
            prefecture=None,
            organisations=[cast.host_company],
            is_public=True,
        ),
    }


def titles(response: Any) -> set[str]:
    return {a.title for a in response.context["page"]}


# The public page -------------------------------------------------------------------------


def test_the_public_page_lists_only_public_agreements(agreements: dict[str, Agreement]) -> None:
    response = client_for(None).get(reverse("partnerships:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Miyagi MoC" in page and "Sendai Seiko LoI" in page
    assert "Aichi MoU" not in page and "Tokyo draft" not in page
    assert [p.code for p in response.context["prefectures"]] == ["04"]


# Agreements: who reads which -------------------------------------------------------------


def test_ministry_roles_read_every_agreement(cast: Cast, agreements: dict[str, Agreement]) -> None:
    url = reverse("partnerships:agreement_list")
    leadership = client_for(cast.leadership)
    assert titles(leadership.get(url, {"prefecture": "23"})) == {"Aichi MoU"}
    assert titles(leadership.get(url, {"status": "draft"})) == {"Tokyo draft"}
    assert len(titles(leadership.get(url, {"prefecture": "\x00", "status": "x"}))) == 4
    for name in MINISTRY:
        response = client_for(getattr(cast, name)).get(url)
        assert response.status_code == 200, name
        assert titles(response) == {a.title for a in agreements.values()}, name


def test_a_partner_reads_only_signed_agreements_naming_it(
    cast: Cast, agreements: dict[str, Agreement], other_partner: Organisation
) -> None:
    url = reverse("partnerships:agreement_list")
    assert titles(client_for(cast.partner).get(url)) == {"Miyagi MoC"}
    assert titles(client_for(cast.host).get(url)) == {"Sendai Seiko LoI"}
    assert titles(client_for(cast.host_other).get(url)) == set()
    aichi = f.member("partner.aichi", "partner", other_partner)
    assert titles(client_for(aichi).get(url)) == {"Aichi MoU"}
    detail = "partnerships:agreement_detail"
    partner = client_for(cast.partner)
    assert partner.get(reverse(detail, args=[agreements["miyagi"].pk])).status_code == 200
    for other in ("aichi", "draft", "host"):
        assert partner.get(reverse(detail, args=[agreements[other].pk])).status_code == 404, other


def test_other_roles_and_strangers_are_refused(
    cast: Cast, agreements: dict[str, Agreement]
) -> None:
    pk = agreements["miyagi"].pk
    urls = [
        reverse("partnerships:agreement_list"),
        reverse("partnerships:agreement_detail", args=[pk]),
        reverse("partnerships:compare"),
    ]
    for url in urls:
        for name in NOBODY:
            assert client_for(getattr(cast, name)).get(url).status_code == 403, (url, name)
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


# Agreements: who writes ------------------------------------------------------------------


def agreement_form(**extra: Any) -> dict[str, Any]:
    data = {
        "title": "Miyagi MoC",
        "kind": "moc",
        "reference": "B.5/123/2023",
        "status": "signed",
        "indonesian_province": "",
        "indonesian_signatory": "Minister of Manpower",
        "prefecture": f.prefecture("04").pk,
        "japanese_signatory": "Governor of Miyagi",
        "signed_on": "2023-07-10",
        "valid_from": "2023-07-10",
        "valid_until": "2028-07-09",
        "intern_quota": "300",
        "scope": "Interns in care work and food manufacturing.",
        "is_public": "on",
    }
    data.update(extra)
    return data


def test_the_central_team_records_an_agreement(cast: Cast) -> None:
    response = client_for(cast.central).post(
        reverse("partnerships:agreement_create"),
        {**agreement_form(), "organisations": [cast.imjapan.pk], "trades": [f.trade().pk]},
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:agreement_detail", args=[agreement.pk])
    assert agreement.is_public and agreement.intern_quota == 300
    assert list(agreement.organisations.all()) == [cast.imjapan]


def test_a_refused_agreement_shows_why_and_saves_nothing(cast: Cast) -> None:
    response = client_for(cast.central).post(
        reverse("partnerships:agreement_create"),
        agreement_form(prefecture="", valid_until="2020-01-01"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Name the Japanese party" in page and "2020-01-01" in page
    assert not Agreement.objects.exists()


def test_only_the_central_team_and_administrators_write(
    cast: Cast, agreements: dict[str, Agreement]
) -> None:
    pk = agreements["miyagi"].pk
    writes = [
        (reverse("partnerships:agreement_create"), agreement_form()),
        (reverse("partnerships:agreement_edit", args=[pk]), agreement_form(title="X")),
        (
            reverse("partnerships:agreement_terminate", args=[pk]),
            {"on": "2025-01-01", "reason": "x"},
        ),
    ]
    for name in ("leadership", "partner", "host", *NOBODY):
        client = client_for(getattr(cast, name))
        assert client.get(reverse("partnerships:agreement_create")).status_code == 403, name
        for url, data in writes:
            assert client.post(url, data).status_code == 403, (name, url)
    assert client_for(cast.admin).get(reverse("partnerships:agreement_create")).status_code == 200
    agreements["miyagi"].refresh_from_db()
    assert agreements["miyagi"].title == "Miyagi MoC"
    assert agreements["miyagi"].status == AgreementStatus.SIGNED


def test_the_central_team_changes_and_terminates_an_agreement(
    cast: Cast, agreements: dict[str, Agreement]
) -> None:
    miyagi = agreements["miyagi"]
    central = client_for(cast.central)
    edit = reverse("partnerships:agreement_edit", args=[miyagi.pk])
    assert central.get(edit).status_code == 200
    response = central.post(
        edit, {**agreement_form(title="Miyagi MoC (2023)"), "organisations": [cast.imjapan.pk]}
    )
    assert response.status_code == 302
    central.post(
        reverse("partnerships:agreement_terminate", args=[miyagi.pk]),
        {"on": "2026-01-31", "reason": "Replaced by a new MoC"},
    )
    miyagi.refresh_from_db()
    assert miyagi.title == "Miyagi MoC (2023)"
    assert miyagi.status == AgreementStatus.TERMINATED
    assert central.get(edit).status_code == 200  # the page opens; the service refuses the save
    refused = central.post(edit, agreement_form(title="Again"))
    assert "cannot be changed" in refused.content.decode()


# Documents -------------------------------------------------------------------------------


def upload(client: Client, agreement: Agreement, content: bytes = PDF_BYTES) -> Any:
    return client.post(
        reverse("partnerships:document_upload", args=[agreement.pk]),
        {"title": "Signed text", "file": SimpleUploadedFile("moc.pdf", content)},
    )


def test_documents_are_downloads_for_those_who_read_the_agreement(
    cast: Cast, agreements: dict[str, Agreement]
) -> None:
    miyagi = agreements["miyagi"]
    assert upload(client_for(cast.central), miyagi).status_code == 302
    document = AgreementDocument.objects.get()
    url = reverse("partnerships:document_file", args=[document.pk])
    for user in (cast.partner, cast.leadership, cast.central):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    assert client_for(cast.host).get(url).status_code == 404  # not named in Miyagi's MoC
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    assert client_for(None).get(url).status_code == 302


def test_a_file_that_is_not_a_pdf_is_refused(cast: Cast, agreements: dict[str, Agreement]) -> None:
    client = client_for(cast.central)
    response = upload(client, agreements["miyagi"], b"<html>not a pdf</html>")
    assert response.status_code == 302
    assert not AgreementDocument.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Upload a PDF" in page


def test_only_editors_add_or_remove_documents(cast: Cast, agreements: dict[str, Agreement]) -> None:
    miyagi = agreements["miyagi"]
    assert upload(client_for(cast.partner), miyagi).status_code == 403
    assert upload(client_for(cast.leadership), miyagi).status_code == 403
    upload(client_for(cast.central), miyagi)
    document = AgreementDocument.objects.get()
    remove = reverse("partnerships:document_remove", args=[document.pk])
    assert client_for(cast.leadership).post(remove, {"reason": "x"}).status_code == 403
    client_for(cast.central).post(remove, {"reason": ""})
    assert AgreementDocument.objects.exists()
    client_for(cast.central).post(remove, {"reason": "Wrong file"})
    assert not AgreementDocument.objects.exists()


# Prefecture pages -------------------------------------------------------------------------


@pytest.fixture
def miyagi_interns(cast: Cast) -> None:
    for _ in range(6):
        f.InternshipFactory(prefecture=f.prefecture("04"), host_company=cast.host_company)
    f.InternshipFactory(
        prefecture=f.prefecture("04"),
        departed_on=dt.date(2022, 9, 1),
        ended_on=dt.date(2023, 5, 5),
        end_reason=EndReason.MISSING,
    )
    f.InternshipFactory(prefecture=f.prefecture("23"), host_company=cast.host_company_other)


def test_the_public_reads_a_partner_prefecture_suppressed(
    cast: Cast, agreements: dict[str, Agreement], miyagi_interns: None
) -> None:
    response = client_for(None).get(reverse("partnerships:prefecture_detail", args=["04"]))
    assert response.status_code == 200
    profile = response.context["profile"]
    assert not profile.exact
    assert profile.in_japan.count == 6 and profile.missing.label == "<5"
    page = response.content.decode()
    # No list of host companies (a public agreement's own parties are named, as agreed).
    assert 'id="hosts"' not in page and "Interns now" not in page
    assert 'id="incidents"' not in page
    assert "Miyagi MoC" in page
    # Aichi's agreement is not public: no public page; a prefecture with none either.
    for code in ("23", "13", "99", "4", "%00", "0\u0000"):
        url = reverse("partnerships:prefecture_detail", args=[code])
        assert client_for(None).get(url).status_code == 404, code


def test_a_partner_reads_prefectures_of_its_agreements_without_names(
    cast: Cast, agreements: dict[str, Agreement], other_partner: Organisation, miyagi_interns: None
) -> None:
    aichi_partner = f.member("partner.aichi", "partner", other_partner)
    url = reverse("partnerships:prefecture_detail", args=["23"])
    response = client_for(aichi_partner).get(url)
    assert response.status_code == 200
    assert "Nagoya Kogyo" not in response.content.decode()
    assert client_for(cast.partner).get(url).status_code == 404
    page = (
        client_for(cast.partner)
        .get(reverse("partnerships:prefecture_detail", args=["04"]))
        .content.decode()
    )
    assert 'href="/partnerships/agreements/' in page  # its own agreement is a link


def test_ministry_roles_read_exact_figures_names_and_incidents(
    cast: Cast, agreements: dict[str, Agreement], miyagi_interns: None
) -> None:
    for name in MINISTRY:
        response = client_for(getattr(cast, name)).get(
            reverse("partnerships:prefecture_detail", args=["04"])
        )
        assert response.status_code == 200, name
        profile = response.context["profile"]
        assert profile.exact and profile.missing.count == 1
        page = response.content.decode()
        assert "Sendai Seiko" in page and 'id="incidents"' in page
        assert "Tokyo draft" not in page  # about Tokyo, not Miyagi
    # Any prefecture, agreement or not.
    url = reverse("partnerships:prefecture_detail", args=["13"])
    tokyo = client_for(cast.leadership).get(url)
    assert tokyo.status_code == 200 and "Tokyo draft" in tokyo.content.decode()


def test_leadership_compares_prefectures_side_by_side(
    cast: Cast, agreements: dict[str, Agreement], miyagi_interns: None
) -> None:
    url = reverse("partnerships:compare")
    response = client_for(cast.leadership).get(url, {"p": ["04", "23"]})
    assert response.status_code == 200
    assert [p.prefecture.code for p in response.context["profiles"]] == ["04", "23"]
    rows = dict(response.context["rows"])
    assert [c.count for c in rows["In Japan now"]] == [6, 1]  # exact: no suppression
    assert [c.count for c in rows["Departed in 2023"]] == [6, 1]
    assert [c.count for c in rows["Departed in 2022"]] == [1, 0]
    # Miyagi: its MoC and the LoI of a company there.
    assert response.context["agreement_counts"] == [2, 1]
    for code in ("01", "02"):
        f.prefecture(code)
    for codes in (["04"], ["04", "23", "13", "01", "02"]):
        refused = client_for(cast.leadership).get(url, {"p": codes})
        assert refused.context["profiles"] == []
        assert "two, three or four" in refused.content.decode()
    for name in ("partner", "host"):
        assert client_for(getattr(cast, name)).get(url, {"p": ["04", "23"]}).status_code == 403
