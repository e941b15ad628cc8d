"""Failed logins are throttled per user name and, much more loosely, per address."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_clear_cache")]

LOGIN = reverse("accounts:login")
RIGHT = "correct-horse-battery"


@pytest.fixture
def _clear_cache() -> None:
    cache.clear()


def attempt(username: str, password: str, address: str = "10.0.0.1", **headers: str) -> int:
    client = Client(REMOTE_ADDR=address, headers={"accept-language": "en", **headers})
    response = client.post(LOGIN, {"username": username, "password": password})
    attempt.last = response  # type: ignore[attr-defined]
    return response.status_code


def test_five_failures_lock_the_user_name_even_for_the_right_password(cast) -> None:
    for _ in range(5):
        assert attempt("officer.jabar", "wrong") == 200
    assert attempt("officer.jabar", RIGHT) == 429
    response = attempt.last  # type: ignore[attr-defined]
    assert re.search(
        r"Too many failed attempts for this user name\. Try again in 1?\d minutes?\.",
        response.content.decode(),
    )
    assert 0 < int(response["Retry-After"]) <= 900
    # From another address too: the lock is on the user name.
    assert attempt("officer.jabar", RIGHT, address="10.9.9.9") == 429


def test_one_person_failing_does_not_lock_out_the_office(cast) -> None:
    for _ in range(6):
        attempt("officer.jabar", "wrong")
    assert attempt("officer.jateng", RIGHT) == 302
    assert attempt("central", RIGHT) == 302


def test_a_success_clears_the_count_for_the_user_name(cast) -> None:
    for _ in range(4):
        attempt("central", "wrong")
    assert attempt("central", RIGHT) == 302
    for _ in range(4):
        assert attempt("central", "wrong") == 200
    assert attempt("central", RIGHT) == 302


def test_candidates_e_mail_user_names_count_in_any_letter_case(cast) -> None:
    cast.candidate.username = "siti@example.id"
    cast.candidate.save()
    for name in ["Siti@Example.id", "SITI@EXAMPLE.ID", "siti@example.id", "x", "y"][:5]:
        attempt(name if "@" in name else "siti@example.id", "wrong")
    assert attempt("siti@example.id", RIGHT) == 429


@override_settings(MAGANG_LOGIN_FAILURES_PER_ADDRESS=10)
def test_many_user_names_from_one_address_lock_that_address(cast) -> None:
    for n in range(10):
        attempt(f"guess{n}", "wrong", address="10.6.6.6")
    assert attempt("central", RIGHT, address="10.6.6.6") == 429
    assert "from your network" in attempt.last.content.decode()  # type: ignore[attr-defined]
    assert attempt("central", RIGHT, address="10.7.7.7") == 302


@override_settings(MAGANG_LOGIN_FAILURES_PER_ADDRESS=3, MAGANG_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_forwarded_address_counts(cast) -> None:
    for n in range(3):
        attempt(f"guess{n}", "wrong", address="127.0.0.1", x_forwarded_for="203.0.113.5")
    assert attempt("central", RIGHT, address="127.0.0.1", x_forwarded_for="203.0.113.5") == 429
    # Someone else behind the same proxy is not locked out.
    assert attempt("central", RIGHT, address="127.0.0.1", x_forwarded_for="198.51.100.7") == 302
