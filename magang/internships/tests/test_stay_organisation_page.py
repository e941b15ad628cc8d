"""The organisation page in pages of overdue duties, with a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from magang import factories as f
from magang.accounts.models import Organisation, Role, User
from magang.internships.models import MonitoringDuty
from magang.internships.services import stay as services
from magang.internships.views.stay import organisation as views

from .stay_fixtures import Stay, stay_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def client(user: User) -> Client:
    c = Client(headers={"accept-language": "en"})
    c.force_login(user)
    return c


def arrived(s: Stay) -> None:
    for i in (s.jabar, s.jateng):
        services.internship_arrive(internship=i, arrived_on=dt.date(2022, 3, 2), by=s.cast.central)


def test_the_overdue_list_comes_in_pages_oldest_first(
    stay: Stay, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrived(stay)
    monkeypatch.setattr(views, "ORGANISATION_ROWS", 3)
    url = reverse("internships:organisation", args=[stay.cast.imjapan.pk])
    partner = client(stay.cast.partner)
    first = partner.get(url)
    second = partner.get(url, {"page": "2"})
    beyond = partner.get(url, {"page": "9"})
    junk = partner.get(url, {"page": "x"})
    expected = list(
        MonitoringDuty.objects.filter(status="open")
        .order_by("overdue_from", "id")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 4
    assert [d.pk for d in first.context["overdue"]] == expected[:3]
    assert [d.pk for d in second.context["overdue"]] == expected[3:]
    assert [d.pk for d in beyond.context["overdue"]] == expected[3:]  # the last page
    assert [d.pk for d in junk.context["overdue"]] == expected[:3]
    assert first.context["overdue_total"] == second.context["overdue_total"] == 4
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    assert "Oldest first: 4 to 4 of 4." in second.content.decode()


def test_the_page_is_refused_to_other_roles_and_organisations(stay: Stay) -> None:
    arrived(stay)
    url = reverse("internships:organisation", args=[stay.cast.imjapan.pk])
    other_org = f.OrganisationFactory(
        kind=Organisation.Kind.SUPERVISING_ORGANISATION, name="Other SO"
    )
    other_partner = f.member("partner.other", Role.PARTNER, other_org)
    assert client(other_partner).get(url, {"page": "2"}).status_code == 404
    assert client(stay.cast.host).get(url, {"page": "2"}).status_code == 403
    assert Client().get(url).status_code == 302
    # and the other organisation's own page shows none of IM Japan's duties
    own = client(other_partner).get(reverse("internships:organisation", args=[other_org.pk]))
    assert own.status_code == 200 and own.context["overdue_total"] == 0


def test_the_pages_queries_do_not_grow_with_the_organisation(stay: Stay) -> None:
    url = reverse("internships:organisation", args=[stay.cast.imjapan.pk])
    partner = client(stay.cast.partner)
    partner.get(url)
    with CaptureQueriesContext(connection) as empty:
        partner.get(url)
    arrived(stay)
    with CaptureQueriesContext(connection) as busy:
        partner.get(url, {"page": "1"})
    assert len(busy.captured_queries) == len(empty.captured_queries)
