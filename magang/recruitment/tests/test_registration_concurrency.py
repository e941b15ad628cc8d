"""Registration numbers: consecutive within a site, continuing after the highest given, and
never the same twice when two people register at one site at the same moment (the load test
found the second of two concurrent registrations failing on a duplicate number)."""

from __future__ import annotations

import pytest
from django.db import connection

from magang import factories as f
from magang.recruitment.models import Application
from magang.recruitment.services import application_create
from magang.tests.concurrency import race


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite locks the whole database, so writes never interleave",
)
def test_two_registrations_at_one_site_get_consecutive_numbers() -> None:
    site = f.SiteFactory()
    first, second = f.CandidateFactory(), f.CandidateFactory()

    outcomes = race(
        lambda: application_create(candidate=first, site=site).registration_number,
        lambda: application_create(candidate=second, site=site).registration_number,
    )

    prefix = f"{site.round.year}-{site.pk:04d}-"
    assert sorted(outcomes) == [f"{prefix}000001", f"{prefix}000002"]
    assert Application.objects.filter(site=site).count() == 2


@pytest.mark.django_db
def test_numbers_continue_after_the_highest_given() -> None:
    site = f.SiteFactory()
    prefix = f"{site.round.year}-{site.pk:04d}-"
    f.ApplicationFactory(site=site, round=site.round, registration_number=f"{prefix}000041")

    created = application_create(candidate=f.CandidateFactory(), site=site)

    assert created.registration_number == f"{prefix}000042"
