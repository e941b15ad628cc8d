"""Idle and absolute session timeouts; a deactivated user's sessions end at once."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from magang.accounts.models import User, UserSession
from magang.accounts.sessions import LOGIN_AT, SEEN_AT

pytestmark = pytest.mark.django_db

HOME = reverse("accounts:home")
LOGIN = reverse("accounts:login")


def logged_in(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def age(client: Client, *, login: float = 0, seen: float = 0) -> None:
    """Pretend the session started ``login`` seconds ago and was last used ``seen`` ago."""
    session = client.session
    now = time.time()
    session[LOGIN_AT] = now - login
    session[SEEN_AT] = now - seen
    session.save()


def test_a_fresh_session_goes_on(cast) -> None:
    client = logged_in(cast.central)
    age(client, login=3600, seen=60)
    assert client.get(HOME).status_code == 200


def test_staff_are_logged_out_after_30_idle_minutes(cast) -> None:
    client = logged_in(cast.officer_jabar)
    age(client, login=31 * 60, seen=31 * 60)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Faccounts%2Fhome%2F"
    page = client.get(response["Location"]).content.decode()
    assert "without activity" in page
    assert client.get(HOME).status_code == 302  # really logged out


def test_staff_are_logged_out_after_12_hours_however_busy(cast) -> None:
    client = logged_in(cast.partner)
    age(client, login=12 * 3600 + 1, seen=10)
    assert client.get(HOME).status_code == 302
    assert "maximum length" in client.get(LOGIN).content.decode()


def test_candidates_keep_their_session_longer(cast) -> None:
    client = logged_in(cast.candidate)
    age(client, login=13 * 3600, seen=31 * 60)
    assert client.get(HOME).status_code == 200
    age(client, login=13 * 3600, seen=4 * 3600 + 1)
    assert client.get(HOME).status_code == 302
    client = logged_in(cast.candidate)
    age(client, login=7 * 24 * 3600 + 1, seen=10)
    assert client.get(HOME).status_code == 302


@pytest.mark.urls("magang.accounts.tests.token_api_urls")
def test_the_api_treats_an_expired_session_as_anonymous(cast) -> None:
    client = logged_in(cast.central)
    assert client.get("/api/whoami").status_code == 200
    age(client, login=31 * 60, seen=31 * 60)
    assert client.get("/api/whoami").status_code == 401


def test_deactivating_a_user_deletes_their_sessions(cast) -> None:
    phone, laptop = logged_in(cast.trainer), logged_in(cast.trainer)
    other = logged_in(cast.central)
    keys = set(UserSession.objects.filter(user=cast.trainer).values_list("session_key", flat=True))
    assert len(keys) == 2
    assert Session.objects.filter(session_key__in=keys).count() == 2
    cast.trainer.is_active = False
    cast.trainer.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=cast.trainer).exists()
    assert phone.get(HOME).status_code == 302
    assert laptop.get(HOME).status_code == 302
    assert other.get(HOME).status_code == 200


def test_a_user_deactivated_behind_the_models_back_is_out_on_the_next_request(cast) -> None:
    client = logged_in(cast.host)
    User.objects.filter(pk=cast.host.pk).update(is_active=False)  # no signal
    assert client.get(HOME).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_login_records_the_session_and_logout_forgets_it(cast) -> None:
    client = Client()
    client.post(LOGIN, {"username": "leadership", "password": "correct-horse-battery"})
    assert UserSession.objects.filter(user=cast.leadership).count() == 1
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=cast.leadership).exists()


def test_htmx_requests_are_sent_to_the_login_page_as_a_whole(cast) -> None:
    client = logged_in(cast.officer_jabar)
    age(client, login=31 * 60, seen=31 * 60)
    response = client.get(HOME, headers={"hx-request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == LOGIN
