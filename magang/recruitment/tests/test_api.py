"""The recruitment API: candidate self-service and officer actions, scoped like the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from magang import factories as f
from magang.core.models import AuditEntry
from magang.recruitment import services
from magang.recruitment.models import Application, Document, JourneyEvent

from .test_officer_pages import RULES, png, ready, require, upload

pytestmark = pytest.mark.django_db

API = "/api/v1/recruitment"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OTHERS = ["trainer", "partner", "host", "candidate", "outsider"]


def _json_post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json", **EN)


# --- candidate self-service


def test_it_lists_only_the_callers_own_applications(cast, client) -> None:
    client.force_login(cast.candidate)
    body = client.get(f"{API}/me/applications").json()
    assert [a["registration_number"] for a in body] == [cast.application_jabar.registration_number]
    assert body[0]["status"] == "registered"
    assert body[0]["documents_state"] == "incomplete"
    assert "nik" not in body[0]


def test_it_lists_nothing_as_own_for_staff(cast, client) -> None:
    client.force_login(cast.officer_jabar)
    assert client.get(f"{API}/me/applications").json() == []


def test_it_explains_the_callers_application(cast, client) -> None:
    application = cast.application_jabar
    ktp, _photo = ready(application)
    require(application, "ktp", "photo", "skck")
    services.document_review(document=ktp, accept=False, reason="Blurred", by=cast.central)
    Application.objects.filter(pk=application.pk).update(
        warnings=["officer-only note"],
        eligibility={
            "eligible": False,
            "failures": [
                {"rule": "height", "id": "Tinggi badan kurang.", "en": "Height is too low."}
            ],
        },
    )
    client.force_login(cast.candidate)

    body = client.get(f"{API}/me/applications/{application.pk}", **EN).json()

    assert body["missing_documents"] == [{"code": "skck", "name": "Police record (SKCK)"}]
    assert [(d["type_code"], d["rejection_reason"]) for d in body["rejected_documents"]] == [
        ("ktp", "Blurred")
    ]
    assert {d["type_code"] for d in body["documents"]} == {"ktp", "photo"}
    assert body["eligibility"] == {
        "checked": True,
        "eligible": False,
        "failures": [{"rule": "height", "message": "Height is too low."}],
    }
    assert [e["to_status"] for e in body["events"]] == []  # the factory wrote no events
    assert "officer-only note" not in str(body)
    assert "warnings" not in body


def test_it_explains_in_indonesian_when_asked(cast, client) -> None:
    Application.objects.filter(pk=cast.application_jabar.pk).update(
        eligibility={
            "eligible": False,
            "failures": [
                {"rule": "height", "id": "Tinggi badan kurang.", "en": "Height is too low."}
            ],
        },
    )
    client.force_login(cast.candidate)
    body = client.get(
        f"{API}/me/applications/{cast.application_jabar.pk}", HTTP_ACCEPT_LANGUAGE="id"
    ).json()
    assert body["eligibility"]["failures"][0]["message"] == "Tinggi badan kurang."


@pytest.mark.parametrize("who", ["officer_jabar", "central", "admin", "outsider"])
def test_it_answers_404_for_someone_elses_application_under_me(cast, client, who) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(f"{API}/me/applications/{cast.application_jabar.pk}").status_code == 404
    client.force_login(cast.candidate)
    assert client.get(f"{API}/me/applications/{cast.application_jateng.pk}").status_code == 404
    assert client.get(f"{API}/me/applications/999999").status_code == 404


def _upload(client, application: Application, code: str, content: bytes, name: str = "a.png"):
    return client.post(
        f"{API}/me/applications/{application.pk}/documents/{code}",
        {"file": SimpleUploadedFile(name, content)},
        **EN,
    )


def test_it_takes_an_upload_from_the_candidate(cast, client) -> None:
    require(cast.application_jabar, "ktp", "photo")
    client.force_login(cast.candidate)

    response = _upload(client, cast.application_jabar, "ktp", png())

    assert response.status_code == 201
    body = response.json()
    assert body["type_code"] == "ktp"
    assert body["status"] == "pending"
    assert body["content_type"] == "image/png"
    document = Document.objects.get(pk=body["id"])
    assert document.application == cast.application_jabar
    assert document.uploaded_by == cast.candidate


def test_it_refuses_a_file_that_is_not_a_document_with_the_services_message(cast, client) -> None:
    require(cast.application_jabar, "ktp")
    client.force_login(cast.candidate)

    response = _upload(client, cast.application_jabar, "ktp", b"MZ not really", name="ktp.pdf")

    assert response.status_code == 422
    assert "Upload a PDF, JPEG or PNG file" in response.json()["detail"]
    assert not Document.objects.exists()


def test_it_refuses_a_document_type_the_round_does_not_ask_for(cast, client) -> None:
    require(cast.application_jabar, "ktp")
    client.force_login(cast.candidate)
    for code in ("skck", "no-such-type"):
        response = _upload(client, cast.application_jabar, code, png())
        assert response.status_code == 404
        assert "does not ask for" in response.json()["detail"]
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["officer_jabar", "central", "outsider"])
def test_it_refuses_uploads_to_someone_elses_application(cast, client, who) -> None:
    require(cast.application_jabar, "ktp")
    client.force_login(getattr(cast, who))
    assert _upload(client, cast.application_jabar, "ktp", png()).status_code == 404
    assert not Document.objects.exists()


# --- officers: list and detail


def test_it_lists_the_officers_scope_with_filters_and_pages(cast, client) -> None:
    warned = f.ApplicationFactory(site=cast.site_jabar, warnings=["w"], documents_state="complete")
    client.force_login(cast.officer_jabar)

    everything = client.get(f"{API}/applications").json()
    with_warnings = client.get(f"{API}/applications", {"has_warnings": "true"}).json()
    complete = client.get(f"{API}/applications", {"documents_state": "complete"}).json()
    page = client.get(f"{API}/applications", {"page_size": 1, "page": 2}).json()

    assert everything["count"] == 2
    numbers = {a["registration_number"] for a in everything["items"]}
    assert numbers == {cast.application_jabar.registration_number, warned.registration_number}
    assert [a["id"] for a in with_warnings["items"]] == [warned.pk]
    assert with_warnings["items"][0]["warnings_count"] == 1
    assert [a["id"] for a in complete["items"]] == [warned.pk]
    assert page["count"] == 2
    assert len(page["items"]) == 1
    item = everything["items"][0]
    assert len(item["nik"]) == 16
    assert item["province"] == "Jawa Barat"


def test_it_refuses_invalid_filters(cast, client) -> None:
    client.force_login(cast.central)
    assert client.get(f"{API}/applications", {"status": "departed-ish"}).status_code == 422
    assert client.get(f"{API}/applications", {"q": "x" * 101}).status_code == 422


def test_it_searches_by_nik(cast, client) -> None:
    client.force_login(cast.central)
    body = client.get(f"{API}/applications", {"q": cast.application_jateng.candidate.nik}).json()
    assert [a["id"] for a in body["items"]] == [cast.application_jateng.pk]


@pytest.mark.parametrize("who", OTHERS)
def test_it_refuses_the_officer_list_to_other_roles(cast, client, who) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(f"{API}/applications").status_code == 403


def test_it_answers_401_to_anonymous_callers_everywhere(cast, client) -> None:
    require(cast.application_jabar, "ktp")
    ktp = upload(cast.application_jabar, "ktp")
    pk = cast.application_jabar.pk
    for url in (
        f"{API}/me/applications",
        f"{API}/me/applications/{pk}",
        f"{API}/applications",
        f"{API}/applications/{pk}",
    ):
        assert client.get(url).status_code == 401, url
    assert (
        _json_post(client, f"{API}/documents/{ktp.pk}/review", {"accept": True}).status_code == 401
    )
    assert _json_post(client, f"{API}/applications/{pk}/verify").status_code == 401
    assert _upload(client, cast.application_jabar, "ktp", png()).status_code == 401
    assert Document.objects.get(pk=ktp.pk).status == "pending"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_jabar", 200),
        ("central", 200),
        ("leadership", 200),
        ("admin", 200),
        ("officer_jateng", 404),
        ("trainer", 403),
        ("partner", 403),
        ("host", 403),
        ("candidate", 403),
        ("outsider", 403),
    ],
)
def test_it_shows_an_application_only_within_scope(cast, client, who, expected) -> None:
    client.force_login(getattr(cast, who))
    response = client.get(f"{API}/applications/{cast.application_jabar.pk}")
    assert response.status_code == expected
    if expected != 200:
        assert cast.application_jabar.candidate.nik.encode() not in response.content


def test_it_gives_officers_the_whole_picture(cast, client) -> None:
    application = cast.application_jabar
    ready(application)
    require(application, "ktp", "photo", "skck")
    Application.objects.filter(pk=application.pk).update(warnings=["NIK sex differs."])
    earlier = f.ApplicationFactory(
        candidate=application.candidate,
        site=f.SiteFactory(round=f.RoundFactory(year=2025)),
        status="not_selected",
    )
    client.force_login(cast.central)

    body = client.get(f"{API}/applications/{application.pk}", **EN).json()

    assert body["nik"] == application.candidate.nik
    assert body["warnings"] == ["NIK sex differs."]
    assert [d["code"] for d in body["missing_documents"]] == ["skck"]
    assert [d["type_code"] for d in body["documents"]] == ["ktp", "photo"]
    assert [h["registration_number"] for h in body["history"]] == [earlier.registration_number]
    assert body["can_change"] is True
    assert body["eligibility"]["checked"] is False

    client.force_login(cast.leadership)
    assert client.get(f"{API}/applications/{application.pk}").json()["can_change"] is False


# --- officers: review and verify


def test_it_reviews_documents(cast, client) -> None:
    ktp, photo = ready(cast.application_jabar)
    client.force_login(cast.officer_jabar)

    accepted = _json_post(client, f"{API}/documents/{ktp.pk}/review", {"accept": True})
    rejected = _json_post(
        client,
        f"{API}/documents/{photo.pk}/review",
        {
            "accept": False,
            "reason": "Not a passport photo.",
            "seen_updated_at": photo.updated_at.isoformat(),
        },
    )

    assert accepted.status_code == 200
    assert accepted.json()["document"]["status"] == "accepted"
    assert rejected.json()["document"]["rejection_reason"] == "Not a passport photo."
    assert rejected.json()["documents_state"] == "rejected"
    assert Document.objects.get(pk=photo.pk).reviewed_by == cast.officer_jabar


def test_it_refuses_a_rejection_without_a_reason_with_422(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    client.force_login(cast.officer_jabar)
    response = _json_post(client, f"{API}/documents/{ktp.pk}/review", {"accept": False})
    assert response.status_code == 422
    assert response.json()["detail"] == "Say why the document is rejected."
    assert Document.objects.get(pk=ktp.pk).status == "pending"


def test_it_refuses_fields_the_caller_may_not_set(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    client.force_login(cast.central)
    review = _json_post(
        client,
        f"{API}/documents/{ktp.pk}/review",
        {"accept": True, "status": "accepted", "reviewed_by": cast.admin.pk},
    )
    verify = _json_post(
        client, f"{API}/applications/{cast.application_jabar.pk}/verify", {"status": "eligible"}
    )
    assert review.status_code == 422
    assert verify.status_code == 422
    assert Document.objects.get(pk=ktp.pk).status == "pending"
    assert Application.objects.get(pk=cast.application_jabar.pk).status == "registered"


def test_it_refuses_a_stale_review_with_409(cast, client) -> None:
    ktp, _photo = ready(cast.application_jabar)
    seen = ktp.updated_at
    services.document_review(document=ktp, accept=True, by=cast.central)
    client.force_login(cast.officer_jabar)

    response = _json_post(
        client,
        f"{API}/documents/{ktp.pk}/review",
        {"accept": False, "reason": "Blurred", "seen_updated_at": seen.isoformat()},
    )

    assert response.status_code == 409
    assert "it is now Accepted" in response.json()["detail"]
    assert Document.objects.get(pk=ktp.pk).status == "accepted"


def test_it_verifies_only_when_every_required_document_is_accepted(cast, client) -> None:
    application = cast.application_jabar
    application.round.eligibility_rules = RULES
    application.round.save()
    ktp, photo = ready(application, height=150)
    client.force_login(cast.officer_jabar)
    url = f"{API}/applications/{application.pk}/verify"

    services.document_review(document=ktp, accept=True, by=cast.central)
    early = _json_post(client, url)
    services.document_review(document=photo, accept=True, by=cast.central)
    done = _json_post(client, url, {"note": "Checked against originals."})
    again = _json_post(client, url)

    assert early.status_code == 422
    assert early.json()["detail"] == "Every required document must be accepted first."
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "ineligible"
    assert [f["rule"] for f in body["eligibility"]["failures"]] == ["height"]
    application.refresh_from_db()
    event = JourneyEvent.objects.get(application=application, to_status="ineligible")
    failure = application.eligibility["failures"][0]["id"]
    assert event.reason == f"{failure} (Checked against originals.)"
    assert body["events"][-1]["to_status"] == "ineligible"
    assert again.status_code == 409


def test_it_verifies_an_eligible_application(cast, client) -> None:
    application = cast.application_jabar
    application.round.eligibility_rules = RULES
    application.round.save()
    for document in ready(application):
        services.document_review(document=document, accept=True, by=cast.central)
    client.force_login(cast.central)

    response = _json_post(client, f"{API}/applications/{application.pk}/verify")

    assert response.json()["status"] == "eligible"
    assert JourneyEvent.objects.filter(
        application=application, to_status="eligible", actor=cast.central
    ).exists()


def _api_actions(cast) -> dict[str, tuple[str, dict]]:
    require(cast.application_jabar, "ktp")
    ktp = upload(cast.application_jabar, "ktp")
    return {
        "review": (f"{API}/documents/{ktp.pk}/review", {"accept": True}),
        "verify": (f"{API}/applications/{cast.application_jabar.pk}/verify", {}),
    }


@pytest.mark.parametrize("action", ["review", "verify"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_jabar", {200, 422}),
        ("central", {200, 422}),
        ("admin", {200, 422}),
        ("officer_jateng", {404}),
        ("leadership", {403}),
        ("trainer", {403}),
        ("partner", {403}),
        ("host", {403}),
        ("candidate", {403}),
        ("outsider", {403}),
    ],
)
def test_it_lets_only_writers_of_the_site_act(cast, client, action, who, expected) -> None:
    url, data = _api_actions(cast)[action]
    before = AuditEntry.objects.count()
    client.force_login(getattr(cast, who))

    response = _json_post(client, url, data)

    assert response.status_code in expected
    if 200 not in expected:
        assert AuditEntry.objects.count() == before


def test_it_needs_the_csrf_token_for_session_writes(cast) -> None:
    url, data = _api_actions(cast)["review"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_jabar)
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 403
    assert Document.objects.get().status == "pending"


def test_it_lists_the_recruitment_endpoints_in_the_openapi_schema(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/recruitment/me/applications": "get",
        "/api/v1/recruitment/me/applications/{application_id}": "get",
        "/api/v1/recruitment/me/applications/{application_id}/documents/{type_code}": "post",
        "/api/v1/recruitment/applications": "get",
        "/api/v1/recruitment/applications/{application_id}": "get",
        "/api/v1/recruitment/documents/{document_id}/review": "post",
        "/api/v1/recruitment/applications/{application_id}/verify": "post",
    }
    for path, method in expected.items():
        assert method in paths[path], path
    review_in = response.json()["components"]["schemas"]["ReviewIn"]
    assert set(review_in["properties"]) == {"accept", "reason", "seen_updated_at"}
    assert review_in["additionalProperties"] is False


def test_it_lists_without_a_query_per_row(cast, client) -> None:
    """The list reads every row's candidate, region, round and site in the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.central)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/applications").status_code == 200
        return len(queries)

    few = count()
    for _ in range(8):
        f.ApplicationFactory(
            site=cast.site_jateng,
            candidate=f.CandidateFactory(province=f.province("33"), regency=f.regency("33.09")),
        )
    assert count() == few
