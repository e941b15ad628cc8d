"""A candidate's own data (download, correction requests) and the officers' queue."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang.recruitment.models import Candidate, CorrectionRequest
from magang.recruitment.services import privacy

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_candidate_downloads_all_their_data_and_its_trail(cast: Any) -> None:
    candidate = cast.application_jabar.candidate
    privacy.medical_read_log(actor=cast.central, candidate_ids=[candidate.pk], what="x")
    response = _client(cast.candidate).get(reverse("recruitment:my_data_json"), **EN)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    person = data["records"]["recruitment.Candidate"][0]
    assert person["nik"] == candidate.nik and person["full_name"] == candidate.full_name
    assert "nik_index" in person  # the blind index is theirs too
    numbers = [a["registration_number"] for a in data["records"]["recruitment.Application"]]
    assert numbers == [cast.application_jabar.registration_number]
    account = data["records"]["accounts.User"][0]
    assert "password" not in account and account["username"] == "candidate"
    assert data["reads_and_disclosures"][0]["kind"] == "medical_read"
    # Nobody else's data.
    other = cast.application_jateng
    assert other.registration_number not in response.content.decode()
    assert other.candidate.nik not in response.content.decode()


def test_the_download_is_only_ever_ones_own(cast: Any) -> None:
    url = reverse("recruitment:my_data_json")
    assert _client(None).get(url).status_code == 302
    assert _client(cast.officer_jabar).get(url).status_code == 404  # no candidate record
    assert _client(cast.central).get(url).status_code == 404


def test_a_correction_goes_to_the_officers_of_the_site_only(cast: Any) -> None:
    response = _client(cast.candidate).post(
        reverse("recruitment:my_data"),
        {"field": "phone", "proposed": "081399988877", "explanation": "New number"},
        **EN,
    )
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert request.site == cast.site_jabar and request.state == "open"
    listing = reverse("recruitment:correction_list")
    detail = reverse("recruitment:correction_detail", args=[request.pk])
    assert "081399988877" not in _client(cast.officer_jateng).get(listing, **EN).content.decode()
    assert _client(cast.officer_jateng).get(detail).status_code == 404
    assert _client(cast.officer_jateng).post(detail, {"decision": "accept"}).status_code == 404
    assert _client(cast.trainer).get(listing).status_code == 403
    assert _client(cast.leadership).get(listing).status_code == 403
    assert _client(cast.candidate).get(detail).status_code == 403
    assert _client(None).get(listing).status_code == 302
    page = _client(cast.officer_jabar).get(listing, **EN).content.decode()
    assert cast.application_jabar.candidate.full_name in page
    assert _client(cast.central).get(detail).status_code == 200

    response = _client(cast.officer_jabar).post(detail, {"decision": "accept"}, **EN)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "done" and request.decided_by == cast.officer_jabar
    assert Candidate.objects.get(pk=request.candidate_id).phone == "081399988877"
    # Decided once: a second decision is refused and changes nothing.
    response = _client(cast.central).post(detail, {"decision": "refuse", "response": "x"}, **EN)
    assert response.status_code == 400 and "already been decided" in response.content.decode()


def test_a_refusal_needs_a_reason_and_changes_nothing(cast: Any) -> None:
    candidate = cast.application_jabar.candidate
    request = privacy.correction_request_file(
        candidate=candidate, field="full_name", proposed="Someone Else", explanation="",
        by=cast.candidate,
    )  # fmt: skip
    detail = reverse("recruitment:correction_detail", args=[request.pk])
    response = _client(cast.officer_jabar).post(detail, {"decision": "refuse"}, **EN)
    assert response.status_code == 400
    assert "refusal needs a reason" in response.content.decode()
    request.refresh_from_db()
    assert request.state == "open"
    response = _client(cast.officer_jabar).post(
        detail, {"decision": "refuse", "response": "Your KTP shows the name on record."}, **EN
    )
    assert response.status_code == 302
    assert Candidate.objects.get(pk=candidate.pk).full_name == candidate.full_name
    page = _client(cast.candidate).get(reverse("recruitment:my_data"), **EN).content.decode()
    assert "Your KTP shows the name on record." in page


def test_a_bad_value_is_refused_clearly(cast: Any) -> None:
    request = privacy.correction_request_file(
        candidate=cast.application_jabar.candidate, field="birth_date", proposed="31-02-2003",
        explanation="", by=cast.candidate,
    )  # fmt: skip
    detail = reverse("recruitment:correction_detail", args=[request.pk])
    response = _client(cast.officer_jabar).post(detail, {"decision": "accept"}, **EN)
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.state == "open"


def test_the_my_data_page_is_for_signed_in_people(cast: Any) -> None:
    url = reverse("recruitment:my_data")
    assert _client(None).get(url).status_code == 302
    page = _client(cast.candidate).get(url, **EN).content.decode()
    assert reverse("recruitment:my_data_json") in page
    page = _client(cast.outsider).get(url, **EN).content.decode()
    assert reverse("recruitment:my_data_json") not in page
