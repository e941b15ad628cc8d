"""Return and alumni: recording the return moves the journey to ``returned`` and opens the
grant when the year's scheme allows; the grant's workflow (eligible -> approved -> paid, or
refused with a reason) is the central team's; the alumnus' profile, consent and surveys; the
directory shows only consenting alumni to those who may read it; job events and interest."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from magang.internships.models import (
    AlumniProfile,
    BusinessGrant,
    GrantScheme,
    Internship,
    JobEventInterest,
    ReturnRecord,
)
from magang.internships.services import alumni as services
from magang.recruitment.models import Application

from .cases_fixtures import PDF, client_for, interns_fixture, private_media_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
BASE = "/api/v1/internships/alumni"
TODAY = timezone.localdate()


def end(internship: Internship, reason: str = "completed", years: int = 3) -> Internship:
    """The stay ended (as h2's services would record it) and the application followed."""
    internship.departed_on = TODAY - dt.timedelta(days=365 * years + 30)
    internship.ended_on = TODAY - dt.timedelta(days=20)
    internship.end_reason = reason
    internship.save()
    Application.objects.filter(pk=internship.application_id).update(status=reason)
    return internship


@pytest.fixture
def scheme(cast: Any) -> GrantScheme:
    return GrantScheme.objects.create(
        programme=cast.application_jabar.round.programme,
        year=TODAY.year,
        amount=Decimal(10_000_000),
        min_months_in_japan=33,
    )


def test_recording_the_return_moves_the_journey_and_opens_the_grant(
    cast: Any, interns: Any, scheme: GrantScheme, private_media: None
) -> None:
    internship = end(interns.jabar)
    record = services.return_record(
        internship=internship, returned_on=TODAY - dt.timedelta(days=18), by=cast.officer_jabar,
        certificate=services.Upload(file=SimpleUploadedFile("c.pdf", PDF), size=len(PDF)),
    )  # fmt: skip
    assert record.certificate_content_type == "application/pdf"
    assert Application.objects.get(pk=internship.application_id).status == "returned"
    grant = BusinessGrant.objects.get()
    assert (grant.status, grant.amount, grant.scheme) == ("eligible", scheme.amount, scheme)
    assert AlumniProfile.objects.filter(candidate=cast.application_jabar.candidate).exists()
    with pytest.raises(ValidationError, match="already recorded"):
        services.return_record(internship=internship, returned_on=TODAY, by=cast.central)


def test_a_return_is_refused_before_the_stay_ends_or_by_another_region(
    cast: Any, interns: Any
) -> None:
    with pytest.raises(ValidationError, match="end of the stay"):
        services.return_record(internship=interns.jabar, returned_on=TODAY, by=cast.central)
    end(interns.jabar)
    with pytest.raises(PermissionDenied):
        services.return_record(internship=interns.jabar, returned_on=TODAY, by=cast.officer_jateng)
    with pytest.raises(ValidationError):
        services.return_record(
            internship=interns.jabar, returned_on=TODAY - dt.timedelta(days=60), by=cast.central
        )
    assert not ReturnRecord.objects.exists()


def test_unmet_conditions_give_no_grant_and_say_why(
    cast: Any, interns: Any, scheme: GrantScheme
) -> None:
    internship = end(interns.jabar, reason="early_return", years=1)
    record = services.return_record(internship=internship, returned_on=TODAY, by=cast.central)
    assert not BusinessGrant.objects.exists()
    reasons = services.grant_check(record=record).reasons
    assert any("completed the programme" in r for r in reasons)
    assert any("certificate is missing" in r for r in reasons)
    assert any("at least 33" in r for r in reasons)
    with pytest.raises(ValidationError):
        services.grant_open(record=record, by=cast.central)


def test_the_grant_workflow_belongs_to_the_central_team(
    cast: Any, interns: Any, scheme: GrantScheme
) -> None:
    internship = end(interns.jabar)
    services.return_record(
        internship=internship, returned_on=TODAY, by=cast.central, certificate_number="OTIT-1"
    )
    grant = BusinessGrant.objects.get()
    with pytest.raises(PermissionDenied):
        services.grant_approve(grant=grant, by=cast.officer_jabar)
    with pytest.raises(ValidationError):
        services.grant_pay(grant=grant, by=cast.central, paid_on=TODAY, reference="BRI-1")
    grant = services.grant_approve(grant=grant, by=cast.central)
    with pytest.raises(ValidationError):
        services.grant_pay(grant=grant, by=cast.central, paid_on=TODAY, reference=" ")
    grant = services.grant_pay(grant=grant, by=cast.central, paid_on=TODAY, reference="BRI-1")
    assert (grant.status, grant.paid_by, grant.approved_by) == ("paid", cast.central, cast.central)
    with pytest.raises(ValidationError):
        services.grant_refuse(grant=grant, by=cast.central, reason="Too late.")


def test_a_refusal_needs_a_reason(cast: Any, interns: Any, scheme: GrantScheme) -> None:
    internship = end(interns.jabar)
    services.return_record(
        internship=internship, returned_on=TODAY, by=cast.central, certificate_number="OTIT-1"
    )
    grant = BusinessGrant.objects.get()
    with pytest.raises(ValidationError):
        services.grant_refuse(grant=grant, by=cast.central, reason="")
    grant = services.grant_refuse(grant=grant, by=cast.central, reason="Business plan missing.")
    assert (grant.status, grant.refused_by) == ("refused", cast.central)


def returned(cast: Any, interns: Any) -> AlumniProfile:
    internship = end(interns.jabar)
    services.return_record(internship=internship, returned_on=TODAY, by=cast.central)
    return AlumniProfile.objects.get(candidate=cast.application_jabar.candidate)


def test_the_alumnus_edits_their_profile_and_answers_a_survey(cast: Any, interns: Any) -> None:
    returned(cast, interns)
    client = client_for(cast.candidate)
    url = reverse("internships:alumni_me")
    assert client.get(url).status_code == 200
    saved = client.post(
        url,
        {"action": "profile", "headline": "Runs a welding shop", "province": "32",
         "directory_consent": "on", "directory_contact": "wa 0812"},
    )  # fmt: skip
    assert saved.status_code == 302
    profile = AlumniProfile.objects.get()
    assert profile.directory_consent and profile.directory_consent_at is not None
    survey = client.post(
        url,
        {"action": "survey", "employment": "self_employed", "income_band": "5m_10m",
         "business_started": "on", "business_sector": "welding"},
    )  # fmt: skip
    assert survey.status_code == 302
    assert profile.surveys.get().business_sector == "welding"
    bad = client.post(url, {"action": "survey", "employment": "x", "income_band": "5m_10m"})
    assert bad.status_code == 400
    assert profile.surveys.count() == 1
    for other in (cast.officer_jabar, cast.host, cast.outsider):
        assert client_for(other).get(url).status_code == 403


def test_the_directory_lists_only_consenting_alumni_to_its_readers(cast: Any, interns: Any) -> None:
    profile = returned(cast, interns)
    url = reverse("internships:alumni_directory")
    name = cast.application_jabar.candidate.full_name
    assert name not in client_for(cast.central).get(url).content.decode()
    services.alumni_profile_update(
        profile=profile, by=cast.candidate, headline="Teacher", province=None,
        directory_consent=True,
    )  # fmt: skip
    for reader in (cast.central, cast.officer_jateng, cast.partner, cast.candidate):
        response = client_for(reader).get(url)
        assert response.status_code == 200
        assert name in response.content.decode()
    for refused in (cast.host, cast.trainer, cast.outsider):
        assert client_for(refused).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    api = client_for(cast.partner).get(f"{BASE}/directory").json()["items"]
    assert api == [
        {"name": name, "headline": "Teacher", "province": "", "trade": interns.jabar.trade.name_en,
         "returned_year": TODAY.year, "contact": ""}
    ]  # fmt: skip
    assert client_for(cast.host).get(f"{BASE}/directory").status_code == 403


def test_the_return_pages_are_scoped(cast: Any, interns: Any, scheme: GrantScheme) -> None:
    internship = end(interns.jabar)
    url = reverse("internships:alumni_return", args=[internship.pk])
    for reader in (cast.officer_jabar, cast.central, cast.leadership):
        assert client_for(reader).get(url).status_code == 200
    assert client_for(cast.officer_jateng).get(url).status_code == 404
    for refused in (cast.partner, cast.host, cast.candidate):
        assert client_for(refused).get(url).status_code == 403
    recorded = client_for(cast.officer_jabar).post(
        url, {"action": "return", "returned_on": TODAY.isoformat(), "certificate_number": "C-9"}
    )
    assert recorded.status_code == 302
    assert client_for(cast.leadership).post(url, {"action": "survey"}).status_code == 403
    grant = BusinessGrant.objects.get()
    assert client_for(cast.officer_jabar).post(url, {"action": "approve"}).status_code == 403
    assert client_for(cast.central).post(url, {"action": "approve"}).status_code == 302
    grant.refresh_from_db()
    assert grant.status == "approved"
    listing = client_for(cast.officer_jabar).get(reverse("internships:alumni_list"))
    assert f'data-internship="{internship.pk}"' in listing.content.decode()
    other = client_for(cast.officer_jateng).get(reverse("internships:alumni_list"))
    assert f'data-internship="{internship.pk}"' not in other.content.decode()
    rows = client_for(cast.central).get(f"{BASE}/returns").json()["items"]
    assert [(r["internship_id"], r["grant"]["status"]) for r in rows] == [
        (internship.pk, "approved")
    ]
    assert client_for(cast.officer_jateng).get(f"{BASE}/returns").json()["items"] == []
    assert client_for(cast.partner).get(f"{BASE}/returns").status_code == 403


def test_job_events_and_interest(cast: Any, interns: Any) -> None:
    returned(cast, interns)
    starts = (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    data = {
        "title": "Job fair Bekasi",
        "venue": "BBPVP Bekasi",
        "province_code": "32",
        "starts_at": starts.isoformat(),
        "companies": "Toyota Tsusho",
        "capacity": 1,
    }
    assert (
        Client().post(f"{BASE}/events", json.dumps(data), content_type="application/json")
    ).status_code == 401
    refused = client_for(cast.host).post(
        f"{BASE}/events", json.dumps(data), content_type="application/json"
    )
    assert refused.status_code == 403
    created = client_for(cast.partner).post(
        f"{BASE}/events", json.dumps(data), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    alumnus = client_for(cast.candidate)
    assert alumnus.post(f"{BASE}/events/{event_id}/interest").status_code == 201
    assert alumnus.post(f"{BASE}/events/{event_id}/interest").status_code == 422
    assert client_for(cast.central).post(f"{BASE}/events/{event_id}/interest").status_code == 403
    assert JobEventInterest.objects.count() == 1
    page = client_for(cast.partner).get(reverse("internships:alumni_events")).content.decode()
    assert "Job fair Bekasi" in page
    assert cast.application_jabar.candidate.full_name in page  # its creator sees who registered
    page = (
        client_for(cast.officer_jateng).get(reverse("internships:alumni_events")).content.decode()
    )
    assert cast.application_jabar.candidate.full_name not in page
    assert client_for(cast.host).get(reverse("internships:alumni_events")).status_code == 403
