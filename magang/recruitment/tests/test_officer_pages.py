"""Officer pages: the filtered list and its exports, the application page, document review,
eligibility confirmation and katakana corrections, with who may do each."""

from __future__ import annotations

import codecs
import csv
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from magang import factories as f
from magang.core.models import AuditEntry
from magang.recruitment import services
from magang.recruitment.models import Application, Document, DocumentType, JourneyEvent

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **EN}
RULES = {
    "reference_date": "2026-12-31",
    "allowed_sexes": ["M"],
    "min_age_years": 18,
    "max_age_years": 26,
    "min_education": "sma",
    "min_height_cm": {"M": 158},
}


# --- helpers shared with test_api.py


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def require(application: Application, *codes: str) -> None:
    application.round.required_documents.set(DocumentType.objects.filter(code__in=codes))


def upload(application: Application, code: str) -> Document:
    data = png()
    return services.document_upload(
        application=application,
        document_type=DocumentType.objects.get(code=code),
        upload=io.BytesIO(data),
        size=len(data),
        by=application.candidate.user,
    )


def ready(application: Application, *, height: int = 170) -> list[Document]:
    """An application with KTP and photo required and uploaded, and measurements for RULES."""
    Application.objects.filter(pk=application.pk).update(education="sma", height_cm=height)
    application.refresh_from_db()
    require(application, "ktp", "photo")
    return [upload(application, "ktp"), upload(application, "photo")]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def rows_in(content: str) -> list[str]:
    return re.findall(r">(T-\d{8})</a>", content)


# --- the list


def test_it_filters_by_documents_state_and_warnings(cast, client) -> None:
    complete = f.ApplicationFactory(site=cast.site_jabar, documents_state="complete")
    warned = f.ApplicationFactory(site=cast.site_jabar, warnings=["NIK birth date differs."])
    client.force_login(cast.officer_jabar)
    url = reverse("recruitment:application_list")

    by_state = rows_in(client.get(url, {"documents": "complete"}).content.decode())
    with_warnings = rows_in(client.get(url, {"warnings": "yes"}).content.decode())
    without = rows_in(client.get(url, {"warnings": "no"}).content.decode())
    nonsense = rows_in(client.get(url, {"documents": "bogus", "warnings": "x"}).content.decode())

    assert by_state == [complete.registration_number]
    assert with_warnings == [warned.registration_number]
    assert warned.registration_number not in without
    assert {complete.registration_number, cast.application_jabar.registration_number} <= set(
        without
    )
    assert len(nonsense) == 3
    assert cast.application_jateng.registration_number not in nonsense


def test_it_combines_filters_with_search(cast, client) -> None:
    f.ApplicationFactory(site=cast.site_jabar, documents_state="complete")
    Application.objects.filter(pk=cast.application_jabar.pk).update(documents_state="complete")
    client.force_login(cast.central)
    response = client.get(
        reverse("recruitment:application_list"),
        {"documents": "complete", "q": cast.application_jabar.candidate.nik},
    )
    assert rows_in(response.content.decode()) == [cast.application_jabar.registration_number]


def test_it_shows_documents_state_and_a_warning_marker(cast, client) -> None:
    Application.objects.filter(pk=cast.application_jabar.pk).update(
        documents_state="rejected", warnings=["one", "two"]
    )
    client.force_login(cast.officer_jabar)
    response = client.get(reverse("recruitment:application_list"), **HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "Some rejected" in content
    assert 'class="warning-marker"' in content
    assert "2 warnings for the officer" in content


def test_it_paginates_fifty_a_page_and_keeps_the_filters(cast, client) -> None:
    for _ in range(51):
        f.ApplicationFactory(site=cast.site_jabar, documents_state="complete")
    client.force_login(cast.officer_jabar)
    url = reverse("recruitment:application_list")
    first = client.get(url, {"documents": "complete"}, **EN).content.decode()
    second = client.get(url, {"documents": "complete", "page": 2}, **EN).content.decode()
    assert len(rows_in(first)) == 50
    assert len(rows_in(second)) == 1
    assert "documents=complete&amp;page=2" in first
    assert "51 applications" in first


def test_it_links_exports_with_the_current_filters(cast, client) -> None:
    client.force_login(cast.officer_jabar)
    response = client.get(
        reverse("recruitment:application_list"), {"documents": "complete", "page": "1"}
    )
    content = response.content.decode()
    assert f"{reverse('recruitment:application_export_xlsx')}?documents=complete" in content
    assert f"{reverse('recruitment:application_export_csv')}?documents=complete" in content


# --- exports

XLSX_URL = "recruitment:application_export_xlsx"
CSV_URL = "recruitment:application_export_csv"


def _sheet_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(values_only=True))


def _csv_rows(response) -> list[list[str]]:
    data = b"".join(response.streaming_content)
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def test_it_exports_the_officers_list_to_xlsx_with_text_niks(cast, client) -> None:
    candidate = cast.application_jabar.candidate
    candidate.full_name = '=HYPERLINK("http://evil.example","Click")'
    candidate.save()
    client.force_login(cast.officer_jabar)

    response = client.get(reverse(XLSX_URL), **EN)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _sheet_rows(response)
    assert rows[0] == (
        "Registration number",
        "NIK",
        "Name",
        "Sex",
        "Birth date",
        "Province",
        "Regency or city",
        "Selection site",
        "Round",
        "Status",
        "Documents",
        "Warnings",
        "Submitted at",
    )
    assert len(rows) == 2
    number, nik, name, sex, *_rest = rows[1]
    assert number == cast.application_jabar.registration_number
    assert isinstance(nik, str)
    assert len(nik) == 16
    assert nik == candidate.nik
    assert name == "'" + candidate.full_name
    assert sex == "Male"
    assert rows[1][9] == "Registered"
    assert rows[1][11] == 0


def test_it_exports_csv_with_the_same_filters_and_escaping(cast, client) -> None:
    Application.objects.filter(pk=cast.application_jabar.pk).update(
        warnings=["w"], documents_state="complete"
    )
    f.ApplicationFactory(site=cast.site_jabar, candidate=f.CandidateFactory(full_name="+62 Budi"))
    client.force_login(cast.central)

    everything = _csv_rows(client.get(reverse(CSV_URL), **EN))
    warned = _csv_rows(client.get(reverse(CSV_URL), {"warnings": "yes"}, **EN))

    assert len(everything) == 4  # header, both sites' applications and the new one
    assert "'+62 Budi" in [row[2] for row in everything]
    assert [row[0] for row in warned[1:]] == [cast.application_jabar.registration_number]
    assert warned[1][1] == cast.application_jabar.candidate.nik
    assert warned[1][10] == "Complete, awaiting verification"
    assert warned[1][11] == "1"


def test_it_refuses_an_export_over_the_cap(cast, client, settings) -> None:
    settings.MAGANG_EXPORT_MAX_ROWS = 1
    client.force_login(cast.central)

    response = client.get(reverse(XLSX_URL), {"status": "registered"}, **EN)

    assert response.status_code == 302
    assert response["Location"].endswith("?status=registered")
    assert "an export holds at most 1." in messages_of(response)[0]


@pytest.mark.parametrize("name", [XLSX_URL, CSV_URL])
@pytest.mark.parametrize("who", ["trainer", "partner", "host", "candidate", "outsider"])
def test_it_refuses_exports_to_other_roles(cast, client, name, who) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", [XLSX_URL, CSV_URL])
def test_it_sends_anonymous_exporters_to_login(cast, client, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_lets_leadership_export_but_officers_only_their_site(cast, client) -> None:
    client.force_login(cast.leadership)
    assert len(_csv_rows(client.get(reverse(CSV_URL)))) == 3
    client.force_login(cast.officer_jateng)
    rows = _csv_rows(client.get(reverse(CSV_URL)))
    assert [row[0] for row in rows[1:]] == [cast.application_jateng.registration_number]


# --- the application page


def test_it_shows_documents_warnings_eligibility_history_and_events(cast, client) -> None:
    application = cast.application_jabar
    ktp, _photo = ready(application)
    services.document_review(document=ktp, accept=False, reason="Blurred photo", by=cast.central)
    Application.objects.filter(pk=application.pk).update(
        warnings=["The NIK says 17 May 2003, the form says 18 May 2003."],
        eligibility={
            "eligible": False,
            "failures": [
                {"rule": "height", "id": "Tinggi badan kurang.", "en": "Height is too low."}
            ],
        },
    )
    earlier = f.ApplicationFactory(
        candidate=application.candidate,
        site=f.SiteFactory(
            round=f.RoundFactory(year=2025), organisation=cast.site_jabar.organisation
        ),
        status="not_selected",
    )
    require(application, "ktp", "photo", "skck")
    client.force_login(cast.officer_jabar)

    content = client.get(
        reverse("recruitment:application_detail", args=[application.pk]), **EN
    ).content.decode()

    assert "Identity card (KTP)" in content
    assert "Blurred photo" in content
    assert reverse("recruitment:document_file", args=[ktp.pk]) in content
    assert "Police record (SKCK)" in content
    assert "Not uploaded yet." in content
    assert "the form says 18 May 2003" in content
    assert "Height is too low." in content
    assert earlier.registration_number in content
    assert "Registered" in content
    assert 'name="decision" value="accept"' in content
    assert 'name="name_katakana"' in content


def test_it_shows_the_indonesian_explanation_to_indonesian_readers(cast, client) -> None:
    Application.objects.filter(pk=cast.application_jabar.pk).update(
        eligibility={
            "eligible": False,
            "failures": [
                {"rule": "height", "id": "Tinggi badan kurang.", "en": "Height is too low."}
            ],
        },
    )
    client.force_login(cast.officer_jabar)
    content = client.get(
        reverse("recruitment:application_detail", args=[cast.application_jabar.pk]),
        HTTP_ACCEPT_LANGUAGE="id",
    ).content.decode()
    assert "Tinggi badan kurang." in content
    assert "Height is too low." not in content


def test_it_shows_leadership_the_page_without_actions(cast, client) -> None:
    ready(cast.application_jabar)
    client.force_login(cast.leadership)
    content = client.get(
        reverse("recruitment:application_detail", args=[cast.application_jabar.pk]), **EN
    ).content.decode()
    assert "Identity card (KTP)" in content
    assert 'name="decision"' not in content
    assert 'name="name_katakana"' not in content


def test_it_sends_the_candidate_to_their_own_page(cast, client) -> None:
    Application.objects.filter(pk=cast.application_jabar.pk).update(warnings=["secret note"])
    client.force_login(cast.candidate)
    response = client.get(
        reverse("recruitment:application_detail", args=[cast.application_jabar.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "recruitment:my_application", args=[cast.application_jabar.pk]
    )
    assert b"secret note" not in response.content


# --- document review


def _review(client, document: Document, decision: str, reason: str = "", **extra):
    return client.post(
        reverse("recruitment:document_review", args=[document.pk]),
        {"decision": decision, "reason": reason, "seen": document.updated_at.isoformat()},
        **extra,
    )


def test_it_accepts_a_document_and_answers_htmx_with_the_card(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    client.force_login(cast.officer_jabar)

    response = _review(client, ktp, "accept", **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="document-ktp"' in content
    assert "Identity card (KTP) accepted." in content
    ktp.refresh_from_db()
    assert ktp.status == "accepted"
    assert ktp.reviewed_by == cast.officer_jabar
    assert AuditEntry.objects.filter(action="document.review", object_id=str(ktp.pk)).exists()


def test_it_rejects_with_a_reason_the_candidate_sees(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    client.force_login(cast.officer_jabar)

    response = _review(client, ktp, "reject", "The KTP is cut off.", **EN)

    assert response.status_code == 302
    ktp.refresh_from_db()
    assert ktp.status == "rejected"
    assert ktp.rejection_reason == "The KTP is cut off."
    cast.application_jabar.refresh_from_db()
    assert cast.application_jabar.documents_state == "rejected"


def test_it_refuses_a_rejection_without_a_reason(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    client.force_login(cast.officer_jabar)

    response = _review(client, ktp, "reject", "   ", **HTMX)

    assert "Say why the document is rejected." in response.content.decode()
    ktp.refresh_from_db()
    assert ktp.status == "pending"
    assert not AuditEntry.objects.filter(action="document.review").exists()


def test_it_refuses_a_stale_review_and_shows_the_current_state(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    seen_by_officer = Document.objects.get(pk=ktp.pk)
    services.document_review(document=ktp, accept=False, reason="Expired", by=cast.central)
    client.force_login(cast.officer_jabar)

    response = _review(client, seen_by_officer, "accept", **HTMX)

    content = response.content.decode()
    assert "was reviewed by" in content
    assert "it is now Rejected" in content
    assert "Nothing was changed" in content
    ktp.refresh_from_db()
    assert ktp.status == "rejected"
    assert ktp.reviewed_by == cast.central


def test_it_refuses_a_review_of_a_file_replaced_since(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    services.document_review(document=ktp, accept=False, reason="Expired", by=cast.central)
    seen = Document.objects.get(pk=ktp.pk)
    upload(cast.application_jabar, "ktp")
    client.force_login(cast.officer_jabar)

    response = _review(client, seen, "reject", "Still expired", **EN)

    assert response.status_code == 302
    assert "a new file was uploaded" in messages_of(response)[0]
    assert Document.objects.get(pk=ktp.pk).status == "pending"


def test_it_offers_confirmation_once_every_required_document_is_accepted(cast, client) -> None:
    ktp, photo = ready(cast.application_jabar)
    client.force_login(cast.officer_jabar)

    first = _review(client, ktp, "accept", **HTMX).content.decode()
    second = _review(client, photo, "accept", **HTMX).content.decode()

    assert 'id="verify-panel" hx-swap-oob="true"' in first
    assert "Confirm eligibility" not in first
    assert "Confirm eligibility" in second
    assert 'id="documents-state" hx-swap-oob="true"' in second
    assert "All verified" in second


# --- confirming eligibility


def _verify(client, application: Application):
    return client.post(reverse("recruitment:application_verify", args=[application.pk]), **EN)


def _accept_all(documents: list[Document], by) -> None:
    for document in documents:
        services.document_review(document=document, accept=True, by=by)


def test_it_refuses_to_verify_until_every_required_document_is_accepted(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    services.document_review(document=ktp, accept=True, by=cast.central)
    client.force_login(cast.officer_jabar)

    response = _verify(client, cast.application_jabar)

    assert response.status_code == 302
    assert "Every required document must be accepted first." in messages_of(response)
    cast.application_jabar.refresh_from_db()
    assert cast.application_jabar.status == "registered"


def test_it_verifies_an_eligible_application(cast, client) -> None:
    application = cast.application_jabar
    application.round.eligibility_rules = RULES
    application.round.save()
    _accept_all(ready(application), cast.central)
    client.force_login(cast.officer_jabar)

    response = _verify(client, application)

    assert "The application is now eligible." in messages_of(response)
    application.refresh_from_db()
    assert application.status == "eligible"
    event = JourneyEvent.objects.get(application=application, to_status="eligible")
    assert event.actor == cast.officer_jabar


def test_it_records_the_failed_rules_when_ineligible(cast, client) -> None:
    application = cast.application_jabar
    application.round.eligibility_rules = RULES
    application.round.save()
    _accept_all(ready(application, height=150), cast.central)
    client.force_login(cast.officer_jabar)

    response = _verify(client, application)

    application.refresh_from_db()
    assert application.status == "ineligible"
    failures = application.eligibility["failures"]
    assert [f["rule"] for f in failures] == ["height"]
    event = JourneyEvent.objects.get(application=application, to_status="ineligible")
    assert event.reason == failures[0]["id"]
    assert failures[0]["en"] in messages_of(response)[0]


def test_it_says_when_the_application_was_already_decided(cast, client) -> None:
    application = cast.application_jabar
    _accept_all(ready(application), cast.central)
    services.application_verify(application=application, by=cast.central)
    client.force_login(cast.officer_jabar)

    response = _verify(client, application)

    assert "already been decided: it is Eligible" in messages_of(response)[0]
    assert JourneyEvent.objects.filter(application=application).count() == 1


# --- katakana


def _katakana(client, application: Application, value: str, **extra):
    return client.post(
        reverse("recruitment:candidate_katakana", args=[application.pk]),
        {"name_katakana": value},
        **extra,
    )


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("ブディ・サントソ", "ブディ・サントソ"),
        ("  ムハマド　アリ ", "ムハマド アリ"),
        ("ﾌﾞﾃﾞｨ", "ブディ"),
        ("マールフ", "マールフ"),
    ],
)
def test_it_saves_katakana_written_by_staff(cast, client, value, stored) -> None:
    client.force_login(cast.officer_jabar)
    response = _katakana(client, cast.application_jabar, value, **HTMX)
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    candidate = cast.application_jabar.candidate
    candidate.refresh_from_db()
    assert candidate.name_katakana == stored
    entry = AuditEntry.objects.get(action="candidate.katakana", object_id=str(candidate.pk))
    assert entry.actor_id == cast.officer_jabar.pk


@pytest.mark.parametrize("value", ["Budi", "ぶでぃ", "ブディ1", "ブディ<script>", "", "   "])
def test_it_refuses_katakana_with_anything_else(cast, client, value) -> None:
    candidate = cast.application_jabar.candidate
    candidate.name_katakana = "ブディ"
    candidate.save()
    client.force_login(cast.central)

    response = _katakana(client, cast.application_jabar, value, **HTMX)

    assert 'class="errorlist"' in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.name_katakana == "ブディ"
    assert not AuditEntry.objects.filter(action="candidate.katakana").exists()


def test_it_saves_katakana_without_htmx_and_says_so(cast, client) -> None:
    client.force_login(cast.admin)
    response = _katakana(client, cast.application_jabar, "ブディ", **EN)
    assert response.status_code == 302
    assert "The name in katakana was saved." in messages_of(response)


# --- who may act


def _actions(cast) -> dict[str, tuple[str, dict[str, str]]]:
    application = cast.application_jabar
    require(application, "ktp")
    ktp = upload(application, "ktp")
    return {
        "review": (
            reverse("recruitment:document_review", args=[ktp.pk]),
            {"decision": "accept", "seen": ktp.updated_at.isoformat()},
        ),
        "verify": (reverse("recruitment:application_verify", args=[application.pk]), {}),
        "katakana": (
            reverse("recruitment:candidate_katakana", args=[application.pk]),
            {"name_katakana": "ブディ"},
        ),
    }


@pytest.mark.parametrize("action", ["review", "verify", "katakana"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_jabar", 302),
        ("central", 302),
        ("admin", 302),
        ("officer_jateng", 404),
        ("leadership", 403),
        ("candidate", 403),
        ("trainer", 404),
        ("partner", 404),
        ("host", 404),
        ("outsider", 404),
    ],
)
def test_it_lets_only_writers_of_the_site_act(cast, client, action, who, expected) -> None:
    url, data = _actions(cast)[action]
    before = AuditEntry.objects.count()
    client.force_login(getattr(cast, who))

    response = client.post(url, data)

    assert response.status_code == expected
    if expected != 302:
        assert AuditEntry.objects.count() == before
        assert cast.application_jabar.candidate.full_name.encode() not in response.content


@pytest.mark.parametrize("action", ["review", "verify", "katakana"])
def test_it_sends_anonymous_actors_to_login_and_refuses_get(cast, client, action) -> None:
    url, data = _actions(cast)[action]
    response = client.post(url, data)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client.force_login(cast.officer_jabar)
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("action", ["review", "verify", "katakana"])
def test_it_needs_the_csrf_token_for_actions(cast, action) -> None:
    url, data = _actions(cast)[action]
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_jabar)
    before = AuditEntry.objects.count()
    assert client.post(url, data).status_code == 403
    assert AuditEntry.objects.count() == before


def test_it_refuses_a_review_after_the_application_moved_on(cast, client) -> None:
    ktp = upload_and_accept_all_then_select(cast)
    client.force_login(cast.officer_jabar)
    response = _review(client, ktp, "reject", "Late doubt", **EN)
    assert "can no longer be reviewed" in messages_of(response)[0]
    assert Document.objects.get(pk=ktp.pk).status == "accepted"


def upload_and_accept_all_then_select(cast) -> Document:
    application = cast.application_jabar
    documents = ready(application)
    _accept_all(documents, cast.central)
    services.application_verify(application=application, by=cast.central)
    services.application_advance(application=application, to="in_selection", by=cast.central)
    return Document.objects.get(pk=documents[0].pk)


def test_it_renders_the_list_without_a_query_per_row(cast, client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.central)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("recruitment:application_list")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(8):
        f.ApplicationFactory(
            site=cast.site_jateng,
            candidate=f.CandidateFactory(province=f.province("33"), regency=f.regency("33.09")),
        )
    assert count() == few
