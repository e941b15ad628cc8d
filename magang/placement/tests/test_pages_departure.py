"""The departure pages through the client: who reads which files, the checklist warnings and
the "not ready" filter, recording numbers and dates, batches that offer only complete files,
the printable manifest and the record that a batch has left."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang.internships.models import Internship
from magang.placement.models import BatchMember, DepartureBatch, DepartureFile
from magang.placement.services.departure import batch_add, departure_file_update
from magang.recruitment.journey import Status
from magang.recruitment.models import Application

from .test_departure_services import Departure, build_departure, new_batch

pytestmark = pytest.mark.django_db

READERS = ("central", "leadership", "admin", "partner", "host", "host_other")
NOBODY = ("officer_jabar", "officer_jateng", "trainer", "candidate", "outsider")


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def departure(placement: Any) -> Departure:
    return build_departure(placement)


def numbers(response: Any) -> set[str]:
    """The registration numbers in a page's rows."""
    text = response.content.decode()
    return {part.split('"', 1)[0] for part in text.split('data-registration="')[1:] if part}


def test_readers_open_the_lists_and_everyone_else_is_refused(
    departure: Departure, cast: Any
) -> None:
    batch = new_batch(cast)
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    pages = [
        reverse("placement:departure_file_list"),
        reverse("placement:batch_list"),
    ]
    for url in pages:
        for name in READERS:
            assert client_for(getattr(cast, name)).get(url).status_code == 200, (url, name)
        for name in NOBODY:
            assert client_for(getattr(cast, name)).get(url).status_code == 403, (url, name)
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    own = [
        reverse("placement:departure_file_detail", args=[departure.ready[0].pk]),
        reverse("placement:batch_detail", args=[batch.pk]),
        reverse("placement:batch_manifest", args=[batch.pk]),
    ]
    for url in own:
        for name in ("central", "leadership", "admin", "partner", "host"):
            assert client_for(getattr(cast, name)).get(url).status_code == 200, (url, name)
        # Another host company's interns do not exist for it.
        assert client_for(cast.host_other).get(url).status_code == 404, url
        for name in NOBODY:
            assert client_for(getattr(cast, name)).get(url).status_code == 403, (url, name)
        assert client_for(None).get(url).status_code == 302


def test_partners_and_hosts_see_their_own_job_orders_interns(
    departure: Departure, cast: Any
) -> None:
    url = reverse("placement:departure_file_list")
    every = {f.application.registration_number for f in departure.files}
    mine = {f.application.registration_number for f in [*departure.ready, departure.not_ready]}
    other = {departure.other.application.registration_number}
    assert numbers(client_for(cast.central).get(url)) == every
    assert numbers(client_for(cast.leadership).get(url)) == every
    assert numbers(client_for(cast.partner).get(url)) == every  # IM Japan sends both orders
    assert numbers(client_for(cast.host).get(url)) == mine
    assert numbers(client_for(cast.host_other).get(url)) == other
    theirs = reverse("placement:departure_file_detail", args=[departure.other.pk])
    assert client_for(cast.host).get(theirs).status_code == 404
    assert client_for(cast.host_other).get(theirs).status_code == 200


def test_the_list_highlights_warnings_and_filters_the_not_ready(
    departure: Departure, cast: Any
) -> None:
    # The planned start is 1 July 2027; the stay of 36 months ends on 1 July 2030.
    departure_file_update(
        file=departure.ready[1],
        changes={"passport_expires_on": dt.date(2030, 5, 31)},
        by=cast.central,
    )
    url = reverse("placement:departure_file_list")
    page = client_for(cast.central).get(url).content.decode()
    assert 'class="warn" data-key="visa"' in page
    assert "Visa: number and date missing." in page
    assert "The passport expires on 2030-05-31, before the stay ends on 2030-07-01." in page
    assert page.count('class="not-ready"') == 2
    not_ready = client_for(cast.central).get(url, {"not_ready": "1"})
    assert numbers(not_ready) == {
        departure.not_ready.application.registration_number,
        departure.ready[1].application.registration_number,
    }
    found = client_for(cast.central).get(
        url, {"q": departure.ready[0].application.registration_number}
    )
    assert numbers(found) == {departure.ready[0].application.registration_number}
    indonesian = Client(headers={"accept-language": "id"})
    indonesian.force_login(cast.central)
    assert "Visa: belum ada nomor dan tanggal." in indonesian.get(url).content.decode()


def test_the_central_team_records_numbers_and_dates(departure: Departure, cast: Any) -> None:
    file = departure.not_ready
    url = reverse("placement:departure_file_detail", args=[file.pk])
    form = {
        "passport_number": "C1000003",
        "passport_pages": "48",
        "passport_expires_on": "2031-01-01",
        "training_plan_number": "OTIT-2027-0001",
        "training_plan_certified_on": "2027-02-01",
        "coe_number": "COE-2027-0001",
        "coe_issued_on": "2027-04-01",
        "visa_number": "V-2027-0003",
        "visa_issued_on": "2027-06-02",
        "medical_checked_on": "2027-06-10",
        "medical_passed": "1",
    }
    for name in ("leadership", "admin", "partner", "host"):
        assert client_for(getattr(cast, name)).post(url, form).status_code == 403, name
        page = client_for(getattr(cast, name)).get(url).content.decode()
        assert 'id="departure-file-form"' not in page
    assert client_for(cast.host_other).post(url, form).status_code == 404
    for name in NOBODY:
        assert client_for(getattr(cast, name)).post(url, form).status_code == 403
    assert DepartureFile.objects.get(pk=file.pk).visa_number == ""

    central = client_for(cast.central)
    assert 'id="departure-file-form"' in central.get(url).content.decode()
    saved = central.post(url, form, follow=True)
    assert saved.status_code == 200
    assert "The departure file was saved." in saved.content.decode()
    assert "Ready to depart." in saved.content.decode()
    stored = DepartureFile.objects.get(pk=file.pk)
    assert (stored.visa_number, stored.visa_issued_on) == ("V-2027-0003", dt.date(2027, 6, 2))
    assert stored.medical_passed is True

    unchanged = central.post(url, form, follow=True)
    assert "Nothing was changed." in unchanged.content.decode()
    failed = central.post(url, {**form, "medical_passed": "0"}, follow=True)
    assert DepartureFile.objects.get(pk=file.pk).medical_passed is False
    assert "Pre-departure medical not passed." in failed.content.decode()


def test_a_duplicate_passport_number_is_refused_clearly(departure: Departure, cast: Any) -> None:
    file = departure.ready[1]
    url = reverse("placement:departure_file_detail", args=[file.pk])
    refused = client_for(cast.central).post(
        url, {"passport_number": "C1000001", "passport_pages": "48", "medical_passed": "1"}
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Another intern has this passport number." in page
    assert 'value="C1000001"' in page  # the refused value stays in the form
    assert DepartureFile.objects.get(pk=file.pk).passport_number == "C1000002"
    bad = client_for(cast.central).post(url, {"passport_pages": "many"})
    assert bad.status_code == 400


def test_the_central_team_creates_batches(cast: Any) -> None:
    url = reverse("placement:batch_list")
    form = {"departs_on": "2027-06-25", "flight": "ga 874", "airport": "Soekarno-Hatta (CGK)",
            "arrives_at": "Narita (NRT)"}  # fmt: skip
    for name in ("leadership", "admin", "partner", "host"):
        assert client_for(getattr(cast, name)).post(url, form).status_code == 403, name
        assert 'id="batch-form"' not in client_for(getattr(cast, name)).get(url).content.decode()
    for name in NOBODY:
        assert client_for(getattr(cast, name)).post(url, form).status_code == 403, name
    assert not DepartureBatch.objects.exists()
    assert client_for(cast.central).post(url, {**form, "flight": ""}).status_code == 400
    created = client_for(cast.central).post(url, form)
    batch = DepartureBatch.objects.get()
    assert created["Location"] == reverse("placement:batch_detail", args=[batch.pk])
    assert (batch.flight, batch.created_by) == ("GA 874", cast.central)
    listed = client_for(cast.central).get(url).content.decode()
    assert 'data-flight="GA 874"' in listed


def test_a_batch_offers_only_complete_files_and_shows_refusals(
    departure: Departure, cast: Any
) -> None:
    batch = new_batch(cast)
    url = reverse("placement:batch_detail", args=[batch.pk])
    page = client_for(cast.central).get(url).content.decode()
    offered = page.split('id="batch-offered"', 1)[1].split("</ul>", 1)[0]
    for file in (*departure.ready, departure.other):
        assert f'value="{file.pk}"' in offered
    assert f'value="{departure.not_ready.pk}"' not in offered
    not_offered = page.split('id="batch-not-offered"', 1)[1]
    assert departure.not_ready.application.registration_number in not_offered
    assert "Visa: number and date missing." in not_offered
    # Readers see the batch without the forms.
    for name in ("leadership", "admin"):
        other = client_for(getattr(cast, name)).get(url).content.decode()
        assert 'id="batch-add-form"' not in other and 'id="batch-depart-form"' not in other

    add = reverse("placement:batch_add", args=[batch.pk])
    chosen = {"files": [str(departure.ready[0].pk), str(departure.not_ready.pk)]}
    for name in ("leadership", "admin", "partner", "host", *NOBODY):
        assert client_for(getattr(cast, name)).post(add, chosen).status_code == 403, name
    refused = client_for(cast.central).post(add, chosen, follow=True).content.decode()
    assert "Nobody was added:" in refused
    number = departure.not_ready.application.registration_number
    assert f"{number}: Visa: number and date missing." in refused
    assert not BatchMember.objects.exists()
    nothing = client_for(cast.central).post(add, {"files": []}, follow=True).content.decode()
    assert "Choose at least one intern." in nothing

    ready = {"files": [str(f.pk) for f in departure.ready]}
    added = client_for(cast.central).post(add, ready, follow=True).content.decode()
    assert "2 interns were added to the batch." in added
    members = added.split('id="batch-members"', 1)[1].split("</table>", 1)[0]
    assert {departure.ready[0].application.registration_number} <= {
        part.split('"', 1)[0] for part in members.split('data-registration="')[1:]
    }
    again = client_for(cast.central).post(add, ready, follow=True).content.decode()
    assert "is already on a batch." in again
    assert BatchMember.objects.count() == 2


def test_the_manifest_is_printable_and_has_no_health_data(departure: Departure, cast: Any) -> None:
    batch = new_batch(cast)
    batch_add(batch=batch, files=[*departure.ready, departure.other], by=cast.central)
    url = reverse("placement:batch_manifest", args=[batch.pk])
    page = client_for(cast.central).get(url).content.decode()
    assert "@media print" in page
    for fact in ("GA 874", "2027-06-25", "Soekarno-Hatta (CGK)", "Narita (NRT)"):
        assert fact in page
    budi = departure.ready[0].application
    for value in (budi.registration_number, "Budi Santoso", "ブディ・サントソ", "C1000001",
                  "Sendai Seiko", "Nagoya Kogyo", "Miyagi 宮城県"):  # fmt: skip
        assert value in page, value
    lowered = page.lower()
    for health in ("medical", "medis", "kesehatan", "health"):
        assert health not in lowered
    # A host company's manifest lists its own interns only.
    hosts = client_for(cast.host).get(url).content.decode()
    assert "C1000001" in hosts and "C1000004" not in hosts and "Nagoya Kogyo" not in hosts


def test_recording_a_batch_as_departed(departure: Departure, cast: Any) -> None:
    batch = new_batch(cast)
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    url = reverse("placement:batch_depart", args=[batch.pk])
    for name in ("leadership", "admin", "partner", "host", *NOBODY):
        assert client_for(getattr(cast, name)).post(url, {"confirm": "1"}).status_code == 403
    assert client_for(None).post(url, {"confirm": "1"}).status_code == 302
    unconfirmed = client_for(cast.central).post(url, follow=True).content.decode()
    assert "Tick the box to confirm that the batch has left." in unconfirmed
    assert not Internship.objects.exists()

    done = client_for(cast.central).post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "Recorded as departed: 2 interns are now in the internship records." in done
    assert 'id="batch-depart-form"' not in done and 'id="batch-add-form"' not in done
    for file in departure.ready:
        assert Application.objects.get(pk=file.application_id).status == Status.DEPARTED
        internship = Internship.objects.get(application_id=file.application_id)
        assert internship.host_company == cast.host_company
    again = client_for(cast.central).post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "This batch has already been recorded as departed." in again
    assert Internship.objects.count() == 2
    listed = client_for(cast.central).get(reverse("placement:departure_file_list"))
    assert "departed" in listed.content.decode()
    # Departed interns are not "not ready".
    not_ready = client_for(cast.central).get(
        reverse("placement:departure_file_list"), {"not_ready": "1"}
    )
    assert numbers(not_ready) == {departure.not_ready.application.registration_number}


def test_a_journey_refusal_is_shown_and_nobody_departs(departure: Departure, cast: Any) -> None:
    batch = new_batch(cast)
    batch_add(batch=batch, files=departure.ready, by=cast.central)
    Application.objects.filter(pk=departure.ready[0].application_id).update(status=Status.WITHDRAWN)
    url = reverse("placement:batch_depart", args=[batch.pk])
    response = client_for(cast.central).post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()
    assert not Internship.objects.exists()


def test_the_form_shows_stored_dates_in_every_language(departure: Departure, cast: Any) -> None:
    url = reverse("placement:departure_file_detail", args=[departure.ready[0].pk])
    for language in ("id", "en", "ja"):
        client = Client(headers={"accept-language": language})
        client.force_login(cast.central)
        page = client.get(url).content.decode()
        # The browser's date picker reads ISO dates only.
        assert 'type="date" name="passport_expires_on" value="2031-01-01"' in page, language
        assert '<option value="1" selected>' in page
