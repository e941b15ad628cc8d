"""Small ORM-built fixtures for the statistics tests: two provinces, two prefectures, one
trade, and a ``make_internship`` that builds the candidate -> application -> internship chain.

Reference data is created here, not loaded, so the tests stay fast and self-contained.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from magang import factories as f
from magang.accounts.models import Organisation
from magang.internships.models import EndReason, Internship
from magang.recruitment.models import (
    Application,
    ApplicationStatus,
    Candidate,
    Programme,
    RecruitmentRound,
    SelectionSite,
)
from magang.reference.models import Prefecture, Province, Trade
from magang.stats.refresh import stats_refresh

MakeInternship = Callable[..., Internship]


@pytest.fixture
def places(db: None) -> dict[str, Any]:
    return {
        "32": Province.objects.create(code="32", name="Jawa Barat"),
        "33": Province.objects.create(code="33", name="Jawa Tengah"),
        "13": Prefecture.objects.create(
            code="13", name_en="Tokyo", name_ja="東京都", name_id="Tokyo", region="Kanto"
        ),
        "23": Prefecture.objects.create(
            code="23", name_en="Aichi", name_ja="愛知県", name_id="Aichi", region="Chubu"
        ),
    }


@pytest.fixture
def make_internship(places: dict[str, Any]) -> MakeInternship:
    supervisor = Organisation.objects.create(
        kind=Organisation.Kind.SUPERVISING_ORGANISATION, name="IM Japan"
    )
    office = Organisation.objects.create(
        kind=Organisation.Kind.REGIONAL_OFFICE, name="Disnaker Jawa Barat"
    )
    trade = Trade.objects.create(
        code="2-1-9",
        group=Trade.Group.CONSTRUCTION,
        job_code="2-1",
        job_name_en="Well drilling",
        job_name_ja="さく井",
        job_name_id="Pengeboran sumur",
        name_en="Percussion well drilling",
        name_ja="パーカッション式さく井工事作業",
        name_id="Pengeboran sumur perkusi",
    )
    programme = Programme.objects.create(
        code="titp",
        name="TITP",
        partner=supervisor,
        duration_months=36,
        max_duration_months=60,
        valid_from=date(1993, 1, 1),
    )
    round_ = RecruitmentRound.objects.create(
        programme=programme,
        code="titp-1993",
        name="TITP 1993",
        year=1993,
        opens_on=date(1993, 1, 1),
        closes_on=date(1993, 3, 1),
        reference_date=date(1993, 3, 1),
    )
    site = SelectionSite.objects.create(
        round=round_,
        organisation=office,
        name="Bandung",
        province=places["32"],
        registration_deadline=date(1993, 3, 1),
    )
    numbers = itertools.count(1)

    def make(
        departed_on: date,
        ended_on: date | None = None,
        *,
        province: str = "32",
        prefecture: str = "13",
    ) -> Internship:
        n = next(numbers)
        candidate = Candidate.objects.create(
            nik=f"3201{n:012d}",
            full_name=f"Peserta {n}",
            sex="M",
            birth_date=date(1970, 1, 1),
            province=places[province],
        )
        application = Application.objects.create(
            candidate=candidate,
            round=round_,
            site=site,
            registration_number=f"T1993-{n:06d}",
            status=ApplicationStatus.COMPLETED if ended_on else ApplicationStatus.IN_JAPAN,
            status_changed_at=timezone.now(),
        )
        internship = Internship.objects.create(
            application=application,
            supervising_organisation=supervisor,
            prefecture=places[prefecture],
            trade=trade,
            departed_on=departed_on,
            ended_on=ended_on,
            end_reason=EndReason.COMPLETED if ended_on else "",
        )
        # The figures come from the summaries: refresh as the background job would.
        stats_refresh()
        return internship

    return make


@pytest.fixture(autouse=True)
def _english(client: Client) -> None:
    """These tests read English messages; the site's default language is Indonesian."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


# --- A small programme for the dashboards: the project's cast plus two interns -----------


@dataclass
class World:
    cast: Any
    mine: Internship  # at the cast's host company, supervised by IM Japan
    other_partner: Internship  # another supervising organisation, another host


def _internship(application: Any, **kwargs: Any) -> Internship:
    application.status = ApplicationStatus.IN_JAPAN
    application.save(update_fields=["status"])
    return Internship.objects.create(
        application=application,
        prefecture=f.prefecture(kwargs.pop("prefecture", "04")),
        trade=f.trade(),
        departed_on=dt.date(2024, 9, 1),
        **kwargs,
    )


@pytest.fixture
def world(cast: Any) -> World:
    mine = _internship(
        f.ApplicationFactory(site=cast.site_jabar),
        supervising_organisation=cast.imjapan,
        host_company=cast.host_company,
    )
    elsewhere = f.OrganisationFactory(
        kind=Organisation.Kind.SUPERVISING_ORGANISATION, name="Other SO"
    )
    other = _internship(
        f.ApplicationFactory(site=cast.site_jateng),
        supervising_organisation=elsewhere,
        host_company=cast.host_company_other,
        prefecture="23",
        ended_on=dt.date(2025, 1, 1),
        end_reason=EndReason.EARLY_RETURN,
    )
    for status in (ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED):
        f.ApplicationFactory(site=cast.site_jabar, status=status)
        f.ApplicationFactory(site=cast.site_jateng, status=status)
    stats_refresh()
    return World(cast, mine, other)


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client
