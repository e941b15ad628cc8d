"""Login, logout and the home page each role lands on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from magang import factories as f
from magang.recruitment import services

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_lands_on_home(cast) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": "officer.jabar", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Bandung" in page.content


def test_it_refuses_a_wrong_password(cast) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": "officer.jabar", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_it_logs_out_with_a_post(cast, client) -> None:
    client.force_login(cast.central)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302


def test_it_sends_anonymous_visitors_to_login(client) -> None:
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "shows", "hides"),
    [
        ("officer_jabar", ["home-sites", "Bandung"], ["Semarang", "home-round", "home-partner"]),
        ("officer_jateng", ["home-sites", "Semarang"], ["Bandung"]),
        ("central", ["home-round"], ["home-sites", "home-host"]),
        ("leadership", ["home-round"], ["home-sites"]),
        ("admin", ["home-round"], ["home-candidate"]),
        ("candidate", ["home-candidate"], ["home-round", "home-sites"]),
        ("partner", ["home-partner"], ["home-round", "home-host"]),
        ("host", ["home-host"], ["home-partner", "home-round"]),
        ("trainer", ["BBPVP Bekasi", 'data-role="training_staff"'], ["home-round", "home-sites"]),
        ("outsider", ["no role yet"], ["home-round", "home-sites", "home-candidate"]),
    ],
)
def test_it_shows_each_role_its_own_home(cast, client, who, shows, hides) -> None:
    client.force_login(getattr(cast, who))
    content = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in shows:
        assert text in content
    for text in hides:
        assert text not in content


def test_it_shows_a_host_company_only_its_own_interns(cast, client) -> None:
    mine = f.InternshipFactory(
        host_company=cast.host_company, supervising_organisation=cast.imjapan
    )
    theirs = f.InternshipFactory(
        host_company=cast.host_company_other, supervising_organisation=cast.imjapan
    )
    client.force_login(cast.host)
    content = client.get(reverse("accounts:home")).content.decode()
    assert mine.application.candidate.full_name in content
    assert theirs.application.candidate.full_name not in content


def test_it_shows_the_audit_trail_to_administrators_only(cast, client) -> None:
    services.application_advance(
        application=cast.application_jabar, to="eligible", by=cast.officer_jabar, reason="verified"
    )
    url = reverse("accounts:audit_log")
    client.force_login(cast.admin)
    page = client.get(url, {"action": "application.advance"})
    assert page.status_code == 200
    assert b"application.advance" in page.content and b"verified" in page.content
    for who in ("central", "leadership", "officer_jabar", "candidate", "outsider", "partner"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_it_ignores_memberships_that_are_switched_off(cast, client) -> None:
    cast.officer_jabar.memberships.update(is_active=False)
    client.force_login(cast.officer_jabar)
    assert client.get(reverse("recruitment:application_list")).status_code == 403


def test_it_lets_a_candidate_log_in_with_their_email_in_any_case(client) -> None:
    f.UserFactory(username="budi@example.com", email="budi@example.com")
    response = client.post(
        reverse("accounts:login"),
        {"username": "  Budi@Example.COM ", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
