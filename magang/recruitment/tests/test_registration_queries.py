"""The registration submit: a fixed number of queries, whatever the size of the data
(applications at the site, people, regions, a returning person's history), and what it
decides from the rows it reads once. The load benchmark (`bench/load.py`) measures the
same request under load."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from magang import factories as f
from magang.accounts.models import User
from magang.core.models import AuditEntry
from magang.recruitment.models import Application, Consent, JourneyEvent

from .test_registration_pages import answers, candidate_user, fill, open_site, step_url

pytestmark = pytest.mark.django_db

# Session, user and memberships (middleware); the draft with its site and round; then in
# the service's transaction (savepoints here, as the test runs in one): the regions named,
# the people with the NIK or the account (locked), whether the round asks for documents,
# the candidate, its audit row, the consent, the site's lock and its highest number, the
# application (in a savepoint of its own), its first journey event and audit row, and
# the draft's link to it.
NEW_PERSON = 20
# A person known from an earlier round: their applications are read once (warnings,
# departures, the duplicate check), and the candidate is updated instead of created.
RETURNING_PERSON = NEW_PERSON + 1


def _ready(client, site, user: User, nik: str) -> None:
    """Every step answered and the review page seen, as a browser leaves it."""
    client.force_login(user)
    fill(client, site, answers(identity={"nik": nik}), upto="consent")
    assert client.get(step_url(site, "review")).status_code == 200


def _submit(client, site) -> tuple[int, Application]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(step_url(site, "review"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert response["Location"] == reverse("recruitment:my_application", args=[application.pk])
    return len(captured.captured_queries), application


def test_it_sends_a_new_persons_registration_in_a_fixed_number_of_queries(client) -> None:
    site = open_site()
    _ready(client, site, candidate_user("first@example.com"), f.make_nik())
    first, application = _submit(client, site)
    # What the queries wrote: everything a registration leaves behind.
    assert application.candidate.regency.code == "32.16"
    assert Consent.objects.filter(candidate=application.candidate).count() == 1
    assert JourneyEvent.objects.filter(application=application).count() == 1
    assert set(
        AuditEntry.objects.filter(actor__username="first@example.com").values_list(
            "action", flat=True
        )
    ) == {"candidate.create", "application.create"}

    # Many more people, applications at the same site, regions and rounds.
    for code in ("33.09", "32.73", "35.78", "31.71"):
        f.regency(code)
    f.ApplicationFactory.create_batch(30, site=site)
    f.ApplicationFactory.create_batch(10, site=f.SiteFactory(round=site.round, name="Other"))
    _ready(client, site, candidate_user("second@example.com"), f.make_nik())
    second, _ = _submit(client, site)

    assert first == second == NEW_PERSON


def test_it_sends_a_returning_persons_registration_in_a_fixed_number_of_queries(
    client,
) -> None:
    site = open_site()
    counts = []
    for history in (1, 6):
        user = candidate_user(f"returning-{history}@example.com")
        person = f.CandidateFactory(user=user, birth_date=dt.date(2003, 5, 17))
        for year in range(history):
            f.ApplicationFactory(
                candidate=person,
                site=f.SiteFactory(round=f.RoundFactory(year=2010 + year)),
                status="not_selected",
            )
        _ready(client, site, user, person.nik)
        count, application = _submit(client, site)
        assert application.candidate == person
        assert len(application.warnings) == history  # one line per earlier application
        counts.append(count)

    assert counts == [RETURNING_PERSON, RETURNING_PERSON]


# What the submit decides from the rows it now reads once: the person's earlier
# applications (history, departures, the duplicate check) and the account's own person.


def test_it_records_a_returning_persons_history_and_previous_departure(client) -> None:
    site = open_site()
    user = candidate_user()
    person = f.CandidateFactory(user=user, birth_date=dt.date(2003, 5, 17))
    went = f.ApplicationFactory(
        candidate=person,
        site=f.SiteFactory(round=f.RoundFactory(year=2019, name="Round 2019")),
        status="returned",
    )
    _ready(client, site, user, person.nik)
    _, application = _submit(client, site)

    assert application.eligibility["eligible"] is False
    assert [failure["rule"] for failure in application.eligibility["failures"]] == [
        "previous_departure"
    ]
    assert application.warnings == [
        f"Earlier application {went.registration_number} in Round 2019 ended as: Returned."
    ]


def test_it_links_a_paper_registration_to_the_account_that_sends(client) -> None:
    site = open_site()
    user = candidate_user()
    paper = f.CandidateFactory(user=None, birth_date=dt.date(2003, 5, 17))
    f.ApplicationFactory(
        candidate=paper,
        site=f.SiteFactory(round=f.RoundFactory(year=2024, name="Round 2024")),
        status="not_selected",
    )
    _ready(client, site, user, paper.nik)
    _, application = _submit(client, site)

    paper.refresh_from_db()
    assert application.candidate == paper and paper.user == user
    assert application.warnings[0].startswith("This NIK was known from an earlier application")
    assert "Round 2024" in application.warnings[1]
    assert application.eligibility["eligible"] is True


def test_it_refuses_at_the_submit_a_second_person_on_one_account(client) -> None:
    site = open_site()
    user = candidate_user()
    _ready(client, site, user, f.make_nik())
    # Between the identity step and sending, the account got a person with another NIK.
    mine = f.CandidateFactory(user=user)

    response = client.post(step_url(site, "review"), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="step-identity"' in content
    assert f"Your account is already registered with NIK {mine.nik}" in content
    assert not Application.objects.filter(site=site).exists()


def test_it_refuses_at_the_submit_a_second_open_application_in_the_round(client) -> None:
    site = open_site()
    user = candidate_user()
    person = f.CandidateFactory(user=user, birth_date=dt.date(2003, 5, 17))
    _ready(client, site, user, person.nik)
    # Between the identity step and sending, an officer registered the person elsewhere.
    other = f.ApplicationFactory(
        candidate=person, site=f.SiteFactory(round=site.round, name="Elsewhere")
    )

    response = client.post(step_url(site, "review"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert other.registration_number in response.content.decode()
    assert not Application.objects.filter(site=site).exists()
