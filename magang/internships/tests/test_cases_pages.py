"""Case pages through the client: the intern reports a problem from a phone form, sees only
their own cases; officers see their site's, the central team all; a partner sees only what
the intern shared and never health details; host companies see no case at all; files are
downloads for those who may read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from magang.accounts.models import Membership, Role
from magang.internships.models import Case
from magang.internships.services import cases as services

from .cases_fixtures import (  # noqa: F401
    PDF,
    client_for,
    file_case,
    interns_fixture,
    png,
    private_media_fixture,
)

pytestmark = pytest.mark.django_db


def test_the_intern_reports_a_problem_with_a_photo(
    cast: Any, interns: Any, private_media: None
) -> None:
    client = client_for(cast.candidate)
    form = client.get(reverse("internships:case_new"))
    assert form.status_code == 200
    assert 'name="share_with_partner"' in form.content.decode()
    response = client.post(
        reverse("internships:case_new"),
        {
            "category": "harassment",
            "kind": "grievance",
            "severity": "high",
            "description": "My supervisor shouts at me every day.",
            "about_host_company": "on",
            "attachments": SimpleUploadedFile("photo.png", png(), content_type="image/png"),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("internships:case_detail", args=[case.pk])
    assert (case.internship, case.filed_as, case.about_host_company) == (
        interns.jabar,
        "intern",
        True,
    )
    assert not case.share_with_partner
    mine = client.get(reverse("internships:case_my"))
    assert f'data-case="{case.pk}"' in mine.content.decode()


def test_a_bad_report_says_why_and_saves_nothing(
    cast: Any, interns: Any, private_media: None
) -> None:
    response = client_for(cast.candidate).post(
        reverse("internships:case_new"),
        {
            "category": "wages",
            "severity": "medium",
            "description": "x",
            "attachments": SimpleUploadedFile("cv.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert "PDF, JPEG or PNG" in response.content.decode()
    assert not Case.objects.exists()


def test_staff_file_for_an_intern_of_their_scope_only(cast: Any, interns: Any) -> None:
    data = {
        "registration_number": cast.application_jateng.registration_number,
        "category": "accident",
        "kind": "incident",
        "severity": "critical",
        "description": "Cut hand at the press.",
    }
    refused = client_for(cast.officer_jabar).post(reverse("internships:case_new"), data)
    assert refused.status_code == 400
    assert not Case.objects.exists()
    ok = client_for(cast.officer_jateng).post(reverse("internships:case_new"), data)
    assert ok.status_code == 302
    assert Case.objects.get().filed_as == "officer"


@pytest.mark.parametrize("who", ["host", "trainer", "outsider"])
def test_others_cannot_open_the_report_form(cast: Any, interns: Any, who: str) -> None:
    assert client_for(getattr(cast, who)).get(reverse("internships:case_new")).status_code == 403


def test_the_case_list_is_scoped(cast: Any, interns: Any) -> None:
    jabar = file_case(interns.jabar, cast.candidate)
    jateng = file_case(interns.jateng, cast.officer_jateng, share_with_partner=True)
    url = reverse("internships:case_list")

    def ids(who: Any) -> set[int]:
        response = client_for(who).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        return {c.pk for c in (jabar, jateng) if f'data-case="{c.pk}"' in body}

    assert ids(cast.central) == {jabar.pk, jateng.pk}
    assert ids(cast.leadership) == {jabar.pk, jateng.pk}
    assert ids(cast.officer_jabar) == {jabar.pk}
    assert ids(cast.officer_jateng) == {jateng.pk}
    assert ids(cast.partner) == {jateng.pk}
    for refused in (cast.host, cast.host_other, cast.trainer, cast.candidate, cast.outsider):
        assert client_for(refused).get(url).status_code == 403
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]


def test_the_case_page_is_refused_outside_its_scope(cast: Any, interns: Any) -> None:
    case = file_case(interns.jabar, cast.candidate)
    url = reverse("internships:case_detail", args=[case.pk])
    for reader in (cast.candidate, cast.officer_jabar, cast.central, cast.leadership, cast.admin):
        assert client_for(reader).get(url).status_code == 200
    for other in (cast.officer_jateng, cast.partner, cast.host, cast.host_other, cast.trainer):
        assert client_for(other).get(url).status_code == 404
    services.case_set_sharing(case=case, by=cast.candidate, share=True)
    assert client_for(cast.partner).get(url).status_code == 200
    # The host company never sees it, shared or not.
    assert client_for(cast.host).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_a_partner_never_reads_health_details(cast: Any, interns: Any, private_media: None) -> None:
    accident = file_case(
        interns.jabar, cast.candidate, category="accident", kind="incident",
        description="Fell from the scaffold.", health_details="Broken left wrist, cast 6 weeks.",
        share_with_partner=True,
    )  # fmt: skip
    health = file_case(
        interns.jabar, cast.candidate, category="health", kind="incident",
        description="Depression after overtime.", share_with_partner=True,
        uploads=[services.Upload(file=SimpleUploadedFile("d.pdf", PDF), size=len(PDF))],
    )  # fmt: skip
    services.case_note_add(case=health, by=cast.candidate, text="The clinic says rest.")
    partner = client_for(cast.partner)
    page = partner.get(reverse("internships:case_detail", args=[accident.pk])).content.decode()
    assert "Fell from the scaffold." in page
    assert "Broken left wrist" not in page
    page = partner.get(reverse("internships:case_detail", args=[health.pk])).content.decode()
    assert "Depression" not in page
    assert "The clinic says rest." not in page
    assert 'id="case-withheld"' in page
    attachment = health.attachments.get()
    url = reverse("internships:case_attachment_file", args=[attachment.pk])
    assert partner.get(url).status_code == 404
    officer = client_for(cast.officer_jabar)
    page = officer.get(reverse("internships:case_detail", args=[accident.pk])).content.decode()
    assert "Broken left wrist" in page
    download = officer.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_officials_only_files_and_notes_are_hidden_from_the_intern(
    cast: Any, interns: Any, private_media: None
) -> None:
    case = file_case(interns.jabar, cast.candidate)
    services.case_note_add(
        case=case, by=cast.officer_jabar, text="Employer has a prior record.", audience="officials"
    )
    internal = services.case_attach(
        case=case, by=cast.officer_jabar, audience="officials",
        upload=services.Upload(file=SimpleUploadedFile("r.pdf", PDF), size=len(PDF)),
    )  # fmt: skip
    intern = client_for(cast.candidate)
    page = intern.get(reverse("internships:case_detail", args=[case.pk])).content.decode()
    assert "prior record" not in page
    url = reverse("internships:case_attachment_file", args=[internal.pk])
    assert intern.get(url).status_code == 404
    assert client_for(cast.central).get(url).status_code == 200


def test_the_intern_confirms_or_reopens_from_the_page(cast: Any, interns: Any) -> None:
    case = file_case(interns.jabar, cast.candidate)
    officer = client_for(cast.officer_jabar)
    url = reverse("internships:case_detail", args=[case.pk])
    assert (
        officer.post(url, {"action": "assign", "assignee": cast.officer_jabar.pk}).status_code
        == 302
    )
    assert officer.post(url, {"action": "resolve", "resolution": "Paid."}).status_code == 302
    intern = client_for(cast.candidate)
    assert "Is the problem solved?" in intern.get(url).content.decode()
    assert intern.post(url, {"action": "reopen", "reason": ""}).status_code == 400
    assert intern.post(url, {"action": "reopen", "reason": "Not paid."}).status_code == 302
    case.refresh_from_db()
    assert case.status == "in_progress"
    # Leadership reads but does not act; a partner may not manage.
    assert client_for(cast.leadership).post(url, {"action": "start"}).status_code == 403
    services.case_set_sharing(case=case, by=cast.candidate, share=True)
    assert (
        client_for(cast.partner).post(url, {"action": "resolve", "resolution": "x"}).status_code
        == 403
    )


def test_overdue_and_escalated_cases_are_flagged(cast: Any, interns: Any) -> None:
    case = file_case(interns.jabar, cast.candidate, severity="critical")
    Case.objects.filter(pk=case.pk).update(
        filed_at=timezone.now() - dt.timedelta(days=3),
        due_at=timezone.now() - dt.timedelta(days=2),
    )
    services.cases_escalate()
    central = client_for(cast.central)
    listing = central.get(reverse("internships:case_list") + "?overdue=1").content.decode()
    assert 'data-escalated="1"' in listing
    page = central.get(reverse("internships:case_detail", args=[case.pk])).content.decode()
    assert 'id="overdue-flag"' in page
    assert 'id="escalated-flag"' in page


def test_a_case_about_the_host_stays_hidden_from_anyone_working_there(
    cast: Any, interns: Any
) -> None:
    case = file_case(
        interns.jabar, cast.candidate, about_host_company=True, share_with_partner=True
    )
    assert case.host_company == cast.host_company
    url = reverse("internships:case_detail", args=[case.pk])
    assert client_for(cast.partner).get(url).status_code == 200
    # The partner's account also works for the host company: the case disappears.
    Membership.objects.create(
        user=cast.partner, organisation=cast.host_company, role=Role.HOST_COMPANY
    )
    assert client_for(cast.partner).get(url).status_code == 404
    listing = client_for(cast.partner).get(reverse("internships:case_list")).content.decode()
    assert f'data-case="{case.pk}"' not in listing
