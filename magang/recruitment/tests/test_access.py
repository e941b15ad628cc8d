"""Application pages: each role sees its scope, the wrong role and region are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _list(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("recruitment:application_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_only_the_officers_own_site(cast, client) -> None:
    content = _list(client, cast.officer_jabar)
    assert cast.application_jabar.registration_number in content
    assert cast.application_jateng.registration_number not in content
    content = _list(client, cast.officer_jateng)
    assert cast.application_jateng.registration_number in content
    assert cast.application_jabar.registration_number not in content


@pytest.mark.parametrize("who", ["central", "leadership", "admin"])
def test_it_lists_every_site_for_nationwide_roles(cast, client, who) -> None:
    content = _list(client, getattr(cast, who))
    assert cast.application_jabar.registration_number in content
    assert cast.application_jateng.registration_number in content


@pytest.mark.parametrize("who", ["trainer", "partner", "host", "candidate", "outsider"])
def test_it_refuses_the_list_to_other_roles(cast, client, who) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(reverse("recruitment:application_list")).status_code == 403


def test_it_sends_anonymous_visitors_to_login(cast, client) -> None:
    for url in (
        reverse("recruitment:application_list"),
        reverse("recruitment:application_detail", args=[cast.application_jabar.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("who", "jabar", "jateng"),
    [
        ("officer_jabar", 200, 404),
        ("officer_jateng", 404, 200),
        ("central", 200, 200),
        ("leadership", 200, 200),
        ("admin", 200, 200),
        ("candidate", 302, 404),  # their own: sent to their status page
        ("trainer", 404, 404),
        ("partner", 404, 404),
        ("host", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_it_shows_a_detail_only_within_scope(cast, client, who, jabar, jateng) -> None:
    client.force_login(getattr(cast, who))
    for application, expected in (
        (cast.application_jabar, jabar),
        (cast.application_jateng, jateng),
    ):
        response = client.get(reverse("recruitment:application_detail", args=[application.pk]))
        assert response.status_code == expected
        if expected == 404:
            assert application.candidate.full_name.encode() not in response.content
        if expected == 302:
            assert response["Location"] == reverse(
                "recruitment:my_application", args=[application.pk]
            )


def test_it_answers_missing_and_not_yours_the_same_way(cast, client) -> None:
    client.force_login(cast.officer_jabar)
    missing = client.get(reverse("recruitment:application_detail", args=[999_999]))
    not_yours = client.get(
        reverse("recruitment:application_detail", args=[cast.application_jateng.pk])
    )
    assert missing.status_code == not_yours.status_code == 404


def test_it_filters_and_returns_a_partial_for_htmx(cast, client) -> None:
    client.force_login(cast.central)
    response = client.get(
        reverse("recruitment:application_list"),
        {"q": cast.application_jateng.registration_number},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "<html" not in content
    assert cast.application_jateng.registration_number in content
    assert cast.application_jabar.registration_number not in content
